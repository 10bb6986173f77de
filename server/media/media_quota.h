// Per-account media limits: the bytes of live media an account keeps stored (uploads not yet
// expired or deleted) and its uploads in progress. An upload counts as in progress while its
// upload file exists: the transport deletes it when the upload fails, a put moves it away, so
// no release can be missed. Called from the io thread (before a body is read) and the media
// thread (around puts and deletes), hence the mutex.
#pragma once

#include "media/blob_store.h"

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace natter::server {

struct MediaLimits {
    std::uint64_t quota_bytes = 1024ULL * 1024 * 1024; // live media per account
    std::uint64_t concurrent_uploads = 4;             // uploads in progress per account
    std::chrono::seconds retention{30 * 24 * 3600};    // media older than this no longer counts
};

class MediaQuota {
public:
    explicit MediaQuota(MediaLimits limits);

    // Start-up: what is already stored.
    void load(const std::vector<std::pair<std::string, BlobMeta>>& blobs);
    // Before an upload's body is read: 429 rate_limited when the owner already has the most
    // uploads in progress, 413 payload_too_large when the quota is used up or the `announced`
    // size does not fit; otherwise the most bytes the upload may have, and `upload` counts as
    // in progress while the file exists. Without `countBytes` (the cluster's ledger counts
    // them) only the uploads in progress and the whole quota are checked.
    protocol::Result<std::uint64_t> admit(protocol::UserId owner, const std::filesystem::path& upload,
                                          std::optional<std::uint64_t> announced, protocol::TimestampMs now,
                                          bool countBytes = true);
    // Media thread, right before the put: 413 unless `size` more bytes fit in the quota.
    protocol::Result<void> checkFits(protocol::UserId owner, std::uint64_t size, protocol::TimestampMs now);
    void stored(const std::string& id, const BlobMeta& meta);
    void removed(protocol::UserId owner, const std::string& id);

    const MediaLimits& limits() const { return limits_; }
    // A new quota (SIGHUP, io thread) for the next upload; what is stored stays and counts against it.
    void setQuota(std::uint64_t quotaBytes);
    // 413 for an upload that does not fit next to `used` stored bytes.
    protocol::Error quotaError(std::uint64_t used) const;

private:
    struct Blob {
        std::uint64_t size = 0;
        protocol::TimestampMs created_at = 0;
    };
    // Live bytes of `owner`, forgetting what expired. Lock held.
    std::uint64_t usedLocked(protocol::UserId owner, protocol::TimestampMs now);
    // Drops uploads whose file is gone. Lock held.
    void pruneUploadsLocked();

    MediaLimits limits_;
    std::mutex mutex_;
    std::unordered_map<protocol::UserId, std::unordered_map<std::string, Blob>> blobs_;
    std::unordered_map<protocol::UserId, std::vector<std::filesystem::path>> uploads_;
    std::size_t pruneUploadsAt_ = 64;
};

} // namespace natter::server
