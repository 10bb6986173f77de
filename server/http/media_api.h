// The media endpoints: POST /api/media (the transport streams the body into a file first),
// GET /api/media/{id} with Range support, DELETE /api/media/{id}. Blobs are ciphertext the
// clients encrypted; the unguessable id is the capability to download one.
#pragma once

#include "net/connection.h"

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

namespace natter::server {

class BlobStore;
class ClusterMediaQuota;
class MediaQuota;
class MediaWorker;
class Authenticator;

struct MediaSettings {
    std::uint64_t max_bytes = 100 * 1024 * 1024;     // largest upload
    std::chrono::seconds retention{30 * 24 * 3600};  // media is deleted this long after upload
};

class MediaApi {
public:
    // `cluster`: the quota of all nodes together (natterd with --redis), else nullptr.
    MediaApi(BlobStore& store, MediaWorker& worker, const Authenticator& auth, MediaQuota& quota,
             MediaSettings settings, ClusterMediaQuota* cluster = nullptr);

    // The largest upload from now on (SIGHUP); uploads under way keep the limit they started with.
    void setMaxBytes(std::uint64_t maxBytes) { settings_.max_bytes = maxBytes; }
    // True for /api/media and everything under it: the requests handle() takes.
    static bool isMediaPath(std::string_view target);
    // POST /api/media: stream the body into a new upload file (at most what is left of the
    // account's quota), or 401, 413 or 429 (MediaQuota) before reading it.
    // Any other request: BodyToMemory.
    BodyPlan planBody(const HttpRequest& head) const;
    // A request for which isMediaPath(target) holds. Deletes request.body_file if it does not
    // store it.
    void handle(HttpRequest request, Respond respond);

private:
    void upload(HttpRequest request, Respond respond);
    // Stores the upload file `path` as `id`; `checkLocally`: this node's quota decides whether
    // it fits (no reservation in the cluster's ledger).
    void put(std::string id, std::filesystem::path path, std::uint64_t size, protocol::UserId owner, bool checkLocally,
             Respond respond);
    void download(const HttpRequest& request, std::string id, Respond respond);
    void remove(const HttpRequest& request, std::string id, Respond respond);

    BlobStore& store_;
    MediaWorker& worker_;
    const Authenticator& auth_;
    MediaQuota& quota_;
    MediaSettings settings_;
    ClusterMediaQuota* cluster_;
};

} // namespace natter::server
