// Groups this profile belongs to: the shared secret, decrypted name and description,
// members with roles, and which member devices already hold our current sender key.
#pragma once

#include "client/store/records.h"
#include "client/core/result.h"

#include <optional>
#include <vector>

namespace natter::client::store {

class Database;

class GroupStore {
public:
    explicit GroupStore(Database& db) : m_db(db) {}
    Expected<void> save(const GroupRecord& group); // replaces members as a whole
    Expected<std::optional<GroupRecord>> byId(const QString& chatId);
    // Every group with this name (case-insensitive; several groups may share one), by chat id.
    Expected<std::vector<GroupRecord>> byName(const QString& name);
    Expected<std::vector<GroupRecord>> all();
    Expected<void> setSecret(const QString& chatId, const QByteArray& secret);
    Expected<void> remove(const QString& chatId);
    // Sender-key bookkeeping: devices that got our current distribution message.
    Expected<bool> senderKeyShared(const QString& chatId, UserId userId, DeviceId deviceId);
    Expected<void> markSenderKeyShared(const QString& chatId, UserId userId, DeviceId deviceId);
    // After a member leaves or is removed: forget every share (a new key must go out).
    Expected<void> clearSenderKeyShares(const QString& chatId);

private:
    Database& m_db;
};

} // namespace natter::client::store
