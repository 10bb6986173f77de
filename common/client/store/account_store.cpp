// AccountStore: the single account row and the settings key/value table.
#include "client/store/account_store.h"

#include "client/store/database.h"

namespace natter::client::store {

Expected<std::optional<AccountRecord>> AccountStore::load() {
    auto stmt = m_db.prepare("SELECT server, user_id, device_id, phone, device_secret, display_name "
                             "FROM account WHERE id = 1");
    if (!stmt) return stmt.error();
    auto row = stmt->step();
    if (!row) return row.error();
    if (!*row) return std::optional<AccountRecord>();
    AccountRecord a;
    a.server = QUrl(stmt->text(0));
    a.userId = UserId(stmt->int64(1));
    a.deviceId = DeviceId(stmt->int64(2));
    a.phone = stmt->text(3);
    a.deviceSecret = stmt->blob(4);
    a.displayName = stmt->text(5);
    return std::optional<AccountRecord>(std::move(a));
}

Expected<void> AccountStore::save(const AccountRecord& account) {
    auto stmt = m_db.prepare("INSERT OR REPLACE INTO account "
                             "(id, server, user_id, device_id, phone, device_secret, display_name) "
                             "VALUES (1, ?, ?, ?, ?, ?, ?)");
    if (!stmt) return stmt.error();
    stmt->bind(1, account.server.toString())
        .bind(2, qint64(account.userId))
        .bind(3, qint64(account.deviceId))
        .bind(4, account.phone)
        .bind(5, account.deviceSecret)
        .bind(6, account.displayName);
    return stmt->run();
}

Expected<QString> AccountStore::setting(const QString& key) {
    auto stmt = m_db.prepare("SELECT value FROM settings WHERE key = ?");
    if (!stmt) return stmt.error();
    stmt->bind(1, key);
    auto row = stmt->step();
    if (!row) return row.error();
    return *row ? stmt->text(0) : QString();
}

Expected<void> AccountStore::setSetting(const QString& key, const QString& value) {
    auto stmt = m_db.prepare("INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)");
    if (!stmt) return stmt.error();
    stmt->bind(1, key).bind(2, value);
    return stmt->run();
}

} // namespace natter::client::store
