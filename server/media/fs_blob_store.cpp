#include "media/fs_blob_store.h"

#include "auth/secrets.h"
#include "logging/loggers.h"
#include "media/media_id.h"

#include <boost/json.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <optional>
#include <sstream>

namespace natter::server {

namespace fs = std::filesystem;
namespace json = boost::json;
using protocol::ErrorCode;
using protocol::makeError;

namespace {

constexpr std::string_view kSidecarSuffix = ".json";
constexpr std::size_t kMaxSidecarBytes = 4096;

// Closes a POSIX file descriptor on scope exit.
class Fd {
public:
    explicit Fd(int fd) : fd_(fd) {}
    ~Fd() {
        if (fd_ >= 0) ::close(fd_);
    }
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
    int get() const { return fd_; }
    // Closes now and reports whether close succeeded (it can report a failed write-back).
    bool close() {
        const int fd = std::exchange(fd_, -1);
        return fd < 0 || ::close(fd) == 0;
    }

private:
    int fd_;
};

// fsync of a file or directory, so that its contents or entries survive a crash.
bool syncPath(const fs::path& path, bool directory) {
    Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | (directory ? O_DIRECTORY : 0)));
    return fd.get() >= 0 && ::fsync(fd.get()) == 0 && fd.close();
}

// Creates `path` (it must not exist) with `data`, fsynced.
bool writeNewSynced(const fs::path& path, std::string_view data) {
    Fd fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600));
    if (fd.get() < 0) return false;
    while (!data.empty()) {
        const ssize_t n = ::write(fd.get(), data.data(), data.size());
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        data.remove_prefix(static_cast<std::size_t>(n));
    }
    return ::fsync(fd.get()) == 0 && fd.close();
}

std::string encodeMeta(const BlobMeta& meta) {
    return json::serialize(json::object{{"owner", meta.owner}, {"size", meta.size}, {"created_at", meta.created_at}});
}

std::optional<BlobMeta> decodeMeta(std::string_view text) {
    json::error_code ec;
    const json::value value = json::parse(text, ec);
    if (ec || !value.is_object()) return std::nullopt;
    const auto& object = value.get_object();
    const auto* owner = object.if_contains("owner");
    const auto* size = object.if_contains("size");
    const auto* created = object.if_contains("created_at");
    if (!owner || !size || !created) return std::nullopt;
    BlobMeta meta;
    meta.owner = owner->to_number<protocol::UserId>(ec);
    if (!ec) meta.size = size->to_number<std::uint64_t>(ec);
    if (!ec) meta.created_at = created->to_number<protocol::TimestampMs>(ec);
    if (ec) return std::nullopt;
    return meta;
}

std::optional<BlobMeta> readMeta(const fs::path& sidecar) {
    std::ifstream in(sidecar, std::ios::binary);
    if (!in) return std::nullopt;
    std::string text(kMaxSidecarBytes + 1, '\0');
    in.read(text.data(), static_cast<std::streamsize>(text.size()));
    const auto got = static_cast<std::size_t>(in.gcount());
    if (got > kMaxSidecarBytes) return std::nullopt;
    text.resize(got);
    return decodeMeta(text);
}

protocol::Error notFound() { return makeError(ErrorCode::NotFound, "no such media"); }

protocol::Error ioError(const std::string& what, const fs::path& path) {
    const std::string reason = errno != 0 ? std::strerror(errno) : "failed";
    log::store()->error("media store: {} {}: {}", what, path.string(), reason);
    return makeError(ErrorCode::Internal, "cannot " + what + " the media");
}

protocol::Error ioError(const std::string& what, const fs::path& path, const std::error_code& ec) {
    log::store()->error("media store: {} {}: {}", what, path.string(), ec.message());
    return makeError(ErrorCode::Internal, "cannot " + what + " the media");
}

} // namespace

FsBlobStore::FsBlobStore(fs::path root, std::chrono::seconds abandonedAfter)
    : abandonedAfter_(abandonedAfter), root_(std::move(root)), tmp_(root_ / "tmp") {}

protocol::Result<std::unique_ptr<FsBlobStore>> FsBlobStore::open(fs::path root, std::chrono::seconds abandonedAfter) {
    std::error_code ec;
    fs::create_directories(root / "tmp", ec);
    if (ec) return makeError(ErrorCode::Internal, "cannot create " + (root / "tmp").string() + ": " + ec.message());
    if (!fs::is_directory(root / "tmp", ec))
        return makeError(ErrorCode::Internal, "cannot read " + (root / "tmp").string());
    std::unique_ptr<FsBlobStore> store(new FsBlobStore(std::move(root), abandonedAfter));
    if (const std::size_t removed = store->removeIncomplete(); removed > 0)
        log::store()->info("media store: removed {} pieces of interrupted uploads", removed);
    return store;
}

// A piece whose modification time is unreadable is left for a later sweep.
bool FsBlobStore::abandoned(const fs::path& piece) const {
    std::error_code ec;
    const auto written = fs::last_write_time(piece, ec);
    return !ec && fs::file_time_type::clock::now() - written >= abandonedAfter_;
}

fs::path FsBlobStore::shardOf(const std::string& id) const { return root_ / id.substr(0, 2); }
fs::path FsBlobStore::blobPath(const std::string& id) const { return shardOf(id) / id; }
fs::path FsBlobStore::sidecarPath(const std::string& id) const {
    return shardOf(id) / (id + std::string(kSidecarSuffix));
}

std::vector<fs::path> FsBlobStore::shards() const {
    std::vector<fs::path> out;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(root_, ec)) {
        const auto name = entry.path().filename().string();
        std::error_code typeEc;
        if (name.size() == 2 && entry.is_directory(typeEc)) out.push_back(entry.path());
    }
    return out;
}

