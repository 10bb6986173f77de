// Messages on this device: insertion deduplicated by server id and by (sender, clientMsgId),
// ordered per chat by seq (pending outgoing ones last), receipts per recipient, and
// full-text search over message text (SQLCipher 3.4 has FTS4, not FTS5).
#pragma once

#include "client/store/records.h"
#include "client/core/result.h"

#include <optional>
#include <vector>

namespace natter::client::store {

class Database;

struct SearchHit {
    qint64 localId = 0;
    QString chatId;
    QString snippet; // the matched text with the match marked [like this]
    TimestampMs timestamp = 0;
};

class MessageStore {
public:
    explicit MessageStore(Database& db) : m_db(db) {}
    // Inserts and returns the new local id, or the existing row's id with inserted=false
    // when the same server message id, or the same (senderId, clientMsgId), is stored already.
    struct InsertResult { qint64 localId = 0; bool inserted = false; };
    Expected<InsertResult> insert(const MessageRecord& message);
    Expected<std::optional<MessageRecord>> byLocalId(qint64 localId);
    Expected<std::optional<MessageRecord>> byMessageId(MessageId messageId);
    Expected<std::optional<MessageRecord>> byClientMsgId(UserId senderId, const QString& clientMsgId);
    // Newest `limit` messages of a chat ordered before message beforeLocalId (0: from the
    // newest; order is seq, with pending messages after all sent ones in local-id order),
    // returned oldest first: what a conversation view pages in.
    Expected<std::vector<MessageRecord>> page(const QString& chatId, int limit, qint64 beforeLocalId = 0);
    Expected<qint64> count(const QString& chatId);
    // The server stored our message: record its id, seq and time, state sent.
    Expected<void> markSent(qint64 localId, MessageId messageId, Seq seq, TimestampMs timestamp);
    // Moves state forward only (sent -> delivered -> read); never backwards.
    Expected<void> advanceState(qint64 localId, MessageState state);
    // Replaces an undecryptable placeholder (or any row) with the resent content.
    Expected<void> replaceContent(qint64 localId, MessageKind kind, const QString& text,
                                  const std::optional<MediaRecord>& media);
    Expected<void> setMediaBlobPath(qint64 localId, const QString& path);
    // Incoming messages of a chat not yet read by this user, oldest first.
    Expected<std::vector<MessageRecord>> unreadIncoming(const QString& chatId);
    Expected<void> markIncomingRead(const QString& chatId);
    // Only these messages (local ids) of the chat, when they are incoming.
    Expected<void> markIncomingRead(const QString& chatId, const std::vector<qint64>& localIds);
    // Per-recipient receipts of an outgoing message (keeps the furthest status per user).
    Expected<void> addReceipt(qint64 localId, const ReceiptRecord& receipt);
    Expected<std::vector<ReceiptRecord>> receipts(qint64 localId);
    // Highest seq stored for a chat (0: none).
    Expected<Seq> maxSeq(const QString& chatId);
    // The highest seq below `seq` present in the chat (0: none), to find gaps.
    Expected<Seq> maxSeqBelow(const QString& chatId, Seq seq);
    // Whether a seq is present in the chat (messages, system lines and control entries).
    Expected<bool> hasSeq(const QString& chatId, Seq seq);
    // Records a seq used by something that is not shown (a control message, a group event
    // shown as a system line records its own row), so seq gaps stay meaningful.
    Expected<void> recordSeq(const QString& chatId, Seq seq);
    // Messages whose text has every word of `query` (the last one as a prefix), newest stored
    // first, at most `limit`.
    // Only in chat `chatId` when it is not empty.
    Expected<std::vector<SearchHit>> search(const QString& query, int limit = 50, const QString& chatId = {});

    // ---- reactions, edits and deletes (message_actions_store.cpp) ----------------------
    // Sets one person's reaction to message `messageId` of a chat (stored or not yet), or
    // removes it when `emoji` is empty.
    Expected<void> setReaction(const QString& chatId, MessageId messageId, UserId reactor, const QString& emoji,
                               TimestampMs at);
    Expected<std::vector<ReactionRecord>> reactions(const QString& chatId, MessageId messageId);
    // The message's text becomes `text` (only the last edit is kept: search finds it, not the
    // old one), marked edited at `at`; replies quoting it get `snippet`.
    Expected<void> applyEdit(qint64 localId, const QString& text, const QString& snippet, TimestampMs at);
    // Delete for everyone: the row stays as "deleted at `at`" and loses its text, file (key,
    // digest, thumbnail), quote and reactions; replies quoting it lose their snippet. Returns
    // the path of its downloaded (encrypted) file, empty when none, for the caller to remove.
    Expected<QString> eraseForEveryone(qint64 localId, TimestampMs at);
    // Delete for me: the row and its reactions go (its seq stays recorded, so a redelivery is
    // not shown again). Returns the path of its downloaded file, as eraseForEveryone.
    Expected<QString> remove(qint64 localId);

    // ---- disappearing messages (message_expiry_store.cpp) ------------------------------
    // Sent texts and files whose timer ran out by `nowMs` (server timestamp + timer), oldest first.
    Expected<std::vector<MessageRecord>> expiredBy(TimestampMs nowMs, int limit);
    // When the next message with a timer expires (nullopt: none has one).
    Expected<std::optional<TimestampMs>> nextExpiry();
    // An expired message: the row, its reactions and its search entries go, as remove(), and
    // replies quoting it lose the snippet. Returns its downloaded file's path, as remove().
    Expected<QString> eraseExpired(qint64 localId);

    // ---- history for a newly linked device (message_history_store.cpp) -----------------
    // Stored texts and files (sent, not deleted for everyone) with a server id above `after`,
    // by ascending server id, at most `limit`.
    Expected<std::vector<MessageRecord>> historyAfter(MessageId after, int limit);
    // How many of those have a server id of at most `upTo`.
    Expected<qint64> historyCount(MessageId upTo);

private:
    Database& m_db;
};

} // namespace natter::client::store
