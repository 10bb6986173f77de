// Chats and messages: membership of chats, seqs and read cursors, stored messages and
// their ciphertext, per-device queues and receipts.
#pragma once

#include "store/store_records.h"

namespace natter::server {

class MessagesStore {
public:
    virtual ~MessagesStore() = default;

    virtual std::optional<ChatKind> findChat(const std::string& chatId) = 0;
    virtual void createChat(const std::string& chatId, ChatKind kind, const std::vector<UserId>& members,
                            TimestampMs now) = 0;
    // Current members (not those who left or were removed).
    virtual std::vector<UserId> chatMembers(const std::string& chatId) = 0;
    virtual bool isChatMember(const std::string& chatId, UserId user) = 0;
    // Users sharing any chat with `user` (for identity-change notices).
    virtual std::vector<UserId> chatPartners(UserId user) = 0;
    // The chat's newest seq (0 when empty).
    virtual Seq lastSeq(const std::string& chatId) = 0;
    // Moves the user's read cursor forward to `seq` (never back).
    virtual void markReadUpTo(const std::string& chatId, UserId user, Seq seq) = 0;
    virtual std::vector<protocol::rest::ChatSummary> listChats(UserId user) = 0;
    // What `device` may read in the chat, newest `limit` before `beforeSeq`, ascending.
    virtual std::vector<protocol::rest::HistoryItem> history(const std::string& chatId, DeviceKey device,
                                                             Seq beforeSeq, std::size_t limit) = 0;

    virtual std::optional<MessageRecord> findMessage(MessageId id) = 0;
    virtual std::optional<MessageRecord> findMessageByClientId(DeviceKey sender, const std::string& clientMsgId) = 0;
    // Stores a message with the chat's next seq and bumps the chat's activity; creates a
    // "sent" receipt row per recipient user (none for group events).
    virtual MessageRecord appendMessage(const std::string& chatId, DeviceKey sender, const std::string& clientMsgId,
                                        const std::vector<UserId>& recipients, TimestampMs now,
                                        MessageKind kind = MessageKind::user) = 0;
    // Hides a 1:1 message from `user`, who had blocked its sender: not in their history or chat
    // list, ever (the sender's devices keep it).
    virtual void withhold(MessageId message, UserId user) = 0;
    // The one content of a group message (or a group event's description).
    virtual void storeBody(MessageId message, const std::string& bytes) = 0;
    // The ciphertext addressed to one device of a 1:1 message.
    virtual void storeEnvelope(MessageId message, DeviceKey target, const std::string& bytes) = 0;
    virtual bool hasEnvelope(MessageId message, DeviceKey target) = 0;

    virtual std::uint64_t enqueueMessage(DeviceKey target, MessageId message) = 0;
    virtual std::uint64_t enqueueReceipt(DeviceKey target, const protocol::ReceiptEvent& receipt) = 0;
    virtual std::uint64_t enqueueIdentityChange(DeviceKey target, DeviceKey changed, TimestampMs when) = 0;
    virtual bool dequeueEvent(DeviceKey device, std::uint64_t qid) = 0;
    // Drops a device's whole queue (it was unlinked).
    virtual void clearQueue(DeviceKey device) = 0;
    // Entries with qid > afterQid, oldest first.
    virtual std::vector<QueueEntry> fetchQueue(DeviceKey device, std::uint64_t afterQid, std::size_t limit) = 0;
    // Removes a queued message; returns its qid if it was queued.
    virtual std::optional<std::uint64_t> dequeueMessage(DeviceKey device, MessageId message) = 0;
    virtual bool dequeueReceipt(DeviceKey device, std::uint64_t qid) = 0;
    virtual std::uint64_t queueDepth() = 0;
    // Deletes up to `limit` entries queued before `queuedBefore` for devices that have not
    // connected since the entry was queued; returns how many it deleted.
    virtual std::uint64_t expireQueue(TimestampMs queuedBefore, std::size_t limit) = 0;

    // Records the first delivered/read time of `user`; true if this changed the row.
    virtual bool markDelivered(MessageId message, UserId user, TimestampMs when) = 0;
    virtual bool markRead(MessageId message, UserId user, TimestampMs when) = 0;
    virtual std::vector<protocol::rest::RecipientStatus> recipientStatuses(MessageId message) = 0;
};

} // namespace natter::server
