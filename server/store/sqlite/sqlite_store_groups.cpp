// SqliteStore: groups and their memberships, the chat list and per-device history.
#include "store/sqlite/sqlite_store.h"

#include "protocol/base64.h"
#include "store/group_event_body.h"

#include <algorithm>

namespace natter::server {

using protocol::GroupRole;

namespace {
std::optional<std::string> optBlob(sqlite::Statement& stmt, int column) {
    return stmt.isNull(column) ? std::nullopt : std::optional(stmt.blob(column));
}
} // namespace

void SqliteStore::createGroup(const GroupRecord& g, TimestampMs now) {
    auto stmt = db_.prepare("INSERT INTO chats(id, kind, created_at, last_activity, name, description, avatar, "
                            "members_can_edit) VALUES(?,?,?,?,?,?,?,?)");
    stmt.bind(1, g.chat_id).bind(2, static_cast<int>(ChatKind::group)).bind(3, now).bind(4, now).bindBlob(5, g.name);
    if (g.description) stmt.bindBlob(6, *g.description);
    else stmt.bindNull(6);
    if (g.avatar) stmt.bindBlob(7, *g.avatar);
    else stmt.bindNull(7);
    stmt.bind(8, g.members_can_edit ? 1 : 0).run();
}

std::optional<GroupRecord> SqliteStore::findGroup(const std::string& chatId) {
    auto stmt = db_.prepare("SELECT name, description, avatar, members_can_edit, created_at FROM chats "
                            "WHERE id = ? AND kind = 1");
    stmt.bind(1, chatId);
    if (!stmt.step()) return std::nullopt;
    return GroupRecord{chatId, stmt.blob(0), optBlob(stmt, 1), optBlob(stmt, 2), stmt.int64(3) != 0, stmt.int64(4)};
}

void SqliteStore::updateGroup(const GroupRecord& g) {
    auto stmt = db_.prepare("UPDATE chats SET name = ?, description = ?, avatar = ?, members_can_edit = ? WHERE id = ?");
    stmt.bindBlob(1, g.name);
    if (g.description) stmt.bindBlob(2, *g.description);
    else stmt.bindNull(2);
    if (g.avatar) stmt.bindBlob(3, *g.avatar);
    else stmt.bindNull(3);
    stmt.bind(4, g.members_can_edit ? 1 : 0).bind(5, g.chat_id).run();
}

void SqliteStore::addMember(const std::string& chatId, UserId user, GroupRole role, Seq joinedSeq) {
    db_.prepare("INSERT OR REPLACE INTO chat_members(chat_id, user_id, role, joined_seq, left_seq, read_seq) "
                "VALUES(?, ?, ?, ?, NULL, ?)")
        .bind(1, chatId)
        .bind(2, user)
        .bind(3, static_cast<int>(role))
        .bind(4, joinedSeq)
        .bind(5, joinedSeq)
        .run();
}

void SqliteStore::removeMember(const std::string& chatId, UserId user, Seq leftSeq) {
    db_.prepare("UPDATE chat_members SET left_seq = ?, role = 0 WHERE chat_id = ? AND user_id = ? AND left_seq IS NULL")
        .bind(1, leftSeq)
        .bind(2, chatId)
        .bind(3, user)
        .run();
}

void SqliteStore::setRole(const std::string& chatId, UserId user, GroupRole role) {
    db_.prepare("UPDATE chat_members SET role = ? WHERE chat_id = ? AND user_id = ? AND left_seq IS NULL")
        .bind(1, static_cast<int>(role))
        .bind(2, chatId)
        .bind(3, user)
        .run();
}

std::optional<GroupRole> SqliteStore::memberRole(const std::string& chatId, UserId user) {
    auto stmt = db_.prepare("SELECT role FROM chat_members WHERE chat_id = ? AND user_id = ? AND left_seq IS NULL");
    stmt.bind(1, chatId).bind(2, user);
    if (!stmt.step()) return std::nullopt;
    return static_cast<GroupRole>(stmt.int64(0));
}

std::vector<protocol::rest::GroupMember> SqliteStore::groupMembers(const std::string& chatId) {
    auto stmt = db_.prepare("SELECT user_id, role FROM chat_members WHERE chat_id = ? AND left_seq IS NULL ORDER BY user_id");
    stmt.bind(1, chatId);
    std::vector<protocol::rest::GroupMember> out;
    while (stmt.step()) out.push_back({static_cast<UserId>(stmt.int64(0)), static_cast<GroupRole>(stmt.int64(1))});
    return out;
}

std::vector<protocol::rest::ChatSummary> SqliteStore::listChats(UserId user) {
    auto chats = db_.prepare("SELECT c.id, c.kind, c.name, c.last_activity, cm.read_seq FROM chat_members cm "
                             "JOIN chats c ON c.id = cm.chat_id WHERE cm.user_id = ? AND cm.left_seq IS NULL "
                             "ORDER BY c.last_activity DESC, c.id");
    chats.bind(1, user);
    std::vector<protocol::rest::ChatSummary> out;
    std::vector<Seq> readSeqs;
    while (chats.step()) {
        protocol::rest::ChatSummary c;
        c.chat_id = chats.text(0);
        c.type = chats.int64(1) == static_cast<int>(ChatKind::group) ? protocol::ChatType::group
                                                                      : protocol::ChatType::direct;
        if (!chats.isNull(2)) c.name = protocol::base64::encode(chats.blob(2));
        c.last_activity = chats.int64(3);
        readSeqs.push_back(static_cast<Seq>(chats.int64(4)));
        out.push_back(std::move(c));
    }
    for (std::size_t i = 0; i < out.size(); ++i) {
        auto& c = out[i];
        c.participants = chatMembers(c.chat_id);
        auto last = db_.prepare("SELECT id, seq, sender_id, created_at FROM messages WHERE chat_id = ?1 "
                                "AND (withheld_from IS NULL OR withheld_from != ?2) ORDER BY seq DESC LIMIT 1");
        last.bind(1, c.chat_id).bind(2, user);
        if (last.step())
            c.last_message = protocol::rest::MessageSummary{static_cast<MessageId>(last.int64(0)),
                                                            static_cast<Seq>(last.int64(1)),
                                                            static_cast<UserId>(last.int64(2)), last.int64(3)};
        auto unread = db_.prepare("SELECT COUNT(*) FROM messages WHERE chat_id = ? AND seq > ? AND sender_id != ? "
                                  "AND kind = 0");
        unread.bind(1, c.chat_id).bind(2, readSeqs[i]).bind(3, user);
        unread.step();
        c.unread_count = static_cast<std::uint64_t>(unread.int64(0));
    }
    return out;
}

std::vector<protocol::rest::HistoryItem> SqliteStore::history(const std::string& chatId, DeviceKey device,
                                                              Seq beforeSeq, std::size_t limit) {
    auto stmt = db_.prepare(
        "SELECT m.id, m.seq, m.sender_id, m.sender_device, m.created_at, m.client_msg_id, m.kind, "
        "COALESCE(e.content, b.content) FROM messages m "
        "JOIN chat_members cm ON cm.chat_id = m.chat_id AND cm.user_id = ?2 "
        "LEFT JOIN envelopes e ON e.message_id = m.id AND e.user_id = ?2 AND e.device_id = ?3 "
        "LEFT JOIN message_bodies b ON b.message_id = m.id "
        "WHERE m.chat_id = ?1 AND m.seq < ?4 AND m.seq >= cm.joined_seq "
        "AND (cm.left_seq IS NULL OR m.seq <= cm.left_seq) "
        "AND (m.withheld_from IS NULL OR m.withheld_from != ?2) ORDER BY m.seq DESC LIMIT ?5");
    stmt.bind(1, chatId).bind(2, device.user_id).bind(3, device.device_id).bind(4, beforeSeq);
    stmt.bind(5, static_cast<std::int64_t>(limit));
    std::vector<protocol::rest::HistoryItem> out;
    while (stmt.step()) {
        protocol::rest::HistoryItem item;
        item.message_id = static_cast<MessageId>(stmt.int64(0));
        item.seq = static_cast<Seq>(stmt.int64(1));
        item.sender_id = static_cast<UserId>(stmt.int64(2));
        item.sender_device = static_cast<DeviceId>(stmt.int64(3));
        item.timestamp = stmt.int64(4);
        item.client_msg_id = stmt.text(5);
        if (stmt.int64(6) == static_cast<int>(MessageKind::group_event)) {
            item.client_msg_id.clear(); // internal for events
            if (auto body = decodeGroupEvent(stmt.blob(7))) {
                item.event = body->event;
                item.user_ids = body->user_ids;
            }
        } else if (!stmt.isNull(7)) {
            item.content = protocol::base64::encode(stmt.blob(7));
        }
        out.push_back(std::move(item));
    }
    std::reverse(out.begin(), out.end());
    return out;
}

} // namespace natter::server
