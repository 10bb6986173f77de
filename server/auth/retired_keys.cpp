#include "auth/retired_keys.h"

#include "auth/jwt.h"
#include "auth/secrets.h"

#include <charconv>

namespace natter::server {
namespace {

namespace fs = std::filesystem;
using protocol::ErrorCode;
using protocol::makeError;

constexpr std::string_view kRetiring = "jwt-retiring-";
constexpr std::string_view kRetired = "jwt-retired-";
constexpr std::string_view kSuffix = ".key";

// "jwt-retired-SECONDS-KID.key" -> SECONDS; false for any other name.
bool retiredAt(const std::string& name, std::int64_t& seconds) {
    if (!name.starts_with(kRetired) || !name.ends_with(kSuffix)) return false;
    const char* begin = name.data() + kRetired.size();
    const char* end = name.data() + name.size();
    const auto [next, ec] = std::from_chars(begin, end, seconds);
    return ec == std::errc{} && next != begin && next < end && *next == '-';
}

} // namespace

protocol::Result<KeyRotation> rotateSigningKey(const fs::path& dataDir) {
    const fs::path current = dataDir / "jwt.key";
    std::error_code ec;
    if (!fs::exists(current, ec))
        return makeError(ErrorCode::NotFound, "there is no " + current.string() +
                                                  " (natterd creates it on its first start; with --jwt-key elsewhere, "
                                                  "rotate with --jwt-previous-key as docs/operations.md describes)");
    auto old = secrets::loadKey(current);
    if (!old) return old.error();
    const std::string oldId = jwt::keyId(*old);
    const fs::path fresh = dataDir / "jwt.key.new";
    fs::remove(fresh, ec);
    auto created = secrets::loadOrCreateKey(fresh);
    if (!created) return created.error();
    const fs::path retiring = dataDir / (std::string(kRetiring) + oldId + std::string(kSuffix));
    fs::create_hard_link(current, retiring, ec);
    if (ec && ec != std::errc::file_exists) {
        fs::remove(fresh, ec);
        return makeError(ErrorCode::Internal, "cannot keep the old key as " + retiring.string() + ": " + ec.message());
    }
    fs::rename(fresh, current, ec);
    if (ec) {
        fs::remove(fresh, ec);
        return makeError(ErrorCode::Internal, "cannot replace " + current.string() + ": " + ec.message());
    }
    // Without this a power cut could bring the old key back (and lose the retiring link).
    if (!secrets::syncDirectory(dataDir))
        return makeError(ErrorCode::Internal, "cannot fsync " + dataDir.string() + " after the rotation");
    return KeyRotation{oldId, jwt::keyId(*created)};
}

protocol::Result<std::vector<fs::path>> retiredKeysInUse(const fs::path& dataDir, std::chrono::seconds tokenTtl,
                                                         std::int64_t nowSeconds) {
    std::vector<fs::path> inUse, entries;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(dataDir, ec)) entries.push_back(entry.path());
    if (ec) return makeError(ErrorCode::Internal, "cannot list " + dataDir.string() + ": " + ec.message());
    for (const auto& path : entries) { // listed first: renaming while iterating may list a file twice
        const std::string name = path.filename().string();
        if (name.starts_with(kRetiring) && name.ends_with(kSuffix)) {
            const std::string kid = name.substr(kRetiring.size(), name.size() - kRetiring.size() - kSuffix.size());
            const fs::path retired = dataDir / (std::string(kRetired) + std::to_string(nowSeconds) + "-" + kid +
                                                std::string(kSuffix));
            std::error_code renameError;
            fs::rename(path, retired, renameError);
            if (renameError)
                return makeError(ErrorCode::Internal, "cannot retire " + path.string() + ": " + renameError.message());
            inUse.push_back(retired);
            continue;
        }
        std::int64_t since = 0;
        if (!retiredAt(name, since)) continue;
        if (since + tokenTtl.count() > nowSeconds) inUse.push_back(path);
        else fs::remove(path, ec);
    }
    return inUse;
}

} // namespace natter::server
