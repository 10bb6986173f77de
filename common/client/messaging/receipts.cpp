#include "client/messaging/receipts.h"

#include "client/net/connection.h"
#include "client/store/account_store.h"
#include "client/store/chat_store.h"
#include "client/store/database.h"
#include "client/store/group_store.h"
#include "client/store/message_store.h"
#include "client/store/profile_store.h"

#include <QLoggingCategory>

#include <algorithm>
#include <tuple>

Q_LOGGING_CATEGORY(lcReceipts, "natter.receipts")

namespace natter::client {

Receipts::Receipts(store::ProfileStore& store, net::Connection& connection, UserId self, QObject* parent)
    : QObject(parent), m_store(store), m_connection(connection), m_self(self) {}

bool Receipts::readReceiptsEnabled() {
    auto value = m_store.account().setting(QStringLiteral("read_receipts"));
    return !value || *value != QLatin1String("false");
}

MessageState Receipts::aggregate(const MessageRecord& message) {
    auto receipts = m_store.messages().receipts(message.localId);
    if (!receipts) return message.state;
    std::vector<UserId> recipients;
    if (message.chatId.startsWith(QLatin1String("g:"))) {
        auto group = m_store.groups().byId(message.chatId);
        if (group && *group)
            for (const auto& m : (*group)->members)
                if (m.userId != m_self) recipients.push_back(m.userId);
    } else {
        for (const auto& r : *receipts)
            if (r.userId != m_self) recipients.push_back(r.userId);
    }
    if (recipients.empty()) return message.state;
    // The furthest state every recipient reached (a group shows ✓✓ once all have it).
    DeliveryStatus lowest = DeliveryStatus::read;
    for (UserId user : recipients) {
        DeliveryStatus reached = DeliveryStatus::sent;
        for (const auto& r : *receipts)
            if (r.userId == user && r.status > reached) reached = r.status;
        if (reached < lowest) lowest = reached;
    }
    switch (lowest) {
    case DeliveryStatus::sent: return MessageState::sent;
    case DeliveryStatus::delivered: return MessageState::delivered;
    case DeliveryStatus::read: return MessageState::read;
    }
    return message.state;
}

void Receipts::onReceipt(const protocol::ReceiptEvent& receipt) {
    auto message = m_store.messages().byMessageId(receipt.message_id);
    if (!message) return; // not acknowledged: delivered again after the next connect
    if (*message && (*message)->direction == MessageDirection::outgoing && receipt.user_id != m_self) {
        const qint64 localId = (*message)->localId;
        auto stored = m_store.database().transaction([&]() -> Expected<void> {
            if (auto r = m_store.messages().addReceipt(localId, {receipt.user_id, receipt.status, receipt.timestamp}); !r)
                return r;
            auto updated = m_store.messages().byLocalId(localId);
            if (!updated || !*updated) return {};
            return m_store.messages().advanceState(localId, aggregate(**updated));
        });
        if (!stored) {
            qCWarning(lcReceipts) << "cannot store a receipt:" << stored.error().message;
            return;
        }
        emit messageUpdated(localId, (*message)->chatId);
    }
    m_connection.send(protocol::ReceiptAck{receipt.receipt_id});
}

Expected<int> Receipts::markChatRead(const QString& chatId, qint64 upToLocalId) {
    auto unread = m_store.messages().unreadIncoming(chatId);
    if (!unread) return unread.error();
    std::vector<MessageRecord> later; // unread after upToLocalId: they stay unread
    if (upToLocalId > 0) {
        auto target = m_store.messages().byLocalId(upToLocalId);
        if (!target) return target.error();
        if (!*target || (*target)->chatId != chatId)
            return makeClientError(ErrorKind::NotFound, QStringLiteral("message %1 is not in this chat").arg(upToLocalId));
        // The chat's order: by seq, pending (seq 0) last, then by local id.
        const auto order = [](const MessageRecord& m) { return std::tuple(m.seq == 0, m.seq, m.localId); };
        const auto upTo = order(**target);
        const auto firstLater = std::find_if(unread->begin(), unread->end(), [&](const auto& m) { return order(m) > upTo; });
        later.assign(firstLater, unread->end());
        unread->erase(firstLater, unread->end());
    }
    auto stored = m_store.database().transaction([&]() -> Expected<void> {
        if (later.empty()) {
            if (auto r = m_store.messages().markIncomingRead(chatId); !r) return r;
            return m_store.chats().clearUnread(chatId);
        }
        std::vector<qint64> ids;
        for (const auto& m : *unread) ids.push_back(m.localId);
        if (auto r = m_store.messages().markIncomingRead(chatId, ids); !r) return r;
        return m_store.chats().setUnread(chatId, int(later.size()));
    });
    if (!stored) return stored.error();
    // A message request's sender learns nothing until the user accepts (sendHeldBackReads).
    auto chat = m_store.chats().byId(chatId);
    const bool request = !chat || (*chat && (*chat)->request);
    if (readReceiptsEnabled() && !request) {
        for (const auto& m : *unread) {
            if (m.messageId == 0 || m.kind == MessageKind::system) continue;
            if (!m_connection.send(protocol::AckMessage{m.messageId, protocol::DeliveryStatus::read}))
                m_owedReads.push_back(m.messageId);
        }
    }
    emit chatRead(chatId);
    return int(unread->size());
}

void Receipts::sendHeldBackReads(const QString& chatId) {
    if (!readReceiptsEnabled()) return;
    for (qint64 before = 0;;) {
        auto page = m_store.messages().page(chatId, 500, before);
        if (!page || page->empty()) return;
        for (const auto& m : *page) {
            if (m.direction != MessageDirection::incoming || m.state != MessageState::read || m.messageId == 0 ||
                m.kind == MessageKind::system)
                continue;
            if (!m_connection.send(protocol::AckMessage{m.messageId, protocol::DeliveryStatus::read}))
                m_owedReads.push_back(m.messageId);
        }
        before = page->front().localId;
    }
}

void Receipts::onConnected() {
    const auto owed = std::exchange(m_owedReads, {});
    for (MessageId id : owed)
        if (!m_connection.send(protocol::AckMessage{id, protocol::DeliveryStatus::read})) m_owedReads.push_back(id);
}

} // namespace natter::client
