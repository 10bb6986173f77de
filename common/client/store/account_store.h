// The profile's own account (server, ids, device credential) and small settings, as
// key/value rows in the encrypted store.
#pragma once

#include "client/store/records.h"
#include "client/core/result.h"

#include <optional>

namespace natter::client::store {

class Database;

class AccountStore {
public:
    explicit AccountStore(Database& db) : m_db(db) {}
    // Empty until the profile registered or linked.
    Expected<std::optional<AccountRecord>> load();
    Expected<void> save(const AccountRecord& account);
    // Settings such as "read_receipts" = "false"; empty when unset.
    Expected<QString> setting(const QString& key);
    Expected<void> setSetting(const QString& key, const QString& value);

private:
    Database& m_db;
};

} // namespace natter::client::store
