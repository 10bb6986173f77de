// GroupStore: group secrets, decrypted names, members with roles, and the devices that
// already received our current sender key.
#include "client/store/group_store.h"

#include "client/store/database.h"

namespace natter::client::store {

namespace {

Expected<std::vector<GroupRecord>> readGroups(Database& db, Statement& stmt) {
    std::vector<GroupRecord> groups;
    for (;;) {
        auto row = stmt.step();
        if (!row) return row.error();
        if (!*row) break;
        GroupRecord g;
        g.chatId = stmt.text(0);
        g.secret = stmt.blob(1);
        g.name = stmt.text(2);
        g.description = stmt.text(3);
        groups.push_back(std::move(g));
    }
    auto members = db.prepare("SELECT user_id, role FROM group_members WHERE chat_id = ? ORDER BY user_id");
    if (!members) return members.error();
    for (GroupRecord& g : groups) {
        members->reset();
        members->bind(1, g.chatId);
        for (;;) {
            auto row = members->step();
            if (!row) return row.error();
            if (!*row) break;
            const auto role = members->int64(1) == qint64(GroupRole::admin) ? GroupRole::admin : GroupRole::member;
            g.members.push_back(GroupMemberRecord{UserId(members->int64(0)), role});
        }
    }
    return groups;
}

Expected<std::optional<GroupRecord>> readOne(Database& db, Expected<Statement>& stmt) {
    if (!stmt) return stmt.error();
    auto groups = readGroups(db, *stmt);
    if (!groups) return groups.error();
    if (groups->empty()) return std::optional<GroupRecord>();
    return std::optional<GroupRecord>(std::move(groups->front()));
}

constexpr const char* kColumns = "SELECT chat_id, secret, name, description FROM groups ";

} // namespace

Expected<void> GroupStore::save(const GroupRecord& group) {
    if (group.chatId.isEmpty()) return makeClientError(ErrorKind::InvalidArgument, QStringLiteral("empty group id"));
    return m_db.transaction([&]() -> Expected<void> {
        auto upsert = m_db.prepare("INSERT OR IGNORE INTO groups (chat_id, secret) VALUES (?1, ?2)");
        if (!upsert) return upsert.error();
        upsert->bind(1, group.chatId).bind(2, group.secret);
        if (auto r = upsert->run(); !r) return r;
        auto update = m_db.prepare("UPDATE groups SET secret = ?2, name = ?3, description = ?4 WHERE chat_id = ?1");
        if (!update) return update.error();
        update->bind(1, group.chatId).bind(2, group.secret).bind(3, group.name).bind(4, group.description);
        if (auto r = update->run(); !r) return r;
        auto clear = m_db.prepare("DELETE FROM group_members WHERE chat_id = ?");
        if (!clear) return clear.error();
        clear->bind(1, group.chatId);
        if (auto r = clear->run(); !r) return r;
        auto insert = m_db.prepare("INSERT OR REPLACE INTO group_members (chat_id, user_id, role) VALUES (?, ?, ?)");
        if (!insert) return insert.error();
        for (const GroupMemberRecord& m : group.members) {
            insert->reset();
            insert->bind(1, group.chatId).bind(2, qint64(m.userId)).bind(3, qint64(m.role));
            if (auto r = insert->run(); !r) return r;
        }
        return {};
    });
}

Expected<std::optional<GroupRecord>> GroupStore::byId(const QString& chatId) {
    auto stmt = m_db.prepare(std::string(kColumns) + "WHERE chat_id = ?");
    if (stmt) stmt->bind(1, chatId);
    return readOne(m_db, stmt);
}

Expected<std::vector<GroupRecord>> GroupStore::byName(const QString& name) {
    auto stmt = m_db.prepare(std::string(kColumns) + "WHERE name = ? COLLATE NOCASE AND name <> '' ORDER BY chat_id");
    if (!stmt) return stmt.error();
    stmt->bind(1, name);
    return readGroups(m_db, *stmt);
}

Expected<std::vector<GroupRecord>> GroupStore::all() {
    auto stmt = m_db.prepare(std::string(kColumns) + "ORDER BY name COLLATE NOCASE, chat_id");
    if (!stmt) return stmt.error();
    return readGroups(m_db, *stmt);
}

Expected<void> GroupStore::setSecret(const QString& chatId, const QByteArray& secret) {
    auto stmt = m_db.prepare("UPDATE groups SET secret = ? WHERE chat_id = ?");
    if (!stmt) return stmt.error();
    stmt->bind(1, secret).bind(2, chatId);
    if (auto r = stmt->run(); !r) return r;
    if (m_db.changes() == 0) return makeClientError(ErrorKind::NotFound, QStringLiteral("unknown group %1").arg(chatId));
    return {};
}

Expected<void> GroupStore::remove(const QString& chatId) {
    return m_db.transaction([&]() -> Expected<void> {
        for (const char* sql : {"DELETE FROM sender_key_shares WHERE chat_id = ?", "DELETE FROM group_members WHERE chat_id = ?",
                                "DELETE FROM groups WHERE chat_id = ?"}) {
            auto stmt = m_db.prepare(sql);
            if (!stmt) return stmt.error();
            stmt->bind(1, chatId);
            if (auto r = stmt->run(); !r) return r;
        }
        return {};
    });
}

Expected<bool> GroupStore::senderKeyShared(const QString& chatId, UserId userId, DeviceId deviceId) {
    auto stmt = m_db.prepare("SELECT 1 FROM sender_key_shares WHERE chat_id = ? AND user_id = ? AND device_id = ?");
    if (!stmt) return stmt.error();
    stmt->bind(1, chatId).bind(2, qint64(userId)).bind(3, qint64(deviceId));
    return stmt->step();
}

Expected<void> GroupStore::markSenderKeyShared(const QString& chatId, UserId userId, DeviceId deviceId) {
    auto stmt = m_db.prepare("INSERT OR IGNORE INTO sender_key_shares (chat_id, user_id, device_id) VALUES (?, ?, ?)");
    if (!stmt) return stmt.error();
    stmt->bind(1, chatId).bind(2, qint64(userId)).bind(3, qint64(deviceId));
    return stmt->run();
}

Expected<void> GroupStore::clearSenderKeyShares(const QString& chatId) {
    auto stmt = m_db.prepare("DELETE FROM sender_key_shares WHERE chat_id = ?");
    if (!stmt) return stmt.error();
    stmt->bind(1, chatId);
    return stmt->run();
}

} // namespace natter::client::store
