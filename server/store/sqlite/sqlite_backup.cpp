#include "store/sqlite/sqlite_backup.h"

#include <sqlite3.h>

#include <memory>
#include <string>

namespace natter::server::sqlite {
namespace {

using protocol::ErrorCode;
using protocol::makeError;

struct CloseDb {
    void operator()(sqlite3* db) const { sqlite3_close(db); }
};
using Db = std::unique_ptr<sqlite3, CloseDb>;

protocol::Error fail(const std::string& what, sqlite3* db) {
    return makeError(ErrorCode::Internal, what + ": " + (db ? sqlite3_errmsg(db) : "out of memory"));
}

protocol::Result<Db> open(const std::filesystem::path& file, int flags) {
    sqlite3* raw = nullptr;
    const int rc = sqlite3_open_v2(file.c_str(), &raw, flags | SQLITE_OPEN_NOMUTEX, nullptr);
    Db db(raw);
    if (rc != SQLITE_OK) return fail("cannot open " + file.string(), db.get());
    sqlite3_busy_timeout(db.get(), 10000);
    return db;
}

} // namespace

protocol::Result<void> copyDatabaseOnline(const std::filesystem::path& source, const std::filesystem::path& target) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(source, ec))
        return makeError(ErrorCode::NotFound, "there is no SQLite store at " + source.string());
    // Read-write without create: a WAL reader needs the -shm file, and natterd may not be running.
    auto src = open(source, SQLITE_OPEN_READWRITE);
    if (!src) return src.error();
    auto dst = open(target, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    if (!dst) return dst.error();
    sqlite3_backup* backup = sqlite3_backup_init(dst->get(), "main", src->get(), "main");
    if (!backup) return fail("cannot start the backup", dst->get());
    // One step for all pages: a single read transaction, so the copy is one consistent snapshot;
    // in WAL mode natterd's writers carry on meanwhile. Busy or locked: try again, bounded.
    int rc = SQLITE_OK;
    for (int attempt = 0; attempt < 50; ++attempt) {
        rc = sqlite3_backup_step(backup, -1);
        if (rc != SQLITE_BUSY && rc != SQLITE_LOCKED) break;
        sqlite3_sleep(100);
    }
    sqlite3_backup_finish(backup);
    if (rc != SQLITE_DONE) return fail("cannot copy " + source.string(), dst->get());

    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(dst->get(), "PRAGMA quick_check", -1, &stmt, nullptr) != SQLITE_OK)
        return fail("cannot check the copy", dst->get());
    std::string verdict;
    if (sqlite3_step(stmt) == SQLITE_ROW) {
        const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
        verdict = text ? text : "";
    }
    sqlite3_finalize(stmt);
    if (verdict != "ok") return makeError(ErrorCode::Internal, "the copy of " + source.string() + " fails its check");
    return {};
}

} // namespace natter::server::sqlite
