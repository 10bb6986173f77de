// Whether the server revoked this device (unlinked, or its number registered again
// elsewhere), kept in the profile so a revoked profile knows it at once, offline; and the
// clean slate for starting over as a new device with the same profile and its history.
#pragma once

#include "client/core/result.h"
#include "protocol/types.h"

#include <optional>

namespace natter::client::store {

class Database;

class RevocationStore {
public:
    explicit RevocationStore(Database& db) : m_db(db) {}
    // nullopt while this device was not revoked.
    Expected<std::optional<protocol::RevocationReason>> load();
    Expected<void> save(protocol::RevocationReason reason, protocol::TimestampMs when);
    // Forgets this device: its account row and credential, its Signal identity, pre-keys,
    // sessions and sender keys, what it knew of its contacts' devices and sender-key shares,
    // the outbox and the revocation. Messages, chats, contacts, groups and the identity keys
    // seen of others stay. One transaction.
    Expected<void> forgetDevice();

private:
    Database& m_db;
};

} // namespace natter::client::store
