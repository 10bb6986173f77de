#include "media/media_quota.h"

#include <algorithm>

namespace natter::server {

using protocol::ErrorCode;
using protocol::makeError;

namespace {
bool gone(const std::filesystem::path& upload) {
    std::error_code ec;
    return !std::filesystem::exists(upload, ec) && !ec;
}
} // namespace

MediaQuota::MediaQuota(MediaLimits limits) : limits_(limits) {}

void MediaQuota::load(const std::vector<std::pair<std::string, BlobMeta>>& blobs) {
    std::lock_guard lock(mutex_);
    for (const auto& [id, meta] : blobs) blobs_[meta.owner][id] = Blob{meta.size, meta.created_at};
}

std::uint64_t MediaQuota::usedLocked(protocol::UserId owner, protocol::TimestampMs now) {
    const auto it = blobs_.find(owner);
    if (it == blobs_.end()) return 0;
    const protocol::TimestampMs expiredBefore =
        now - std::chrono::duration_cast<std::chrono::milliseconds>(limits_.retention).count();
    std::erase_if(it->second, [&](const auto& entry) { return entry.second.created_at < expiredBefore; });
    std::uint64_t used = 0;
    for (const auto& [id, blob] : it->second) used += blob.size;
    if (it->second.empty()) blobs_.erase(it);
    return used;
}

void MediaQuota::pruneUploadsLocked() {
    std::size_t left = 0;
    for (auto it = uploads_.begin(); it != uploads_.end();) {
        std::erase_if(it->second, gone);
        left += it->second.size();
        it = it->second.empty() ? uploads_.erase(it) : std::next(it);
    }
    pruneUploadsAt_ = std::max<std::size_t>(64, 2 * left);
}

void MediaQuota::setQuota(std::uint64_t quotaBytes) {
    std::lock_guard lock(mutex_);
    limits_.quota_bytes = quotaBytes;
}

protocol::Error MediaQuota::quotaError(std::uint64_t used) const {
    return makeError(ErrorCode::PayloadTooLarge,
                     "this upload would exceed your media quota: " + std::to_string(used) + " of " +
                         std::to_string(limits_.quota_bytes) +
                         " bytes are stored; delete media or wait for it to expire");
}

protocol::Result<std::uint64_t> MediaQuota::admit(protocol::UserId owner, const std::filesystem::path& upload,
                                                  std::optional<std::uint64_t> announced, protocol::TimestampMs now,
                                                  bool countBytes) {
    std::lock_guard lock(mutex_);
    if (uploads_.size() >= pruneUploadsAt_) pruneUploadsLocked();
    auto& inProgress = uploads_[owner];
    std::erase_if(inProgress, gone);
    if (inProgress.size() >= limits_.concurrent_uploads)
        return makeError(ErrorCode::RateLimited, std::to_string(inProgress.size()) +
                                                     " uploads of this account are in progress, the most allowed; "
                                                     "retry when one has finished");
    const std::uint64_t used = countBytes ? usedLocked(owner, now) : 0;
    if (used >= limits_.quota_bytes || (announced && *announced > limits_.quota_bytes - used)) return quotaError(used);
    inProgress.push_back(upload);
    return limits_.quota_bytes - used;
}

protocol::Result<void> MediaQuota::checkFits(protocol::UserId owner, std::uint64_t size, protocol::TimestampMs now) {
    std::lock_guard lock(mutex_);
    const std::uint64_t used = usedLocked(owner, now);
    if (size > limits_.quota_bytes - std::min(used, limits_.quota_bytes)) return quotaError(used);
    return {};
}

void MediaQuota::stored(const std::string& id, const BlobMeta& meta) {
    std::lock_guard lock(mutex_);
    blobs_[meta.owner][id] = Blob{meta.size, meta.created_at};
}

void MediaQuota::removed(protocol::UserId owner, const std::string& id) {
    std::lock_guard lock(mutex_);
    const auto it = blobs_.find(owner);
    if (it == blobs_.end()) return;
    it->second.erase(id);
    if (it->second.empty()) blobs_.erase(it);
}

} // namespace natter::server
