// The signed device list last accepted for each user (their own account included): the
// account identity key it was signed with (trust on first use, changed only with a visible
// "safety number changed"), its version (an older one is a replay) and the devices it names.
#pragma once

#include "client/core/result.h"
#include "client/store/records.h"

#include <QByteArray>

#include <optional>
#include <vector>

namespace natter::client::store {

class Database;

struct PinnedDeviceList {
    QByteArray identityKey;         // serialized public key (33 bytes)
    quint64 version = 0;
    std::vector<DeviceId> devices;  // ascending
};

class DeviceListStore {
public:
    explicit DeviceListStore(Database& db) : m_db(db) {}
    Expected<std::optional<PinnedDeviceList>> pinned(UserId user);
    Expected<void> pin(UserId user, const PinnedDeviceList& list);

private:
    Database& m_db;
};

} // namespace natter::client::store