fs::path FsBlobStore::newUploadPath() { return tmp_ / (secrets::randomToken(16) + ".upload"); }

protocol::Result<BlobMeta> FsBlobStore::put(const std::string& id, const fs::path& upload, protocol::UserId owner,
                                            protocol::TimestampMs createdAt) {
    // The upload is consumed: whatever happens below, it does not stay in tmp/.
    struct Consume {
        const fs::path& path;
        ~Consume() {
            std::error_code ignored;
            fs::remove(path, ignored);
        }
    } consume{upload};

    if (!isMediaId(id)) return makeError(ErrorCode::InvalidField, "not a media id");
    std::error_code ec;
    BlobMeta meta{owner, fs::file_size(upload, ec), createdAt};
    if (ec) return ioError("size", upload, ec);
    errno = 0;
    if (!syncPath(upload, false)) return ioError("sync", upload);

    const fs::path shard = shardOf(id);
    if (fs::create_directory(shard, ec) && !syncPath(root_, true)) return ioError("sync", root_);
    if (ec) return ioError("create", shard, ec);
    const fs::path blob = blobPath(id);
    const fs::path sidecar = sidecarPath(id);
    if (fs::exists(blob, ec) || fs::exists(sidecar, ec)) return makeError(ErrorCode::Conflict, "media id taken");

    // Sidecar first and durable: a blob is never visible without its metadata.
    errno = 0;
    if (!writeNewSynced(sidecar, encodeMeta(meta)) || !syncPath(shard, true)) {
        const auto error = ioError("write", sidecar);
        fs::remove(sidecar, ec);
        return error;
    }
    fs::rename(upload, blob, ec);
    if (ec) {
        const auto error = ioError("store", blob, ec);
        fs::remove(sidecar, ec);
        return error;
    }
    errno = 0;
    if (!syncPath(shard, true)) return ioError("sync", shard);
    return meta;
}

protocol::Result<BlobMeta> FsBlobStore::stat(const std::string& id) const {
    if (!isMediaId(id)) return notFound();
    std::error_code ec;
    if (!fs::is_regular_file(blobPath(id), ec)) return notFound();
    const auto meta = readMeta(sidecarPath(id));
    if (!meta) return notFound();
    return *meta;
}

protocol::Result<BlobRange> FsBlobStore::openRange(const std::string& id, std::uint64_t offset,
                                                   std::uint64_t length) const {
    auto meta = stat(id);
    if (!meta) return meta.error();
    if (offset > meta->size || length > meta->size - offset)
        return makeError(ErrorCode::InvalidField, "range outside the media");
    return BlobRange{blobPath(id), offset, length};
}

protocol::Result<void> FsBlobStore::remove(const std::string& id) {
    if (!isMediaId(id)) return notFound();
    std::error_code blobEc;
    std::error_code sidecarEc;
    // The blob first: a sidecar left alone by a crash here is incomplete and swept later.
    const bool blobRemoved = fs::remove(blobPath(id), blobEc);
    const bool sidecarRemoved = fs::remove(sidecarPath(id), sidecarEc);
    if (blobEc) return ioError("delete", blobPath(id), blobEc);
    if (sidecarEc) return ioError("delete", sidecarPath(id), sidecarEc);
    if (!blobRemoved && !sidecarRemoved) return notFound();
    return {};
}

protocol::Result<std::vector<std::string>> FsBlobStore::listOlderThan(protocol::TimestampMs cutoff) const {
    auto all = list();
    if (!all) return all.error();
    std::vector<std::string> out;
    for (auto& [id, meta] : *all)
        if (meta.created_at < cutoff) out.push_back(std::move(id));
    return out;
}

protocol::Result<std::vector<std::pair<std::string, BlobMeta>>> FsBlobStore::list() const {
    std::vector<std::pair<std::string, BlobMeta>> out;
    for (const auto& shard : shards()) {
        std::error_code ec;
        for (const auto& entry : fs::directory_iterator(shard, ec)) {
            std::string name = entry.path().filename().string();
            if (!isMediaId(name)) continue;
            if (auto meta = readMeta(sidecarPath(name))) out.emplace_back(std::move(name), *meta);
        }
        if (ec) return ioError("list", shard, ec);
    }
    return out;
}

std::size_t FsBlobStore::removeIncomplete() {
    std::size_t removed = 0;
    std::error_code tmpEc;
    for (const auto& entry : fs::directory_iterator(tmp_, tmpEc)) {
        std::error_code removeEc;
        if (abandoned(entry.path()) && fs::remove_all(entry.path(), removeEc) > 0) ++removed;
    }
    for (const auto& shard : shards()) {
        std::vector<fs::path> garbage;
        std::error_code ec;
        for (const auto& entry : fs::directory_iterator(shard, ec)) {
            const std::string name = entry.path().filename().string();
            std::error_code existsEc;
            if (!abandoned(entry.path())) continue;
            if (isMediaId(name)) {
                if (!readMeta(sidecarPath(name))) {
                    garbage.push_back(entry.path());
                    if (fs::exists(sidecarPath(name), existsEc)) garbage.push_back(sidecarPath(name));
                }
            } else if (name.ends_with(kSidecarSuffix)) {
                const std::string id = name.substr(0, name.size() - kSidecarSuffix.size());
                if (isMediaId(id) && !fs::exists(blobPath(id), existsEc)) garbage.push_back(entry.path());
            }
        }
        for (const auto& path : garbage) {
            std::error_code removeEc;
            if (fs::remove(path, removeEc)) ++removed;
        }
    }
    return removed;
}

} // namespace natter::server
