#include "http/media_api.h"

#include "app/clock.h"
#include "auth/authenticator.h"
#include "http/byte_range.h"
#include "http/rest_api.h"
#include "logging/loggers.h"
#include "media/blob_store.h"
#include "media/cluster_media_quota.h"
#include "media/media_id.h"
#include "media/media_quota.h"
#include "media/media_worker.h"
#include "protocol/frame_codec.h"
#include "protocol/rest.h"

#include <algorithm>
#include <optional>
#include <vector>

namespace natter::server {

using protocol::ErrorCode;
using protocol::makeError;

namespace {

constexpr std::string_view kCollection = "/api/media";

// What a media path names: the collection (/api/media), one item (/api/media/{id}), or nothing.
struct MediaPath {
    bool valid = false;
    std::optional<std::string> id; // set for an item
};

MediaPath parsePath(std::string_view target) {
    std::string_view path = target.substr(0, target.find('?'));
    if (!path.starts_with(kCollection)) return {};
    path.remove_prefix(kCollection.size());
    if (!path.empty() && path.front() != '/') return {}; // e.g. /api/mediafoo
    while (!path.empty() && path.front() == '/') path.remove_prefix(1);
    while (!path.empty() && path.back() == '/') path.remove_suffix(1);
    if (path.empty()) return {true, std::nullopt};
    if (path.find('/') != std::string_view::npos) return {};
    return {true, std::string(path)};
}

// Deletes an upload file on scope exit unless released. Answers that refuse an upload call
// discard() first: the client may look at the disk as soon as it has the answer.
class UploadFile {
public:
    explicit UploadFile(std::optional<std::filesystem::path> path) : path_(std::move(path)) {}
    ~UploadFile() { discard(); }
    UploadFile(const UploadFile&) = delete;
    UploadFile& operator=(const UploadFile&) = delete;
    void discard() {
        if (!path_) return;
        std::error_code ignored;
        std::filesystem::remove(*path_, ignored);
        path_.reset();
    }
    bool present() const { return path_.has_value(); }
    std::filesystem::path release() { return *std::exchange(path_, std::nullopt); }

private:
    std::optional<std::filesystem::path> path_;
};

protocol::TimestampMs toMs(std::chrono::seconds s) {
    return std::chrono::duration_cast<std::chrono::milliseconds>(s).count();
}

// The download of `range` of a blob of `meta.size` bytes: 200, 206 or 416.
protocol::Result<HttpResponse> downloadResponse(const BlobStore& store, const std::string& id, const BlobMeta& meta,
                                                std::string_view rangeHeader) {
    const ByteRange range = resolveRange(rangeHeader, meta.size);
    const std::string size = std::to_string(meta.size);
    if (range.kind == ByteRange::Kind::unsatisfiable) {
        HttpResponse r = errorResponse(makeError(ErrorCode::RangeNotSatisfiable,
                                                 "the range starts past the end of the " + size + " bytes"));
        r.headers.emplace_back("Content-Range", "bytes */" + size);
        return r;
    }
    const bool partial = range.kind == ByteRange::Kind::partial;
    const std::uint64_t offset = partial ? range.offset : 0;
    const std::uint64_t length = partial ? range.length : meta.size;
    auto blob = store.openRange(id, offset, length);
    if (!blob) return blob.error();
    HttpResponse r;
    r.status = partial ? 206 : 200;
    r.content_type = "application/octet-stream";
    r.headers.emplace_back("Accept-Ranges", "bytes");
    if (partial)
        r.headers.emplace_back("Content-Range", "bytes " + std::to_string(offset) + "-" +
                                                    std::to_string(offset + length - 1) + "/" + size);
    r.file = FileSlice{blob->file, blob->offset, blob->length};
    return r;
}

} // namespace

MediaApi::MediaApi(BlobStore& store, MediaWorker& worker, const Authenticator& auth, MediaQuota& quota,
                   MediaSettings settings, ClusterMediaQuota* cluster)
    : store_(store), worker_(worker), auth_(auth), quota_(quota), settings_(settings), cluster_(cluster) {}

bool MediaApi::isMediaPath(std::string_view target) {
    const std::string_view path = target.substr(0, target.find('?'));
    return path == kCollection || path.starts_with(std::string(kCollection) + "/");
}

BodyPlan MediaApi::planBody(const HttpRequest& head) const {
    const MediaPath path = parsePath(head.target);
    if (head.method != "POST" || !path.valid || path.id) return BodyToMemory{};
    auto claims = auth_.check(head.authorization, head.received_at);
    if (!claims) return BodyRefused{errorResponse(claims.error())};
    auto upload = store_.newUploadPath();
    // A body announced over the upload limit gets that limit's 413 from the transport.
    std::optional<std::uint64_t> announced = head.content_length;
    if (announced && *announced > settings_.max_bytes) announced.reset();
    // In a cluster the ledger in Redis counts the stored bytes (this node misses other nodes'
    // uploads and deletes); the reservation before the put checks them.
    auto room = quota_.admit(claims->user_id, upload, announced, head.received_at, !(cluster_ && cluster_->shared()));
    if (!room) return BodyRefused{errorResponse(room.error())};
    return BodyToFile{std::move(upload), std::min(settings_.max_bytes, *room)};
}

void MediaApi::handle(HttpRequest request, Respond respond) {
    const MediaPath path = parsePath(request.target);
    if (!path.valid) {
        UploadFile(std::move(request.body_file)).discard();
        respond(errorResponse(makeError(ErrorCode::NotFound, "no such endpoint")));
        return;
    }
    const std::string_view method = request.method;
    if (!path.id && method == "POST") {
        upload(std::move(request), std::move(respond));
    } else if (path.id && method == "GET") {
        download(request, *path.id, std::move(respond));
    } else if (path.id && method == "DELETE") {
        remove(request, *path.id, std::move(respond));
    } else {
        UploadFile(std::move(request.body_file)).discard();
        respond(errorResponse(makeError(ErrorCode::MethodNotAllowed, request.method + " is not allowed here")));
    }
}

void MediaApi::upload(HttpRequest request, Respond respond) {
    UploadFile file(std::move(request.body_file));
    // The time the headers arrived, as planBody checked it: a slow upload keeps its token.
    auto claims = auth_.check(request.authorization, request.received_at);
    if (!claims) {
        file.discard();
        respond(errorResponse(claims.error()));
        return;
    }
    if (!file.present() || request.body_file_bytes == 0) {
        file.discard();
        respond(errorResponse(makeError(ErrorCode::InvalidField, "the body must be the encrypted file, not empty")));
        return;
    }
    const protocol::UserId owner = claims->user_id;
    const std::uint64_t size = request.body_file_bytes;
    if (!cluster_ || !cluster_->shared()) return put(newMediaId(), file.release(), size, owner, true, std::move(respond));
    std::string id = newMediaId();
    cluster_->reserve(owner, id, size, nowMs(),
                      [this, id, path = file.release(), size, owner,
                       respond = std::move(respond)](ClusterMediaQuota::Reservation reserved) mutable {
                          if (reserved.answered && !reserved.admitted) {
                              UploadFile(path).discard();
                              return respond(errorResponse(quota_.quotaError(reserved.used)));
                          }
                          // Unanswered: Redis is down or hung, and this node's quota decides.
                          put(std::move(id), std::move(path), size, owner, !reserved.answered, std::move(respond));
                      });
}

void MediaApi::put(std::string id, std::filesystem::path path, std::uint64_t size, protocol::UserId owner,
                   bool checkLocally, Respond respond) {
    worker_.submit(
        [&store = store_, &quota = quota_, id, path = std::move(path), size, owner,
         checkLocally]() -> protocol::Result<std::pair<std::string, BlobMeta>> {
            const protocol::TimestampMs now = nowMs();
            // Puts run one at a time on this thread: nothing of this node's can fill the quota in between.
            if (checkLocally)
                if (auto fits = quota.checkFits(owner, size, now); !fits) {
                    UploadFile(path).discard();
                    return fits.error();
                }
            auto meta = store.put(id, path, owner, now);
            if (!meta) return meta.error();
            quota.stored(id, *meta);
            return std::pair{id, *meta};
        },
        [this, id, owner, reserved = !checkLocally, respond = std::move(respond),
         retention = toMs(settings_.retention)](protocol::Result<std::pair<std::string, BlobMeta>> stored) {
            if (cluster_) {
                if (stored) cluster_->stored(stored->first, stored->second);
                else if (reserved) cluster_->removed(owner, id);
            }
            if (!stored) {
                respond(errorResponse(stored.error()));
                return;
            }
            const auto& [id, meta] = *stored;
            log::store()->debug("media: user {} stored {} bytes", meta.owner, meta.size);
            const protocol::rest::MediaUploaded body{id, meta.size, meta.created_at + retention};
            respond(HttpResponse{200, "application/json", protocol::serializeBody(body), {}});
        });
}

void MediaApi::download(const HttpRequest& request, std::string id, Respond respond) {
    if (auto claims = auth_.check(request.authorization, request.received_at); !claims) {
        respond(errorResponse(claims.error()));
        return;
    }
    if (!isMediaId(id)) {
        respond(errorResponse(makeError(ErrorCode::NotFound, "no such media")));
        return;
    }
    const protocol::TimestampMs expiredBefore = nowMs() - toMs(settings_.retention);
    worker_.submit(
        [&store = store_, id = std::move(id), range = request.range,
         expiredBefore]() -> protocol::Result<HttpResponse> {
            auto meta = store.stat(id);
            if (!meta) return meta.error();
            if (meta->created_at < expiredBefore) return makeError(ErrorCode::NotFound, "no such media");
            return downloadResponse(store, id, *meta, range);
        },
        [respond = std::move(respond)](protocol::Result<HttpResponse> response) {
            respond(response ? std::move(*response) : errorResponse(response.error()));
        });
}

void MediaApi::remove(const HttpRequest& request, std::string id, Respond respond) {
    auto claims = auth_.check(request.authorization, request.received_at);
    if (!claims) {
        respond(errorResponse(claims.error()));
        return;
    }
    if (!isMediaId(id)) {
        respond(errorResponse(makeError(ErrorCode::NotFound, "no such media")));
        return;
    }
    const protocol::TimestampMs expiredBefore = nowMs() - toMs(settings_.retention);
    worker_.submit(
        [&store = store_, &quota = quota_, id, caller = claims->user_id, expiredBefore]() -> protocol::Result<void> {
            auto meta = store.stat(id);
            if (!meta || meta->created_at < expiredBefore) return makeError(ErrorCode::NotFound, "no such media");
            if (meta->owner != caller) return makeError(ErrorCode::Forbidden, "only the uploader may delete media");
            auto removed = store.remove(id);
            if (removed) quota.removed(caller, id);
            return removed;
        },
        [this, id, caller = claims->user_id, respond = std::move(respond)](protocol::Result<void> removed) {
            if (removed && cluster_) cluster_->removed(caller, id);
            respond(removed ? HttpResponse{204, "application/json", "", {}} : errorResponse(removed.error()));
        });
}

} // namespace natter::server
