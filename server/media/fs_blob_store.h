// The filesystem BlobStore: <root>/<first 2 chars of id>/<id> holds an object's bytes and
// <id>.json its metadata; uploads wait in <root>/tmp/. A put fsyncs the upload and the sidecar
// before renaming the blob into place, so a blob with its sidecar is always complete. The root
// may be shared by the nodes of a cluster: a piece is taken for abandoned only when it has not
// been written for `abandonedAfter`, so another node's upload or put in progress is left alone.
#pragma once

#include "media/blob_store.h"

#include <chrono>
#include <memory>

namespace natter::server {

class FsBlobStore final : public BlobStore {
public:
    static constexpr std::chrono::minutes kAbandonedAfter{60};

    // Creates the directories, removes uploads in tmp/ and incomplete objects that were
    // abandoned (not written for `abandonedAfter`).
    static protocol::Result<std::unique_ptr<FsBlobStore>> open(std::filesystem::path root,
                                                               std::chrono::seconds abandonedAfter = kAbandonedAfter);

    std::filesystem::path newUploadPath() override;
    protocol::Result<BlobMeta> put(const std::string& id, const std::filesystem::path& upload, protocol::UserId owner,
                                   protocol::TimestampMs createdAt) override;
    protocol::Result<BlobMeta> stat(const std::string& id) const override;
    protocol::Result<BlobRange> openRange(const std::string& id, std::uint64_t offset,
                                          std::uint64_t length) const override;
    protocol::Result<void> remove(const std::string& id) override;
    protocol::Result<std::vector<std::string>> listOlderThan(protocol::TimestampMs cutoff) const override;
    protocol::Result<std::vector<std::pair<std::string, BlobMeta>>> list() const override;
    // Abandoned uploads in tmp/, blobs without a readable sidecar and sidecars without a blob.
    std::size_t removeIncomplete() override;

    const std::filesystem::path& root() const { return root_; }

private:
    FsBlobStore(std::filesystem::path root, std::chrono::seconds abandonedAfter);
    bool abandoned(const std::filesystem::path& piece) const;
    std::filesystem::path shardOf(const std::string& id) const;
    std::filesystem::path blobPath(const std::string& id) const;
    std::filesystem::path sidecarPath(const std::string& id) const;
    // The shard directories (<root>/xx/), in no particular order.
    std::vector<std::filesystem::path> shards() const;

    std::chrono::seconds abandonedAfter_;
    std::filesystem::path root_;
    std::filesystem::path tmp_;
};

} // namespace natter::server
