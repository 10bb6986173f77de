// Client: message requests (a stranger's first 1:1 message) and the account's block list.
#include "client/client.h"

#include "client/messaging/account_sync.h"
#include "client/messaging/block_list_sync.h"
#include "client/messaging/message_requests.h"
#include "client/store/block_store.h"
#include "client/store/chat_store.h"
#include "client/store/profile_store.h"
#include "protocol/identifiers.h"

#include <QLoggingCategory>

Q_DECLARE_LOGGING_CATEGORY(lcClient)

namespace natter::client {

namespace {
ClientError notRegistered() {
    return makeClientError(ErrorKind::InvalidArgument, QStringLiteral("this profile is not registered yet"));
}
} // namespace

Expected<std::vector<ChatRecord>> Client::messageRequests() {
    if (!m_requests) return notRegistered();
    return m_requests->list();
}

Expected<void> Client::acceptRequest(const QString& chatId) {
    if (!m_requests) return notRegistered();
    return m_requests->accept(chatId);
}

Expected<void> Client::deleteRequest(const QString& chatId) {
    if (!m_requests) return notRegistered();
    if (auto r = m_requests->remove(chatId); !r) return r;
    // The account's other devices delete it too (a failure to tell them is not this device's).
    if (auto r = m_accountSync->requestDeleted(chatId); !r)
        qCWarning(lcClient) << "cannot tell the other devices about a deleted request:" << r.error().message;
    return {};
}

void Client::block(UserId user, Callback<std::vector<UserId>> done) {
    if (!m_blocks) return done(notRegistered());
    if (user == m_account.userId)
        return done(makeClientError(ErrorKind::InvalidArgument, tr("you cannot block yourself")));
    m_blocks->block(user, std::move(done)); // blocksChanged removes their requests (startServices)
}

void Client::unblock(UserId user, Callback<std::vector<UserId>> done) {
    if (!m_blocks) return done(notRegistered());
    m_blocks->unblock(user, std::move(done));
}

Expected<std::vector<UserId>> Client::blocked() {
    if (!m_blocks) return notRegistered();
    return m_blocks->blocked();
}

Expected<UserId> Client::resolveBlockable(const QString& who) {
    if (!isRegistered()) return notRegistered();
    // A user id of the block list (a blocked stranger's request is gone, so is its chat id).
    bool isNumber = false;
    const UserId listed = who.toULongLong(&isNumber);
    if (isNumber && !who.startsWith(QLatin1Char('+'))) {
        auto known = m_store->blocks().contains(listed);
        if (!known) return known.error();
        if (*known) return listed;
    }
    if (!who.startsWith(QLatin1String("dm:"))) return resolveUser(who);
    const auto pair = protocol::parseDirectChatId(who.toStdString());
    auto chat = m_store->chats().byId(who);
    if (!chat) return chat.error();
    if (!pair || !*chat) return makeClientError(ErrorKind::NotFound, tr("no chat %1").arg(who));
    return pair->first == m_account.userId ? pair->second : pair->first;
}

} // namespace natter::client
