// The chat list: one row per direct chat or group, with unread count and last preview.
#pragma once

#include "client/store/records.h"
#include "client/core/result.h"

#include <optional>
#include <vector>

namespace natter::client::store {

class Database;

class ChatStore {
public:
    explicit ChatStore(Database& db) : m_db(db) {}
    // Creates the chat when absent; otherwise updates title/type/peer only.
    Expected<void> ensure(const ChatRecord& chat);
    Expected<std::optional<ChatRecord>> byId(const QString& chatId);
    // Pinned first, then by last activity (newest first); archived ones only when asked.
    Expected<std::vector<ChatRecord>> list(bool includeArchived = false);
    Expected<void> setTitle(const QString& chatId, const QString& title);
    // A message arrived or was sent: bump activity and preview; incoming adds to unread.
    Expected<void> touch(const QString& chatId, TimestampMs at, const QString& preview, bool incomingUnread);
    Expected<void> clearUnread(const QString& chatId) { return setUnread(chatId, 0); }
    Expected<void> setUnread(const QString& chatId, int unread);
    // The newest message was edited or deleted: the list shows `preview` instead (no old text stays).
    Expected<void> setPreview(const QString& chatId, const QString& preview);
    Expected<void> setFlags(const QString& chatId, bool pinned, bool muted, bool archived);
    // Disappearing messages: what is sent in the chat from now on lives `seconds` (0: off).
    Expected<void> setExpireTimer(const QString& chatId, quint32 seconds);
    // Message requests: a stranger's 1:1 chat is one until the user accepts it (or writes).
    Expected<void> setRequest(const QString& chatId, bool request);
    // Profile names: the version of the own profile already sent in the chat (0: none yet).
    Expected<quint32> profileSent(const QString& chatId);
    Expected<void> setProfileSent(const QString& chatId, quint32 version);
    // The chat's row only (its messages go first, through MessageStore::remove).
    Expected<void> remove(const QString& chatId);

private:
    Database& m_db;
};

} // namespace natter::client::store
