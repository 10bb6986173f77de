// SqliteStore: connection set-up, transactions, accounts, devices and contacts.
#include "store/sqlite/sqlite_store.h"

#include "store/sqlite/sqlite_migrations.h"

#include <algorithm>
#include <iterator>

namespace natter::server {

using protocol::Visibility;

SqliteStore::SqliteStore(const std::filesystem::path& file) : db_(file) {
    db_.enableWriteAheadLog();
    db_.exec("PRAGMA synchronous = FULL");
    db_.exec("PRAGMA temp_store = MEMORY");
    db_.exec("PRAGMA cache_size = -65536");
    sqlite::migrate(db_);
    // Replaces SQLite's automatic checkpoint (inside the commit that crosses 1,000 pages):
    // the hook only notes the WAL's size, maintain() checkpoints between batches.
    sqlite3_wal_hook(
        db_.handle(),
        [](void* self, sqlite3*, const char*, int pages) {
            static_cast<SqliteStore*>(self)->walPages_ = pages;
            return SQLITE_OK;
        },
        this);
}

void SqliteStore::maintain(bool idle) {
    constexpr int kCheckpointPages = 1000;    // SQLite's own threshold, when the worker is idle
    constexpr int kOverdueFactor = 8;         // checkpoint even under load past this many
    if (walPages_ < kCheckpointPages || (!idle && walPages_ < kCheckpointPages * kOverdueFactor)) return;
    sqlite3_wal_checkpoint_v2(db_.handle(), nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
    walPages_ = 0;
}

void SqliteStore::probe() {} // the file is in this process: begin() already reached it

void SqliteStore::begin() { db_.prepare("BEGIN IMMEDIATE").run(); }
void SqliteStore::commit() { db_.prepare("COMMIT").run(); }
void SqliteStore::rollback() {
    if (!sqlite3_get_autocommit(db_.handle())) db_.prepare("ROLLBACK").run();
}
void SqliteStore::savepoint() { db_.prepare("SAVEPOINT job").run(); }
std::uint64_t SqliteStore::rowsChanged() { return static_cast<std::uint64_t>(sqlite3_total_changes64(db_.handle())); }
void SqliteStore::releaseSavepoint() { db_.prepare("RELEASE job").run(); }
void SqliteStore::rollbackToSavepoint() {
    db_.prepare("ROLLBACK TO job").run();
    db_.prepare("RELEASE job").run();
}

void SqliteStore::saveVerification(const std::string& phone, const VerificationRecord& v) {
    db_.prepare("INSERT OR REPLACE INTO verifications(phone, code_hash, expires_at) VALUES(?,?,?)")
        .bind(1, phone)
        .bindBlob(2, v.code_hash)
        .bind(3, v.expires_at)
        .run();
}

std::optional<VerificationRecord> SqliteStore::findVerification(const std::string& phone) {
    auto stmt = db_.prepare("SELECT code_hash, expires_at FROM verifications WHERE phone = ?");
    stmt.bind(1, phone);
    if (!stmt.step()) return std::nullopt;
    return VerificationRecord{stmt.blob(0), stmt.int64(1)};
}

void SqliteStore::deleteVerification(const std::string& phone) {
    db_.prepare("DELETE FROM verifications WHERE phone = ?").bind(1, phone).run();
}

UserRecord SqliteStore::readUser(sqlite::Statement& stmt) {
    UserRecord u;
    u.id = static_cast<UserId>(stmt.int64(0));
    u.phone = stmt.text(1);
    u.display_name = stmt.text(2);
    u.status_text = stmt.text(3);
    u.last_seen = stmt.optInt64(4);
    u.privacy.last_seen = static_cast<Visibility>(stmt.int64(5));
    u.privacy.online = static_cast<Visibility>(stmt.int64(6));
    u.privacy.read_receipts = stmt.int64(7) != 0;
    return u;
}

std::optional<UserRecord> SqliteStore::findUser(UserId id) {
    auto stmt = db_.prepare("SELECT id, phone, display_name, status_text, last_seen, privacy_last_seen, "
                            "privacy_online, read_receipts FROM users WHERE id = ?");
    stmt.bind(1, id);
    if (!stmt.step()) return std::nullopt;
    return readUser(stmt);
}

std::optional<UserRecord> SqliteStore::findUserByPhone(const std::string& phone) {
    auto stmt = db_.prepare("SELECT id, phone, display_name, status_text, last_seen, privacy_last_seen, "
                            "privacy_online, read_receipts FROM users WHERE phone = ?");
    stmt.bind(1, phone);
    if (!stmt.step()) return std::nullopt;
    return readUser(stmt);
}

UserId SqliteStore::createUser(const std::string& phone, TimestampMs now) {
    db_.prepare("INSERT INTO users(phone, created_at) VALUES(?, ?)").bind(1, phone).bind(2, now).run();
    return static_cast<UserId>(db_.lastInsertRowId());
}

void SqliteStore::updateProfile(UserId id, const std::optional<std::string>& displayName,
                                const std::optional<std::string>& statusText) {
    db_.prepare("UPDATE users SET display_name = COALESCE(?, display_name), status_text = COALESCE(?, status_text) "
                "WHERE id = ?")
        .bind(1, displayName)
        .bind(2, statusText)
        .bind(3, id)
        .run();
}

void SqliteStore::savePrivacy(UserId id, const PrivacyRecord& p) {
    db_.prepare("UPDATE users SET privacy_last_seen = ?, privacy_online = ?, read_receipts = ? WHERE id = ?")
        .bind(1, static_cast<int>(p.last_seen))
        .bind(2, static_cast<int>(p.online))
        .bind(3, p.read_receipts ? 1 : 0)
        .bind(4, id)
        .run();
}

void SqliteStore::setLastSeen(UserId id, TimestampMs when) {
    db_.prepare("UPDATE users SET last_seen = ? WHERE id = ?").bind(1, when).bind(2, id).run();
}

DeviceId SqliteStore::addDevice(UserId user, const std::string& name, const std::string& secretHash, TimestampMs now) {
    auto next = db_.prepare("SELECT COALESCE(MAX(device_id), 0) + 1 FROM devices WHERE user_id = ?");
    next.bind(1, user);
    next.step();
    const auto deviceId = static_cast<DeviceId>(next.int64(0));
    db_.prepare("INSERT INTO devices(user_id, device_id, name, secret_hash, created_at, unlisted) "
                "VALUES(?,?,?,?,?, EXISTS(SELECT 1 FROM device_lists WHERE user_id = ?))")
        .bind(1, user)
        .bind(2, deviceId)
        .bind(3, name)
        .bindBlob(4, secretHash)
        .bind(5, now)
        .bind(6, user)
        .run();
    return deviceId;
}

std::optional<DeviceRecord> SqliteStore::findDevice(DeviceKey key) {
    auto stmt = db_.prepare("SELECT name, secret_hash, created_at, revoked_at IS NOT NULL, unlisted, revoked_reason "
                            "FROM devices WHERE user_id = ? AND device_id = ?");
    stmt.bind(1, key.user_id).bind(2, key.device_id);
    if (!stmt.step()) return std::nullopt;
    return DeviceRecord{key, stmt.text(0), stmt.blob(1), stmt.int64(2), stmt.int64(3) != 0, stmt.int64(4) == 0,
                        revocationReasonOf(stmt.int64(5))};
}

std::vector<DeviceRecord> SqliteStore::activeDevices(UserId user) {
    auto stmt = db_.prepare("SELECT device_id, name, secret_hash, created_at, unlisted FROM devices "
                            "WHERE user_id = ? AND revoked_at IS NULL ORDER BY device_id");
    stmt.bind(1, user);
    std::vector<DeviceRecord> out;
    while (stmt.step())
        out.push_back(DeviceRecord{{user, static_cast<DeviceId>(stmt.int64(0))}, stmt.text(1), stmt.blob(2),
                                   stmt.int64(3), false, stmt.int64(4) == 0, {}});
    return out;
}

std::vector<DeviceRecord> SqliteStore::activeDevicesOf(std::vector<UserId> users) {
    std::sort(users.begin(), users.end());
    users.erase(std::unique(users.begin(), users.end()), users.end());
    std::vector<DeviceRecord> out;
    for (UserId user : users) {
        auto devices = activeDevices(user);
        std::move(devices.begin(), devices.end(), std::back_inserter(out));
    }
    return out;
}

void SqliteStore::saveDeviceList(UserId user, const DeviceListRecord& list, const std::vector<DeviceId>& listed) {
    db_.prepare("INSERT INTO device_lists(user_id, version, body) VALUES(?,?,?) "
                "ON CONFLICT(user_id) DO UPDATE SET version = excluded.version, body = excluded.body")
        .bind(1, user)
        .bind(2, static_cast<std::int64_t>(list.version))
        .bind(3, list.body)
        .run();
    db_.prepare("UPDATE devices SET unlisted = 1 WHERE user_id = ?").bind(1, user).run();
    for (DeviceId d : listed)
        db_.prepare("UPDATE devices SET unlisted = 0 WHERE user_id = ? AND device_id = ?").bind(1, user).bind(2, d).run();
}

std::optional<DeviceListRecord> SqliteStore::findDeviceList(UserId user) {
    auto stmt = db_.prepare("SELECT version, body FROM device_lists WHERE user_id = ?");
    stmt.bind(1, user);
    if (!stmt.step()) return std::nullopt;
    return DeviceListRecord{static_cast<std::uint64_t>(stmt.int64(0)), stmt.text(1)};
}


void SqliteStore::recordConnection(DeviceKey device, TimestampMs when) {
    db_.prepare("UPDATE devices SET last_connected_at = ? WHERE user_id = ? AND device_id = ?")
        .bind(1, when)
        .bind(2, device.user_id)
        .bind(3, device.device_id)
        .run();
}

std::vector<protocol::rest::RegisteredContact> SqliteStore::lookupPhones(const std::vector<std::string>& phones) {
    std::vector<protocol::rest::RegisteredContact> out;
    for (const auto& phone : phones) {
        auto stmt = db_.prepare("SELECT id, display_name FROM users WHERE phone = ?");
        stmt.bind(1, phone);
        if (stmt.step()) out.push_back({phone, static_cast<UserId>(stmt.int64(0)), stmt.text(1)});
    }
    return out;
}

void SqliteStore::addContact(UserId owner, UserId contact) {
    db_.prepare("INSERT OR IGNORE INTO contacts(owner_id, contact_id) VALUES(?, ?)").bind(1, owner).bind(2, contact).run();
}

bool SqliteStore::removeContact(UserId owner, UserId contact) {
    db_.prepare("DELETE FROM contacts WHERE owner_id = ? AND contact_id = ?").bind(1, owner).bind(2, contact).run();
    return db_.changes() > 0;
}

std::vector<protocol::rest::RegisteredContact> SqliteStore::listContacts(UserId owner) {
    auto stmt = db_.prepare("SELECT u.phone, u.id, u.display_name FROM contacts c JOIN users u ON u.id = c.contact_id "
                            "WHERE c.owner_id = ? ORDER BY u.id");
    stmt.bind(1, owner);
    std::vector<protocol::rest::RegisteredContact> out;
    while (stmt.step()) out.push_back({stmt.text(0), static_cast<UserId>(stmt.int64(1)), stmt.text(2)});
    return out;
}

bool SqliteStore::isContact(UserId owner, UserId contact) {
    auto stmt = db_.prepare("SELECT 1 FROM contacts WHERE owner_id = ? AND contact_id = ?");
    stmt.bind(1, owner).bind(2, contact);
    return stmt.step();
}

void SqliteStore::rememberKnownPhone(UserId owner, UserId user) {
    db_.prepare("INSERT OR IGNORE INTO known_phones(owner_id, user_id) VALUES(?, ?)").bind(1, owner).bind(2, user).run();
}

bool SqliteStore::knowsPhone(UserId owner, UserId user) {
    auto stmt = db_.prepare("SELECT 1 FROM known_phones WHERE owner_id = ? AND user_id = ?");
    stmt.bind(1, owner).bind(2, user);
    return stmt.step();
}

std::vector<UserId> SqliteStore::presenceAudience(UserId user) {
    auto stmt = db_.prepare(
        "SELECT contact_id FROM contacts WHERE owner_id = ?1 "
        "UNION SELECT m.user_id FROM chat_members m JOIN chat_members me ON me.chat_id = m.chat_id "
        "JOIN chats c ON c.id = m.chat_id WHERE me.user_id = ?1 AND m.user_id != ?1 AND c.kind = 0 AND me.read_seq > 0");
    stmt.bind(1, user);
    std::vector<UserId> out;
    while (stmt.step()) out.push_back(static_cast<UserId>(stmt.int64(0)));
    return out;
}

std::uint64_t SqliteStore::messageCount() {
    auto stmt = db_.prepare("SELECT COUNT(*) FROM messages");
    stmt.step();
    return static_cast<std::uint64_t>(stmt.int64(0));
}

} // namespace natter::server
