// The delivery guarantees: store-before-ack, per-chat seq, idempotent resend,
// per-device queues and receipts. Methods run on the store worker thread; what they
// return is what the io thread must push to connected devices.
#pragma once

#include "protocol/frames.h"
#include "protocol/rest.h"
#include "gateway/token_bucket.h"
#include "store/store.h"

#include <deque>
#include <mutex>
#include <unordered_map>

#include <vector>

namespace natter::server {

using protocol::Result;

struct SendOutcome {
    protocol::SentAck ack;
    bool duplicate = false;           // a resend: nothing new was stored
    std::vector<QueueEntry> queued;   // one per recipient device, to push if online
};

struct AckOutcome {
    std::optional<std::uint64_t> removed_qid; // the queue entry this ack removed, if any
    std::vector<QueueEntry> receipts;         // receipts queued for the sender's devices
    std::optional<TimestampMs> message_created_at; // for the delivery latency metric
};

class MessageService {
public:
    // groupRate: messages per second allowed into one group (all senders together).
    explicit MessageService(double groupRate = 50) : groupRate_(groupRate) {}
    // A reloaded group rate (SIGHUP, io thread): each group's bucket keeps what it holds, up to the new burst.
    void setGroupRate(double groupRate);

    // Returns errors only before its first write (StoreWorker's OnError::nothingWritten).
    Result<SendOutcome> send(Store& store, DeviceKey sender, const protocol::SendMessage& msg, TimestampMs now);
    // Returns errors only before its first write, as send does.
    Result<AckOutcome> acknowledge(Store& store, DeviceKey device, const protocol::AckMessage& ack, TimestampMs now);
    Result<bool> acknowledgeReceipt(Store& store, DeviceKey device, protocol::ReceiptId receipt);
    Result<bool> acknowledgeEvent(Store& store, DeviceKey device, std::uint64_t eventId);
    Result<std::vector<QueueEntry>> fetch(Store& store, DeviceKey device, std::uint64_t afterQid, std::size_t limit);
    Result<protocol::rest::MessageReceipts> receipts(Store& store, UserId caller, MessageId message);

    Result<protocol::rest::ChatList> chats(Store& store, UserId caller);
    Result<protocol::rest::History> history(Store& store, DeviceKey caller, const std::string& chatId, Seq before,
                                            std::size_t limit);

    // The users of a chat if `user` may act in it: the 1:1 rule for "dm:" ids (a direct chat
    // may not exist yet: it is made by its first message), current membership otherwise.
    Result<std::vector<UserId>> participants(Store& store, const std::string& chatId, UserId user);

private:
    Result<SendOutcome> sendDirect(Store& store, DeviceKey sender, const protocol::SendMessage& msg, TimestampMs now);
    Result<SendOutcome> sendToGroup(Store& store, DeviceKey sender, const protocol::SendMessage& msg,
                                    const std::vector<UserId>& members, TimestampMs now);
    // Takes one of the group's tokens for the message, once: a send that runs again (its
    // transaction undone by another job's conflict, StoreWorker) is not charged twice.
    bool allowGroupMessage(const std::string& chatId, DeviceKey sender, const std::string& clientMsgId);

    struct GroupBudget {
        TokenBucket bucket;
        std::deque<std::string> charged; // the latest messages that took a token, oldest first
    };
    std::mutex groupBucketsMutex_; // sends run on every store lane
    double groupRate_;             // guarded by groupBucketsMutex_ (reloads)
    std::unordered_map<std::string, GroupBudget> groupBuckets_;
};

} // namespace natter::server
