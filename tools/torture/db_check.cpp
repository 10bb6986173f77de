// Read-only SQLite queries over natterd.db (natterd is stopped when this runs).
#include "db_check.h"

#include <sqlite3.h>

#include <memory>
#include <unordered_map>

namespace natter::torture {

namespace {

struct DbCloser {
    void operator()(sqlite3* db) const { sqlite3_close(db); }
};
struct StmtFinalizer {
    void operator()(sqlite3_stmt* s) const { sqlite3_finalize(s); }
};
using Db = std::unique_ptr<sqlite3, DbCloser>;
using Stmt = std::unique_ptr<sqlite3_stmt, StmtFinalizer>;

Stmt prepare(sqlite3* db, const char* sql) {
    sqlite3_stmt* s = nullptr;
    if (sqlite3_prepare_v2(db, sql, -1, &s, nullptr) != SQLITE_OK) return nullptr;
    return Stmt(s);
}

std::string text(sqlite3_stmt* s, int column) {
    const auto* p = sqlite3_column_text(s, column);
    return p ? reinterpret_cast<const char*>(p) : "";
}

} // namespace

DbCheckResult checkDatabase(const std::filesystem::path& sqliteFile, const std::vector<AckedMessage>& acked) {
    DbCheckResult r;
    sqlite3* raw = nullptr;
    const int rc = sqlite3_open_v2(sqliteFile.c_str(), &raw, SQLITE_OPEN_READONLY, nullptr);
    Db db(raw);
    if (rc != SQLITE_OK) {
        r.integrity = "cannot open " + sqliteFile.string();
        return r;
    }
    r.opened = true;

    if (auto s = prepare(db.get(), "PRAGMA integrity_check")) {
        while (sqlite3_step(s.get()) == SQLITE_ROW) r.integrity += (r.integrity.empty() ? "" : "; ") + text(s.get(), 0);
    } else {
        r.integrity = sqlite3_errmsg(db.get());
    }

    if (auto s = prepare(db.get(), "SELECT chat_id, COUNT(*), MIN(seq), MAX(seq) FROM messages GROUP BY chat_id")) {
        while (sqlite3_step(s.get()) == SQLITE_ROW) {
            ++r.chats;
            const auto count = sqlite3_column_int64(s.get(), 1);
            const auto min = sqlite3_column_int64(s.get(), 2);
            const auto max = sqlite3_column_int64(s.get(), 3);
            r.stored += static_cast<std::uint64_t>(count);
            if (min != 1 || max != count) {
                ++r.seq_gaps;
                if (r.examples.size() < 10)
                    r.examples.push_back("chat " + text(s.get(), 0) + ": " + std::to_string(count) + " entries, seq " +
                                         std::to_string(min) + ".." + std::to_string(max));
            }
        }
    }

    std::unordered_map<protocol::MessageId, std::pair<std::string, protocol::Seq>> stored;
    if (auto s = prepare(db.get(), "SELECT id, chat_id, seq FROM messages")) {
        while (sqlite3_step(s.get()) == SQLITE_ROW)
            stored[static_cast<protocol::MessageId>(sqlite3_column_int64(s.get(), 0))] = {
                text(s.get(), 1), static_cast<protocol::Seq>(sqlite3_column_int64(s.get(), 2))};
    }
    for (const auto& a : acked) {
        const auto it = stored.find(a.message_id);
        if (it != stored.end() && it->second.first == a.chat_id && it->second.second == a.seq) continue;
        ++r.acked_missing;
        if (r.examples.size() < 10)
            r.examples.push_back("acked message " + std::to_string(a.message_id) + " (" + a.chat_id + " seq " +
                                 std::to_string(a.seq) + ") is not stored as acked");
    }
    return r;
}

} // namespace natter::torture
