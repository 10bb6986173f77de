#include "app/data_dir.h"

#include "logging/loggers.h"

#include <cstdio>
#include <string>

namespace natter::server {
namespace {

namespace fs = std::filesystem;
using protocol::ErrorCode;
using protocol::makeError;

constexpr auto kGroupOrOthers = fs::perms::group_all | fs::perms::others_all;

std::string octal(fs::perms perms) {
    char text[8];
    std::snprintf(text, sizeof text, "%04o", static_cast<unsigned>(perms & fs::perms::mask));
    return text;
}

// Takes group and other permissions away; true if `path` was (or now is) private.
bool makePrivate(const fs::path& path, fs::perms current, std::error_code& ec) {
    if ((current & kGroupOrOthers) == fs::perms::none) return true;
    fs::permissions(path, kGroupOrOthers, fs::perm_options::remove | fs::perm_options::nofollow, ec);
    return !ec;
}

} // namespace

protocol::Result<void> prepareDataDir(const fs::path& dir) {
    std::error_code ec;
    const auto status = fs::status(dir, ec);
    if (ec && ec != std::errc::no_such_file_or_directory)
        return makeError(ErrorCode::Internal, "cannot read data dir " + dir.string() + ": " + ec.message());
    if (!fs::exists(status)) {
        // The umask set in main makes these 0700; set explicitly all the same.
        fs::create_directories(dir, ec);
        if (!ec) fs::permissions(dir, fs::perms::owner_all, fs::perm_options::replace, ec);
        if (ec) return makeError(ErrorCode::Internal, "cannot create data dir " + dir.string() + ": " + ec.message());
        log::app()->info("created data dir {} (mode 0700)", dir.string());
        return {};
    }
    if (!fs::is_directory(status)) return makeError(ErrorCode::Internal, "data dir " + dir.string() + " is not a directory");
    if (!makePrivate(dir, status.permissions(), ec))
        return makeError(ErrorCode::Internal, "data dir " + dir.string() + " is accessible to group or others (mode " +
                                                  octal(status.permissions()) + ") and cannot be made private: " +
                                                  ec.message() + "; run 'chmod 700 " + dir.string() + "'");
    if ((status.permissions() & kGroupOrOthers) != fs::perms::none)
        log::app()->warn("data dir {} was accessible to group or others (mode {}); changed to {}", dir.string(),
                         octal(status.permissions()), octal(status.permissions() & ~kGroupOrOthers));

    std::size_t tightened = 0;
    for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::recursive_directory_iterator();
         it.increment(ec)) {
        if (it->path().extension() == ".key") continue; // judged when loaded
        const auto entry = it->symlink_status(ec);
        if (ec) break;
        if (fs::is_symlink(entry)) continue; // a link has no permissions of its own
        const auto perms = entry.permissions();
        if ((perms & kGroupOrOthers) == fs::perms::none) continue;
        if (!makePrivate(it->path(), perms, ec)) break;
        ++tightened;
    }
    if (ec) return makeError(ErrorCode::Internal, "cannot make the files in " + dir.string() + " private: " + ec.message());
    if (tightened > 0)
        log::app()->warn("{} files and directories in {} were accessible to group or others; made private",
                         tightened, dir.string());
    return {};
}

} // namespace natter::server
