// Where encrypted media blobs live: an object store keyed by media id, shaped after S3 (put a
// finished upload, stat, ranged read, delete, list by age) so that an S3-compatible backend can
// stand in for the filesystem one. Content is opaque ciphertext; the store never reads it.
#pragma once

#include "protocol/error.h"
#include "protocol/types.h"

#include <cstdint>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

namespace natter::server {

// An object's metadata, stored next to it.
struct BlobMeta {
    protocol::UserId owner = 0;            // the uploader, the only user who may delete it
    std::uint64_t size = 0;                // bytes
    protocol::TimestampMs created_at = 0;  // when the put completed
};

// Bytes [offset, offset + length) of an object as a local file the transport can send.
struct BlobRange {
    std::filesystem::path file;
    std::uint64_t offset = 0;
    std::uint64_t length = 0;
};

// Expected failures are Results: not_found (unknown or malformed id), conflict (id taken),
// internal (I/O). Implementations need not be thread-safe: natterd makes every call from
// one thread (MediaWorker).
class BlobStore {
public:
    virtual ~BlobStore() = default;

    // A fresh local path, not yet existing, to stream an upload into before put.
    virtual std::filesystem::path newUploadPath() = 0;
    // Stores the finished file `upload` as object `id`. The upload is consumed either way:
    // moved into the store on success, deleted on failure.
    virtual protocol::Result<BlobMeta> put(const std::string& id, const std::filesystem::path& upload,
                                           protocol::UserId owner, protocol::TimestampMs createdAt) = 0;
    virtual protocol::Result<BlobMeta> stat(const std::string& id) const = 0;
    // Opens a byte range for reading; `offset + length` must not pass the object's end.
    virtual protocol::Result<BlobRange> openRange(const std::string& id, std::uint64_t offset,
                                                  std::uint64_t length) const = 0;
    virtual protocol::Result<void> remove(const std::string& id) = 0;
    // Ids of the objects created before `cutoff`.
    virtual protocol::Result<std::vector<std::string>> listOlderThan(protocol::TimestampMs cutoff) const = 0;
    // Every object with its metadata (the per-account usage natterd counts at start-up).
    virtual protocol::Result<std::vector<std::pair<std::string, BlobMeta>>> list() const = 0;
    // Deletes what interrupted puts left behind (S3: incomplete multipart uploads); returns
    // how many pieces it removed.
    virtual std::size_t removeIncomplete() = 0;
};

} // namespace natter::server
