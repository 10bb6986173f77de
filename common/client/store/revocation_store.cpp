// RevocationStore: the device_revocation row (migration 3) and forgetting a revoked device.
#include "client/store/revocation_store.h"

#include "client/store/database.h"
#include "protocol/error.h"

namespace natter::client::store {

Expected<std::optional<protocol::RevocationReason>> RevocationStore::load() {
    auto stmt = m_db.prepare("SELECT reason FROM device_revocation WHERE id = 1");
    if (!stmt) return stmt.error();
    auto row = stmt->step();
    if (!row) return row.error();
    if (!*row) return std::optional<protocol::RevocationReason>();
    protocol::RevocationReason reason = protocol::RevocationReason::unlinked;
    // A reason written by a newer build reads as unlinked: the device stays revoked either way.
    if (!protocol::fromString(stmt->text(0).toStdString(), reason)) reason = protocol::RevocationReason::unlinked;
    return std::optional(reason);
}

Expected<void> RevocationStore::save(protocol::RevocationReason reason, protocol::TimestampMs when) {
    auto stmt = m_db.prepare("INSERT OR REPLACE INTO device_revocation (id, reason, revoked_at) VALUES (1, ?, ?)");
    if (!stmt) return stmt.error();
    stmt->bindText(1, protocol::toString(reason)).bind(2, qint64(when));
    return stmt->run();
}

Expected<void> RevocationStore::forgetDevice() {
    return m_db.transaction([&]() -> Expected<void> {
        return m_db.exec("DELETE FROM account; DELETE FROM local_identity; DELETE FROM prekeys; "
                         "DELETE FROM signed_prekeys; DELETE FROM sessions; DELETE FROM sender_keys; "
                         "DELETE FROM sender_key_shares; DELETE FROM contact_devices; DELETE FROM outbox; "
                         "DELETE FROM device_revocation;");
    });
}

} // namespace natter::client::store
