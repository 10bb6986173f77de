#include "client/messaging/message_requests.h"

#include "client/messaging/message_actions.h"
#include "client/messaging/receipts.h"
#include "client/store/chat_store.h"
#include "client/store/message_store.h"
#include "client/store/profile_store.h"

#include <QLoggingCategory>

#include <algorithm>

Q_LOGGING_CATEGORY(lcRequests, "natter.requests")

namespace natter::client {

MessageRequests::MessageRequests(store::ProfileStore& store, Receipts& receipts, MessageActions& actions, QObject* parent)
    : QObject(parent), m_store(store), m_receipts(receipts), m_actions(actions) {}

Expected<std::vector<ChatRecord>> MessageRequests::list() {
    auto chats = m_store.chats().list(true);
    if (!chats) return chats.error();
    std::vector<ChatRecord> out;
    for (auto& chat : *chats)
        if (chat.request) out.push_back(std::move(chat));
    return out;
}

bool MessageRequests::isRequest(const QString& chatId) {
    auto chat = m_store.chats().byId(chatId);
    return chat && *chat && (*chat)->request;
}

Expected<ChatRecord> MessageRequests::request(const QString& chatId) {
    auto chat = m_store.chats().byId(chatId);
    if (!chat) return chat.error();
    if (!*chat || !(*chat)->request)
        return makeClientError(ErrorKind::NotFound, tr("%1 is not a message request")
                                                        .arg(*chat && !(*chat)->title.isEmpty() ? (*chat)->title : chatId));
    return **chat;
}

Expected<void> MessageRequests::accept(const QString& chatId) {
    auto chat = request(chatId);
    if (!chat) return chat.error();
    if (auto r = m_store.chats().setRequest(chatId, false); !r) return r;
    m_receipts.sendHeldBackReads(chatId);
    emit requestsChanged(chatId);
    return {};
}

Expected<void> MessageRequests::remove(const QString& chatId) {
    auto chat = request(chatId);
    if (!chat) return chat.error();
    for (qint64 before = -1;;) {
        auto left = m_store.messages().count(chatId);
        if (!left) return left.error();
        // None left, or none removed last time (a row that cannot go): stop rather than loop.
        if (*left == 0 || *left == before) break;
        before = *left;
        auto page = m_store.messages().page(chatId, 500);
        if (!page) return page.error();
        for (const auto& message : *page) m_actions.removeLocally(message);
    }
    if (auto left = m_store.messages().count(chatId); !left || *left > 0)
        return makeClientError(ErrorKind::Storage, tr("the messages of %1 could not all be removed").arg(chat->title));
    if (auto r = m_store.chats().remove(chatId); !r) return r;
    emit requestsChanged(chatId);
    return {};
}

void MessageRequests::removeRequestsFrom(const std::vector<UserId>& users) {
    auto requests = list();
    if (!requests) return;
    for (const auto& chat : *requests)
        if (std::find(users.begin(), users.end(), chat.peerId) != users.end())
            if (auto r = remove(chat.chatId); !r)
                qCWarning(lcRequests) << "cannot remove a blocked user's request:" << r.error().message;
}

void MessageRequests::onMessageAdded(qint64 localId, const QString& chatId) {
    if (!isRequest(chatId)) return;
    auto message = m_store.messages().byLocalId(localId);
    if (!message || !*message || (*message)->direction != MessageDirection::outgoing) return;
    if (auto r = m_store.chats().setRequest(chatId, false); !r) {
        qCWarning(lcRequests) << "cannot accept a request written to:" << r.error().message;
        return;
    }
    m_receipts.sendHeldBackReads(chatId);
    emit requestsChanged(chatId);
}

} // namespace natter::client
