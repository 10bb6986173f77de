// PgStore: connection set-up, transactions, accounts, devices and contacts.
#include "store/postgres/pg_store.h"

#include "store/postgres/pg_migrations.h"

namespace natter::server {

using protocol::Visibility;

PgStore::PgStore(const std::string& uri, const std::string& applicationName) : db_(uri, applicationName) {
    pg::migrate(db_);
}

void PgStore::begin() {
    db_.ensureConnected(); // after PostgreSQL restarted, the next transaction reconnects
    db_.begin();
}
void PgStore::commit() { db_.commit(); }
void PgStore::rollback() { db_.rollback(); }
// Savepoints travel with the job's first statement (or the COMMIT): no round trip of their own.
void PgStore::savepoint() { db_.deferCommand("SAVEPOINT job"); }
std::uint64_t PgStore::rowsChanged() { return db_.rowsChanged(); }
void PgStore::releaseSavepoint() { db_.deferCommand("RELEASE SAVEPOINT job"); }
void PgStore::rollbackToSavepoint() {
    db_.deferCommand("ROLLBACK TO SAVEPOINT job");
    db_.deferCommand("RELEASE SAVEPOINT job");
}
// SET LOCAL ends with the transaction; like a savepoint it travels with the next statement.
void PgStore::boundLockWaits() { db_.deferCommand("SET LOCAL lock_timeout = 2"); }
void PgStore::maintain(bool) {}
void PgStore::probe() { db_.query("SELECT 1"); } // also sends the transaction's deferred BEGIN

void PgStore::saveVerification(const std::string& phone, const VerificationRecord& v) {
    db_.query("INSERT INTO verifications(phone, code_hash, expires_at) VALUES($1, $2, $3) "
              "ON CONFLICT (phone) DO UPDATE SET code_hash = excluded.code_hash, expires_at = excluded.expires_at",
              pg::Params().add(phone).bytes(v.code_hash).add(v.expires_at));
}

std::optional<VerificationRecord> PgStore::findVerification(const std::string& phone) {
    auto r = db_.query("SELECT code_hash, expires_at FROM verifications WHERE phone = $1", pg::Params().add(phone));
    if (r.empty()) return std::nullopt;
    return VerificationRecord{r.bytes(0, 0), r.int64(0, 1)};
}

void PgStore::deleteVerification(const std::string& phone) {
    db_.query("DELETE FROM verifications WHERE phone = $1", pg::Params().add(phone));
}

UserRecord PgStore::readUser(const pg::Result& r) {
    UserRecord u;
    u.id = static_cast<UserId>(r.int64(0, 0));
    u.phone = r.bytes(0, 1);
    u.display_name = r.bytes(0, 2);
    u.status_text = r.bytes(0, 3);
    u.last_seen = r.optInt64(0, 4);
    u.privacy.last_seen = static_cast<Visibility>(r.int64(0, 5));
    u.privacy.online = static_cast<Visibility>(r.int64(0, 6));
    u.privacy.read_receipts = r.int64(0, 7) != 0;
    return u;
}

std::optional<UserRecord> PgStore::findUser(UserId id) {
    auto r = db_.query("SELECT id, phone, display_name, status_text, last_seen, privacy_last_seen, privacy_online, "
                       "read_receipts FROM users WHERE id = $1",
                       pg::Params().add(id));
    if (r.empty()) return std::nullopt;
    return readUser(r);
}

std::optional<UserRecord> PgStore::findUserByPhone(const std::string& phone) {
    auto r = db_.query("SELECT id, phone, display_name, status_text, last_seen, privacy_last_seen, privacy_online, "
                       "read_receipts FROM users WHERE phone = $1",
                       pg::Params().add(phone));
    if (r.empty()) return std::nullopt;
    return readUser(r);
}

// Two nodes creating one phone's account at once: the second gets 23505, and the worker runs
// its job again, which then finds the account.
UserId PgStore::createUser(const std::string& phone, TimestampMs now) {
    auto r = db_.query("INSERT INTO users(phone, created_at) VALUES($1, $2) RETURNING id",
                       pg::Params().add(phone).add(now));
    return static_cast<UserId>(r.int64(0, 0));
}

void PgStore::updateProfile(UserId id, const std::optional<std::string>& displayName,
                            const std::optional<std::string>& statusText) {
    db_.query("UPDATE users SET display_name = COALESCE($1::text, display_name), "
              "status_text = COALESCE($2::text, status_text) WHERE id = $3",
              pg::Params().add(displayName).add(statusText).add(id));
}

void PgStore::savePrivacy(UserId id, const PrivacyRecord& p) {
    db_.query("UPDATE users SET privacy_last_seen = $1, privacy_online = $2, read_receipts = $3 WHERE id = $4",
              pg::Params()
                  .add(static_cast<int>(p.last_seen))
                  .add(static_cast<int>(p.online))
                  .add(p.read_receipts)
                  .add(id));
}

void PgStore::setLastSeen(UserId id, TimestampMs when) {
    db_.defer("UPDATE users SET last_seen = $1 WHERE id = $2", pg::Params().add(when).add(id));
}

// The user's row is locked first, so two devices added at once get different numbers.
DeviceId PgStore::addDevice(UserId user, const std::string& name, const std::string& secretHash, TimestampMs now) {
    db_.query("SELECT 1 FROM users WHERE id = $1 FOR UPDATE", pg::Params().add(user));
    auto next = db_.query("SELECT COALESCE(MAX(device_id), 0) + 1 FROM devices WHERE user_id = $1",
                          pg::Params().add(user));
    const auto deviceId = static_cast<DeviceId>(next.int64(0, 0));
    db_.query("INSERT INTO devices(user_id, device_id, name, secret_hash, created_at, unlisted) "
              "VALUES($1, $2, $3, $4, $5, EXISTS(SELECT 1 FROM device_lists WHERE user_id = $1))",
              pg::Params().add(user).add(deviceId).add(name).bytes(secretHash).add(now));
    return deviceId;
}

std::optional<DeviceRecord> PgStore::findDevice(DeviceKey key) {
    auto r = db_.query("SELECT name, secret_hash, created_at, revoked_at IS NOT NULL, unlisted, revoked_reason "
                       "FROM devices WHERE user_id = $1 AND device_id = $2",
                       pg::Params().add(key.user_id).add(key.device_id));
    if (r.empty()) return std::nullopt;
    return DeviceRecord{key, r.bytes(0, 0), r.bytes(0, 1), r.int64(0, 2), r.int64(0, 3) != 0, r.int64(0, 4) == 0,
                        revocationReasonOf(r.int64(0, 5))};
}

std::vector<DeviceRecord> PgStore::activeDevices(UserId user) {
    auto r = db_.query("SELECT device_id, name, secret_hash, created_at, unlisted FROM devices "
                       "WHERE user_id = $1 AND revoked_at IS NULL ORDER BY device_id",
                       pg::Params().add(user));
    std::vector<DeviceRecord> out;
    for (int i = 0; i < r.rows(); ++i)
        out.push_back(DeviceRecord{{user, static_cast<DeviceId>(r.int64(i, 0))}, r.bytes(i, 1), r.bytes(i, 2),
                                   r.int64(i, 3), false, r.int64(i, 4) == 0, {}});
    return out;
}

std::vector<DeviceRecord> PgStore::activeDevicesOf(std::vector<UserId> users) {
    std::vector<std::int64_t> ids(users.begin(), users.end());
    auto r = db_.query("SELECT user_id, device_id, name, secret_hash, created_at, unlisted FROM devices "
                       "WHERE user_id = ANY($1::bigint[]) AND revoked_at IS NULL ORDER BY user_id, device_id",
                       pg::Params().int64Array(ids));
    std::vector<DeviceRecord> out;
    for (int i = 0; i < r.rows(); ++i)
        out.push_back(DeviceRecord{{static_cast<UserId>(r.int64(i, 0)), static_cast<DeviceId>(r.int64(i, 1))},
                                   r.bytes(i, 2), r.bytes(i, 3), r.int64(i, 4), false, r.int64(i, 5) == 0, {}});
    return out;
}

void PgStore::saveDeviceList(UserId user, const DeviceListRecord& list, const std::vector<DeviceId>& listed) {
    db_.query("INSERT INTO device_lists(user_id, version, body) VALUES($1, $2, $3) "
              "ON CONFLICT (user_id) DO UPDATE SET version = excluded.version, body = excluded.body",
              pg::Params().add(user).add(list.version).add(list.body));
    db_.query("UPDATE devices SET unlisted = TRUE WHERE user_id = $1", pg::Params().add(user));
    for (DeviceId d : listed)
        db_.query("UPDATE devices SET unlisted = FALSE WHERE user_id = $1 AND device_id = $2",
                  pg::Params().add(user).add(d));
}

std::optional<DeviceListRecord> PgStore::findDeviceList(UserId user) {
    auto r = db_.query("SELECT version, body FROM device_lists WHERE user_id = $1", pg::Params().add(user));
    if (r.empty()) return std::nullopt;
    return DeviceListRecord{static_cast<std::uint64_t>(r.int64(0, 0)), r.bytes(0, 1)};
}

void PgStore::recordConnection(DeviceKey device, TimestampMs when) {
    db_.defer("UPDATE devices SET last_connected_at = $1 WHERE user_id = $2 AND device_id = $3",
              pg::Params().add(when).add(device.user_id).add(device.device_id));
}

std::vector<protocol::rest::RegisteredContact> PgStore::lookupPhones(const std::vector<std::string>& phones) {
    std::vector<protocol::rest::RegisteredContact> out;
    for (const auto& phone : phones) {
        auto r = db_.query("SELECT id, display_name FROM users WHERE phone = $1", pg::Params().add(phone));
        if (!r.empty()) out.push_back({phone, static_cast<UserId>(r.int64(0, 0)), r.bytes(0, 1)});
    }
    return out;
}

void PgStore::addContact(UserId owner, UserId contact) {
    db_.query("INSERT INTO contacts(owner_id, contact_id) VALUES($1, $2) ON CONFLICT DO NOTHING",
              pg::Params().add(owner).add(contact));
}

bool PgStore::removeContact(UserId owner, UserId contact) {
    return db_.query("DELETE FROM contacts WHERE owner_id = $1 AND contact_id = $2",
                     pg::Params().add(owner).add(contact))
               .affected() > 0;
}

std::vector<protocol::rest::RegisteredContact> PgStore::listContacts(UserId owner) {
    auto r = db_.query("SELECT u.phone, u.id, u.display_name FROM contacts c JOIN users u ON u.id = c.contact_id "
                       "WHERE c.owner_id = $1 ORDER BY u.id",
                       pg::Params().add(owner));
    std::vector<protocol::rest::RegisteredContact> out;
    for (int i = 0; i < r.rows(); ++i) out.push_back({r.bytes(i, 0), static_cast<UserId>(r.int64(i, 1)), r.bytes(i, 2)});
    return out;
}

bool PgStore::isContact(UserId owner, UserId contact) {
    return !db_.query("SELECT 1 FROM contacts WHERE owner_id = $1 AND contact_id = $2",
                      pg::Params().add(owner).add(contact))
                .empty();
}

void PgStore::rememberKnownPhone(UserId owner, UserId user) {
    db_.query("INSERT INTO known_phones(owner_id, user_id) VALUES($1, $2) ON CONFLICT DO NOTHING",
              pg::Params().add(owner).add(user));
}

bool PgStore::knowsPhone(UserId owner, UserId user) {
    return !db_.query("SELECT 1 FROM known_phones WHERE owner_id = $1 AND user_id = $2",
                      pg::Params().add(owner).add(user))
                .empty();
}

std::vector<UserId> PgStore::userIds(const pg::Result& r) {
    std::vector<UserId> out;
    out.reserve(static_cast<std::size_t>(r.rows()));
    for (int i = 0; i < r.rows(); ++i) out.push_back(static_cast<UserId>(r.int64(i, 0)));
    return out;
}

std::vector<UserId> PgStore::presenceAudience(UserId user) {
    auto r = db_.query("SELECT contact_id FROM contacts WHERE owner_id = $1 "
                       "UNION SELECT m.user_id FROM chat_members m JOIN chat_members me ON me.chat_id = m.chat_id "
                       "JOIN chats c ON c.id = m.chat_id WHERE me.user_id = $1 AND m.user_id != $1 AND c.kind = 0 AND me.read_seq > 0",
                       pg::Params().add(user));
    return userIds(r);
}

std::uint64_t PgStore::messageCount() {
    return static_cast<std::uint64_t>(db_.query("SELECT COUNT(*) FROM messages").int64(0, 0));
}

} // namespace natter::server
