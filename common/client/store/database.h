// One SQLCipher database file, keyed with the profile passphrase: RAII over sqlite3 and its
// prepared statements. Opening verifies the key (a wrong passphrase changes nothing) and
// that the linked SQLite really is SQLCipher, then applies the schema migrations.
#pragma once

#include "client/core/result.h"

#include <QByteArray>
#include <QString>

#include <functional>
#include <memory>
#include <span>
#include <string_view>

struct sqlite3;
struct sqlite3_stmt;

namespace natter::client::store {

struct Migration;

// A prepared statement. Bind parameters are 1-based, result columns 0-based.
class Statement {
public:
    Statement(sqlite3* db, sqlite3_stmt* stmt) : m_db(db), m_stmt(stmt) {}
    Statement(Statement&& other) noexcept;
    Statement& operator=(Statement&& other) noexcept;
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;
    ~Statement();

    Statement& bind(int index, qint64 value);
    Statement& bind(int index, const QString& value);     // UTF-8 text
    Statement& bind(int index, const QByteArray& value);  // blob
    Statement& bind(int index, std::nullptr_t);           // NULL
    Statement& bindText(int index, std::string_view value);

    // Advances one row: true when a row is available, false when done.
    Expected<bool> step();
    // Runs a statement that returns no rows (or ignores them).
    Expected<void> run();
    // Rewinds for another execution with new bindings.
    void reset();

    bool isNull(int column) const;
    qint64 int64(int column) const;
    QString text(int column) const;
    QByteArray blob(int column) const;

private:
    sqlite3* m_db = nullptr;
    sqlite3_stmt* m_stmt = nullptr;
};

class Database {
public:
    // Opens (creating when absent) the file at path keyed with passphrase and brings its
    // schema up to date with migrations (all pending ones in one transaction).
    static Expected<std::unique_ptr<Database>> open(const QString& path, const QByteArray& passphrase,
                                                    std::span<const Migration> migrations);
    // The same with the client's own migration list (store/migrations.h).
    static Expected<std::unique_ptr<Database>> open(const QString& path, const QByteArray& passphrase);
    ~Database();
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;

    Expected<Statement> prepare(std::string_view sql);
    // Runs one or more statements without results.
    Expected<void> exec(std::string_view sql);
    // Runs body in a transaction (a savepoint when nested); commits only when body succeeds.
    Expected<void> transaction(const std::function<Expected<void>()>& body);

    qint64 lastInsertId() const;
    int changes() const; // rows changed by the last statement
    int schemaVersion();
    QString path() const { return m_path; }

private:
    Database(sqlite3* db, QString path) : m_db(db), m_path(std::move(path)) {}
    Expected<void> migrate(std::span<const Migration> migrations);
    ClientError lastError(const QString& what) const;
    // Undoes a failed transaction's (or savepoint's) writes; a failure to do so is logged.
    void rollBack(bool nested);

    sqlite3* m_db = nullptr;
    QString m_path;
    int m_transactionDepth = 0;
};

} // namespace natter::client::store
