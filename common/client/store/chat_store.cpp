// ChatStore: one row per chat with its unread count, last activity and preview, and the
// pinned / muted / archived flags that order and filter the chat list.
#include "client/store/chat_store.h"

#include "client/store/database.h"

namespace natter::client::store {

namespace {

constexpr const char* kColumns = "SELECT chat_id, type, title, peer_id, unread, last_activity, last_preview, "
                                 "pinned, muted, archived, expire_timer, request FROM chats ";

ChatRecord readChat(const Statement& s) {
    ChatRecord c;
    c.chatId = s.text(0);
    c.type = s.int64(1) == qint64(ChatType::group) ? ChatType::group : ChatType::direct;
    c.title = s.text(2);
    c.peerId = UserId(s.int64(3));
    c.unread = s.int64(4);
    c.lastActivity = s.int64(5);
    c.lastPreview = s.text(6);
    c.pinned = s.int64(7) != 0;
    c.muted = s.int64(8) != 0;
    c.archived = s.int64(9) != 0;
    c.expireTimer = quint32(s.int64(10));
    c.request = s.int64(11) != 0;
    return c;
}

Expected<void> requireChanged(Database& db, const QString& chatId) {
    if (db.changes() == 0) return makeClientError(ErrorKind::NotFound, QStringLiteral("unknown chat %1").arg(chatId));
    return {};
}

} // namespace

Expected<void> ChatStore::ensure(const ChatRecord& chat) {
    if (chat.chatId.isEmpty()) return makeClientError(ErrorKind::InvalidArgument, QStringLiteral("empty chat id"));
    return m_db.transaction([&]() -> Expected<void> {
        auto insert = m_db.prepare("INSERT OR IGNORE INTO chats "
                                   "(chat_id, type, title, peer_id, unread, last_activity, last_preview, pinned, muted, archived) "
                                   "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
        if (!insert) return insert.error();
        insert->bind(1, chat.chatId)
            .bind(2, qint64(chat.type))
            .bind(3, chat.title)
            .bind(4, qint64(chat.peerId))
            .bind(5, chat.unread)
            .bind(6, chat.lastActivity)
            .bind(7, chat.lastPreview)
            .bind(8, qint64(chat.pinned))
            .bind(9, qint64(chat.muted))
            .bind(10, qint64(chat.archived));
        if (auto r = insert->run(); !r) return r;
        if (m_db.changes() > 0) return {};
        // An empty title or a zero peer does not erase what is known.
        auto update = m_db.prepare("UPDATE chats SET type = ?2, "
                                   "title = CASE WHEN ?3 = '' THEN title ELSE ?3 END, "
                                   "peer_id = CASE WHEN ?4 = 0 THEN peer_id ELSE ?4 END "
                                   "WHERE chat_id = ?1");
        if (!update) return update.error();
        update->bind(1, chat.chatId).bind(2, qint64(chat.type)).bind(3, chat.title).bind(4, qint64(chat.peerId));
        return update->run();
    });
}

Expected<std::optional<ChatRecord>> ChatStore::byId(const QString& chatId) {
    auto stmt = m_db.prepare(std::string(kColumns) + "WHERE chat_id = ?");
    if (!stmt) return stmt.error();
    stmt->bind(1, chatId);
    auto row = stmt->step();
    if (!row) return row.error();
    if (!*row) return std::optional<ChatRecord>();
    return std::optional<ChatRecord>(readChat(*stmt));
}

Expected<std::vector<ChatRecord>> ChatStore::list(bool includeArchived) {
    auto stmt = m_db.prepare(std::string(kColumns) +
                             "WHERE archived = 0 OR ?1 "
                             "ORDER BY pinned DESC, last_activity DESC, chat_id");
    if (!stmt) return stmt.error();
    stmt->bind(1, qint64(includeArchived));
    std::vector<ChatRecord> out;
    for (;;) {
        auto row = stmt->step();
        if (!row) return row.error();
        if (!*row) return out;
        out.push_back(readChat(*stmt));
    }
}

Expected<void> ChatStore::setTitle(const QString& chatId, const QString& title) {
    auto stmt = m_db.prepare("UPDATE chats SET title = ? WHERE chat_id = ?");
    if (!stmt) return stmt.error();
    stmt->bind(1, title).bind(2, chatId);
    if (auto r = stmt->run(); !r) return r;
    return requireChanged(m_db, chatId);
}

Expected<void> ChatStore::touch(const QString& chatId, TimestampMs at, const QString& preview, bool incomingUnread) {
    // A message older than the newest one (history arriving late) does not replace the preview.
    auto stmt = m_db.prepare("UPDATE chats SET "
                             "last_preview = CASE WHEN ?2 >= last_activity THEN ?3 ELSE last_preview END, "
                             "last_activity = max(last_activity, ?2), unread = unread + ?4 "
                             "WHERE chat_id = ?1");
    if (!stmt) return stmt.error();
    stmt->bind(1, chatId).bind(2, at).bind(3, preview).bind(4, qint64(incomingUnread ? 1 : 0));
    if (auto r = stmt->run(); !r) return r;
    return requireChanged(m_db, chatId);
}

Expected<void> ChatStore::setPreview(const QString& chatId, const QString& preview) {
    auto stmt = m_db.prepare("UPDATE chats SET last_preview = ? WHERE chat_id = ?");
    if (!stmt) return stmt.error();
    stmt->bind(1, preview).bind(2, chatId);
    return stmt->run();
}

Expected<void> ChatStore::setUnread(const QString& chatId, int unread) {
    auto stmt = m_db.prepare("UPDATE chats SET unread = ?2 WHERE chat_id = ?1");
    if (!stmt) return stmt.error();
    stmt->bind(1, chatId).bind(2, qint64(unread));
    return stmt->run();
}

Expected<void> ChatStore::setFlags(const QString& chatId, bool pinned, bool muted, bool archived) {
    auto stmt = m_db.prepare("UPDATE chats SET pinned = ?, muted = ?, archived = ? WHERE chat_id = ?");
    if (!stmt) return stmt.error();
    stmt->bind(1, qint64(pinned)).bind(2, qint64(muted)).bind(3, qint64(archived)).bind(4, chatId);
    if (auto r = stmt->run(); !r) return r;
    return requireChanged(m_db, chatId);
}

Expected<void> ChatStore::setExpireTimer(const QString& chatId, quint32 seconds) {
    auto stmt = m_db.prepare("UPDATE chats SET expire_timer = ? WHERE chat_id = ?");
    if (!stmt) return stmt.error();
    stmt->bind(1, qint64(seconds)).bind(2, chatId);
    if (auto r = stmt->run(); !r) return r;
    return requireChanged(m_db, chatId);
}

Expected<void> ChatStore::setRequest(const QString& chatId, bool request) {
    auto stmt = m_db.prepare("UPDATE chats SET request = ? WHERE chat_id = ?");
    if (!stmt) return stmt.error();
    stmt->bind(1, qint64(request)).bind(2, chatId);
    if (auto r = stmt->run(); !r) return r;
    return requireChanged(m_db, chatId);
}

Expected<quint32> ChatStore::profileSent(const QString& chatId) {
    auto stmt = m_db.prepare("SELECT profile_sent FROM chats WHERE chat_id = ?");
    if (!stmt) return stmt.error();
    stmt->bind(1, chatId);
    auto row = stmt->step();
    if (!row) return row.error();
    return *row ? quint32(stmt->int64(0)) : 0u;
}

Expected<void> ChatStore::setProfileSent(const QString& chatId, quint32 version) {
    auto stmt = m_db.prepare("UPDATE chats SET profile_sent = ? WHERE chat_id = ?");
    if (!stmt) return stmt.error();
    stmt->bind(1, qint64(version)).bind(2, chatId);
    if (auto r = stmt->run(); !r) return r;
    return requireChanged(m_db, chatId);
}

Expected<void> ChatStore::remove(const QString& chatId) {
    auto stmt = m_db.prepare("DELETE FROM chats WHERE chat_id = ?");
    if (!stmt) return stmt.error();
    stmt->bind(1, chatId);
    if (auto r = stmt->run(); !r) return r;
    return requireChanged(m_db, chatId);
}

} // namespace natter::client::store
