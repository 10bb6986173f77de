#include "client/crypto/sqlcipher_key_store.h"

#include "client/store/database.h"

#include <QDateTime>

namespace natter::client::crypto {

using store::Statement;

namespace {

// Runs a prepared query and returns the blob of column 0 of its first row, if any.
Expected<std::optional<QByteArray>> firstBlob(Expected<Statement> stmt) {
    if (!stmt) return stmt.error();
    auto row = stmt->step();
    if (!row) return row.error();
    if (!*row) return std::optional<QByteArray>();
    return std::optional<QByteArray>(stmt->blob(0));
}

Expected<bool> hasRow(Expected<Statement> stmt) {
    if (!stmt) return stmt.error();
    return stmt->step();
}

Expected<void> run(Expected<Statement> stmt) {
    if (!stmt) return stmt.error();
    return stmt->run();
}

} // namespace

Expected<void> SqlcipherKeyStore::transaction(const std::function<Expected<void>()>& body) {
    return m_db.transaction(body);
}

Expected<std::optional<LocalIdentity>> SqlcipherKeyStore::loadLocalIdentity() {
    auto stmt = m_db.prepare("SELECT registration_id, public_key, private_key FROM local_identity WHERE id = 1");
    if (!stmt) return stmt.error();
    auto row = stmt->step();
    if (!row) return row.error();
    if (!*row) return std::optional<LocalIdentity>();
    return std::optional<LocalIdentity>(LocalIdentity{stmt->blob(1), stmt->blob(2), std::uint32_t(stmt->int64(0))});
}

Expected<void> SqlcipherKeyStore::storeLocalIdentity(const LocalIdentity& identity) {
    auto stmt = m_db.prepare(
        "INSERT OR REPLACE INTO local_identity (id, registration_id, public_key, private_key) VALUES (1, ?, ?, ?)");
    if (!stmt) return stmt.error();
    stmt->bind(1, qint64(identity.registrationId)).bind(2, identity.publicKey).bind(3, identity.privateKey);
    return stmt->run();
}

Expected<std::uint32_t> SqlcipherKeyStore::nextKeyId(KeyIdSequence sequence) {
    auto stmt = m_db.prepare("SELECT next_id FROM key_ids WHERE sequence = ?");
    if (!stmt) return stmt.error();
    stmt->bind(1, qint64(sequence));
    auto row = stmt->step();
    if (!row) return row.error();
    return *row ? std::uint32_t(stmt->int64(0)) : 1u;
}

Expected<void> SqlcipherKeyStore::setNextKeyId(KeyIdSequence sequence, std::uint32_t next) {
    auto stmt = m_db.prepare("INSERT OR REPLACE INTO key_ids (sequence, next_id) VALUES (?, ?)");
    if (stmt) stmt->bind(1, qint64(sequence)).bind(2, qint64(next));
    return run(std::move(stmt));
}

Expected<std::optional<QByteArray>> SqlcipherKeyStore::loadPreKey(std::uint32_t id) {
    auto stmt = m_db.prepare("SELECT record FROM prekeys WHERE key_id = ?");
    if (stmt) stmt->bind(1, qint64(id));
    return firstBlob(std::move(stmt));
}

Expected<void> SqlcipherKeyStore::storePreKey(std::uint32_t id, const QByteArray& record) {
    auto stmt = m_db.prepare("INSERT OR REPLACE INTO prekeys (key_id, record) VALUES (?, ?)");
    if (stmt) stmt->bind(1, qint64(id)).bind(2, record);
    return run(std::move(stmt));
}

Expected<bool> SqlcipherKeyStore::containsPreKey(std::uint32_t id) {
    auto stmt = m_db.prepare("SELECT 1 FROM prekeys WHERE key_id = ?");
    if (stmt) stmt->bind(1, qint64(id));
    return hasRow(std::move(stmt));
}

Expected<void> SqlcipherKeyStore::removePreKey(std::uint32_t id) {
    auto stmt = m_db.prepare("DELETE FROM prekeys WHERE key_id = ?");
    if (stmt) stmt->bind(1, qint64(id));
    return run(std::move(stmt));
}

Expected<int> SqlcipherKeyStore::preKeyCount() {
    auto stmt = m_db.prepare("SELECT COUNT(*) FROM prekeys");
    if (!stmt) return stmt.error();
    auto row = stmt->step();
    if (!row) return row.error();
    return int(stmt->int64(0));
}

Expected<std::optional<QByteArray>> SqlcipherKeyStore::loadSignedPreKey(std::uint32_t id) {
    auto stmt = m_db.prepare("SELECT record FROM signed_prekeys WHERE key_id = ?");
    if (stmt) stmt->bind(1, qint64(id));
    return firstBlob(std::move(stmt));
}

Expected<void> SqlcipherKeyStore::storeSignedPreKey(std::uint32_t id, const QByteArray& record, qint64 createdAt) {
    auto stmt = m_db.prepare("INSERT OR REPLACE INTO signed_prekeys (key_id, record, created_at) VALUES (?, ?, ?)");
    if (stmt) stmt->bind(1, qint64(id)).bind(2, record).bind(3, createdAt);
    return run(std::move(stmt));
}

Expected<bool> SqlcipherKeyStore::containsSignedPreKey(std::uint32_t id) {
    auto stmt = m_db.prepare("SELECT 1 FROM signed_prekeys WHERE key_id = ?");
    if (stmt) stmt->bind(1, qint64(id));
    return hasRow(std::move(stmt));
}

Expected<void> SqlcipherKeyStore::removeSignedPreKey(std::uint32_t id) {
    auto stmt = m_db.prepare("DELETE FROM signed_prekeys WHERE key_id = ?");
    if (stmt) stmt->bind(1, qint64(id));
    return run(std::move(stmt));
}

Expected<std::vector<SignedPreKeyInfo>> SqlcipherKeyStore::listSignedPreKeys() {
    auto stmt = m_db.prepare("SELECT key_id, created_at FROM signed_prekeys ORDER BY created_at, key_id");
    if (!stmt) return stmt.error();
    std::vector<SignedPreKeyInfo> list;
    for (;;) {
        auto row = stmt->step();
        if (!row) return row.error();
        if (!*row) return list;
        list.push_back({std::uint32_t(stmt->int64(0)), stmt->int64(1)});
    }
}

Expected<std::optional<QByteArray>> SqlcipherKeyStore::loadSession(const QString& name, DeviceId device) {
    auto stmt = m_db.prepare("SELECT record FROM sessions WHERE name = ? AND device = ?");
    if (stmt) stmt->bind(1, name).bind(2, qint64(device));
    return firstBlob(std::move(stmt));
}

Expected<void> SqlcipherKeyStore::storeSession(const QString& name, DeviceId device, const QByteArray& record) {
    auto stmt = m_db.prepare("INSERT OR REPLACE INTO sessions (name, device, record) VALUES (?, ?, ?)");
    if (stmt) stmt->bind(1, name).bind(2, qint64(device)).bind(3, record);
    return run(std::move(stmt));
}

Expected<bool> SqlcipherKeyStore::containsSession(const QString& name, DeviceId device) {
    auto stmt = m_db.prepare("SELECT 1 FROM sessions WHERE name = ? AND device = ?");
    if (stmt) stmt->bind(1, name).bind(2, qint64(device));
    return hasRow(std::move(stmt));
}

Expected<bool> SqlcipherKeyStore::deleteSession(const QString& name, DeviceId device) {
    auto stmt = m_db.prepare("DELETE FROM sessions WHERE name = ? AND device = ?");
    if (stmt) stmt->bind(1, name).bind(2, qint64(device));
    if (auto r = run(std::move(stmt)); !r) return r.error();
    return m_db.changes() > 0;
}

Expected<std::vector<DeviceId>> SqlcipherKeyStore::sessionDevices(const QString& name) {
    auto stmt = m_db.prepare("SELECT device FROM sessions WHERE name = ? ORDER BY device");
    if (!stmt) return stmt.error();
    stmt->bind(1, name);
    std::vector<DeviceId> devices;
    for (;;) {
        auto row = stmt->step();
        if (!row) return row.error();
        if (!*row) return devices;
        devices.push_back(DeviceId(stmt->int64(0)));
    }
}

Expected<int> SqlcipherKeyStore::deleteAllSessions(const QString& name) {
    auto stmt = m_db.prepare("DELETE FROM sessions WHERE name = ?");
    if (stmt) stmt->bind(1, name);
    if (auto r = run(std::move(stmt)); !r) return r.error();
    return m_db.changes();
}

Expected<std::optional<QByteArray>> SqlcipherKeyStore::loadSenderKey(const QString& groupId, const QString& name,
                                                                     DeviceId device) {
    auto stmt = m_db.prepare("SELECT record FROM sender_keys WHERE group_id = ? AND name = ? AND device = ?");
    if (stmt) stmt->bind(1, groupId).bind(2, name).bind(3, qint64(device));
    return firstBlob(std::move(stmt));
}

Expected<void> SqlcipherKeyStore::storeSenderKey(const QString& groupId, const QString& name, DeviceId device,
                                                 const QByteArray& record) {
    auto stmt =
        m_db.prepare("INSERT OR REPLACE INTO sender_keys (group_id, name, device, record) VALUES (?, ?, ?, ?)");
    if (stmt) stmt->bind(1, groupId).bind(2, name).bind(3, qint64(device)).bind(4, record);
    return run(std::move(stmt));
}

Expected<bool> SqlcipherKeyStore::deleteSenderKey(const QString& groupId, const QString& name, DeviceId device) {
    auto stmt = m_db.prepare("DELETE FROM sender_keys WHERE group_id = ? AND name = ? AND device = ?");
    if (stmt) stmt->bind(1, groupId).bind(2, name).bind(3, qint64(device));
    if (auto r = run(std::move(stmt)); !r) return r.error();
    return m_db.changes() > 0;
}

Expected<int> SqlcipherKeyStore::deleteSenderKeysOfGroup(const QString& groupId) {
    auto stmt = m_db.prepare("DELETE FROM sender_keys WHERE group_id = ?");
    if (stmt) stmt->bind(1, groupId);
    if (auto r = run(std::move(stmt)); !r) return r.error();
    return m_db.changes();
}

Expected<std::optional<QByteArray>> SqlcipherKeyStore::loadIdentity(const QString& name, DeviceId device) {
    auto stmt = m_db.prepare("SELECT public_key FROM identities WHERE name = ? AND device = ?");
    if (stmt) stmt->bind(1, name).bind(2, qint64(device));
    return firstBlob(std::move(stmt));
}

Expected<bool> SqlcipherKeyStore::saveIdentity(const QString& name, DeviceId device, const QByteArray& publicKey) {
    bool changed = false;
    auto done = m_db.transaction([&]() -> Expected<void> {
        auto existing = loadIdentity(name, device);
        if (!existing) return existing.error();
        const qint64 now = QDateTime::currentSecsSinceEpoch();
        if (!*existing) {
            auto stmt = m_db.prepare(
                "INSERT INTO identities (name, device, public_key, first_seen, changed_at) VALUES (?, ?, ?, ?, NULL)");
            if (stmt) stmt->bind(1, name).bind(2, qint64(device)).bind(3, publicKey).bind(4, now);
            return run(std::move(stmt));
        }
        if (**existing == publicKey) return {};
        changed = true;
        auto stmt = m_db.prepare("UPDATE identities SET public_key = ?, changed_at = ? WHERE name = ? AND device = ?");
        if (stmt) stmt->bind(1, publicKey).bind(2, now).bind(3, name).bind(4, qint64(device));
        return run(std::move(stmt));
    });
    if (!done) return done.error();
    return changed;
}

Expected<void> SqlcipherKeyStore::removeIdentity(const QString& name, DeviceId device) {
    auto stmt = m_db.prepare("DELETE FROM identities WHERE name = ? AND device = ?");
    if (stmt) stmt->bind(1, name).bind(2, qint64(device));
    return run(std::move(stmt));
}

Expected<std::vector<QByteArray>> SqlcipherKeyStore::identitiesOf(const QString& name) {
    auto stmt = m_db.prepare("SELECT public_key FROM identities WHERE name = ? ORDER BY device");
    if (!stmt) return stmt.error();
    stmt->bind(1, name);
    std::vector<QByteArray> keys;
    for (;;) {
        auto row = stmt->step();
        if (!row) return row.error();
        if (!*row) return keys;
        keys.push_back(stmt->blob(0));
    }
}

} // namespace natter::client::crypto
