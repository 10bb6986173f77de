// What people do with a message (docs/protocol.md, "reply, react, edit, delete"): the sending
// side checks the request, changes this device's store at once and queues the content in the
// message's chat; the receiving side applies what arrives only when its sender may (the
// message's author, within the window) and erases deleted text and files from disk.
#pragma once

#include "client/core/result.h"
#include "client/store/records.h"
#include "protocol/e2e.h"
#include "protocol/frames.h"

#include <QObject>

namespace natter::client {
namespace store { class ProfileStore; }
class Outbox;

class MessageActions : public QObject {
    Q_OBJECT
public:
    MessageActions(store::ProfileStore& store, Outbox& outbox, UserId self, QObject* parent = nullptr);

    // The quote for a reply to message `localId` of `chatId` (it must be a sent message there).
    Expected<protocol::e2e::Quote> quoteOf(const QString& chatId, qint64 localId);
    // One emoji (one grapheme) to react with, or "" to remove this user's reaction.
    Expected<void> react(qint64 localId, const QString& emoji);
    // New text for a message of this user's own, within the edit window.
    Expected<void> edit(qint64 localId, const QString& text);
    // For everyone: a message of this user's own, within the delete window.
    Expected<void> deleteForEveryone(qint64 localId);
    // For this account only: gone here at once, and on the account's other devices.
    Expected<void> deleteForMe(qint64 localId);

    // Inbox: content with a reaction, edit, delete_for_everyone or delete_for_me part arrived
    // in delivery `d` (its seq is recorded by the caller). Applies it or ignores it.
    Expected<void> apply(const protocol::MessageDelivery& d, const protocol::e2e::Content& content);
    // A message whose disappearing timer ran out: its row, file and search entries are erased
    // (ExpirySweeper), then messageRemoved.
    void expire(const MessageRecord& message);
    // On this device only (a message request deleted): the row and its file go, then messageRemoved.
    void removeLocally(const MessageRecord& message);
    // Inbox: a reply is being stored; its quote, as this device can show it.
    std::optional<QuoteRecord> quoteToStore(const QString& chatId, const protocol::e2e::Quote& quote);

    // The snippet a quote of this message carries, and the chat list's preview of it.
    static QString snippetOf(const MessageRecord& message);
    static QString previewOf(const MessageRecord& message);

signals:
    void messageUpdated(qint64 localId, const QString& chatId);
    void messageRemoved(qint64 localId, const QString& chatId);
    // Someone else reacted to a message of this user's own (the only reactions that notify).
    void reactionReceived(qint64 localId, const QString& chatId, UserId reactor, const QString& emoji);
    void chatChanged(const QString& chatId);

private:
    // A message of this user's own, sent, not deleted, at most windowS old (what edit and
    // delete for everyone need); `what` names the action in errors.
    Expected<MessageRecord> ownRecentMessage(qint64 localId, std::uint64_t windowS, const QString& what);
    Expected<MessageRecord> sentMessage(qint64 localId);
    // Whether an edit or delete in delivery `d` may change `target`.
    bool mayChange(const protocol::MessageDelivery& d, const std::optional<MessageRecord>& target,
                   std::uint64_t windowS) const;
    void erase(const MessageRecord& message, TimestampMs at);
    // The row is gone (remove or eraseExpired answered `blob`): its file, the preview, the signal.
    void finishRemoval(const MessageRecord& message, const Expected<QString>& blob);
    void removeFile(const QString& path);
    void refreshPreview(const QString& chatId);

    store::ProfileStore& m_store;
    Outbox& m_outbox;
    UserId m_self = 0;
};

} // namespace natter::client
