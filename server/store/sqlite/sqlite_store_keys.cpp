// SqliteStore: the key directory (identity keys, signed and one-time pre-keys), device
// link codes and device revocation.
#include "store/sqlite/sqlite_store.h"

namespace natter::server {

bool SqliteStore::saveIdentity(DeviceKey device, std::uint32_t registrationId, const std::string& identityKey,
                               TimestampMs now) {
    auto old = db_.prepare("SELECT identity_key FROM identity_keys WHERE user_id = ? AND device_id = ?");
    old.bind(1, device.user_id).bind(2, device.device_id);
    const bool changed = old.step() && old.blob(0) != identityKey;
    db_.prepare("INSERT OR REPLACE INTO identity_keys(user_id, device_id, registration_id, identity_key, updated_at) "
                "VALUES(?,?,?,?,?)")
        .bind(1, device.user_id)
        .bind(2, device.device_id)
        .bind(3, registrationId)
        .bindBlob(4, identityKey)
        .bind(5, now)
        .run();
    if (changed) // pre-keys signed by the old identity are worthless now
        db_.prepare("DELETE FROM one_time_prekeys WHERE user_id = ? AND device_id = ?")
            .bind(1, device.user_id)
            .bind(2, device.device_id)
            .run();
    return changed;
}

void SqliteStore::saveSignedPreKey(DeviceKey device, std::uint32_t keyId, const std::string& publicKey,
                                   const std::string& signature) {
    db_.prepare("INSERT OR REPLACE INTO signed_prekeys(user_id, device_id, key_id, public_key, signature) "
                "VALUES(?,?,?,?,?)")
        .bind(1, device.user_id)
        .bind(2, device.device_id)
        .bind(3, keyId)
        .bindBlob(4, publicKey)
        .bindBlob(5, signature)
        .run();
}

void SqliteStore::addOneTimePreKeys(DeviceKey device, const std::vector<std::pair<std::uint32_t, std::string>>& keys) {
    for (const auto& [id, key] : keys)
        db_.prepare("INSERT OR REPLACE INTO one_time_prekeys(user_id, device_id, key_id, public_key) VALUES(?,?,?,?)")
            .bind(1, device.user_id)
            .bind(2, device.device_id)
            .bind(3, id)
            .bindBlob(4, key)
            .run();
}

std::uint64_t SqliteStore::countOneTimePreKeys(DeviceKey device) {
    auto stmt = db_.prepare("SELECT COUNT(*) FROM one_time_prekeys WHERE user_id = ? AND device_id = ?");
    stmt.bind(1, device.user_id).bind(2, device.device_id);
    stmt.step();
    return static_cast<std::uint64_t>(stmt.int64(0));
}

bool SqliteStore::hasIdentity(DeviceKey device) { return identityKey(device).has_value(); }

std::optional<std::string> SqliteStore::identityKey(DeviceKey device) {
    auto stmt = db_.prepare("SELECT identity_key FROM identity_keys WHERE user_id = ? AND device_id = ?");
    stmt.bind(1, device.user_id).bind(2, device.device_id);
    if (!stmt.step()) return std::nullopt;
    return stmt.blob(0);
}

std::optional<KeyBundleRecord> SqliteStore::takeBundle(DeviceKey device, bool withOneTime) {
    auto stmt = db_.prepare("SELECT i.registration_id, i.identity_key, s.key_id, s.public_key, s.signature "
                            "FROM identity_keys i JOIN signed_prekeys s ON s.user_id = i.user_id AND "
                            "s.device_id = i.device_id WHERE i.user_id = ? AND i.device_id = ?");
    stmt.bind(1, device.user_id).bind(2, device.device_id);
    if (!stmt.step()) return std::nullopt;
    KeyBundleRecord b{static_cast<std::uint32_t>(stmt.int64(0)), stmt.blob(1), static_cast<std::uint32_t>(stmt.int64(2)),
                      stmt.blob(3), stmt.blob(4), std::nullopt};
    if (!withOneTime) return b;
    auto otk = db_.prepare("SELECT key_id, public_key FROM one_time_prekeys WHERE user_id = ? AND device_id = ? "
                           "ORDER BY key_id LIMIT 1");
    otk.bind(1, device.user_id).bind(2, device.device_id);
    if (otk.step()) {
        b.one_time = std::pair{static_cast<std::uint32_t>(otk.int64(0)), otk.blob(1)};
        db_.prepare("DELETE FROM one_time_prekeys WHERE user_id = ? AND device_id = ? AND key_id = ?")
            .bind(1, device.user_id)
            .bind(2, device.device_id)
            .bind(3, b.one_time->first)
            .run();
    }
    return b;
}

void SqliteStore::saveLinkCode(const std::string& codeHash, const LinkCodeRecord& code, TimestampMs expiresAt) {
    db_.prepare("INSERT INTO link_codes(code_hash, user_id, expires_at, provision) VALUES(?,?,?,?)")
        .bindBlob(1, codeHash)
        .bind(2, code.user)
        .bind(3, expiresAt)
        .bind(4, code.provision)
        .run();
}

std::optional<LinkCodeRecord> SqliteStore::takeLinkCode(const std::string& codeHash, TimestampMs now) {
    auto stmt = db_.prepare("SELECT user_id, expires_at, provision FROM link_codes WHERE code_hash = ?");
    stmt.bindBlob(1, codeHash);
    if (!stmt.step()) return std::nullopt;
    LinkCodeRecord code{static_cast<UserId>(stmt.int64(0)), stmt.text(2)};
    const bool valid = stmt.int64(1) > now;
    db_.prepare("DELETE FROM link_codes WHERE code_hash = ? OR expires_at <= ?").bindBlob(1, codeHash).bind(2, now).run();
    return valid ? std::optional(std::move(code)) : std::nullopt;
}

std::uint64_t SqliteStore::countLinkCodes(UserId user, TimestampMs now) {
    auto stmt = db_.prepare("SELECT COUNT(*) FROM link_codes WHERE user_id = ? AND expires_at > ?");
    stmt.bind(1, user).bind(2, now);
    stmt.step();
    return static_cast<std::uint64_t>(stmt.int64(0));
}

bool SqliteStore::revokeDevice(DeviceKey device, protocol::RevocationReason reason, TimestampMs now) {
    db_.prepare("UPDATE devices SET revoked_at = ?, revoked_reason = ? "
                "WHERE user_id = ? AND device_id = ? AND revoked_at IS NULL")
        .bind(1, now)
        .bind(2, static_cast<std::int64_t>(reason))
        .bind(3, device.user_id)
        .bind(4, device.device_id)
        .run();
    if (db_.changes() == 0) return false;
    for (const char* sql : {"DELETE FROM identity_keys WHERE user_id = ? AND device_id = ?",
                            "DELETE FROM signed_prekeys WHERE user_id = ? AND device_id = ?",
                            "DELETE FROM one_time_prekeys WHERE user_id = ? AND device_id = ?",
                            "DELETE FROM push_endpoints WHERE user_id = ? AND device_id = ?"})
        db_.prepare(sql).bind(1, device.user_id).bind(2, device.device_id).run();
    return true;
}

std::vector<RevokedDevice> SqliteStore::revokedDevices() {
    auto stmt = db_.prepare("SELECT user_id, device_id, revoked_reason FROM devices WHERE revoked_at IS NOT NULL");
    std::vector<RevokedDevice> out;
    while (stmt.step())
        out.push_back({{static_cast<UserId>(stmt.int64(0)), static_cast<DeviceId>(stmt.int64(1))},
                       revocationReasonOf(stmt.int64(2))});
    return out;
}

} // namespace natter::server
