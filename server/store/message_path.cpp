// The hot-path calls composed from the per-domain ones (what SQLite runs; PostgreSQL overrides).
#include "store/store.h"

#include "protocol/identifiers.h"

namespace natter::server {

DirectSendFacts Store::directSendFacts(DeviceKey sender, const std::string& clientMsgId, const std::string& chatId,
                                       UserId recipient) {
    DirectSendFacts facts;
    facts.original = findMessageByClientId(sender, clientMsgId);
    facts.devices = activeDevicesOf({sender.user_id, recipient});
    facts.blocked = hasBlocked(recipient, sender.user_id);
    facts.chat_exists = findChat(chatId).has_value();
    return facts;
}

AppendedDirect Store::appendDirect(const std::string& chatId, DeviceKey sender, const std::string& clientMsgId,
                                   const std::vector<UserId>& recipients, const std::vector<UserId>& readers,
                                   const std::vector<EnvelopeToQueue>& envelopes,
                                   std::optional<UserId> withheldFrom, TimestampMs now) {
    AppendedDirect out{appendMessage(chatId, sender, clientMsgId, recipients, now), {}};
    if (withheldFrom) withhold(out.record.id, *withheldFrom);
    for (UserId reader : readers) markReadUpTo(chatId, reader, out.record.seq);
    out.qids.reserve(envelopes.size());
    for (const auto& envelope : envelopes) {
        storeEnvelope(out.record.id, envelope.target, envelope.content);
        out.qids.push_back(enqueueMessage(envelope.target, out.record.id));
    }
    return out;
}

AckTarget Store::takeForAck(DeviceKey device, MessageId message) {
    AckTarget out;
    out.message = findMessage(message);
    if (!out.message || out.message->sender == device) return out;
    out.removed_qid = dequeueMessage(device, message);
    out.addressed = out.removed_qid || (protocol::isPairwiseChatId(out.message->chat_id)
                                            ? hasEnvelope(message, device)
                                            : isChatMember(out.message->chat_id, device.user_id));
    return out;
}

DeliveredAck Store::takeDelivered(DeviceKey device, MessageId message, TimestampMs now) {
    DeliveredAck out{takeForAck(device, message), {}};
    const auto& m = out.target.message;
    if (!out.target.addressed || m->sender.user_id == device.user_id) return out;
    if (!markDelivered(message, device.user_id, now) || m->kind == MessageKind::group_event) return out;
    out.receipts = enqueueReceiptForUser(m->sender.user_id, {0, m->chat_id, message, device.user_id, device.device_id,
                                                             protocol::DeliveryStatus::delivered, now});
    return out;
}

std::vector<QueuedReceipt> Store::enqueueReceiptForUser(UserId user, const protocol::ReceiptEvent& receipt) {
    std::vector<QueuedReceipt> out;
    for (const auto& device : activeDevices(user)) out.emplace_back(device.key, enqueueReceipt(device.key, receipt));
    return out;
}

} // namespace natter::server
