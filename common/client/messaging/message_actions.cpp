#include "client/messaging/message_actions.h"

#include "client/messaging/outbox.h"
#include "client/store/chat_store.h"
#include "client/store/database.h"
#include "client/store/message_store.h"
#include "client/store/profile_store.h"
#include "protocol/e2e_codec.h"
#include "protocol/identifiers.h"
#include "protocol/limits.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QLoggingCategory>
#include <QTextBoundaryFinder>

Q_LOGGING_CATEGORY(lcActions, "natter.actions")

namespace natter::client {

namespace e2e = protocol::e2e;
namespace limits = protocol::limits;

namespace {

constexpr int kSnippetChars = 100;

ClientError invalid(const QString& message) { return makeClientError(ErrorKind::InvalidArgument, message); }

qint64 nowMs() { return QDateTime::currentMSecsSinceEpoch(); }

int graphemes(const QString& text) {
    QTextBoundaryFinder finder(QTextBoundaryFinder::Grapheme, text);
    int count = 0;
    while (finder.toNextBoundary() != -1) ++count;
    return count;
}

bool isShown(const MessageRecord& m) { return m.kind == MessageKind::text || m.kind == MessageKind::media; }

} // namespace

MessageActions::MessageActions(store::ProfileStore& store, Outbox& outbox, UserId self, QObject* parent)
    : QObject(parent), m_store(store), m_outbox(outbox), m_self(self) {}

QString MessageActions::snippetOf(const MessageRecord& message) {
    if (message.deleted()) return {};
    QString text = message.text.simplified();
    if (text.isEmpty() && message.media) text = QStringLiteral("📎 ") + message.media->fileName;
    if (text.size() > kSnippetChars) text = text.left(kSnippetChars) + QStringLiteral("…");
    // At most kMaxSnippetBytes of UTF-8, cut between characters.
    while (std::size_t(text.toUtf8().size()) > e2e::kMaxSnippetBytes) text.chop(1);
    if (!text.isEmpty() && text.back().isHighSurrogate()) text.chop(1);
    return text;
}

QString MessageActions::previewOf(const MessageRecord& message) {
    if (message.deleted()) return tr("This message was deleted");
    if (message.media) return QStringLiteral("📎 ") + message.media->fileName;
    return message.text;
}

Expected<MessageRecord> MessageActions::sentMessage(qint64 localId) {
    auto message = m_store.messages().byLocalId(localId);
    if (!message) return message.error();
    if (!*message) return makeClientError(ErrorKind::NotFound, tr("no message %1").arg(localId));
    if (!isShown(**message)) return invalid(tr("message %1 is not a message anyone wrote").arg(localId));
    if ((*message)->messageId == 0)
        return invalid(tr("message %1 is not sent yet: wait until natterd has it").arg(localId));
    return **message;
}

Expected<MessageRecord> MessageActions::ownRecentMessage(qint64 localId, std::uint64_t windowS, const QString& what) {
    auto message = sentMessage(localId);
    if (!message) return message.error();
    if (message->senderId != m_self) return invalid(tr("only its sender can %1 message %2").arg(what).arg(localId));
    if (message->deleted()) return invalid(tr("message %1 was deleted").arg(localId));
    if (nowMs() - message->timestamp > qint64(windowS) * 1000)
        return invalid(tr("message %1 is older than %2 minutes: it can no longer be %3")
                           .arg(localId)
                           .arg(windowS / 60)
                           .arg(what == QLatin1String("edit") ? tr("edited") : tr("deleted for everyone")));
    return message;
}

Expected<e2e::Quote> MessageActions::quoteOf(const QString& chatId, qint64 localId) {
    auto message = sentMessage(localId);
    if (!message) return message.error();
    if (message->chatId != chatId) return invalid(tr("message %1 is not in this chat").arg(localId));
    if (message->deleted()) return invalid(tr("message %1 was deleted").arg(localId));
    return e2e::Quote{message->messageId, message->senderId, snippetOf(*message).toStdString()};
}

std::optional<QuoteRecord> MessageActions::quoteToStore(const QString& chatId, const e2e::Quote& quote) {
    QuoteRecord record{quote.message_id, quote.sender_id, QString::fromStdString(quote.snippet), false};
    // A reply written before its original was deleted here carries none of the deleted text.
    if (auto original = m_store.messages().byMessageId(quote.message_id);
        original && *original && (*original)->chatId == chatId && (*original)->deleted()) {
        record.snippet.clear();
        record.deleted = true;
    }
    return record;
}

Expected<void> MessageActions::react(qint64 localId, const QString& emoji) {
    auto message = sentMessage(localId);
    if (!message) return message.error();
    if (message->deleted()) return invalid(tr("message %1 was deleted").arg(localId));
    e2e::Content content;
    content.reaction = e2e::Reaction{message->messageId, emoji.toStdString()};
    if (!emoji.isEmpty() && (graphemes(emoji) != 1 || e2e::validate(content)))
        return invalid(tr("'%1' is not one emoji").arg(emoji));
    if (auto r = m_outbox.sendInChat(message->chatId, content); !r) return r;
    if (auto r = m_store.messages().setReaction(message->chatId, message->messageId, m_self, emoji, nowMs()); !r) return r;
    emit messageUpdated(localId, message->chatId);
    return {};
}

Expected<void> MessageActions::edit(qint64 localId, const QString& text) {
    if (text.trimmed().isEmpty()) return invalid(tr("the new text is empty"));
    if (std::size_t(text.toUtf8().size()) > e2e::kMaxTextBytes) return invalid(tr("the new text is longer than 64 KiB"));
    auto message = ownRecentMessage(localId, limits::kEditWindowS, QStringLiteral("edit"));
    if (!message) return message.error();
    e2e::Content content;
    content.edit = e2e::Edit{message->messageId, text.toStdString()};
    if (auto r = m_outbox.sendInChat(message->chatId, content); !r) return r;
    MessageRecord changed = *message;
    changed.text = text;
    if (auto r = m_store.messages().applyEdit(localId, text, snippetOf(changed), nowMs()); !r) return r;
    refreshPreview(message->chatId);
    emit messageUpdated(localId, message->chatId);
    return {};
}

Expected<void> MessageActions::deleteForEveryone(qint64 localId) {
    auto message = ownRecentMessage(localId, limits::kDeleteForEveryoneWindowS, QStringLiteral("delete"));
    if (!message) return message.error();
    e2e::Content content;
    content.delete_for_everyone = e2e::Deletion{message->messageId};
    if (auto r = m_outbox.sendInChat(message->chatId, content); !r) return r;
    erase(*message, nowMs());
    return {};
}

Expected<void> MessageActions::deleteForMe(qint64 localId) {
    auto message = m_store.messages().byLocalId(localId);
    if (!message) return message.error();
    if (!*message) return makeClientError(ErrorKind::NotFound, tr("no message %1").arg(localId));
    if ((*message)->state == MessageState::pending && (*message)->direction == MessageDirection::outgoing)
        return invalid(tr("message %1 is not sent yet: wait until natterd has it").arg(localId));
    if ((*message)->messageId != 0) {
        e2e::Content content;
        content.delete_for_me = e2e::DeleteForMe{(*message)->chatId.toStdString(), (*message)->messageId};
        // natterd has no chat of a user with themself: it travels in the message's own chat,
        // where only this account's devices act on it.
        if (auto r = m_outbox.sendInChat((*message)->chatId, content); !r) return r;
    }
    removeLocally(**message);
    return {};
}

bool MessageActions::mayChange(const protocol::MessageDelivery& d, const std::optional<MessageRecord>& target,
                               std::uint64_t windowS) const {
    if (!target) return false;
    const MessageRecord& m = *target;
    const bool sameChat = m.chatId.toStdString() == d.chat_id;
    const bool inTime = d.timestamp >= m.timestamp && d.timestamp - m.timestamp <= qint64(windowS) * 1000;
    return sameChat && m.senderId == d.sender_id && isShown(m) && !m.deleted() && inTime;
}

Expected<void> MessageActions::apply(const protocol::MessageDelivery& d, const e2e::Content& content) {
    const QString chatId = QString::fromStdString(d.chat_id);
    if (content.delete_for_me) {
        // Only this account's own devices decide what it no longer keeps.
        if (d.sender_id != m_self || content.delete_for_me->chat_id != d.chat_id) return {};
        auto target = m_store.messages().byMessageId(content.delete_for_me->message_id);
        if (!target) return target.error();
        if (*target && (*target)->chatId.toStdString() == content.delete_for_me->chat_id) removeLocally(**target);
        return {};
    }
    const MessageId targetId = content.reaction ? content.reaction->message_id
                               : content.edit   ? content.edit->message_id
                                                : content.delete_for_everyone->message_id;
    auto target = m_store.messages().byMessageId(targetId);
    if (!target) return target.error();
    if (content.reaction) {
        // The reaction is kept for that message of this chat even before the message is here.
        if (*target && ((*target)->chatId != chatId || (*target)->deleted())) return {};
        const QString emoji = QString::fromStdString(content.reaction->emoji);
        if (auto r = m_store.messages().setReaction(chatId, targetId, d.sender_id, emoji, d.timestamp); !r) return r;
        if (!*target) return {};
        emit messageUpdated((*target)->localId, chatId);
        if ((*target)->senderId == m_self && d.sender_id != m_self && !emoji.isEmpty())
            emit reactionReceived((*target)->localId, chatId, d.sender_id, emoji);
        return {};
    }
    if (content.edit) {
        if (!mayChange(d, *target, limits::kEditWindowS)) {
            qCInfo(lcActions) << "an edit of message" << targetId << "from user" << d.sender_id << "was ignored";
            return {};
        }
        MessageRecord changed = **target;
        changed.text = QString::fromStdString(content.edit->text);
        if (auto r = m_store.messages().applyEdit(changed.localId, changed.text, snippetOf(changed), d.timestamp); !r)
            return r;
        refreshPreview(chatId);
        emit messageUpdated(changed.localId, chatId);
        return {};
    }
    if (!mayChange(d, *target, limits::kDeleteForEveryoneWindowS)) {
        qCInfo(lcActions) << "a delete of message" << targetId << "from user" << d.sender_id << "was ignored";
        return {};
    }
    erase(**target, d.timestamp);
    return {};
}

void MessageActions::erase(const MessageRecord& message, TimestampMs at) {
    auto blob = m_store.messages().eraseForEveryone(message.localId, at);
    if (!blob) {
        qCWarning(lcActions) << "cannot erase message" << message.localId << ":" << blob.error().message;
        return;
    }
    removeFile(*blob);
    refreshPreview(message.chatId);
    emit messageUpdated(message.localId, message.chatId);
}

void MessageActions::removeLocally(const MessageRecord& message) {
    finishRemoval(message, m_store.messages().remove(message.localId));
}

void MessageActions::expire(const MessageRecord& message) {
    finishRemoval(message, m_store.messages().eraseExpired(message.localId));
}

void MessageActions::finishRemoval(const MessageRecord& message, const Expected<QString>& blob) {
    if (!blob) {
        qCWarning(lcActions) << "cannot remove message" << message.localId << ":" << blob.error().message;
        return;
    }
    removeFile(*blob);
    refreshPreview(message.chatId);
    emit messageRemoved(message.localId, message.chatId);
}

void MessageActions::removeFile(const QString& path) {
    if (path.isEmpty()) return;
    // Only a file of this profile's media directory: the path comes from the store, but the
    // store is no reason to delete anything elsewhere.
    const QString dir = QFileInfo(m_store.mediaDirectory()).canonicalFilePath();
    const QFileInfo file(path);
    if (!dir.isEmpty() && file.exists() && file.canonicalPath() == dir && !QFile::remove(path))
        qCWarning(lcActions) << "cannot remove a deleted message's file";
}

void MessageActions::refreshPreview(const QString& chatId) {
    auto newest = m_store.messages().page(chatId, 1, 0);
    if (!newest) return;
    const QString preview = newest->empty() ? QString() : previewOf(newest->front());
    if (m_store.chats().setPreview(chatId, preview)) emit chatChanged(chatId);
}

} // namespace natter::client
