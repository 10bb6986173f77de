// Contacts known to this profile (by server user id), with their local names.
#pragma once

#include "client/store/records.h"
#include "client/core/result.h"

#include <optional>
#include <vector>

namespace natter::client::store {

class Database;

class ContactStore {
public:
    explicit ContactStore(Database& db) : m_db(db) {}
    Expected<void> upsert(const ContactRecord& contact); // by userId; keeps identityChanged unless set
    Expected<std::optional<ContactRecord>> byId(UserId userId);
    Expected<std::optional<ContactRecord>> byPhone(const QString& phone);
    // Exact (case-insensitive) local name match; several contacts may share a name.
    Expected<std::vector<ContactRecord>> byName(const QString& name);
    Expected<std::vector<ContactRecord>> all(); // sorted by name, then phone
    Expected<void> setIdentityChanged(UserId userId, bool changed);
    // The contact is gone (its chat and messages stay); nothing to remove is no error.
    Expected<void> remove(UserId userId);
    // Devices last known for a user (for addressing envelopes); replaced as a whole.
    Expected<std::vector<DeviceId>> devices(UserId userId);
    Expected<void> setDevices(UserId userId, const std::vector<DeviceId>& devices);

private:
    Database& m_db;
};

} // namespace natter::client::store
