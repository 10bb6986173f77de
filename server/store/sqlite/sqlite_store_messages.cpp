// SqliteStore: chats, messages, per-device queues and receipts.
#include "store/sqlite/sqlite_store.h"

#include "protocol/base64.h"
#include "store/group_event_body.h"

namespace natter::server {

using protocol::DeliveryStatus;

namespace {
constexpr int kQueueMessage = 0;
constexpr int kQueueReceipt = 1;
constexpr int kQueueIdentityChange = 2;
} // namespace

std::optional<ChatKind> SqliteStore::findChat(const std::string& chatId) {
    auto stmt = db_.prepare("SELECT kind FROM chats WHERE id = ?");
    stmt.bind(1, chatId);
    if (!stmt.step()) return std::nullopt;
    return static_cast<ChatKind>(stmt.int64(0));
}

void SqliteStore::createChat(const std::string& chatId, ChatKind kind, const std::vector<UserId>& members,
                             TimestampMs now) {
    db_.prepare("INSERT INTO chats(id, kind, created_at) VALUES(?, ?, ?)")
        .bind(1, chatId)
        .bind(2, static_cast<int>(kind))
        .bind(3, now)
        .run();
    for (UserId member : members)
        db_.prepare("INSERT INTO chat_members(chat_id, user_id) VALUES(?, ?)").bind(1, chatId).bind(2, member).run();
}

std::vector<UserId> SqliteStore::chatMembers(const std::string& chatId) {
    auto stmt = db_.prepare("SELECT user_id FROM chat_members WHERE chat_id = ? AND left_seq IS NULL ORDER BY user_id");
    stmt.bind(1, chatId);
    std::vector<UserId> out;
    while (stmt.step()) out.push_back(static_cast<UserId>(stmt.int64(0)));
    return out;
}

bool SqliteStore::isChatMember(const std::string& chatId, UserId user) {
    auto stmt = db_.prepare("SELECT 1 FROM chat_members WHERE chat_id = ? AND user_id = ? AND left_seq IS NULL");
    stmt.bind(1, chatId).bind(2, user);
    return stmt.step();
}

std::vector<UserId> SqliteStore::chatPartners(UserId user) {
    auto stmt = db_.prepare("SELECT DISTINCT other.user_id FROM chat_members me "
                            "JOIN chat_members other ON other.chat_id = me.chat_id AND other.left_seq IS NULL "
                            "WHERE me.user_id = ?1 AND me.left_seq IS NULL AND other.user_id != ?1");
    stmt.bind(1, user);
    std::vector<UserId> out;
    while (stmt.step()) out.push_back(static_cast<UserId>(stmt.int64(0)));
    return out;
}

Seq SqliteStore::lastSeq(const std::string& chatId) {
    auto stmt = db_.prepare("SELECT last_seq FROM chats WHERE id = ?");
    stmt.bind(1, chatId);
    return stmt.step() ? static_cast<Seq>(stmt.int64(0)) : 0;
}

void SqliteStore::markReadUpTo(const std::string& chatId, UserId user, Seq seq) {
    db_.prepare("UPDATE chat_members SET read_seq = MAX(read_seq, ?) WHERE chat_id = ? AND user_id = ?")
        .bind(1, seq)
        .bind(2, chatId)
        .bind(3, user)
        .run();
}

namespace {
MessageRecord readMessage(sqlite::Statement& stmt) {
    MessageRecord m;
    m.id = static_cast<MessageId>(stmt.int64(0));
    m.chat_id = stmt.text(1);
    m.seq = static_cast<Seq>(stmt.int64(2));
    m.sender = {static_cast<UserId>(stmt.int64(3)), static_cast<DeviceId>(stmt.int64(4))};
    m.client_msg_id = stmt.text(5);
    m.created_at = stmt.int64(6);
    m.kind = static_cast<MessageKind>(stmt.int64(7));
    return m;
}
} // namespace

std::optional<MessageRecord> SqliteStore::findMessage(MessageId id) {
    auto stmt = db_.prepare("SELECT id, chat_id, seq, sender_id, sender_device, client_msg_id, created_at, kind "
                            "FROM messages WHERE id = ?");
    stmt.bind(1, id);
    if (!stmt.step()) return std::nullopt;
    return readMessage(stmt);
}

std::optional<MessageRecord> SqliteStore::findMessageByClientId(DeviceKey sender, const std::string& clientMsgId) {
    auto stmt = db_.prepare("SELECT id, chat_id, seq, sender_id, sender_device, client_msg_id, created_at, kind "
                            "FROM messages WHERE sender_id = ? AND sender_device = ? AND client_msg_id = ?");
    stmt.bind(1, sender.user_id).bind(2, sender.device_id).bind(3, clientMsgId);
    if (!stmt.step()) return std::nullopt;
    return readMessage(stmt);
}

MessageRecord SqliteStore::appendMessage(const std::string& chatId, DeviceKey sender, const std::string& clientMsgId,
                                         const std::vector<UserId>& recipients, TimestampMs now, MessageKind kind) {
    auto seqStmt = db_.prepare("UPDATE chats SET last_seq = last_seq + 1, last_activity = ? WHERE id = ? RETURNING last_seq");
    seqStmt.bind(1, now).bind(2, chatId);
    if (!seqStmt.step()) throw StoreError("append to unknown chat");
    MessageRecord m;
    m.chat_id = chatId;
    m.seq = static_cast<Seq>(seqStmt.int64(0));
    seqStmt.run();
    m.sender = sender;
    m.client_msg_id = clientMsgId;
    m.created_at = now;
    m.kind = kind;
    db_.prepare("INSERT INTO messages(chat_id, seq, sender_id, sender_device, client_msg_id, created_at, kind) "
                "VALUES(?,?,?,?,?,?,?)")
        .bind(1, chatId)
        .bind(2, m.seq)
        .bind(3, sender.user_id)
        .bind(4, sender.device_id)
        .bind(5, clientMsgId)
        .bind(6, now)
        .bind(7, static_cast<int>(kind))
        .run();
    m.id = static_cast<MessageId>(db_.lastInsertRowId());
    for (UserId r : recipients)
        db_.prepare("INSERT INTO receipts(message_id, user_id) VALUES(?, ?)").bind(1, m.id).bind(2, r).run();
    return m;
}

void SqliteStore::withhold(MessageId message, UserId user) {
    db_.prepare("UPDATE messages SET withheld_from = ? WHERE id = ?").bind(1, user).bind(2, message).run();
}

void SqliteStore::storeBody(MessageId message, const std::string& bytes) {
    db_.prepare("INSERT INTO message_bodies(message_id, content) VALUES(?, ?)").bind(1, message).bindBlob(2, bytes).run();
}

void SqliteStore::storeEnvelope(MessageId message, DeviceKey target, const std::string& bytes) {
    db_.prepare("INSERT INTO envelopes(message_id, user_id, device_id, content) VALUES(?,?,?,?)")
        .bind(1, message)
        .bind(2, target.user_id)
        .bind(3, target.device_id)
        .bindBlob(4, bytes)
        .run();
}

bool SqliteStore::hasEnvelope(MessageId message, DeviceKey target) {
    auto stmt = db_.prepare("SELECT 1 FROM envelopes WHERE message_id = ? AND user_id = ? AND device_id = ?");
    stmt.bind(1, message).bind(2, target.user_id).bind(3, target.device_id);
    return stmt.step();
}

std::uint64_t SqliteStore::enqueueMessage(DeviceKey target, MessageId message) {
    db_.prepare("INSERT INTO queue(user_id, device_id, kind, message_id) VALUES(?,?,?,?)")
        .bind(1, target.user_id)
        .bind(2, target.device_id)
        .bind(3, kQueueMessage)
        .bind(4, message)
        .run();
    return static_cast<std::uint64_t>(db_.lastInsertRowId());
}

std::uint64_t SqliteStore::enqueueIdentityChange(DeviceKey target, DeviceKey changed, TimestampMs when) {
    db_.prepare("INSERT INTO queue(user_id, device_id, kind, message_id, actor_user, actor_device, event_at) "
                "VALUES(?,?,?,0,?,?,?)")
        .bind(1, target.user_id)
        .bind(2, target.device_id)
        .bind(3, kQueueIdentityChange)
        .bind(4, changed.user_id)
        .bind(5, changed.device_id)
        .bind(6, when)
        .run();
    return static_cast<std::uint64_t>(db_.lastInsertRowId());
}

bool SqliteStore::dequeueEvent(DeviceKey device, std::uint64_t qid) {
    db_.prepare("DELETE FROM queue WHERE id = ? AND user_id = ? AND device_id = ? AND kind = 2")
        .bind(1, qid)
        .bind(2, device.user_id)
        .bind(3, device.device_id)
        .run();
    return db_.changes() > 0;
}

void SqliteStore::clearQueue(DeviceKey device) {
    db_.prepare("DELETE FROM queue WHERE user_id = ? AND device_id = ?").bind(1, device.user_id).bind(2, device.device_id).run();
}

std::uint64_t SqliteStore::enqueueReceipt(DeviceKey target, const protocol::ReceiptEvent& r) {
    db_.prepare("INSERT INTO queue(user_id, device_id, kind, message_id, actor_user, actor_device, status, event_at) "
                "VALUES(?,?,?,?,?,?,?,?)")
        .bind(1, target.user_id)
        .bind(2, target.device_id)
        .bind(3, kQueueReceipt)
        .bind(4, r.message_id)
        .bind(5, r.user_id)
        .bind(6, r.device_id)
        .bind(7, static_cast<int>(r.status))
        .bind(8, r.timestamp)
        .run();
    return static_cast<std::uint64_t>(db_.lastInsertRowId());
}

std::vector<QueueEntry> SqliteStore::fetchQueue(DeviceKey device, std::uint64_t afterQid, std::size_t limit) {
    auto stmt = db_.prepare(
        "SELECT q.id, q.kind, q.message_id, q.actor_user, q.actor_device, q.status, q.event_at, "
        "m.chat_id, m.seq, m.sender_id, m.sender_device, m.created_at, m.client_msg_id, m.kind, "
        "COALESCE(e.content, b.content) "
        "FROM queue q LEFT JOIN messages m ON m.id = q.message_id "
        "LEFT JOIN envelopes e ON q.kind = 0 AND e.message_id = q.message_id AND e.user_id = q.user_id "
        "AND e.device_id = q.device_id "
        "LEFT JOIN message_bodies b ON q.kind = 0 AND b.message_id = q.message_id "
        "WHERE q.user_id = ? AND q.device_id = ? AND q.id > ? ORDER BY q.id LIMIT ?");
    stmt.bind(1, device.user_id).bind(2, device.device_id).bind(3, afterQid).bind(4, static_cast<std::int64_t>(limit));
    std::vector<QueueEntry> out;
    while (stmt.step()) {
        QueueEntry e;
        e.qid = static_cast<std::uint64_t>(stmt.int64(0));
        e.target = device;
        const auto kind = stmt.int64(1);
        if (kind == kQueueMessage && stmt.int64(13) == static_cast<int>(MessageKind::group_event)) {
            const auto body = decodeGroupEvent(stmt.blob(14));
            protocol::GroupEvent g;
            g.chat_id = stmt.text(7);
            g.message_id = static_cast<MessageId>(stmt.int64(2));
            g.seq = static_cast<Seq>(stmt.int64(8));
            g.actor_id = static_cast<UserId>(stmt.int64(9));
            g.timestamp = stmt.int64(11);
            if (body) {
                g.event = body->event;
                g.user_ids = body->user_ids;
            }
            e.frame = std::move(g);
        } else if (kind == kQueueMessage) {
            protocol::MessageDelivery d;
            d.message_id = static_cast<MessageId>(stmt.int64(2));
            d.chat_id = stmt.text(7);
            d.seq = static_cast<Seq>(stmt.int64(8));
            d.sender_id = static_cast<UserId>(stmt.int64(9));
            d.sender_device = static_cast<DeviceId>(stmt.int64(10));
            d.timestamp = stmt.int64(11);
            d.client_msg_id = stmt.text(12);
            d.content = protocol::base64::encode(stmt.blob(14));
            e.frame = std::move(d);
        } else if (kind == kQueueReceipt) {
            protocol::ReceiptEvent r;
            r.receipt_id = e.qid;
            r.message_id = static_cast<MessageId>(stmt.int64(2));
            r.user_id = static_cast<UserId>(stmt.int64(3));
            r.device_id = static_cast<DeviceId>(stmt.int64(4));
            r.status = static_cast<DeliveryStatus>(stmt.int64(5));
            r.timestamp = stmt.int64(6);
            r.chat_id = stmt.text(7);
            e.frame = std::move(r);
        } else {
            e.frame = protocol::IdentityChanged{e.qid, static_cast<UserId>(stmt.int64(3)),
                                                static_cast<DeviceId>(stmt.int64(4)), stmt.int64(6)};
        }
        out.push_back(std::move(e));
    }
    return out;
}

std::optional<std::uint64_t> SqliteStore::dequeueMessage(DeviceKey device, MessageId message) {
    auto remove = db_.prepare("DELETE FROM queue WHERE user_id = ? AND device_id = ? AND message_id = ? AND kind = 0 "
                              "RETURNING id");
    remove.bind(1, device.user_id).bind(2, device.device_id).bind(3, message);
    if (!remove.step()) return std::nullopt;
    const auto qid = static_cast<std::uint64_t>(remove.int64(0));
    remove.run();
    return qid;
}

bool SqliteStore::dequeueReceipt(DeviceKey device, std::uint64_t qid) {
    db_.prepare("DELETE FROM queue WHERE id = ? AND user_id = ? AND device_id = ? AND kind = 1")
        .bind(1, qid)
        .bind(2, device.user_id)
        .bind(3, device.device_id)
        .run();
    return db_.changes() > 0;
}

std::uint64_t SqliteStore::queueDepth() {
    auto stmt = db_.prepare("SELECT COUNT(*) FROM queue");
    stmt.step();
    return static_cast<std::uint64_t>(stmt.int64(0));
}

std::uint64_t SqliteStore::expireQueue(TimestampMs queuedBefore, std::size_t limit) {
    // An entry's queue time: a message's creation (it is queued as it is stored), a receipt's
    // or an identity change's event time. Only devices absent since before the cut-off qualify;
    // their entries are found through the queue's per-device index.
    db_.prepare("DELETE FROM queue WHERE id IN ("
                "SELECT q.id FROM devices d JOIN queue q ON q.user_id = d.user_id AND q.device_id = d.device_id "
                "LEFT JOIN messages m ON q.kind = 0 AND m.id = q.message_id "
                "WHERE COALESCE(d.last_connected_at, 0) < ?1 "
                "AND COALESCE(q.event_at, m.created_at, 0) < ?1 "
                "AND COALESCE(q.event_at, m.created_at, 0) > COALESCE(d.last_connected_at, 0) "
                "LIMIT ?2)")
        .bind(1, queuedBefore)
        .bind(2, static_cast<std::int64_t>(limit))
        .run();
    return static_cast<std::uint64_t>(db_.changes());
}

bool SqliteStore::markDelivered(MessageId message, UserId user, TimestampMs when) {
    db_.prepare("UPDATE receipts SET delivered_at = ? WHERE message_id = ? AND user_id = ? AND delivered_at IS NULL")
        .bind(1, when)
        .bind(2, message)
        .bind(3, user)
        .run();
    return db_.changes() > 0;
}

bool SqliteStore::markRead(MessageId message, UserId user, TimestampMs when) {
    db_.prepare("UPDATE receipts SET read_at = ?1, delivered_at = COALESCE(delivered_at, ?1) "
                "WHERE message_id = ?2 AND user_id = ?3 AND read_at IS NULL")
        .bind(1, when)
        .bind(2, message)
        .bind(3, user)
        .run();
    return db_.changes() > 0;
}

std::vector<protocol::rest::RecipientStatus> SqliteStore::recipientStatuses(MessageId message) {
    auto stmt = db_.prepare("SELECT user_id, delivered_at, read_at FROM receipts WHERE message_id = ? ORDER BY user_id");
    stmt.bind(1, message);
    std::vector<protocol::rest::RecipientStatus> out;
    while (stmt.step()) {
        protocol::rest::RecipientStatus s;
        s.user_id = static_cast<UserId>(stmt.int64(0));
        s.delivered_at = stmt.optInt64(1);
        s.read_at = stmt.optInt64(2);
        s.status = s.read_at ? DeliveryStatus::read : s.delivered_at ? DeliveryStatus::delivered : DeliveryStatus::sent;
        out.push_back(s);
    }
    return out;
}

} // namespace natter::server
