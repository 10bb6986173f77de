// PgStore: chats, messages and receipts. The chat row's lock (taken by appendMessage's UPDATE)
// orders a chat's writers until commit, so seqs are dense and commit in order.
#include "store/postgres/pg_store.h"

namespace natter::server {

using protocol::DeliveryStatus;

std::optional<ChatKind> PgStore::findChat(const std::string& chatId) {
    auto r = db_.query("SELECT kind FROM chats WHERE id = $1", pg::Params().add(chatId));
    if (r.empty()) return std::nullopt;
    return static_cast<ChatKind>(r.int64(0, 0));
}

// The first messages of a 1:1 chat sent at once from two connections both create it: one wins,
// the other finds it made (the insert waits for the winner's commit).
void PgStore::createChat(const std::string& chatId, ChatKind kind, const std::vector<UserId>& members,
                         TimestampMs now) {
    db_.defer("INSERT INTO chats(id, kind, created_at) VALUES($1, $2, $3) ON CONFLICT (id) DO NOTHING",
              pg::Params().add(chatId).add(static_cast<int>(kind)).add(now));
    for (UserId member : members)
        db_.defer("INSERT INTO chat_members(chat_id, user_id) VALUES($1, $2) ON CONFLICT DO NOTHING",
                  pg::Params().add(chatId).add(member));
}

std::vector<UserId> PgStore::chatMembers(const std::string& chatId) {
    auto r = db_.query("SELECT user_id FROM chat_members WHERE chat_id = $1 AND left_seq IS NULL ORDER BY user_id",
                       pg::Params().add(chatId));
    return userIds(r);
}

bool PgStore::isChatMember(const std::string& chatId, UserId user) {
    return !db_.query("SELECT 1 FROM chat_members WHERE chat_id = $1 AND user_id = $2 AND left_seq IS NULL",
                      pg::Params().add(chatId).add(user))
                .empty();
}

std::vector<UserId> PgStore::chatPartners(UserId user) {
    auto r = db_.query("SELECT DISTINCT other.user_id FROM chat_members me "
                       "JOIN chat_members other ON other.chat_id = me.chat_id AND other.left_seq IS NULL "
                       "WHERE me.user_id = $1 AND me.left_seq IS NULL AND other.user_id != $1",
                       pg::Params().add(user));
    return userIds(r);
}

Seq PgStore::lastSeq(const std::string& chatId) {
    auto r = db_.query("SELECT last_seq FROM chats WHERE id = $1", pg::Params().add(chatId));
    return r.empty() ? 0 : static_cast<Seq>(r.int64(0, 0));
}

void PgStore::markReadUpTo(const std::string& chatId, UserId user, Seq seq) {
    db_.defer("UPDATE chat_members SET read_seq = GREATEST(read_seq, $1) WHERE chat_id = $2 AND user_id = $3 "
              "AND read_seq < $1",
              pg::Params().add(seq).add(chatId).add(user));
}

MessageRecord PgStore::readMessage(const pg::Result& r, int row) {
    MessageRecord m;
    m.id = static_cast<MessageId>(r.int64(row, 0));
    m.chat_id = r.bytes(row, 1);
    m.seq = static_cast<Seq>(r.int64(row, 2));
    m.sender = {static_cast<UserId>(r.int64(row, 3)), static_cast<DeviceId>(r.int64(row, 4))};
    m.client_msg_id = r.bytes(row, 5);
    m.created_at = r.int64(row, 6);
    m.kind = static_cast<MessageKind>(r.int64(row, 7));
    return m;
}

std::optional<MessageRecord> PgStore::findMessage(MessageId id) {
    auto r = db_.query("SELECT id, chat_id, seq, sender_id, sender_device, client_msg_id, created_at, kind "
                       "FROM messages WHERE id = $1",
                       pg::Params().add(id));
    if (r.empty()) return std::nullopt;
    return readMessage(r, 0);
}

std::optional<MessageRecord> PgStore::findMessageByClientId(DeviceKey sender, const std::string& clientMsgId) {
    auto r = db_.query("SELECT id, chat_id, seq, sender_id, sender_device, client_msg_id, created_at, kind "
                       "FROM messages WHERE sender_id = $1 AND sender_device = $2 AND client_msg_id = $3",
                       pg::Params().add(sender.user_id).add(sender.device_id).add(clientMsgId));
    if (r.empty()) return std::nullopt;
    return readMessage(r, 0);
}

// A resend arriving on another connection while the original is uncommitted waits on the
// unique index, then fails with 23505: the worker runs the job again, which finds the original
// and answers with its ack (and this transaction's seq is rolled back, leaving no gap).
MessageRecord PgStore::appendMessage(const std::string& chatId, DeviceKey sender, const std::string& clientMsgId,
                                     const std::vector<UserId>& recipients, TimestampMs now, MessageKind kind) {
    // One statement: the chat's next seq (its row stays locked until commit), the message and
    // one receipt row per recipient.
    std::vector<std::int64_t> recipientIds(recipients.begin(), recipients.end());
    auto r = db_.query("WITH c AS (UPDATE chats SET last_seq = last_seq + 1, last_activity = $1 WHERE id = $2 "
                       "RETURNING last_seq), "
                       "m AS (INSERT INTO messages(chat_id, seq, sender_id, sender_device, client_msg_id, created_at, "
                       "kind) SELECT $2, last_seq, $3, $4, $5, $1, $6 FROM c RETURNING id, seq), "
                       "r AS (INSERT INTO receipts(message_id, user_id) SELECT m.id, u FROM m, unnest($7::bigint[]) u) "
                       "SELECT id, seq FROM m",
                       pg::Params()
                           .add(now)
                           .add(chatId)
                           .add(sender.user_id)
                           .add(sender.device_id)
                           .add(clientMsgId)
                           .add(static_cast<int>(kind))
                           .int64Array(recipientIds));
    if (r.empty()) throw StoreError("append to unknown chat");
    MessageRecord m;
    m.id = static_cast<MessageId>(r.int64(0, 0));
    m.chat_id = chatId;
    m.seq = static_cast<Seq>(r.int64(0, 1));
    m.sender = sender;
    m.client_msg_id = clientMsgId;
    m.created_at = now;
    m.kind = kind;
    return m;
}

void PgStore::withhold(MessageId message, UserId user) {
    db_.defer("UPDATE messages SET withheld_from = $2 WHERE id = $1", pg::Params().add(message).add(user));
}

void PgStore::storeBody(MessageId message, const std::string& bytes) {
    db_.defer("INSERT INTO message_bodies(message_id, content) VALUES($1, $2)", pg::Params().add(message).bytes(bytes));
}

void PgStore::storeEnvelope(MessageId message, DeviceKey target, const std::string& bytes) {
    db_.defer("INSERT INTO envelopes(message_id, user_id, device_id, content) VALUES($1, $2, $3, $4)",
              pg::Params().add(message).add(target.user_id).add(target.device_id).bytes(bytes));
}

bool PgStore::hasEnvelope(MessageId message, DeviceKey target) {
    return !db_.query("SELECT 1 FROM envelopes WHERE message_id = $1 AND user_id = $2 AND device_id = $3",
                      pg::Params().add(message).add(target.user_id).add(target.device_id))
                .empty();
}

bool PgStore::markDelivered(MessageId message, UserId user, TimestampMs when) {
    return db_.query("UPDATE receipts SET delivered_at = $1 WHERE message_id = $2 AND user_id = $3 "
                     "AND delivered_at IS NULL",
                     pg::Params().add(when).add(message).add(user))
               .affected() > 0;
}

bool PgStore::markRead(MessageId message, UserId user, TimestampMs when) {
    return db_.query("UPDATE receipts SET read_at = $1, delivered_at = COALESCE(delivered_at, $1) "
                     "WHERE message_id = $2 AND user_id = $3 AND read_at IS NULL",
                     pg::Params().add(when).add(message).add(user))
               .affected() > 0;
}

std::vector<protocol::rest::RecipientStatus> PgStore::recipientStatuses(MessageId message) {
    auto r = db_.query("SELECT user_id, delivered_at, read_at FROM receipts WHERE message_id = $1 ORDER BY user_id",
                       pg::Params().add(message));
    std::vector<protocol::rest::RecipientStatus> out;
    for (int i = 0; i < r.rows(); ++i) {
        protocol::rest::RecipientStatus s;
        s.user_id = static_cast<UserId>(r.int64(i, 0));
        s.delivered_at = r.optInt64(i, 1);
        s.read_at = r.optInt64(i, 2);
        s.status = s.read_at ? DeliveryStatus::read : s.delivered_at ? DeliveryStatus::delivered : DeliveryStatus::sent;
        out.push_back(s);
    }
    return out;
}

} // namespace natter::server
