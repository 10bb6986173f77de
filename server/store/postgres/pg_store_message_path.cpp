// PgStore: a message's hot path, one statement per step (store/message_path.h). Locks are taken
// in the one order every writer uses: the chat row, then chat_members, then device_queues in
// DeviceKey order.
#include "store/postgres/pg_store.h"

#include "protocol/identifiers.h"

#include <algorithm>
#include <map>

namespace natter::server {

namespace {
constexpr int kFactMessage = 0, kFactDevice = 1, kFactBlocked = 2, kFactChat = 3;
} // namespace

// Four lookups as one statement, each row tagged with what it is.
DirectSendFacts PgStore::directSendFacts(DeviceKey sender, const std::string& clientMsgId, const std::string& chatId,
                                         UserId recipient) {
    auto r = db_.query(
        "SELECT 0, id, seq, sender_device, created_at, kind::bigint, chat_id, client_msg_id, NULL::bytea "
        "FROM messages WHERE sender_id = $1 AND sender_device = $2 AND client_msg_id = $3 "
        "UNION ALL SELECT 1, user_id, device_id, created_at, unlisted::int::bigint, 0, name, NULL, secret_hash "
        "FROM devices WHERE user_id IN ($1, $4) AND revoked_at IS NULL "
        "UNION ALL SELECT 2, 0, 0, 0, 0, 0, NULL, NULL, NULL "
        "WHERE EXISTS (SELECT 1 FROM blocks WHERE owner_id = $4 AND blocked_id = $1) "
        "UNION ALL SELECT 3, 0, 0, 0, 0, 0, NULL, NULL, NULL WHERE EXISTS (SELECT 1 FROM chats WHERE id = $5)",
        pg::Params().add(sender.user_id).add(sender.device_id).add(clientMsgId).add(recipient).add(chatId));
    DirectSendFacts facts;
    for (int i = 0; i < r.rows(); ++i) {
        switch (r.int64(i, 0)) {
        case kFactMessage: {
            MessageRecord m;
            m.id = static_cast<MessageId>(r.int64(i, 1));
            m.seq = static_cast<Seq>(r.int64(i, 2));
            m.sender = {sender.user_id, static_cast<DeviceId>(r.int64(i, 3))};
            m.created_at = r.int64(i, 4);
            m.kind = static_cast<MessageKind>(r.int64(i, 5));
            m.chat_id = r.bytes(i, 6);
            m.client_msg_id = r.bytes(i, 7);
            facts.original = std::move(m);
            break;
        }
        case kFactDevice:
            facts.devices.push_back(DeviceRecord{
                {static_cast<UserId>(r.int64(i, 1)), static_cast<DeviceId>(r.int64(i, 2))}, r.bytes(i, 6),
                r.bytes(i, 8), r.int64(i, 3), false, r.int64(i, 4) == 0, {}});
            break;
        case kFactBlocked: facts.blocked = true; break;
        case kFactChat: facts.chat_exists = true; break;
        default: break;
        }
    }
    return facts;
}

// The seq, message, receipts and read cursors, then the envelopes and their queue entries.
// The device_queues insert reads the read-cursor update's count, so that update (and the chat
// row before it) has run, and taken its locks, before any queue row is locked.
AppendedDirect PgStore::appendDirect(const std::string& chatId, DeviceKey sender, const std::string& clientMsgId,
                                     const std::vector<UserId>& recipients, const std::vector<UserId>& readers,
                                     const std::vector<EnvelopeToQueue>& envelopes,
                                     std::optional<UserId> withheldFrom, TimestampMs now) {
    std::vector<std::int64_t> users, devices;
    std::vector<std::string_view> contents;
    for (const auto& e : envelopes) {
        users.push_back(e.target.user_id);
        devices.push_back(e.target.device_id);
        contents.push_back(e.content);
    }
    auto r = db_.query(
        "WITH c AS (UPDATE chats SET last_seq = last_seq + 1, last_activity = $1 WHERE id = $2 RETURNING last_seq), "
        "m AS (INSERT INTO messages(chat_id, seq, sender_id, sender_device, client_msg_id, created_at, kind, "
        "withheld_from) SELECT $2, last_seq, $3, $4, $5, $1, 0, $11 FROM c RETURNING id, seq), "
        "rc AS (INSERT INTO receipts(message_id, user_id) SELECT m.id, u FROM m, unnest($6::bigint[]) u), "
        "rd AS (UPDATE chat_members cm SET read_seq = m.seq FROM m WHERE cm.chat_id = $2 "
        "AND cm.user_id = ANY($7::bigint[]) AND cm.read_seq < m.seq RETURNING 1), "
        "e AS (INSERT INTO envelopes(message_id, user_id, device_id, content) "
        "SELECT m.id, t.u, t.d, t.c FROM m, unnest($8::bigint[], $9::bigint[], $10::bytea[]) t(u, d, c)), "
        "n AS (INSERT INTO device_queues(user_id, device_id, next_qid) "
        "SELECT t.u, t.d, 1 FROM m, unnest($8::bigint[], $9::bigint[]) t(u, d) "
        "WHERE (SELECT count(*) FROM rd) >= 0 ORDER BY t.u, t.d "
        "ON CONFLICT (user_id, device_id) DO UPDATE SET next_qid = device_queues.next_qid + 1 "
        "RETURNING user_id, device_id, next_qid), "
        "q AS (INSERT INTO queue(user_id, device_id, qid, kind, message_id) "
        "SELECT n.user_id, n.device_id, n.next_qid, 0, m.id FROM n, m RETURNING user_id, device_id, qid) "
        "SELECT m.id, m.seq, q.user_id, q.device_id, q.qid FROM m LEFT JOIN q ON TRUE",
        pg::Params()
            .add(now)
            .add(chatId)
            .add(sender.user_id)
            .add(sender.device_id)
            .add(clientMsgId)
            .int64Array({recipients.begin(), recipients.end()})
            .int64Array({readers.begin(), readers.end()})
            .int64Array(users)
            .int64Array(devices)
            .byteaArray(contents)
            .add(withheldFrom));
    if (r.empty()) throw StoreError("append to unknown chat");
    AppendedDirect out;
    out.record = MessageRecord{static_cast<MessageId>(r.int64(0, 0)), chatId, static_cast<Seq>(r.int64(0, 1)),
                               sender, clientMsgId, now, MessageKind::user};
    std::map<DeviceKey, std::uint64_t> qids;
    for (int i = 0; i < r.rows(); ++i)
        if (!r.isNull(i, 4))
            qids[{static_cast<UserId>(r.int64(i, 2)), static_cast<DeviceId>(r.int64(i, 3))}] =
                static_cast<std::uint64_t>(r.int64(i, 4));
    for (const auto& e : envelopes) {
        const auto it = qids.find(e.target);
        if (it == qids.end()) throw StoreError("an envelope was not queued");
        out.qids.push_back(it->second);
    }
    return out;
}

AckTarget PgStore::takeForAck(DeviceKey device, MessageId message) {
    auto r = db_.query(
        "WITH m AS (SELECT id, chat_id, seq, sender_id, sender_device, client_msg_id, created_at, kind "
        "FROM messages WHERE id = $1), "
        "d AS (DELETE FROM queue q USING m WHERE q.user_id = $2 AND q.device_id = $3 AND q.message_id = $1 "
        "AND q.kind = 0 AND NOT (m.sender_id = $2 AND m.sender_device = $3) RETURNING q.qid) "
        "SELECT m.id, m.chat_id, m.seq, m.sender_id, m.sender_device, m.client_msg_id, m.created_at, m.kind, "
        "(SELECT min(qid) FROM d), "
        "EXISTS (SELECT 1 FROM envelopes e WHERE e.message_id = $1 AND e.user_id = $2 AND e.device_id = $3), "
        "EXISTS (SELECT 1 FROM chat_members c WHERE c.chat_id = m.chat_id AND c.user_id = $2 AND c.left_seq IS NULL) "
        "FROM m",
        pg::Params().add(message).add(device.user_id).add(device.device_id));
    AckTarget out;
    if (r.empty()) return out;
    out.message = readMessage(r, 0);
    if (out.message->sender == device) return out;
    out.removed_qid = r.optInt64(0, 8);
    out.addressed =
        out.removed_qid || (protocol::isPairwiseChatId(out.message->chat_id) ? r.int64(0, 9) != 0 : r.int64(0, 10) != 0);
    return out;
}

// takeForAck's statement, then the receipt row and the sender's queues. Each step reads the one
// before (a reads d, r reads a, n reads r), so locks are taken in takeForAck, markDelivered,
// enqueueReceiptForUser's order: the acking device's queue entry, the receipt, then the sender's
// device_queues rows in device order. A group's id starts with "g:" (protocol/identifiers.h):
// its members were addressed; in a 1:1 or own chat the devices with an envelope.
DeliveredAck PgStore::takeDelivered(DeviceKey device, MessageId message, TimestampMs now) {
    auto r = db_.query(
        "WITH m AS (SELECT id, chat_id, seq, sender_id, sender_device, client_msg_id, created_at, kind "
        "FROM messages WHERE id = $1), "
        "d AS (DELETE FROM queue q USING m WHERE q.user_id = $2 AND q.device_id = $3 AND q.message_id = $1 "
        "AND q.kind = 0 AND NOT (m.sender_id = $2 AND m.sender_device = $3) RETURNING q.qid), "
        "a AS (SELECT m.*, (SELECT min(qid) FROM d) AS removed, "
        "EXISTS (SELECT 1 FROM envelopes e WHERE e.message_id = $1 AND e.user_id = $2 AND e.device_id = $3) AS env, "
        "EXISTS (SELECT 1 FROM chat_members c WHERE c.chat_id = m.chat_id AND c.user_id = $2 AND c.left_seq IS NULL) "
        "AS member FROM m), "
        "r AS (UPDATE receipts SET delivered_at = $4 FROM a WHERE receipts.message_id = $1 AND receipts.user_id = $2 "
        "AND receipts.delivered_at IS NULL AND a.sender_id <> $2 "
        "AND (a.removed IS NOT NULL OR CASE WHEN starts_with(a.chat_id, 'g:') THEN a.member ELSE a.env END) "
        "RETURNING a.sender_id, a.kind), "
        "n AS (INSERT INTO device_queues(user_id, device_id, next_qid) "
        "SELECT v.user_id, v.device_id, 1 FROM r, devices v WHERE v.user_id = r.sender_id AND v.revoked_at IS NULL "
        "AND r.kind = 0 ORDER BY v.device_id "
        "ON CONFLICT (user_id, device_id) DO UPDATE SET next_qid = device_queues.next_qid + 1 "
        "RETURNING user_id, device_id, next_qid), "
        "q AS (INSERT INTO queue(user_id, device_id, qid, kind, message_id, actor_user, actor_device, status, "
        "event_at) SELECT user_id, device_id, next_qid, 1, $1, $2, $3, $5, $4 FROM n RETURNING device_id, qid) "
        "SELECT a.id, a.chat_id, a.seq, a.sender_id, a.sender_device, a.client_msg_id, a.created_at, a.kind, "
        "a.removed, a.env, a.member, q.device_id, q.qid FROM a LEFT JOIN q ON TRUE",
        pg::Params()
            .add(message)
            .add(device.user_id)
            .add(device.device_id)
            .add(now)
            .add(static_cast<int>(protocol::DeliveryStatus::delivered)));
    DeliveredAck out;
    if (r.empty()) return out;
    AckTarget& target = out.target;
    target.message = readMessage(r, 0);
    if (target.message->sender == device) return out;
    target.removed_qid = r.optInt64(0, 8);
    target.addressed = target.removed_qid ||
                       (protocol::isPairwiseChatId(target.message->chat_id) ? r.int64(0, 9) != 0 : r.int64(0, 10) != 0);
    for (int i = 0; i < r.rows(); ++i)
        if (!r.isNull(i, 12))
            out.receipts.emplace_back(DeviceKey{target.message->sender.user_id, static_cast<DeviceId>(r.int64(i, 11))},
                                      static_cast<std::uint64_t>(r.int64(i, 12)));
    std::sort(out.receipts.begin(), out.receipts.end());
    return out;
}

std::vector<QueuedReceipt> PgStore::enqueueReceiptForUser(UserId user, const protocol::ReceiptEvent& receipt) {
    auto r = db_.query(
        "WITH n AS (INSERT INTO device_queues(user_id, device_id, next_qid) "
        "SELECT user_id, device_id, 1 FROM devices WHERE user_id = $1 AND revoked_at IS NULL ORDER BY device_id "
        "ON CONFLICT (user_id, device_id) DO UPDATE SET next_qid = device_queues.next_qid + 1 "
        "RETURNING user_id, device_id, next_qid) "
        "INSERT INTO queue(user_id, device_id, qid, kind, message_id, actor_user, actor_device, status, event_at) "
        "SELECT user_id, device_id, next_qid, 1, $2, $3, $4, $5, $6 FROM n RETURNING device_id, qid",
        pg::Params()
            .add(user)
            .add(receipt.message_id)
            .add(receipt.user_id)
            .add(receipt.device_id)
            .add(static_cast<int>(receipt.status))
            .add(receipt.timestamp));
    std::vector<QueuedReceipt> out;
    for (int i = 0; i < r.rows(); ++i)
        out.emplace_back(DeviceKey{user, static_cast<DeviceId>(r.int64(i, 0))}, static_cast<std::uint64_t>(r.int64(i, 1)));
    std::sort(out.begin(), out.end());
    return out;
}

} // namespace natter::server
