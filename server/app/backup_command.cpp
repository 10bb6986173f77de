#include "app/backup_command.h"

#include "app/backup_archive.h"
#include "store/sqlite/sqlite_backup.h"

#include <boost/json.hpp>
#include <boost/program_options.hpp>

#include <algorithm>
#include <chrono>
#include <iostream>
#include <optional>
#include <string>

namespace natter::server {
namespace {

namespace fs = std::filesystem;
namespace po = boost::program_options;

constexpr std::string_view kDatabase = "natterd.db";

struct Counts {
    std::uint64_t bytes = 0;
    std::size_t keys = 0;
    std::size_t media = 0;
};

int failed(const char* command, bool json, const std::string& message) {
    if (json) std::cout << boost::json::serialize(boost::json::object{{"ok", false}, {"error", message}}) << '\n';
    else std::cerr << "natterd " << command << ": " << message << "\n";
    return 1;
}

// Removes a file when it goes out of scope unless released (the partial output, the DB copy).
struct RemoveOnExit {
    fs::path path;
    ~RemoveOnExit() {
        std::error_code ignored;
        if (!path.empty()) fs::remove(path, ignored);
    }
};

// The key files (*.key) directly in the data dir: jwt.key, verification.key and any previous
// JWT keys kept there.
protocol::Result<void> addKeys(backup::ArchiveWriter& out, const fs::path& dataDir, Counts& counts) {
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(dataDir, ec)) {
        std::error_code typeEc;
        if (entry.path().extension() != ".key" || !entry.is_regular_file(typeEc)) continue;
        if (auto added = out.add(entry.path().filename().string(), entry.path()); !added) return added.error();
        ++counts.keys;
    }
    if (ec) return protocol::makeError(protocol::ErrorCode::Internal, "cannot list " + dataDir.string() + ": " + ec.message());
    return {};
}

// Media blobs and their metadata sidecars (media/XX/ID, media/XX/ID.json). Upload pieces in
// media/tmp and the sweeper's lock file are not data. Taken after the store snapshot, so every
// blob the snapshot may refer to is there; a blob deleted meanwhile is skipped.
protocol::Result<void> addMedia(backup::ArchiveWriter& out, const fs::path& dataDir, Counts& counts) {
    const fs::path media = dataDir / "media";
    std::error_code ec;
    if (!fs::is_directory(media, ec)) return {};
    for (const auto& shard : fs::directory_iterator(media, ec)) {
        std::error_code typeEc;
        if (!shard.is_directory(typeEc) || shard.path().filename() == "tmp") continue;
        for (const auto& file : fs::directory_iterator(shard.path(), typeEc)) {
            std::error_code fileEc;
            if (!file.is_regular_file(fileEc)) continue;
            const std::string name = "media/" + shard.path().filename().string() + "/" + file.path().filename().string();
            bool skipped = false;
            if (auto added = out.add(name, file.path(), &skipped); !added) return added.error();
            if (!skipped) ++counts.media;
        }
        if (typeEc) return protocol::makeError(protocol::ErrorCode::Internal, "cannot list " + shard.path().string());
    }
    if (ec) return protocol::makeError(protocol::ErrorCode::Internal, "cannot list " + media.string() + ": " + ec.message());
    return {};
}

protocol::Result<Counts> writeBackup(const fs::path& dataDir, const fs::path& outFile) {
    Counts counts;
    RemoveOnExit partial{fs::path(outFile.string() + ".partial")};
    RemoveOnExit dbCopy{fs::path(outFile.string() + ".db.partial")};
    std::error_code ec;
    fs::remove(dbCopy.path, ec);
    if (auto copied = sqlite::copyDatabaseOnline(dataDir / kDatabase, dbCopy.path); !copied) return copied.error();

    backup::ArchiveWriter out(partial.path);
    if (!out.ok()) return protocol::makeError(protocol::ErrorCode::Internal, "cannot create " + partial.path.string());
    if (auto added = out.add(std::string(kDatabase), dbCopy.path); !added) return added.error();
    if (auto keys = addKeys(out, dataDir, counts); !keys) return keys.error();
    if (auto media = addMedia(out, dataDir, counts); !media) return media.error();
    const auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::system_clock::now().time_since_epoch());
    if (auto done = out.finish(now.count()); !done) return done.error();
    fs::rename(partial.path, outFile, ec);
    if (ec) return protocol::makeError(protocol::ErrorCode::Internal, "cannot create " + outFile.string() + ": " + ec.message());
    partial.path.clear();
    counts.bytes = fs::file_size(outFile, ec);
    return counts;
}

bool isEmptyOrMissing(const fs::path& dir, std::string& why) {
    std::error_code ec;
    if (!fs::exists(dir, ec)) return true;
    if (!fs::is_directory(dir, ec)) {
        why = dir.string() + " exists and is not a directory";
        return false;
    }
    if (!fs::is_empty(dir, ec) || ec) {
        why = dir.string() + " is not empty; restore only into an empty or new data dir";
        return false;
    }
    return true;
}

