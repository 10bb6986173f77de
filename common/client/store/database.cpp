#include "client/store/database.h"

#include "client/store/migrations.h"
#include "client/store/profile.h"

#include <sqlite3.h>

#include <QFileInfo>
#include <QLoggingCategory>

Q_LOGGING_CATEGORY(lcStore, "natter.store")

namespace natter::client::store {

Statement::Statement(Statement&& other) noexcept : m_db(other.m_db), m_stmt(other.m_stmt) {
    other.m_stmt = nullptr;
}

Statement& Statement::operator=(Statement&& other) noexcept {
    if (this != &other) {
        sqlite3_finalize(m_stmt);
        m_db = other.m_db;
        m_stmt = other.m_stmt;
        other.m_stmt = nullptr;
    }
    return *this;
}

Statement::~Statement() { sqlite3_finalize(m_stmt); }

Statement& Statement::bind(int index, qint64 value) {
    sqlite3_bind_int64(m_stmt, index, value);
    return *this;
}

Statement& Statement::bind(int index, const QString& value) {
    const QByteArray utf8 = value.toUtf8();
    sqlite3_bind_text(m_stmt, index, utf8.constData(), int(utf8.size()), SQLITE_TRANSIENT);
    return *this;
}

Statement& Statement::bind(int index, const QByteArray& value) {
    // A null QByteArray binds an empty blob, not NULL: use bind(index, nullptr) for NULL.
    sqlite3_bind_blob(m_stmt, index, value.constData() ? value.constData() : "", int(value.size()),
                      SQLITE_TRANSIENT);
    return *this;
}

Statement& Statement::bind(int index, std::nullptr_t) {
    sqlite3_bind_null(m_stmt, index);
    return *this;
}

Statement& Statement::bindText(int index, std::string_view value) {
    sqlite3_bind_text(m_stmt, index, value.data(), int(value.size()), SQLITE_TRANSIENT);
    return *this;
}

Expected<bool> Statement::step() {
    const int rc = sqlite3_step(m_stmt);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    return makeClientError(ErrorKind::Storage, QStringLiteral("store query failed: %1")
                                                   .arg(QString::fromUtf8(sqlite3_errmsg(m_db))));
}

Expected<void> Statement::run() {
    for (;;) {
        auto row = step();
        if (!row) return row.error();
        if (!*row) return {};
    }
}

void Statement::reset() {
    sqlite3_reset(m_stmt);
    sqlite3_clear_bindings(m_stmt);
}

bool Statement::isNull(int column) const { return sqlite3_column_type(m_stmt, column) == SQLITE_NULL; }

qint64 Statement::int64(int column) const { return sqlite3_column_int64(m_stmt, column); }

QString Statement::text(int column) const {
    const auto* data = reinterpret_cast<const char*>(sqlite3_column_text(m_stmt, column));
    return QString::fromUtf8(data, sqlite3_column_bytes(m_stmt, column));
}

QByteArray Statement::blob(int column) const {
    const auto* data = static_cast<const char*>(sqlite3_column_blob(m_stmt, column));
    return QByteArray(data, sqlite3_column_bytes(m_stmt, column));
}

Expected<std::unique_ptr<Database>> Database::open(const QString& path, const QByteArray& passphrase) {
    return open(path, passphrase, clientMigrations());
}

Expected<std::unique_ptr<Database>> Database::open(const QString& path, const QByteArray& passphrase,
                                                   std::span<const Migration> migrations) {
    if (passphrase.isEmpty())
        return makeClientError(ErrorKind::InvalidArgument, QStringLiteral("the store passphrase is empty"));
    const bool existed = QFileInfo::exists(path);
    sqlite3* raw = nullptr;
    const int rc = sqlite3_open_v2(path.toUtf8().constData(), &raw,
                                   SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX, nullptr);
    std::unique_ptr<Database> db(new Database(raw, path));
    if (rc != SQLITE_OK)
        return db->lastError(QStringLiteral("cannot open the store %1").arg(path));
    // Owner-only before anything is written (SQLite creates the file with the umask's
    // permissions); its -wal, -shm and -journal files take the database file's permissions
    // (those of an older profile are fixed here too).
    for (const char* suffix : {"", "-wal", "-shm", "-journal"})
        if (const QString file = path + QLatin1String(suffix); QFileInfo::exists(file) && !restrictToOwner(file))
            return makeClientError(ErrorKind::Storage, QStringLiteral("cannot make %1 private to its owner").arg(file));
    if (sqlite3_key(raw, passphrase.constData(), int(passphrase.size())) != SQLITE_OK)
        return db->lastError(QStringLiteral("cannot key the store"));

    // With the system libsqlite3 linked instead of SQLCipher, PRAGMA key is silently ignored
    // and everything would be written in plaintext: refuse to run rather than leak.
    {
        auto version = db->prepare("PRAGMA cipher_version");
        const auto hasRow = version ? version->step() : Expected<bool>(false);
        if (!hasRow || !*hasRow)
            return makeClientError(ErrorKind::Storage,
                                   QStringLiteral("the linked SQLite is not SQLCipher; refusing to store plaintext"));
    }
    // The first read decrypts page 1: a wrong key fails here, before anything is written.
    if (sqlite3_exec(raw, "SELECT count(*) FROM sqlite_master", nullptr, nullptr, nullptr) != SQLITE_OK) {
        if (existed)
            return makeClientError(ErrorKind::WrongPassphrase,
                                   QStringLiteral("wrong passphrase for %1 (or not a Natter store)").arg(path));
        return db->lastError(QStringLiteral("cannot create the store %1").arg(path));
    }
    // secure_delete: freed pages are zeroed, so a deleted message's text does not linger in
    // the file's free space (readable to anyone holding the passphrase).
    if (auto r = db->exec("PRAGMA foreign_keys = ON; PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; "
                          "PRAGMA secure_delete = ON;");
        !r)
        return r.error();
    sqlite3_busy_timeout(raw, 5000);
    if (auto r = db->migrate(migrations); !r) return r.error();
    return db;
}

Database::~Database() { sqlite3_close_v2(m_db); }

Expected<Statement> Database::prepare(std::string_view sql) {
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(m_db, sql.data(), int(sql.size()), &stmt, nullptr) != SQLITE_OK)
        return lastError(QStringLiteral("cannot prepare a store query"));
    return Statement(m_db, stmt);
}

