// PgStore: per-device queues with dense ids. A device's next id comes from its device_queues
// row, locked until commit, so two writers to one device's queue commit ids in order and a
// session that pushes only cursor+1 never skips an entry.
#include "store/postgres/pg_store.h"

#include "protocol/base64.h"
#include "store/group_event_body.h"

namespace natter::server {

using protocol::DeliveryStatus;

namespace {
constexpr int kQueueMessage = 0;
constexpr int kQueueReceipt = 1;
constexpr int kQueueIdentityChange = 2;
} // namespace

// Each enqueue is one statement: the device's next id (its device_queues row stays locked
// until commit) and the entry under it.
std::uint64_t PgStore::enqueueMessage(DeviceKey target, MessageId message) {
    auto r = db_.query("WITH n AS (INSERT INTO device_queues(user_id, device_id, next_qid) VALUES($1, $2, 1) "
                       "ON CONFLICT (user_id, device_id) DO UPDATE SET next_qid = device_queues.next_qid + 1 "
                       "RETURNING next_qid) "
                       "INSERT INTO queue(user_id, device_id, qid, kind, message_id) "
                       "SELECT $1, $2, next_qid, $3, $4 FROM n RETURNING qid",
                       pg::Params().add(target.user_id).add(target.device_id).add(kQueueMessage).add(message));
    return static_cast<std::uint64_t>(r.int64(0, 0));
}

std::uint64_t PgStore::enqueueIdentityChange(DeviceKey target, DeviceKey changed, TimestampMs when) {
    auto r = db_.query("WITH n AS (INSERT INTO device_queues(user_id, device_id, next_qid) VALUES($1, $2, 1) "
                       "ON CONFLICT (user_id, device_id) DO UPDATE SET next_qid = device_queues.next_qid + 1 "
                       "RETURNING next_qid) "
                       "INSERT INTO queue(user_id, device_id, qid, kind, message_id, actor_user, actor_device, event_at) "
                       "SELECT $1, $2, next_qid, $3, 0, $4, $5, $6 FROM n RETURNING qid",
                       pg::Params()
                           .add(target.user_id)
                           .add(target.device_id)
                           .add(kQueueIdentityChange)
                           .add(changed.user_id)
                           .add(changed.device_id)
                           .add(when));
    return static_cast<std::uint64_t>(r.int64(0, 0));
}

std::uint64_t PgStore::enqueueReceipt(DeviceKey target, const protocol::ReceiptEvent& receipt) {
    auto r = db_.query("WITH n AS (INSERT INTO device_queues(user_id, device_id, next_qid) VALUES($1, $2, 1) "
                       "ON CONFLICT (user_id, device_id) DO UPDATE SET next_qid = device_queues.next_qid + 1 "
                       "RETURNING next_qid) "
                       "INSERT INTO queue(user_id, device_id, qid, kind, message_id, actor_user, actor_device, status, "
                       "event_at) SELECT $1, $2, next_qid, $3, $4, $5, $6, $7, $8 FROM n RETURNING qid",
                       pg::Params()
                           .add(target.user_id)
                           .add(target.device_id)
                           .add(kQueueReceipt)
                           .add(receipt.message_id)
                           .add(receipt.user_id)
                           .add(receipt.device_id)
                           .add(static_cast<int>(receipt.status))
                           .add(receipt.timestamp));
    return static_cast<std::uint64_t>(r.int64(0, 0));
}

bool PgStore::dequeueEvent(DeviceKey device, std::uint64_t qid) {
    return db_.query("DELETE FROM queue WHERE user_id = $1 AND device_id = $2 AND qid = $3 AND kind = 2",
                     pg::Params().add(device.user_id).add(device.device_id).add(qid))
               .affected() > 0;
}

// The device_queues row stays: ids are never reused.
void PgStore::clearQueue(DeviceKey device) {
    db_.query("DELETE FROM queue WHERE user_id = $1 AND device_id = $2",
              pg::Params().add(device.user_id).add(device.device_id));
}

std::vector<QueueEntry> PgStore::fetchQueue(DeviceKey device, std::uint64_t afterQid, std::size_t limit) {
    auto r = db_.query("SELECT q.qid, q.kind, q.message_id, q.actor_user, q.actor_device, q.status, q.event_at, "
                       "m.chat_id, m.seq, m.sender_id, m.sender_device, m.created_at, m.client_msg_id, m.kind, "
                       "COALESCE(e.content, b.content) "
                       "FROM queue q LEFT JOIN messages m ON m.id = q.message_id "
                       "LEFT JOIN envelopes e ON q.kind = 0 AND e.message_id = q.message_id AND e.user_id = q.user_id "
                       "AND e.device_id = q.device_id "
                       "LEFT JOIN message_bodies b ON q.kind = 0 AND b.message_id = q.message_id "
                       "WHERE q.user_id = $1 AND q.device_id = $2 AND q.qid > $3 ORDER BY q.qid LIMIT $4",
                       pg::Params().add(device.user_id).add(device.device_id).add(afterQid).add(limit));
    std::vector<QueueEntry> out;
    out.reserve(static_cast<std::size_t>(r.rows()));
    for (int i = 0; i < r.rows(); ++i) {
        QueueEntry e;
        e.qid = static_cast<std::uint64_t>(r.int64(i, 0));
        e.target = device;
        const auto kind = r.int64(i, 1);
        if (kind == kQueueMessage && r.int64(i, 13) == static_cast<int>(MessageKind::group_event)) {
            const auto body = decodeGroupEvent(r.bytes(i, 14));
            protocol::GroupEvent g;
            g.chat_id = r.bytes(i, 7);
            g.message_id = static_cast<MessageId>(r.int64(i, 2));
            g.seq = static_cast<Seq>(r.int64(i, 8));
            g.actor_id = static_cast<UserId>(r.int64(i, 9));
            g.timestamp = r.int64(i, 11);
            if (body) {
                g.event = body->event;
                g.user_ids = body->user_ids;
            }
            e.frame = std::move(g);
        } else if (kind == kQueueMessage) {
            protocol::MessageDelivery d;
            d.message_id = static_cast<MessageId>(r.int64(i, 2));
            d.chat_id = r.bytes(i, 7);
            d.seq = static_cast<Seq>(r.int64(i, 8));
            d.sender_id = static_cast<UserId>(r.int64(i, 9));
            d.sender_device = static_cast<DeviceId>(r.int64(i, 10));
            d.timestamp = r.int64(i, 11);
            d.client_msg_id = r.bytes(i, 12);
            d.content = protocol::base64::encode(r.bytes(i, 14));
            e.frame = std::move(d);
        } else if (kind == kQueueReceipt) {
            protocol::ReceiptEvent receipt;
            receipt.receipt_id = e.qid;
            receipt.message_id = static_cast<MessageId>(r.int64(i, 2));
            receipt.user_id = static_cast<UserId>(r.int64(i, 3));
            receipt.device_id = static_cast<DeviceId>(r.int64(i, 4));
            receipt.status = static_cast<DeliveryStatus>(r.int64(i, 5));
            receipt.timestamp = r.int64(i, 6);
            receipt.chat_id = r.bytes(i, 7);
            e.frame = std::move(receipt);
        } else {
            e.frame = protocol::IdentityChanged{e.qid, static_cast<UserId>(r.int64(i, 3)),
                                                static_cast<DeviceId>(r.int64(i, 4)), r.int64(i, 6)};
        }
        out.push_back(std::move(e));
    }
    return out;
}

std::optional<std::uint64_t> PgStore::dequeueMessage(DeviceKey device, MessageId message) {
    auto r = db_.query("DELETE FROM queue WHERE user_id = $1 AND device_id = $2 AND message_id = $3 AND kind = 0 "
                       "RETURNING qid",
                       pg::Params().add(device.user_id).add(device.device_id).add(message));
    if (r.empty()) return std::nullopt;
    return static_cast<std::uint64_t>(r.int64(0, 0));
}

bool PgStore::dequeueReceipt(DeviceKey device, std::uint64_t qid) {
    return db_.query("DELETE FROM queue WHERE user_id = $1 AND device_id = $2 AND qid = $3 AND kind = 1",
                     pg::Params().add(device.user_id).add(device.device_id).add(qid))
               .affected() > 0;
}

std::uint64_t PgStore::queueDepth() {
    return static_cast<std::uint64_t>(db_.query("SELECT COUNT(*) FROM queue").int64(0, 0));
}

// As SqliteStore::expireQueue: entries older than the cut-off of devices absent since.
std::uint64_t PgStore::expireQueue(TimestampMs queuedBefore, std::size_t limit) {
    return db_.query("DELETE FROM queue WHERE (user_id, device_id, qid) IN ("
                     "SELECT q.user_id, q.device_id, q.qid FROM devices d "
                     "JOIN queue q ON q.user_id = d.user_id AND q.device_id = d.device_id "
                     "LEFT JOIN messages m ON q.kind = 0 AND m.id = q.message_id "
                     "WHERE COALESCE(d.last_connected_at, 0) < $1 "
                     "AND COALESCE(q.event_at, m.created_at, 0) < $1 "
                     "AND COALESCE(q.event_at, m.created_at, 0) > COALESCE(d.last_connected_at, 0) "
                     "LIMIT $2)",
                     pg::Params().add(queuedBefore).add(limit))
        .affected();
}

std::uint64_t PgStore::countQueued(DeviceKey device) {
    return static_cast<std::uint64_t>(db_.query("SELECT COUNT(*) FROM queue WHERE user_id = $1 AND device_id = $2",
                                                pg::Params().add(device.user_id).add(device.device_id))
                                          .int64(0, 0));
}

} // namespace natter::server
