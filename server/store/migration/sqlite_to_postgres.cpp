#include "store/migration/sqlite_to_postgres.h"

#include "store/postgres/pg_connection.h"
#include "store/postgres/pg_store.h"
#include "store/sqlite/sqlite_store.h"

#include <sqlite3.h>

#include <algorithm>
#include <array>
#include <memory>

namespace natter::server {
namespace {

using protocol::ErrorCode;
using protocol::makeError;

// Parents before children; the queue last (it is renumbered, see copyQueue).
constexpr std::array kTables{"users",          "devices",         "device_lists",     "verifications",
                             "contacts",       "known_phones",    "chats",            "chat_members",
                             "messages",       "message_bodies",  "envelopes",        "receipts",
                             "identity_keys",  "signed_prekeys",  "one_time_prekeys", "link_codes",
                             "push_endpoints", "blocks",         "queue"};
constexpr std::uint64_t kProgressEvery = 5000;

struct SqliteCloser {
    void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
struct StatementFinalizer {
    void operator()(sqlite3_stmt* s) const { sqlite3_finalize(s); }
};
using SqliteDb = std::unique_ptr<sqlite3, SqliteCloser>;
using SqliteStatement = std::unique_ptr<sqlite3_stmt, StatementFinalizer>;

struct Column {
    std::string name;
    std::string type; // PostgreSQL's data_type: bigint, smallint, boolean, bytea, text, ...
};

SqliteStatement prepare(sqlite3* db, const std::string& sql) {
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK)
        throw StoreError(std::string("source: ") + sqlite3_errmsg(db));
    return SqliteStatement(stmt);
}

std::vector<std::string> sqliteColumns(sqlite3* db, const std::string& table) {
    std::vector<std::string> out;
    auto stmt = prepare(db, "PRAGMA table_info(" + table + ")");
    while (sqlite3_step(stmt.get()) == SQLITE_ROW)
        out.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(stmt.get(), 1)));
    return out;
}

std::vector<Column> pgColumns(pg::Connection& db, const std::string& table) {
    pg::Params params;
    params.add(table);
    const auto r = db.run("SELECT column_name, data_type FROM information_schema.columns "
                          "WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position",
                          params);
    std::vector<Column> out;
    for (int row = 0; row < r.rows(); ++row) out.push_back({r.bytes(row, 0), r.bytes(row, 1)});
    return out;
}

// The source's value of column `index` as the target column's type.
void addValue(pg::Params& params, sqlite3_stmt* row, int index, const std::string& type) {
    if (sqlite3_column_type(row, index) == SQLITE_NULL) {
        params.null();
        return;
    }
    const auto bytes = [&] {
        const auto* data = static_cast<const char*>(sqlite3_column_blob(row, index));
        return std::string(data ? data : "", static_cast<std::size_t>(sqlite3_column_bytes(row, index)));
    };
    if (type == "bigint" || type == "integer" || type == "smallint") params.add(std::int64_t(sqlite3_column_int64(row, index)));
    else if (type == "boolean") params.add(sqlite3_column_int64(row, index) != 0);
    else if (type == "bytea") params.bytes(bytes());
    else params.add(bytes());
}

std::string placeholders(std::size_t n) {
    std::string out;
    for (std::size_t i = 1; i <= n; ++i) out += (i > 1 ? ", $" : "$") + std::to_string(i);
    return out;
}

std::string joined(const std::vector<Column>& columns) {
    std::string out;
    for (const auto& c : columns) out += (out.empty() ? "" : ", ") + c.name;
    return out;
}

