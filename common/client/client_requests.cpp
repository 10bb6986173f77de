// Client: message requests (a first 1:1 message from someone who is not a contact waits for the
// user to accept, block or delete it; no read receipts or typing reach its sender meanwhile) and
// the account's block list, which natterd keeps and enforces (docs/protocol.md, "Blocking").
#include "client/client.h"

#include "client/messaging/receipts.h"
#include "client/net/api_client.h"
#include "client/store/chat_store.h"
#include "client/store/message_store.h"
#include "client/store/profile_store.h"
#include "protocol/identifiers.h"

#include <QFile>

#include <boost/json/value.hpp>

namespace natter::client {

namespace rest = protocol::rest;
using net::HttpMethod;

namespace {
QString blockPath(UserId user) { return QStringLiteral("/api/blocks/%1").arg(user); }
} // namespace

Expected<std::vector<ChatRecord>> Client::messageRequests() {
    if (!isRegistered()) return makeClientError(ErrorKind::InvalidArgument, tr("this profile is not registered yet"));
    return m_store->chats().requests();
}

Expected<ChatRecord> Client::requestChat(const QString& chatId) {
    auto chat = m_store->chats().byId(chatId);
    if (!chat) return chat.error();
    if (!*chat) return makeClientError(ErrorKind::NotFound, tr("no chat %1").arg(chatId));
    if (!(*chat)->request)
        return makeClientError(ErrorKind::InvalidArgument, tr("%1 is not a message request").arg((*chat)->title));
    return **chat;
}

Expected<int> Client::acceptRequest(const QString& chatId) {
    auto chat = requestChat(chatId);
    if (!chat) return chat.error();
    if (auto r = m_store->chats().setRequest(chatId, false); !r) return r.error();
    auto sent = m_receipts->sendHeldReads(chatId);
    emit chatsChanged();
    return sent;
}

Expected<void> Client::acceptIfRequest(const QString& chatId) {
    auto chat = m_store->chats().byId(chatId);
    if (!chat) return chat.error();
    if (!*chat || !(*chat)->request) return {};
    if (auto accepted = acceptRequest(chatId); !accepted) return accepted.error();
    return {};
}

Expected<int> Client::deleteRequest(const QString& chatId) {
    auto chat = requestChat(chatId);
    if (!chat) return chat.error();
    return removeChatLocally(chatId);
}

Expected<int> Client::removeChatLocally(const QString& chatId) {
    auto count = m_store->messages().count(chatId);
    if (!count) return count.error();
    auto messages = m_store->messages().page(chatId, int(*count));
    if (!messages) return messages.error();
    for (const auto& m : *messages) {
        auto file = m_store->messages().remove(m.localId);
        if (!file) return file.error();
        if (!file->isEmpty()) QFile::remove(*file);
        emit messageRemoved(m.localId, chatId);
    }
    if (auto r = m_store->chats().remove(chatId); !r) return r.error();
    emit chatsChanged();
    return int(messages->size());
}

Expected<UserId> Client::resolvePerson(const QString& who) {
    if (!isRegistered()) return makeClientError(ErrorKind::InvalidArgument, tr("this profile is not registered yet"));
    if (const auto pair = protocol::parseDirectChatId(who.toStdString())) {
        if (pair->first != m_account.userId && pair->second != m_account.userId)
            return makeClientError(ErrorKind::NotFound, tr("no chat %1").arg(who));
        return pair->first == m_account.userId ? pair->second : pair->first;
    }
    auto contact = resolveUser(who);
    if (contact || contact.error().kind != ErrorKind::NotFound) return contact;
    // Someone who wrote first is no contact: their request's title names them.
    auto requests = m_store->chats().requests();
    if (!requests) return requests.error();
    for (const auto& chat : *requests)
        if (chat.title.compare(who, Qt::CaseInsensitive) == 0) return chat.peerId;
    return makeClientError(ErrorKind::NotFound, tr("no contact or message request called '%1'").arg(who));
}

void Client::blockUser(UserId user, Callback<int> done) {
    if (user == m_account.userId) return done(makeClientError(ErrorKind::InvalidArgument, tr("you cannot block yourself")));
    m_api->call<rest::BlockList>(HttpMethod::Put, blockPath(user), [this, user, done](Expected<rest::BlockList> r) {
        if (!r) return done(r.error());
        emit blocksChanged();
        // Their request goes too; a chat the user had with them stays (as in Signal).
        const QString chatId = QString::fromStdString(protocol::directChatId(m_account.userId, user));
        auto chat = m_store->chats().byId(chatId);
        if (chat && *chat && (*chat)->request) return done(removeChatLocally(chatId));
        done(0);
    });
}

void Client::unblockUser(UserId user, Callback<void> done) {
    m_api->call<boost::json::value>(HttpMethod::Delete, blockPath(user), [this, done](Expected<boost::json::value> r) {
        if (!r) return done(r.error());
        emit blocksChanged();
        done({});
    });
}

void Client::blockedUsers(Callback<std::vector<UserId>> done) {
    m_api->call<rest::BlockList>(HttpMethod::Get, QStringLiteral("/api/blocks"), [done](Expected<rest::BlockList> r) {
        if (!r) return done(r.error());
        done(std::move(r->user_ids));
    });
}

} // namespace natter::client
