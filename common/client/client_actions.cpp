// Client: what people do with a message — reply, react, edit, delete, forward, disappearing
// messages (messaging/message_actions.h and chat_timers.h do most of the work; here the checks
// every command shares: registered, still a member).
#include "client/client.h"

#include "client/messaging/chat_timers.h"
#include "client/messaging/inbox.h"
#include "client/messaging/message_actions.h"
#include "client/messaging/outbox.h"
#include "client/store/chat_store.h"
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

Expected<qint64> Client::setDisappearing(const QString& chatId, quint32 seconds) {
    if (auto open = checkWritable(chatId); !open) return open.error();
    auto line = m_timers->setTimer(chatId, seconds);
    if (!line) return line.error();
    emit messageAdded(*line, chatId);
    return line;
}

Expected<std::vector<qint64>> Client::forward(qint64 localId, const QStringList& chatIds) {
    if (!isRegistered()) return makeClientError(ErrorKind::InvalidArgument, tr("this profile is not registered yet"));
    if (chatIds.isEmpty()) return makeClientError(ErrorKind::InvalidArgument, tr("forward to which chat?"));
    auto stored = m_store->messages().byLocalId(localId);
    if (!stored) return stored.error();
    if (!*stored) return makeClientError(ErrorKind::NotFound, tr("no message %1").arg(localId));
    const MessageRecord& original = **stored;
    if (original.deleted()) return makeClientError(ErrorKind::InvalidArgument, tr("message %1 was deleted").arg(localId));
    if (original.kind != MessageKind::text && original.kind != MessageKind::media)
        return makeClientError(ErrorKind::InvalidArgument, tr("message %1 is not a text or a file").arg(localId));
    if (original.media && original.media->mediaId.isEmpty())
        return makeClientError(ErrorKind::InvalidArgument, tr("message %1 is not uploaded yet").arg(localId));
    for (const QString& chatId : chatIds) {
        auto chat = m_store->chats().byId(chatId);
        if (!chat) return chat.error();
        if (!*chat) return makeClientError(ErrorKind::NotFound, tr("no chat %1").arg(chatId));
        if (auto open = checkWritable(chatId); !open) return open.error();
    }
    std::vector<qint64> sent;
    for (const QString& chatId : chatIds) {
        MessageRecord copy;
        copy.chatId = chatId;
        copy.kind = original.kind;
        copy.text = original.text;
        copy.media = original.media;
        if (copy.media) copy.media->localBlobPath.clear(); // each message owns its downloaded file
        copy.forwarded = true;
        auto id = m_outbox->send(copy, contentFromMessage(copy));
        if (!id) return id.error();
        sent.push_back(*id);
        emit messageAdded(*id, chatId);
    }
    return sent;
}

Expected<std::vector<ReceiptRecord>> Client::receipts(qint64 localId) {
    auto stored = m_store->messages().byLocalId(localId);
    if (!stored) return stored.error();
    if (!*stored) return makeClientError(ErrorKind::NotFound, tr("no message %1").arg(localId));
    if ((*stored)->direction != MessageDirection::outgoing)
        return makeClientError(ErrorKind::InvalidArgument, tr("message %1 is not one of yours").arg(localId));
    return m_store->messages().receipts(localId);
}

} // namespace natter::client