// Copies the columns both sides have; `renumber` adds the per-device queue id.
std::uint64_t copyTable(sqlite3* source, pg::Connection& target, const std::string& table, const CopyProgress& progress) {
    const auto fromColumns = sqliteColumns(source, table);
    std::vector<Column> columns;
    for (auto& c : pgColumns(target, table))
        if (std::find(fromColumns.begin(), fromColumns.end(), c.name) != fromColumns.end()) columns.push_back(c);
    if (columns.empty()) throw StoreError("target has no table " + table + " matching the source");
    const bool queue = table == "queue";
    std::string select = "SELECT " + joined(columns) + " FROM " + table;
    if (queue) select += " ORDER BY user_id, device_id, id";
    std::string insert = "INSERT INTO " + table + " (" + joined(columns) + (queue ? ", qid" : "") + ") VALUES (" +
                         placeholders(columns.size() + (queue ? 1 : 0)) + ")";
    int userColumn = -1, deviceColumn = -1;
    for (std::size_t i = 0; i < columns.size(); ++i) {
        if (columns[i].name == "user_id") userColumn = static_cast<int>(i);
        if (columns[i].name == "device_id") deviceColumn = static_cast<int>(i);
    }
    if (queue && (userColumn < 0 || deviceColumn < 0)) throw StoreError("queue without user_id/device_id");

    auto rows = prepare(source, select);
    std::uint64_t copied = 0;
    std::int64_t lastUser = -1, lastDevice = -1, qid = 0;
    int step = 0;
    while ((step = sqlite3_step(rows.get())) == SQLITE_ROW) {
        pg::Params params;
        for (std::size_t i = 0; i < columns.size(); ++i) addValue(params, rows.get(), static_cast<int>(i), columns[i].type);
        if (queue) {
            const auto user = sqlite3_column_int64(rows.get(), userColumn);
            const auto device = sqlite3_column_int64(rows.get(), deviceColumn);
            qid = user == lastUser && device == lastDevice ? qid + 1 : 1;
            lastUser = user;
            lastDevice = device;
            params.add(qid);
        }
        target.run(insert, params);
        if (++copied % kProgressEvery == 0 && progress) progress(table, copied);
    }
    if (step != SQLITE_DONE) throw StoreError(std::string("source: ") + sqlite3_errmsg(source));
    if (progress) progress(table, copied);
    return copied;
}

// What PostgreSQL keeps beside the rows: identity counters past the copied ids, and each
// device's next queue id.
void finishTarget(pg::Connection& target) {
    target.exec("SELECT setval(pg_get_serial_sequence('users', 'id'), COALESCE(MAX(id), 0) + 1, false) FROM users;"
                "SELECT setval(pg_get_serial_sequence('messages', 'id'), COALESCE(MAX(id), 0) + 1, false) FROM messages;"
                "INSERT INTO device_queues (user_id, device_id, next_qid) "
                "SELECT user_id, device_id, MAX(qid) FROM queue GROUP BY user_id, device_id "
                "ON CONFLICT (user_id, device_id) DO UPDATE SET next_qid = EXCLUDED.next_qid");
}

std::uint64_t countRows(pg::Connection& db, const std::string& table) {
    return static_cast<std::uint64_t>(db.run("SELECT COUNT(*) FROM " + table, {}).int64(0, 0));
}

} // namespace

std::uint64_t CopyReport::totalRows() const {
    std::uint64_t total = 0;
    for (const auto& t : tables) total += t.rows;
    return total;
}

protocol::Result<CopyReport> copySqliteToPostgres(const std::filesystem::path& sqliteFile, const std::string& pgUri,
                                                  const CopyProgress& progress) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(sqliteFile, ec))
        return makeError(ErrorCode::NotFound, "no SQLite store at " + sqliteFile.string());
    try {
        SqliteStore{sqliteFile}; // brings an older store to the current schema, as natterd would
    } catch (const StoreError& e) {
        return makeError(ErrorCode::Internal, "cannot open the source " + sqliteFile.string() + ": " + e.what());
    }
    sqlite3* raw = nullptr;
    if (sqlite3_open_v2(sqliteFile.c_str(), &raw, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
        SqliteDb closing(raw);
        return makeError(ErrorCode::Internal, "cannot read " + sqliteFile.string());
    }
    SqliteDb source(raw);
    try {
        PgStore{pgUri, "natterd migrate"}; // creates the schema in an empty database
        pg::Connection target(pgUri, "natterd migrate");
        for (const std::string table : kTables)
            if (countRows(target, table) > 0)
                return makeError(ErrorCode::Conflict, "the target database is not empty (table " + table +
                                                          " has rows): natterd migrate copies only into an empty one");
        CopyReport report;
        target.exec("BEGIN");
        // A consistent snapshot of the source while natterd may still run on it.
        sqlite3_exec(source.get(), "BEGIN", nullptr, nullptr, nullptr);
        for (const std::string table : kTables) report.tables.push_back({table, copyTable(source.get(), target, table, progress)});
        finishTarget(target);
        target.exec("COMMIT");
        sqlite3_exec(source.get(), "COMMIT", nullptr, nullptr, nullptr);
        for (const auto& t : report.tables)
            if (const auto found = countRows(target, t.table); found != t.rows)
                return makeError(ErrorCode::Internal, "table " + t.table + ": copied " + std::to_string(t.rows) +
                                                          " rows but the target holds " + std::to_string(found));
        return report;
    } catch (const StoreError& e) {
        return makeError(ErrorCode::Internal, std::string("migration failed, the target is unchanged: ") + e.what());
    }
}

} // namespace natter::server
