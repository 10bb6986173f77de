// Client: what people do with a message — reply, react, edit, delete (messaging/message_actions.h
// does the work; here the checks every command shares: registered, still a member).
#include "client/client.h"

#include "client/messaging/message_actions.h"
#include "client/store/message_store.h"
#include "client/store/profile_store.h"

namespace natter::client {

namespace {
// The chat of a stored message, or why there is none.
Expected<QString> chatOf(store::ProfileStore& store, qint64 localId) {
    auto message = store.messages().byLocalId(localId);
    if (!message) return message.error();
    if (!*message) return makeClientError(ErrorKind::NotFound, QObject::tr("no message %1").arg(localId));
    return (*message)->chatId;
}
} // namespace

Expected<qint64> Client::reply(const QString& chatId, qint64 quotedLocalId, const QString& text) {
    if (auto open = checkWritable(chatId); !open) return open.error();
    auto quote = m_actions->quoteOf(chatId, quotedLocalId);
    if (!quote) return quote.error();
    return sendTextMessage(chatId, text, std::move(*quote));
}

Expected<void> Client::react(qint64 localId, const QString& emoji) {
    auto chat = chatOf(*m_store, localId);
    if (!chat) return chat.error();
    if (auto open = checkWritable(*chat); !open) return open;
    return m_actions->react(localId, emoji);
}

Expected<void> Client::editMessage(qint64 localId, const QString& text) {
    auto chat = chatOf(*m_store, localId);
    if (!chat) return chat.error();
    if (auto open = checkWritable(*chat); !open) return open;
    return m_actions->edit(localId, text);
}

Expected<void> Client::deleteMessage(qint64 localId, bool forEveryone) {
    if (!isRegistered()) return makeClientError(ErrorKind::InvalidArgument, tr("this profile is not registered yet"));
    if (!forEveryone) return m_actions->deleteForMe(localId);
    auto chat = chatOf(*m_store, localId);
    if (!chat) return chat.error();
    if (auto open = checkWritable(*chat); !open) return open;
    return m_actions->deleteForEveryone(localId);
}

} // namespace natter::client
