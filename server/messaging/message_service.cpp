#include "messaging/message_service.h"

#include "protocol/base64.h"
#include "protocol/device_list.h"
#include "protocol/frame_codec.h"
#include "protocol/identifiers.h"

#include <algorithm>
#include <set>

namespace natter::server {

using protocol::DeliveryStatus;
using protocol::ErrorCode;
using protocol::makeError;

namespace {

std::set<DeviceKey> expectedRecipients(Store& store, const std::vector<UserId>& members, DeviceKey sender) {
    std::set<DeviceKey> out;
    for (const auto& device : store.activeDevicesOf(members))
        if (device.listed && device.key != sender) out.insert(device.key);
    return out;
}

protocol::Error mismatch(const std::set<DeviceKey>& expected, const std::set<DeviceKey>& given) {
    auto error = makeError(ErrorCode::DeviceMismatch,
                           "envelopes must address exactly the chat's other devices; see missing_devices/extra_devices");
    for (const auto& d : expected)
        if (!given.contains(d)) error.missing_devices.push_back({d.user_id, d.device_id});
    for (const auto& d : given)
        if (!expected.contains(d)) error.extra_devices.push_back({d.user_id, d.device_id});
    return error;
}

// Whether a user shares read receipts (privacy setting); looked up only for `read` acks.
bool sharesReadReceipts(Store& store, UserId user) {
    const auto record = store.findUser(user);
    return record && record->privacy.read_receipts;
}

protocol::SentAck ackFor(const MessageRecord& m) {
    return protocol::SentAck{DeliveryStatus::sent, m.client_msg_id, m.id, m.chat_id, m.seq, m.created_at};
}

} // namespace

Result<std::vector<UserId>> MessageService::participants(Store& store, const std::string& chatId, UserId user) {
    if (const auto owner = protocol::parseOwnChatId(chatId)) {
        // The account's own chat (account sync): only its user, whose other devices it reaches.
        if (*owner != user) return makeError(ErrorCode::Forbidden, "you are not a participant of " + chatId);
        return std::vector<UserId>{user};
    }
    if (const auto pair = protocol::parseDirectChatId(chatId)) {
        if (pair->first != user && pair->second != user)
            return makeError(ErrorCode::Forbidden, "you are not a participant of " + chatId);
        return std::vector<UserId>{pair->first, pair->second}; // send() checks that the other one exists
    }
    if (!store.findChat(chatId)) return makeError(ErrorCode::NotFound, "no chat " + chatId);
    if (!store.isChatMember(chatId, user)) return makeError(ErrorCode::Forbidden, "you are not a member of " + chatId);
    return store.chatMembers(chatId);
}

void MessageService::setGroupRate(double groupRate) {
    std::lock_guard lock(groupBucketsMutex_);
    groupRate_ = groupRate;
    for (auto& [chat, budget] : groupBuckets_) budget.bucket.retune(groupRate, groupRate * 2);
}

bool MessageService::allowGroupMessage(const std::string& chatId, DeviceKey sender, const std::string& clientMsgId) {
    constexpr std::size_t kRemembered = 64; // more than a lane's shared transaction holds
    std::string key = std::to_string(sender.user_id) + "." + std::to_string(sender.device_id) + ":" + clientMsgId;
    std::lock_guard lock(groupBucketsMutex_);
    auto it = groupBuckets_.find(chatId);
    if (it == groupBuckets_.end())
        it = groupBuckets_.emplace(chatId, GroupBudget{TokenBucket(groupRate_, groupRate_ * 2), {}}).first;
    auto& budget = it->second;
    if (std::find(budget.charged.begin(), budget.charged.end(), key) != budget.charged.end()) return true;
    if (!budget.bucket.tryTake()) return false;
    budget.charged.push_back(std::move(key));
    if (budget.charged.size() > kRemembered) budget.charged.pop_front();
    return true;
}

Result<SendOutcome> MessageService::sendToGroup(Store& store, DeviceKey sender, const protocol::SendMessage& msg,
                                                const std::vector<UserId>& members, TimestampMs now) {
    if (!msg.content)
        return makeError(ErrorCode::InvalidField, "group messages carry one 'content' for all members, not envelopes");
    if (!allowGroupMessage(msg.chat_id, sender, msg.client_msg_id))
        return makeError(ErrorCode::RateLimited, "too many messages in this group; slow down");
    const auto devices = expectedRecipients(store, members, sender);
    if (msg.devices_hash) {
        std::vector<protocol::DeviceAddress> addresses;
        for (const auto& d : devices) addresses.push_back({d.user_id, d.device_id});
        if (*msg.devices_hash != protocol::devicesHash(std::move(addresses)))
            return makeError(ErrorCode::DeviceMismatch,
                             "the group's member devices changed: refresh the members' device lists, send your "
                             "sender key to the new devices, then resend");
    }
    std::vector<UserId> recipients;
    std::copy_if(members.begin(), members.end(), std::back_inserter(recipients),
                 [&](UserId u) { return u != sender.user_id; });
    const MessageRecord record = store.appendMessage(msg.chat_id, sender, msg.client_msg_id, recipients, now);
    store.storeBody(record.id, protocol::base64::decode(*msg.content).value_or(std::string{}));
    store.markReadUpTo(msg.chat_id, sender.user_id, record.seq);
    SendOutcome out{ackFor(record), false, {}};
    const protocol::MessageDelivery frame{record.chat_id, record.id, record.seq, sender.user_id, sender.device_id,
                                          record.created_at, *msg.content, record.client_msg_id};
    const auto text = std::make_shared<const std::string>(protocol::serializeFrame(frame));
    for (const auto& device : devices)
        out.queued.push_back(QueueEntry{store.enqueueMessage(device, record.id), device, frame, text});
    return out;
}

Result<SendOutcome> MessageService::send(Store& store, DeviceKey sender, const protocol::SendMessage& msg,
                                         TimestampMs now) {
    if (protocol::isPairwiseChatId(msg.chat_id)) return sendDirect(store, sender, msg, now);
    if (auto original = store.findMessageByClientId(sender, msg.client_msg_id))
        return SendOutcome{ackFor(*original), true, {}};
    auto members = participants(store, msg.chat_id, sender.user_id);
    if (!members) return members.error();
    return sendToGroup(store, sender, msg, *members, now);
}

// What it reads is one store call and what it writes another (one round trip each on PostgreSQL).
Result<SendOutcome> MessageService::sendDirect(Store& store, DeviceKey sender, const protocol::SendMessage& msg,
                                               TimestampMs now) {
    auto members = participants(store, msg.chat_id, sender.user_id);
    if (!members) return members.error();
    const UserId other = members->front() == sender.user_id ? members->back() : members->front();
    auto facts = store.directSendFacts(sender, msg.client_msg_id, msg.chat_id, other);
    if (facts.original) return SendOutcome{ackFor(*facts.original), true, {}};

    std::set<DeviceKey> expected;
    for (const auto& device : facts.devices)
        if (device.listed && device.key != sender) expected.insert(device.key);
    // A device of the other user proves the account exists; only without one is it looked up.
    if (std::none_of(expected.begin(), expected.end(), [other](const DeviceKey& d) { return d.user_id == other; }) &&
        !store.findUser(other))
        return makeError(ErrorCode::NotFound, "no user " + std::to_string(other));
    if (msg.content)
        return makeError(ErrorCode::InvalidField, "1:1 messages carry one envelope per device, not 'content'");

    std::set<DeviceKey> given;
    for (const auto& env : msg.envelopes) given.insert({env.user_id, env.device_id});
    // The recipient blocked the sender: the message is acknowledged as usual but reaches only
    // the sender's own devices; envelopes for the recipient's devices are accepted (with or
    // without them) and dropped, so the sender cannot tell (docs/protocol.md, "Blocking").
    const bool withheld = other != sender.user_id && facts.blocked;
    const auto theirs = [other](const DeviceKey& d) { return d.user_id == other; };
    if (withheld) {
        std::erase_if(expected, theirs);
        std::erase_if(given, theirs);
    }
    if (given != expected) return mismatch(expected, given);

    std::vector<UserId> recipients;
    std::copy_if(members->begin(), members->end(), std::back_inserter(recipients),
                 [&](UserId u) { return u != sender.user_id; });
    std::vector<UserId> readers{sender.user_id};
    if (withheld) readers.push_back(other); // never unread for the blocker
    // Queues are taken in device order (PostgreSQL locks each device's queue row until commit:
    // one order everywhere means two sends never wait for each other in a circle).
    std::vector<const protocol::Envelope*> sorted;
    for (const auto& env : msg.envelopes)
        if (!withheld || !theirs({env.user_id, env.device_id})) sorted.push_back(&env);
    std::sort(sorted.begin(), sorted.end(), [](const auto* a, const auto* b) {
        return DeviceKey{a->user_id, a->device_id} < DeviceKey{b->user_id, b->device_id};
    });
    std::vector<EnvelopeToQueue> envelopes;
    envelopes.reserve(sorted.size());
    for (const auto* env : sorted) // validated by the frame parser
        envelopes.push_back({{env->user_id, env->device_id}, protocol::base64::decode(env->content).value_or("")});

    if (!facts.chat_exists) store.createChat(msg.chat_id, ChatKind::direct, *members, now);
    const auto appended =
        store.appendDirect(msg.chat_id, sender, msg.client_msg_id, recipients, readers, envelopes,
                           withheld ? std::optional(other) : std::nullopt, now);
    const MessageRecord& record = appended.record;
    SendOutcome out{ackFor(record), false, {}};
    out.queued.reserve(sorted.size());
    for (std::size_t i = 0; i < sorted.size(); ++i) {
        protocol::MessageDelivery frame{record.chat_id, record.id, record.seq, sender.user_id, sender.device_id,
                                        record.created_at, sorted[i]->content, record.client_msg_id};
        out.queued.push_back(QueueEntry{appended.qids.at(i), envelopes[i].target, std::move(frame)});
    }
    return out;
}

Result<AckOutcome> MessageService::acknowledge(Store& store, DeviceKey device, const protocol::AckMessage& ack,
                                               TimestampMs now) {
    // Only devices the message was addressed to may acknowledge it: in 1:1 chats those with
    // an envelope (not the sending device, not devices added later), in groups members.
    // (A removed member still acknowledges the event that removed them: it was queued for them.)
    // A `delivered` ack, by far the most common, is one store call (one round trip on PostgreSQL).
    const bool delivered = ack.status == DeliveryStatus::delivered;
    auto taken = delivered ? store.takeDelivered(device, ack.message_id, now)
                           : DeliveredAck{store.takeForAck(device, ack.message_id), {}};
    const auto& target = taken.target;
    if (!target.addressed)
        return makeError(ErrorCode::NotFound, "no message " + std::to_string(ack.message_id) + " for this device");
    const auto& message = target.message;
    AckOutcome out;
    out.removed_qid = target.removed_qid;

    if (device.user_id == message->sender.user_id) return out; // a copy on the sender's own device
    out.message_created_at = message->created_at;
    if (delivered) {
        for (const auto& [senderDevice, qid] : taken.receipts) {
            const protocol::ReceiptEvent receipt{qid, message->chat_id, message->id,
                                                 device.user_id, device.device_id, DeliveryStatus::delivered, now};
            out.receipts.push_back(QueueEntry{qid, senderDevice, receipt});
        }
        return out;
    }

    std::vector<DeliveryStatus> relay;
    if (store.markDelivered(message->id, device.user_id, now)) relay.push_back(DeliveryStatus::delivered);
    if (ack.status == DeliveryStatus::read) store.markReadUpTo(message->chat_id, device.user_id, message->seq);
    if (message->kind == MessageKind::group_event) return out; // events carry no receipts
    if (ack.status == DeliveryStatus::read && sharesReadReceipts(store, device.user_id) &&
        store.markRead(message->id, device.user_id, now) && sharesReadReceipts(store, message->sender.user_id))
        relay.push_back(DeliveryStatus::read);

    for (const auto status : relay) {
        protocol::ReceiptEvent receipt{0, message->chat_id, message->id, device.user_id, device.device_id, status, now};
        for (const auto& [senderDevice, qid] : store.enqueueReceiptForUser(message->sender.user_id, receipt)) {
            receipt.receipt_id = qid;
            out.receipts.push_back(QueueEntry{qid, senderDevice, receipt});
        }
    }
    return out;
}

Result<bool> MessageService::acknowledgeReceipt(Store& store, DeviceKey device, protocol::ReceiptId receipt) {
    return store.dequeueReceipt(device, receipt);
}

Result<bool> MessageService::acknowledgeEvent(Store& store, DeviceKey device, std::uint64_t eventId) {
    return store.dequeueEvent(device, eventId);
}

Result<protocol::rest::ChatList> MessageService::chats(Store& store, UserId caller) {
    auto chats = store.listChats(caller);
    // The account's own chat carries only account sync: it is no chat to show.
    std::erase_if(chats, [](const protocol::rest::ChatSummary& c) { return protocol::parseOwnChatId(c.chat_id).has_value(); });
    return protocol::rest::ChatList{std::move(chats)};
}

Result<protocol::rest::History> MessageService::history(Store& store, DeviceKey caller, const std::string& chatId,
                                                        Seq before, std::size_t limit) {
    if (!store.findChat(chatId)) return makeError(ErrorCode::NotFound, "no chat " + chatId);
    if (!store.isChatMember(chatId, caller.user_id))
        return makeError(ErrorCode::Forbidden, "you are not a member of " + chatId);
    auto items = store.history(chatId, caller, before, limit + 1);
    protocol::rest::History out;
    out.has_more = items.size() > limit;
    if (out.has_more) items.erase(items.begin());
    out.messages = std::move(items);
    return out;
}

Result<std::vector<QueueEntry>> MessageService::fetch(Store& store, DeviceKey device, std::uint64_t afterQid,
                                                      std::size_t limit) {
    return store.fetchQueue(device, afterQid, limit);
}

Result<protocol::rest::MessageReceipts> MessageService::receipts(Store& store, UserId caller, MessageId message) {
    const auto record = store.findMessage(message);
    if (!record) return makeError(ErrorCode::NotFound, "no message " + std::to_string(message));
    if (record->sender.user_id != caller)
        return makeError(ErrorCode::Forbidden, "only the sender can see a message's receipts");
    auto recipients = store.recipientStatuses(message);
    // Reciprocity: whoever does not send read receipts does not see anyone else's reads.
    if (!sharesReadReceipts(store, caller))
        for (auto& r : recipients) {
            r.read_at.reset();
            if (r.status == DeliveryStatus::read) r.status = DeliveryStatus::delivered;
        }
    return protocol::rest::MessageReceipts{record->id, record->chat_id, std::move(recipients)};
}

} // namespace natter::server
