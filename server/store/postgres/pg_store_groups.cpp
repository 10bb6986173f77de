// PgStore: groups and their memberships, the chat list and per-device history.
#include "store/postgres/pg_store.h"

#include "protocol/base64.h"
#include "store/group_event_body.h"

#include <algorithm>

namespace natter::server {

using protocol::GroupRole;

void PgStore::createGroup(const GroupRecord& g, TimestampMs now) {
    db_.query("INSERT INTO chats(id, kind, created_at, last_activity, name, description, avatar, members_can_edit) "
              "VALUES($1, $2, $3, $3, $4, $5, $6, $7)",
              pg::Params()
                  .add(g.chat_id)
                  .add(static_cast<int>(ChatKind::group))
                  .add(now)
                  .bytes(g.name)
                  .bytes(g.description)
                  .bytes(g.avatar)
                  .add(g.members_can_edit));
}

std::optional<GroupRecord> PgStore::findGroup(const std::string& chatId) {
    auto r = db_.query("SELECT name, description, avatar, members_can_edit, created_at FROM chats "
                       "WHERE id = $1 AND kind = 1",
                       pg::Params().add(chatId));
    if (r.empty()) return std::nullopt;
    return GroupRecord{chatId, r.bytes(0, 0), r.optBytes(0, 1), r.optBytes(0, 2), r.int64(0, 3) != 0, r.int64(0, 4)};
}

void PgStore::updateGroup(const GroupRecord& g) {
    db_.query("UPDATE chats SET name = $1, description = $2, avatar = $3, members_can_edit = $4 WHERE id = $5",
              pg::Params().bytes(g.name).bytes(g.description).bytes(g.avatar).add(g.members_can_edit).add(g.chat_id));
}

void PgStore::addMember(const std::string& chatId, UserId user, GroupRole role, Seq joinedSeq) {
    db_.query("INSERT INTO chat_members(chat_id, user_id, role, joined_seq, left_seq, read_seq) "
              "VALUES($1, $2, $3, $4, NULL, $4) ON CONFLICT (chat_id, user_id) DO UPDATE SET role = excluded.role, "
              "joined_seq = excluded.joined_seq, left_seq = NULL, read_seq = excluded.read_seq",
              pg::Params().add(chatId).add(user).add(static_cast<int>(role)).add(joinedSeq));
}

void PgStore::removeMember(const std::string& chatId, UserId user, Seq leftSeq) {
    db_.query("UPDATE chat_members SET left_seq = $1, role = 0 WHERE chat_id = $2 AND user_id = $3 AND left_seq IS NULL",
              pg::Params().add(leftSeq).add(chatId).add(user));
}

void PgStore::setRole(const std::string& chatId, UserId user, GroupRole role) {
    db_.query("UPDATE chat_members SET role = $1 WHERE chat_id = $2 AND user_id = $3 AND left_seq IS NULL",
              pg::Params().add(static_cast<int>(role)).add(chatId).add(user));
}

std::optional<GroupRole> PgStore::memberRole(const std::string& chatId, UserId user) {
    auto r = db_.query("SELECT role FROM chat_members WHERE chat_id = $1 AND user_id = $2 AND left_seq IS NULL",
                       pg::Params().add(chatId).add(user));
    if (r.empty()) return std::nullopt;
    return static_cast<GroupRole>(r.int64(0, 0));
}

std::vector<protocol::rest::GroupMember> PgStore::groupMembers(const std::string& chatId) {
    auto r = db_.query("SELECT user_id, role FROM chat_members WHERE chat_id = $1 AND left_seq IS NULL ORDER BY user_id",
                       pg::Params().add(chatId));
    std::vector<protocol::rest::GroupMember> out;
    for (int i = 0; i < r.rows(); ++i)
        out.push_back({static_cast<UserId>(r.int64(i, 0)), static_cast<GroupRole>(r.int64(i, 1))});
    return out;
}

std::vector<protocol::rest::ChatSummary> PgStore::listChats(UserId user) {
    auto chats = db_.query("SELECT c.id, c.kind, c.name, c.last_activity, cm.read_seq FROM chat_members cm "
                           "JOIN chats c ON c.id = cm.chat_id WHERE cm.user_id = $1 AND cm.left_seq IS NULL "
                           "ORDER BY c.last_activity DESC, c.id",
                           pg::Params().add(user));
    std::vector<protocol::rest::ChatSummary> out;
    for (int i = 0; i < chats.rows(); ++i) {
        protocol::rest::ChatSummary c;
        c.chat_id = chats.bytes(i, 0);
        c.type = chats.int64(i, 1) == static_cast<int>(ChatKind::group) ? protocol::ChatType::group
                                                                         : protocol::ChatType::direct;
        if (!chats.isNull(i, 2)) c.name = protocol::base64::encode(chats.bytes(i, 2));
        c.last_activity = chats.int64(i, 3);
        const auto readSeq = static_cast<Seq>(chats.int64(i, 4));
        c.participants = chatMembers(c.chat_id);
        auto last = db_.query("SELECT id, seq, sender_id, created_at FROM messages WHERE chat_id = $1 "
                              "AND (withheld_from IS NULL OR withheld_from != $2) ORDER BY seq DESC LIMIT 1",
                              pg::Params().add(c.chat_id).add(user));
        if (!last.empty())
            c.last_message = protocol::rest::MessageSummary{static_cast<MessageId>(last.int64(0, 0)),
                                                            static_cast<Seq>(last.int64(0, 1)),
                                                            static_cast<UserId>(last.int64(0, 2)), last.int64(0, 3)};
        auto unread = db_.query("SELECT COUNT(*) FROM messages WHERE chat_id = $1 AND seq > $2 AND sender_id != $3 "
                                "AND kind = 0",
                                pg::Params().add(c.chat_id).add(readSeq).add(user));
        c.unread_count = static_cast<std::uint64_t>(unread.int64(0, 0));
        out.push_back(std::move(c));
    }
    return out;
}

std::vector<protocol::rest::HistoryItem> PgStore::history(const std::string& chatId, DeviceKey device, Seq beforeSeq,
                                                          std::size_t limit) {
    auto r = db_.query("SELECT m.id, m.seq, m.sender_id, m.sender_device, m.created_at, m.client_msg_id, m.kind, "
                       "COALESCE(e.content, b.content) FROM messages m "
                       "JOIN chat_members cm ON cm.chat_id = m.chat_id AND cm.user_id = $2 "
                       "LEFT JOIN envelopes e ON e.message_id = m.id AND e.user_id = $2 AND e.device_id = $3 "
                       "LEFT JOIN message_bodies b ON b.message_id = m.id "
                       "WHERE m.chat_id = $1 AND m.seq < $4 AND m.seq >= cm.joined_seq "
                       "AND (cm.left_seq IS NULL OR m.seq <= cm.left_seq) "
                       "AND (m.withheld_from IS NULL OR m.withheld_from != $2) ORDER BY m.seq DESC LIMIT $5",
                       pg::Params().add(chatId).add(device.user_id).add(device.device_id).add(beforeSeq).add(limit));
    std::vector<protocol::rest::HistoryItem> out;
    for (int i = 0; i < r.rows(); ++i) {
        protocol::rest::HistoryItem item;
        item.message_id = static_cast<MessageId>(r.int64(i, 0));
        item.seq = static_cast<Seq>(r.int64(i, 1));
        item.sender_id = static_cast<UserId>(r.int64(i, 2));
        item.sender_device = static_cast<DeviceId>(r.int64(i, 3));
        item.timestamp = r.int64(i, 4);
        item.client_msg_id = r.bytes(i, 5);
        if (r.int64(i, 6) == static_cast<int>(MessageKind::group_event)) {
            item.client_msg_id.clear(); // internal for events
            if (auto body = decodeGroupEvent(r.bytes(i, 7))) {
                item.event = body->event;
                item.user_ids = body->user_ids;
            }
        } else if (!r.isNull(i, 7)) {
            item.content = protocol::base64::encode(r.bytes(i, 7));
        }
        out.push_back(std::move(item));
    }
    std::reverse(out.begin(), out.end());
    return out;
}

} // namespace natter::server
