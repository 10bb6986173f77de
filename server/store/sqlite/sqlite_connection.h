// Thin RAII layer over the sqlite3 C API: a connection that owns cached prepared
// statements, and a statement handle that binds, steps and resets itself.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace natter::server::sqlite {

class Statement {
public:
    Statement(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
    ~Statement() { sqlite3_reset(stmt_); sqlite3_clear_bindings(stmt_); }
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;

    Statement& bind(int index, std::int64_t value);
    Statement& bind(int index, std::string_view text);
    Statement& bindBlob(int index, std::string_view bytes);
    Statement& bindNull(int index);
    template <class T>
    Statement& bind(int index, const std::optional<T>& value) {
        return value ? bind(index, *value) : bindNull(index);
    }
    // The integral types the schema uses, without ambiguity.
    Statement& bind(int index, std::uint64_t value) { return bind(index, static_cast<std::int64_t>(value)); }
    Statement& bind(int index, std::uint32_t value) { return bind(index, static_cast<std::int64_t>(value)); }
    Statement& bind(int index, int value) { return bind(index, static_cast<std::int64_t>(value)); }
    Statement& bind(int index, const char* text) { return bind(index, std::string_view(text)); }
    Statement& bind(int index, const std::string& text) { return bind(index, std::string_view(text)); }

    // Advances; true while a row is available. Throws StoreError on failure.
    bool step();
    // Runs a statement that returns no rows.
    void run();

    std::int64_t int64(int column) const { return sqlite3_column_int64(stmt_, column); }
    bool isNull(int column) const { return sqlite3_column_type(stmt_, column) == SQLITE_NULL; }
    std::optional<std::int64_t> optInt64(int column) const {
        return isNull(column) ? std::nullopt : std::optional(int64(column));
    }
    std::string text(int column) const;
    std::string blob(int column) const;

private:
    sqlite3* db_;
    sqlite3_stmt* stmt_;
};

class Connection {
public:
    // Opens (creating if needed) the database file. Throws StoreError on failure.
    explicit Connection(const std::filesystem::path& file);
    ~Connection();
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    void exec(const std::string& sql);
    // Switches the file to write-ahead logging. Two connections making that switch on a new
    // file at once can deadlock on the lock upgrade, and SQLite then answers SQLITE_BUSY
    // without waiting; the switch is retried for as long as the busy timeout allows.
    void enableWriteAheadLog();
    // A cached prepared statement for `sql`, a string literal (cached by address); the
    // returned handle resets it when destroyed.
    Statement prepare(const char* sql);
    std::int64_t lastInsertRowId() const { return sqlite3_last_insert_rowid(db_); }
    int changes() const { return sqlite3_changes(db_); }
    sqlite3* handle() const { return db_; }

private:
    sqlite3* db_ = nullptr;
    std::unordered_map<const char*, sqlite3_stmt*> cache_;
};

} // namespace natter::server::sqlite