Expected<void> Database::exec(std::string_view sql) {
    const std::string text(sql);
    if (sqlite3_exec(m_db, text.c_str(), nullptr, nullptr, nullptr) != SQLITE_OK)
        return lastError(QStringLiteral("store statement failed"));
    return {};
}

Expected<void> Database::transaction(const std::function<Expected<void>()>& body) {
    const bool nested = m_transactionDepth > 0;
    if (auto r = exec(nested ? "SAVEPOINT nested" : "BEGIN IMMEDIATE"); !r) return r;
    ++m_transactionDepth;
    auto result = body();
    --m_transactionDepth;
    if (!result) {
        rollBack(nested);
        return result;
    }
    if (auto r = exec(nested ? "RELEASE nested" : "COMMIT"); !r) {
        if (!nested) rollBack(false);
        return r;
    }
    return {};
}

void Database::rollBack(bool nested) {
    // SQLite may have rolled the whole transaction back already (e.g. on SQLITE_FULL): nothing to undo.
    if (sqlite3_get_autocommit(m_db)) return;
    if (auto r = exec(nested ? "ROLLBACK TO nested; RELEASE nested" : "ROLLBACK"); !r)
        qCWarning(lcStore) << "cannot roll back a failed store transaction:" << r.error().message;
}

qint64 Database::lastInsertId() const { return sqlite3_last_insert_rowid(m_db); }

int Database::changes() const { return sqlite3_changes(m_db); }

int Database::schemaVersion() {
    auto stmt = prepare("PRAGMA user_version");
    if (!stmt) return -1;
    const auto hasRow = stmt->step();
    if (!hasRow || !*hasRow) return -1;
    return int(stmt->int64(0));
}

Expected<void> Database::migrate(std::span<const Migration> migrations) {
    const int current = schemaVersion();
    if (current < 0) return lastError(QStringLiteral("cannot read the store's schema version"));
    if (!migrations.empty() && current > migrations.back().version)
        return makeClientError(ErrorKind::Storage,
                               QStringLiteral("the store was written by a newer Natter (schema %1)").arg(current));
    return transaction([&]() -> Expected<void> {
        for (const Migration& m : migrations) {
            if (m.version <= current) continue;
            if (auto r = exec(m.sql); !r) {
                auto e = r.error();
                e.message = QStringLiteral("migration to schema %1 failed: %2").arg(m.version).arg(e.message);
                return e;
            }
            if (auto r = exec("PRAGMA user_version = " + std::to_string(m.version)); !r) return r;
        }
        return {};
    });
}

ClientError Database::lastError(const QString& what) const {
    return makeClientError(ErrorKind::Storage,
                           QStringLiteral("%1: %2").arg(what, QString::fromUtf8(m_db ? sqlite3_errmsg(m_db) : "out of memory")));
}

} // namespace natter::client::store
