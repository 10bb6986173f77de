// PgStore: the key directory (identity keys, signed and one-time pre-keys), device link codes
// and device revocation. Taking a one-time pre-key or a link code is one DELETE ... RETURNING,
// so two nodes never hand out the same one.
#include "store/postgres/pg_store.h"

namespace natter::server {

bool PgStore::saveIdentity(DeviceKey device, std::uint32_t registrationId, const std::string& identityKey,
                           TimestampMs now) {
    auto old = db_.query("SELECT identity_key FROM identity_keys WHERE user_id = $1 AND device_id = $2 FOR UPDATE",
                         pg::Params().add(device.user_id).add(device.device_id));
    const bool changed = !old.empty() && old.bytes(0, 0) != identityKey;
    db_.query("INSERT INTO identity_keys(user_id, device_id, registration_id, identity_key, updated_at) "
              "VALUES($1, $2, $3, $4, $5) ON CONFLICT (user_id, device_id) DO UPDATE SET "
              "registration_id = excluded.registration_id, identity_key = excluded.identity_key, "
              "updated_at = excluded.updated_at",
              pg::Params().add(device.user_id).add(device.device_id).add(registrationId).bytes(identityKey).add(now));
    if (changed) // pre-keys signed by the old identity are worthless now
        db_.query("DELETE FROM one_time_prekeys WHERE user_id = $1 AND device_id = $2",
                  pg::Params().add(device.user_id).add(device.device_id));
    return changed;
}

void PgStore::saveSignedPreKey(DeviceKey device, std::uint32_t keyId, const std::string& publicKey,
                               const std::string& signature) {
    db_.query("INSERT INTO signed_prekeys(user_id, device_id, key_id, public_key, signature) VALUES($1, $2, $3, $4, $5) "
              "ON CONFLICT (user_id, device_id) DO UPDATE SET key_id = excluded.key_id, "
              "public_key = excluded.public_key, signature = excluded.signature",
              pg::Params().add(device.user_id).add(device.device_id).add(keyId).bytes(publicKey).bytes(signature));
}

void PgStore::addOneTimePreKeys(DeviceKey device, const std::vector<std::pair<std::uint32_t, std::string>>& keys) {
    for (const auto& [id, key] : keys)
        db_.query("INSERT INTO one_time_prekeys(user_id, device_id, key_id, public_key) VALUES($1, $2, $3, $4) "
                  "ON CONFLICT (user_id, device_id, key_id) DO UPDATE SET public_key = excluded.public_key",
                  pg::Params().add(device.user_id).add(device.device_id).add(id).bytes(key));
}

std::uint64_t PgStore::countOneTimePreKeys(DeviceKey device) {
    return static_cast<std::uint64_t>(
        db_.query("SELECT COUNT(*) FROM one_time_prekeys WHERE user_id = $1 AND device_id = $2",
                  pg::Params().add(device.user_id).add(device.device_id))
            .int64(0, 0));
}

bool PgStore::hasIdentity(DeviceKey device) { return identityKey(device).has_value(); }

std::optional<std::string> PgStore::identityKey(DeviceKey device) {
    auto r = db_.query("SELECT identity_key FROM identity_keys WHERE user_id = $1 AND device_id = $2",
                       pg::Params().add(device.user_id).add(device.device_id));
    if (r.empty()) return std::nullopt;
    return r.bytes(0, 0);
}

std::optional<KeyBundleRecord> PgStore::takeBundle(DeviceKey device, bool withOneTime) {
    auto r = db_.query("SELECT i.registration_id, i.identity_key, s.key_id, s.public_key, s.signature "
                       "FROM identity_keys i JOIN signed_prekeys s ON s.user_id = i.user_id AND "
                       "s.device_id = i.device_id WHERE i.user_id = $1 AND i.device_id = $2",
                       pg::Params().add(device.user_id).add(device.device_id));
    if (r.empty()) return std::nullopt;
    KeyBundleRecord b{static_cast<std::uint32_t>(r.int64(0, 0)), r.bytes(0, 1), static_cast<std::uint32_t>(r.int64(0, 2)),
                      r.bytes(0, 3), r.bytes(0, 4), std::nullopt};
    if (!withOneTime) return b;
    auto otk = db_.query("DELETE FROM one_time_prekeys WHERE (user_id, device_id, key_id) = ("
                         "SELECT user_id, device_id, key_id FROM one_time_prekeys WHERE user_id = $1 AND device_id = $2 "
                         "ORDER BY key_id LIMIT 1 FOR UPDATE SKIP LOCKED) RETURNING key_id, public_key",
                         pg::Params().add(device.user_id).add(device.device_id));
    if (!otk.empty()) b.one_time = std::pair{static_cast<std::uint32_t>(otk.int64(0, 0)), otk.bytes(0, 1)};
    return b;
}

void PgStore::saveLinkCode(const std::string& codeHash, const LinkCodeRecord& code, TimestampMs expiresAt) {
    db_.query("INSERT INTO link_codes(code_hash, user_id, expires_at, provision) VALUES($1, $2, $3, $4)",
              pg::Params().bytes(codeHash).add(code.user).add(expiresAt).add(code.provision));
}

std::optional<LinkCodeRecord> PgStore::takeLinkCode(const std::string& codeHash, TimestampMs now) {
    auto r = db_.query("DELETE FROM link_codes WHERE code_hash = $1 RETURNING user_id, expires_at, provision",
                       pg::Params().bytes(codeHash));
    db_.query("DELETE FROM link_codes WHERE expires_at <= $1", pg::Params().add(now));
    if (r.empty() || r.int64(0, 1) <= now) return std::nullopt;
    return LinkCodeRecord{static_cast<UserId>(r.int64(0, 0)), r.bytes(0, 2)};
}

std::uint64_t PgStore::countLinkCodes(UserId user, TimestampMs now) {
    return static_cast<std::uint64_t>(
        db_.query("SELECT COUNT(*) FROM link_codes WHERE user_id = $1 AND expires_at > $2",
                  pg::Params().add(user).add(now))
            .int64(0, 0));
}

bool PgStore::revokeDevice(DeviceKey device, protocol::RevocationReason reason, TimestampMs now) {
    const auto revoked = db_.query("UPDATE devices SET revoked_at = $1, revoked_reason = $2 "
                                   "WHERE user_id = $3 AND device_id = $4 AND revoked_at IS NULL",
                                   pg::Params()
                                       .add(now)
                                       .add(static_cast<int>(reason))
                                       .add(device.user_id)
                                       .add(device.device_id))
                             .affected();
    if (revoked == 0) return false;
    for (const char* sql : {"DELETE FROM identity_keys WHERE user_id = $1 AND device_id = $2",
                            "DELETE FROM signed_prekeys WHERE user_id = $1 AND device_id = $2",
                            "DELETE FROM one_time_prekeys WHERE user_id = $1 AND device_id = $2",
                            "DELETE FROM push_endpoints WHERE user_id = $1 AND device_id = $2"})
        db_.query(sql, pg::Params().add(device.user_id).add(device.device_id));
    return true;
}

std::vector<RevokedDevice> PgStore::revokedDevices() {
    auto r = db_.query("SELECT user_id, device_id, revoked_reason FROM devices WHERE revoked_at IS NOT NULL");
    std::vector<RevokedDevice> out;
    for (int i = 0; i < r.rows(); ++i)
        out.push_back({{static_cast<UserId>(r.int64(i, 0)), static_cast<DeviceId>(r.int64(i, 1))},
                       revocationReasonOf(r.int64(i, 2))});
    return out;
}

} // namespace natter::server