// Unpacks a verified archive; on failure removes what it wrote (and the dir if it made it).
protocol::Result<std::size_t> unpack(const fs::path& file, const fs::path& dataDir) {
    std::error_code ec;
    const bool created = !fs::exists(dataDir, ec);
    fs::create_directories(dataDir, ec);
    if (!ec) fs::permissions(dataDir, fs::perms::owner_all, fs::perm_options::replace, ec);
    if (ec) return protocol::makeError(protocol::ErrorCode::Internal, "cannot create " + dataDir.string() + ": " + ec.message());
    auto members = backup::readArchive(file, dataDir);
    if (!members) {
        std::error_code ignored;
        if (created) fs::remove_all(dataDir, ignored);
        else
            for (const auto& entry : fs::directory_iterator(dataDir, ignored)) fs::remove_all(entry.path(), ignored);
        return members.error();
    }
    return members->size();
}

std::optional<int> parse(const char* command, int argc, const char* const argv[], po::options_description& opts,
                         const po::positional_options_description& positional, const std::string& usage) {
    po::variables_map vm;
    try {
        po::store(po::command_line_parser(argc, argv).options(opts).positional(positional).run(), vm);
        if (vm.count("help")) {
            std::cout << usage << opts;
            return 0;
        }
        po::notify(vm);
    } catch (const po::error& e) {
        std::cerr << "natterd " << command << ": " << e.what() << "\n";
        return 2;
    }
    return std::nullopt;
}

} // namespace

int runBackupCommand(int argc, const char* const argv[]) {
    std::string dataDir, out;
    bool json = false;
    po::options_description opts("natterd backup options");
    opts.add_options()("help,h", "print this help and exit")(
        "data-dir", po::value(&dataDir)->required(), "natterd's data directory (SQLite store, keys, media)")(
        "out", po::value(&out)->required(), "the backup file to create (must not exist)")(
        "json", po::bool_switch(&json), "print one JSON object instead of a sentence");
    const std::string usage =
        "natterd backup - copy a single-node installation into one file while natterd serves\n\n"
        "Usage: natterd backup --data-dir DIR --out FILE [--json]\n\n";
    if (auto exit = parse("backup", argc, argv, opts, {}, usage)) return *exit;
    std::error_code ec;
    if (fs::exists(out, ec)) return failed("backup", json, out + " already exists; choose a new file name");
    const auto counts = writeBackup(dataDir, out);
    if (!counts) return failed("backup", json, counts.error().message + "; no backup was written");
    if (json)
        std::cout << boost::json::serialize(boost::json::object{{"ok", true}, {"file", out}, {"bytes", counts->bytes},
                                                                {"keys", counts->keys}, {"media", counts->media}})
                  << '\n';
    else
        std::cout << "Backed up the store, " << counts->keys << " key files and " << counts->media
                  << " media files to " << out << " (" << counts->bytes << " bytes).\n";
    return 0;
}

int runRestoreCommand(int argc, const char* const argv[]) {
    std::string file, dataDir;
    bool json = false;
    po::options_description opts("natterd restore options");
    opts.add_options()("help,h", "print this help and exit")("file", po::value(&file)->required(),
                                                             "the backup file (natterd backup --out)")(
        "data-dir", po::value(&dataDir)->required(), "an empty or new data directory to restore into")(
        "json", po::bool_switch(&json), "print one JSON object instead of a sentence");
    po::positional_options_description positional;
    positional.add("file", 1);
    const std::string usage = "natterd restore - unpack a backup into an empty data directory\n\n"
                              "Usage: natterd restore FILE --data-dir DIR [--json]\n\n";
    if (auto exit = parse("restore", argc, argv, opts, positional, usage)) return *exit;
    std::string why;
    if (!isEmptyOrMissing(dataDir, why)) return failed("restore", json, why + "; nothing was changed");
    // Checked whole before anything is written: a truncated or foreign file changes nothing.
    const auto members = backup::readArchive(file);
    if (!members) return failed("restore", json, file + " cannot be restored: " + members.error().message + "; nothing was changed");
    const bool hasStore = std::any_of(members->begin(), members->end(), [](const auto& m) { return m.name == kDatabase; });
    if (!hasStore) return failed("restore", json, file + " cannot be restored: it holds no natterd.db; nothing was changed");
    const auto restored = unpack(file, dataDir);
    if (!restored) return failed("restore", json, restored.error().message + "; nothing was left in " + dataDir);
    if (json)
        std::cout << boost::json::serialize(boost::json::object{{"ok", true}, {"data_dir", dataDir}, {"files", *restored}})
                  << '\n';
    else
        std::cout << "Restored " << *restored << " files into " << dataDir << "; start natterd with --data-dir "
                  << dataDir << ".\n";
    return 0;
}

} // namespace natter::server
