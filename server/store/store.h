// The storage interface natterd's logic runs against: one interface per domain (accounts,
// chats and messages with queues, groups, keys, push, blocks), which an engine may implement piece by
// piece, plus batch transaction control. SQLite implements it (embedded default); PostgreSQL
// will too. Calls come from one worker thread inside a batch transaction (see StoreWorker).
// Absent rows are std::nullopt; database failures throw StoreError, which the worker turns into
// an "internal" error for that request only (for its whole batch when the request ran without
// a savepoint: OnError::nothingWritten).
#pragma once

#include "store/accounts_store.h"
#include "store/blocks_store.h"
#include "store/groups_store.h"
#include "store/keys_store.h"
#include "store/message_path.h"
#include "store/messages_store.h"
#include "store/push_store.h"
#include "store/store_records.h"

#include <cstdint>

namespace natter::server {

class Store : public AccountsStore,
              public MessagesStore,
              public GroupsStore,
              public KeysStore,
              public PushStore,
              public BlocksStore {
public:
    virtual ~Store() = default;

    // Batch transaction control, used only by StoreWorker.
    virtual void begin() = 0;
    virtual void commit() = 0;
    virtual void rollback() = 0;
    virtual void savepoint() = 0;
    virtual void releaseSavepoint() = 0;
    virtual void rollbackToSavepoint() = 0;
    // From here to the end of the transaction a statement that would wait for another writer's
    // lock longer than a moment fails instead (StoreError::lockTimeout()): how StoreWorker puts
    // several lock-taking jobs in one transaction without two transactions ever waiting for
    // each other in a circle. SQLite never waits inside a batch: nothing to do there.
    virtual void boundLockWaits() = 0;
    // Rows inserted, updated or deleted through this store so far: how StoreWorker checks
    // that a job run without a savepoint wrote nothing before it failed.
    virtual std::uint64_t rowsChanged() = 0;
    // Housekeeping outside any transaction, run by StoreWorker when no request waits (SQLite:
    // the WAL checkpoint, kept out of the commits so requests do not wait for it). `idle` is
    // false when requests keep coming: only what cannot wait longer is done then.
    virtual void maintain(bool idle) = 0;
    // Queue ids are dense per device (1, 2, 3, ...) and commit in that order, even with several
    // writers (PostgreSQL). False when they are unique and increasing but with gaps across
    // devices (SQLite's one global sequence): then a session fetches after its cursor instead.
    virtual bool denseQueueIds() const = 0;
    // One round trip to the engine inside the current transaction (/healthz): throws
    // StoreError when it cannot be reached.
    virtual void probe() = 0;

    // --- a message's hot path (store/message_path.h): one round trip each on PostgreSQL ---
    virtual DirectSendFacts directSendFacts(DeviceKey sender, const std::string& clientMsgId,
                                            const std::string& chatId, UserId recipient);
    // appendMessage (withheld from a blocker if given), then every reader's read cursor moved to
    // the new seq, then each envelope stored and queued (sorted by target: queues are locked in
    // DeviceKey order).
    virtual AppendedDirect appendDirect(const std::string& chatId, DeviceKey sender, const std::string& clientMsgId,
                                        const std::vector<UserId>& recipients, const std::vector<UserId>& readers,
                                        const std::vector<EnvelopeToQueue>& envelopes,
                                        std::optional<UserId> withheldFrom, TimestampMs now);
    // findMessage, then (unless `device` sent it) dequeueMessage, then whether it was addressed.
    virtual AckTarget takeForAck(DeviceKey device, MessageId message);
    // takeForAck; then, for a message addressed to `device` and sent by another account,
    // markDelivered; when that marked it and the message is no group event, a delivered receipt
    // by `device` at `now` queued for the sender (enqueueReceiptForUser). One round trip on
    // PostgreSQL where the three calls take three.
    virtual DeliveredAck takeDelivered(DeviceKey device, MessageId message, TimestampMs now);
    // enqueueReceipt for every active device of `user`, in device order.
    virtual std::vector<QueuedReceipt> enqueueReceiptForUser(UserId user, const protocol::ReceiptEvent& receipt);

    // --- counters for /metrics and start-up logs ---
    virtual std::uint64_t messageCount() = 0;
};

} // namespace natter::server
