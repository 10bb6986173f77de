// MessageStore: deduplicated insertion, lookups, seq-ordered paging (pending last),
// forward-only state, receipts and seq bookkeeping. Search lives in message_search.cpp,
// reactions, edits and deletes in message_actions_store.cpp.
#include "client/store/message_store.h"

#include "client/store/database.h"
#include "client/store/message_rows.h"

#include <limits>

namespace natter::client::store {

namespace {

MessageKind kindOf(qint64 v) {
    switch (v) {
    case qint64(MessageKind::media): return MessageKind::media;
    case qint64(MessageKind::system): return MessageKind::system;
    case qint64(MessageKind::undecryptable): return MessageKind::undecryptable;
    default: return MessageKind::text;
    }
}

MessageState stateOf(qint64 v) {
    switch (v) {
    case qint64(MessageState::sent): return MessageState::sent;
    case qint64(MessageState::delivered): return MessageState::delivered;
    case qint64(MessageState::read): return MessageState::read;
    case qint64(MessageState::failed): return MessageState::failed;
    default: return MessageState::pending;
    }
}

DeliveryStatus statusOf(qint64 v) {
    switch (v) {
    case qint64(DeliveryStatus::sent): return DeliveryStatus::sent;
    case qint64(DeliveryStatus::read): return DeliveryStatus::read;
    default: return DeliveryStatus::delivered;
    }
}

Expected<std::optional<MessageRecord>> readOne(Database& db, Expected<Statement>& stmt) {
    if (!stmt) return stmt.error();
    auto all = readMessages(*stmt);
    if (!all) return all.error();
    if (auto r = attachReactions(db, *all); !r) return r.error();
    if (all->empty()) return std::optional<MessageRecord>();
    return std::optional<MessageRecord>(std::move(all->front()));
}

Expected<std::optional<qint64>> findId(Database& db, std::string_view sql, const std::function<void(Statement&)>& bind) {
    auto stmt = db.prepare(sql);
    if (!stmt) return stmt.error();
    bind(*stmt);
    auto row = stmt->step();
    if (!row) return row.error();
    if (!*row) return std::optional<qint64>();
    return std::optional<qint64>(stmt->int64(0));
}

// Binds the media columns starting at index first (8 columns; NULL without media).
void bindMedia(Statement& s, int first, const std::optional<MediaRecord>& media) {
    if (!media) {
        for (int i = 0; i < 8; ++i) s.bind(first + i, nullptr);
        return;
    }
    s.bind(first, media->mediaId)
        .bind(first + 1, media->key)
        .bind(first + 2, media->digest)
        .bind(first + 3, media->mime)
        .bind(first + 4, media->size)
        .bind(first + 5, media->fileName)
        .bind(first + 6, media->thumbnail)
        .bind(first + 7, media->localBlobPath);
}

Expected<void> requireRow(Database& db, qint64 localId) {
    if (db.changes() == 0)
        return makeClientError(ErrorKind::NotFound, QStringLiteral("unknown message %1").arg(localId));
    return {};
}

} // namespace

Expected<std::vector<MessageRecord>> readMessages(Statement& stmt) {
    std::vector<MessageRecord> out;
    for (;;) {
        auto row = stmt.step();
        if (!row) return row.error();
        if (!*row) return out;
        out.push_back(readMessage(stmt));
    }
}


MessageRecord readMessage(const Statement& s) {
    MessageRecord m;
    m.localId = s.int64(0);
    m.chatId = s.text(1);
    m.messageId = MessageId(s.int64(2));
    m.clientMsgId = s.text(3);
    m.senderId = UserId(s.int64(4));
    m.senderDevice = DeviceId(s.int64(5));
    m.seq = Seq(s.int64(6));
    m.timestamp = s.int64(7);
    m.direction = s.int64(8) == qint64(MessageDirection::outgoing) ? MessageDirection::outgoing : MessageDirection::incoming;
    m.kind = kindOf(s.int64(9));
    m.state = stateOf(s.int64(10));
    m.text = s.text(11);
    if (!s.isNull(12)) {
        MediaRecord media;
        media.mediaId = s.text(12);
        media.key = s.blob(13);
        media.digest = s.blob(14);
        media.mime = s.text(15);
        media.size = s.int64(16);
        media.fileName = s.text(17);
        media.thumbnail = s.blob(18);
        media.localBlobPath = s.text(19);
        m.media = std::move(media);
    }
    if (s.int64(20) != 0)
        m.quote = QuoteRecord{MessageId(s.int64(20)), UserId(s.int64(21)), s.text(22), !s.isNull(25) && s.int64(25) != 0};
    m.editedAt = s.int64(23);
    m.deletedAt = s.int64(24);
    m.forwarded = s.int64(26) != 0;
    m.expireTimer = quint32(s.int64(27));
    m.mentionsMe = s.int64(28) != 0;
    return m;
}

Expected<MessageStore::InsertResult> MessageStore::insert(const MessageRecord& message) {
    if (message.chatId.isEmpty()) return makeClientError(ErrorKind::InvalidArgument, QStringLiteral("empty chat id"));
    InsertResult result;
    auto done = m_db.transaction([&]() -> Expected<void> {
        if (message.messageId != 0) {
            auto existing = findId(m_db, "SELECT id FROM messages WHERE message_id = ? AND message_id <> 0",
                                   [&](Statement& s) { s.bind(1, qint64(message.messageId)); });
            if (!existing) return existing.error();
            if (*existing) {
                result.localId = **existing;
                return {};
            }
        }
        if (!message.clientMsgId.isEmpty()) {
            auto existing = findId(m_db, "SELECT id FROM messages WHERE sender_id = ? AND client_msg_id = ? AND client_msg_id <> ''", [&](Statement& s) {
                s.bind(1, qint64(message.senderId)).bind(2, message.clientMsgId);
            });
            if (!existing) return existing.error();
            if (*existing) {
                result.localId = **existing;
                return {};
            }
        }
        auto stmt = m_db.prepare(
            "INSERT INTO messages (chat_id, message_id, client_msg_id, sender_id, sender_device, seq, timestamp, "
            "direction, kind, state, text, media_id, media_key, media_digest, media_mime, media_size, media_file_name, "
            "media_thumbnail, media_blob_path, quote_message_id, quote_sender_id, quote_snippet, forwarded, expire_timer, "
            "mentions_me) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
        if (!stmt) return stmt.error();
        stmt->bind(1, message.chatId)
            .bind(2, qint64(message.messageId))
            .bind(3, message.clientMsgId)
            .bind(4, qint64(message.senderId))
            .bind(5, qint64(message.senderDevice))
            .bind(6, qint64(message.seq))
            .bind(7, message.timestamp)
            .bind(8, qint64(message.direction))
            .bind(9, qint64(message.kind))
            .bind(10, qint64(message.state))
            .bind(11, message.text);
        bindMedia(*stmt, 12, message.media);
        stmt->bind(20, qint64(message.quote ? message.quote->messageId : 0))
            .bind(21, qint64(message.quote ? message.quote->senderId : 0))
            .bind(22, message.quote ? message.quote->snippet : QString())
            .bind(23, qint64(message.forwarded ? 1 : 0))
            .bind(24, qint64(message.expireTimer))
            .bind(25, qint64(message.mentionsMe ? 1 : 0));
        if (auto r = stmt->run(); !r) return r;
        result.localId = m_db.lastInsertId();
        result.inserted = true;
        return {};
    });
    if (!done) return done.error();
    return result;
}

Expected<std::optional<MessageRecord>> MessageStore::byLocalId(qint64 localId) {
    auto stmt = m_db.prepare(std::string(kMessageColumns) + "WHERE id = ?");
    if (stmt) stmt->bind(1, localId);
    return readOne(m_db, stmt);
}

Expected<std::optional<MessageRecord>> MessageStore::byMessageId(MessageId messageId) {
    if (messageId == 0) return std::optional<MessageRecord>();
    auto stmt = m_db.prepare(std::string(kMessageColumns) + "WHERE message_id = ? AND message_id <> 0");
    if (stmt) stmt->bind(1, qint64(messageId));
    return readOne(m_db, stmt);
}

Expected<std::optional<MessageRecord>> MessageStore::byClientMsgId(UserId senderId, const QString& clientMsgId) {
    if (clientMsgId.isEmpty()) return std::optional<MessageRecord>();
    auto stmt = m_db.prepare(std::string(kMessageColumns) + "WHERE sender_id = ? AND client_msg_id = ? AND client_msg_id <> ''");
    if (stmt) stmt->bind(1, qint64(senderId)).bind(2, clientMsgId);
    return readOne(m_db, stmt);
}

Expected<std::vector<MessageRecord>> MessageStore::page(const QString& chatId, int limit, qint64 beforeLocalId) {
    if (limit <= 0) return std::vector<MessageRecord>();
    // Position of the anchor: pending rows (seq 0) come after every sent one, by local id.
    bool anchorPending = true;
    qint64 anchorSeq = std::numeric_limits<qint64>::max();
    qint64 anchorId = std::numeric_limits<qint64>::max();
    if (beforeLocalId != 0) {
        auto anchor = m_db.prepare("SELECT seq FROM messages WHERE id = ? AND chat_id = ?");
        if (!anchor) return anchor.error();
        anchor->bind(1, beforeLocalId).bind(2, chatId);
        auto row = anchor->step();
        if (!row) return row.error();
        if (!*row)
            return makeClientError(ErrorKind::NotFound, QStringLiteral("unknown message %1 in this chat").arg(beforeLocalId));
        anchorSeq = anchor->int64(0);
        anchorPending = anchorSeq == 0;
        anchorId = beforeLocalId;
        if (anchorPending) anchorSeq = std::numeric_limits<qint64>::max();
    }
    std::vector<MessageRecord> newestFirst;
    if (anchorPending) {
        auto pending = m_db.prepare(std::string(kMessageColumns) +
                                    "WHERE chat_id = ? AND seq = 0 AND id < ? ORDER BY id DESC LIMIT ?");
        if (!pending) return pending.error();
        pending->bind(1, chatId).bind(2, anchorId).bind(3, qint64(limit));
        auto rows = readMessages(*pending);
        if (!rows) return rows.error();
        newestFirst = std::move(*rows);
        anchorId = std::numeric_limits<qint64>::max();
    }
    if (int(newestFirst.size()) < limit) {
        auto sent = m_db.prepare(std::string(kMessageColumns) +
                                 "WHERE chat_id = ?1 AND seq > 0 AND (seq < ?2 OR (seq = ?2 AND id < ?3)) "
                                 "ORDER BY seq DESC, id DESC LIMIT ?4");
        if (!sent) return sent.error();
        sent->bind(1, chatId).bind(2, anchorSeq).bind(3, anchorId).bind(4, qint64(limit - int(newestFirst.size())));
        auto rows = readMessages(*sent);
        if (!rows) return rows.error();
        for (auto& m : *rows) newestFirst.push_back(std::move(m));
    }
    if (auto r = attachReactions(m_db, newestFirst); !r) return r.error();
    return std::vector<MessageRecord>(std::make_move_iterator(newestFirst.rbegin()),
                                      std::make_move_iterator(newestFirst.rend()));
}

Expected<qint64> MessageStore::count(const QString& chatId) {
    auto stmt = m_db.prepare("SELECT count(*) FROM messages WHERE chat_id = ?");
    if (!stmt) return stmt.error();
    stmt->bind(1, chatId);
    auto row = stmt->step();
    if (!row) return row.error();
    return stmt->int64(0);
}

Expected<void> MessageStore::markSent(qint64 localId, MessageId messageId, Seq seq, TimestampMs timestamp) {
    auto stmt = m_db.prepare("UPDATE messages SET message_id = ?2, seq = ?3, timestamp = ?4, "
                             "state = CASE WHEN state IN (?5, ?6) THEN ?7 ELSE state END WHERE id = ?1");
    if (!stmt) return stmt.error();
    stmt->bind(1, localId)
        .bind(2, qint64(messageId))
        .bind(3, qint64(seq))
        .bind(4, timestamp)
        .bind(5, qint64(MessageState::pending))
        .bind(6, qint64(MessageState::failed))
        .bind(7, qint64(MessageState::sent));
    if (auto r = stmt->run(); !r) return r;
    return requireRow(m_db, localId);
}

Expected<void> MessageStore::advanceState(qint64 localId, MessageState state) {
    // Order: pending < sent < delivered < read. failed only replaces pending, and a later
    // sent / delivered / read (the server did take it) replaces failed.
    std::string_view sql;
    switch (state) {
    case MessageState::pending: return {};
    case MessageState::failed: sql = "UPDATE messages SET state = ?2 WHERE id = ?1 AND state = ?3"; break;
    default: sql = "UPDATE messages SET state = ?2 WHERE id = ?1 AND (state < ?2 OR state = ?4)"; break;
    }
    auto stmt = m_db.prepare(sql);
    if (!stmt) return stmt.error();
    stmt->bind(1, localId).bind(2, qint64(state));
    if (state == MessageState::failed)
        stmt->bind(3, qint64(MessageState::pending));
    else
        stmt->bind(4, qint64(MessageState::failed));
    return stmt->run();
}

Expected<void> MessageStore::replaceContent(qint64 localId, MessageKind kind, const QString& text,
                                            const std::optional<MediaRecord>& media) {
    auto stmt = m_db.prepare("UPDATE messages SET kind = ?, text = ?, media_id = ?, media_key = ?, media_digest = ?, "
                             "media_mime = ?, media_size = ?, media_file_name = ?, media_thumbnail = ?, "
                             "media_blob_path = ? WHERE id = ?");
    if (!stmt) return stmt.error();
    stmt->bind(1, qint64(kind)).bind(2, text);
    bindMedia(*stmt, 3, media);
    stmt->bind(11, localId);
    if (auto r = stmt->run(); !r) return r;
    return requireRow(m_db, localId);
}

Expected<void> MessageStore::setMediaBlobPath(qint64 localId, const QString& path) {
    auto stmt = m_db.prepare("UPDATE messages SET media_blob_path = ? WHERE id = ? AND media_id IS NOT NULL");
    if (!stmt) return stmt.error();
    stmt->bind(1, path).bind(2, localId);
    if (auto r = stmt->run(); !r) return r;
    return requireRow(m_db, localId);
}

Expected<std::vector<MessageRecord>> MessageStore::unreadIncoming(const QString& chatId) {
    auto stmt = m_db.prepare(std::string(kMessageColumns) +
                             "WHERE chat_id = ? AND direction = ? AND state <> ? ORDER BY seq = 0, seq, id");
    if (!stmt) return stmt.error();
    stmt->bind(1, chatId).bind(2, qint64(MessageDirection::incoming)).bind(3, qint64(MessageState::read));
    return readMessages(*stmt);
}

Expected<void> MessageStore::markIncomingRead(const QString& chatId) {
    auto stmt = m_db.prepare("UPDATE messages SET state = ?3 WHERE chat_id = ?1 AND direction = ?2 AND state <> ?3");
    if (!stmt) return stmt.error();
    stmt->bind(1, chatId).bind(2, qint64(MessageDirection::incoming)).bind(3, qint64(MessageState::read));
    return stmt->run();
}

Expected<void> MessageStore::markIncomingRead(const QString& chatId, const std::vector<qint64>& localIds) {
    return m_db.transaction([&]() -> Expected<void> {
        auto stmt = m_db.prepare("UPDATE messages SET state = ?3 WHERE chat_id = ?1 AND direction = ?2 AND id = ?4");
        if (!stmt) return stmt.error();
        for (qint64 id : localIds) {
            stmt->reset();
            stmt->bind(1, chatId).bind(2, qint64(MessageDirection::incoming)).bind(3, qint64(MessageState::read)).bind(4, id);
            if (auto r = stmt->run(); !r) return r;
        }
        return {};
    });
}

Expected<void> MessageStore::addReceipt(qint64 localId, const ReceiptRecord& receipt) {
    return m_db.transaction([&]() -> Expected<void> {
        auto exists = findId(m_db, "SELECT id FROM messages WHERE id = ?", [&](Statement& s) { s.bind(1, localId); });
        if (!exists) return exists.error();
        if (!*exists) return makeClientError(ErrorKind::NotFound, QStringLiteral("unknown message %1").arg(localId));
        auto insert = m_db.prepare("INSERT OR IGNORE INTO message_receipts (local_id, user_id, status, at) VALUES (?1, ?2, ?3, ?4)");
        if (!insert) return insert.error();
        insert->bind(1, localId).bind(2, qint64(receipt.userId)).bind(3, qint64(receipt.status)).bind(4, receipt.at);
        if (auto r = insert->run(); !r) return r;
        if (m_db.changes() > 0) return {};
        auto update = m_db.prepare("UPDATE message_receipts SET status = ?3, at = ?4 "
                                   "WHERE local_id = ?1 AND user_id = ?2 AND status < ?3");
        if (!update) return update.error();
        update->bind(1, localId).bind(2, qint64(receipt.userId)).bind(3, qint64(receipt.status)).bind(4, receipt.at);
        return update->run();
    });
}

Expected<std::vector<ReceiptRecord>> MessageStore::receipts(qint64 localId) {
    auto stmt = m_db.prepare("SELECT user_id, status, at FROM message_receipts WHERE local_id = ? ORDER BY user_id");
    if (!stmt) return stmt.error();
    stmt->bind(1, localId);
    std::vector<ReceiptRecord> out;
    for (;;) {
        auto row = stmt->step();
        if (!row) return row.error();
        if (!*row) return out;
        out.push_back(ReceiptRecord{UserId(stmt->int64(0)), statusOf(stmt->int64(1)), stmt->int64(2)});
    }
}

Expected<Seq> MessageStore::maxSeq(const QString& chatId) {
    auto stmt = m_db.prepare("SELECT max(coalesce((SELECT max(seq) FROM messages WHERE chat_id = ?1), 0), "
                             "coalesce((SELECT max(seq) FROM chat_seqs WHERE chat_id = ?1), 0))");
    if (!stmt) return stmt.error();
    stmt->bind(1, chatId);
    auto row = stmt->step();
    if (!row) return row.error();
    return Seq(stmt->int64(0));
}

Expected<Seq> MessageStore::maxSeqBelow(const QString& chatId, Seq seq) {
    auto stmt = m_db.prepare("SELECT max(coalesce((SELECT max(seq) FROM messages WHERE chat_id = ?1 AND seq < ?2), 0), "
                             "coalesce((SELECT max(seq) FROM chat_seqs WHERE chat_id = ?1 AND seq < ?2), 0))");
    if (!stmt) return stmt.error();
    stmt->bind(1, chatId).bind(2, qint64(seq));
    auto row = stmt->step();
    if (!row) return row.error();
    return Seq(stmt->int64(0));
}

Expected<bool> MessageStore::hasSeq(const QString& chatId, Seq seq) {
    if (seq == 0) return false;
    auto stmt = m_db.prepare("SELECT EXISTS (SELECT 1 FROM messages WHERE chat_id = ?1 AND seq = ?2) "
                             "OR EXISTS (SELECT 1 FROM chat_seqs WHERE chat_id = ?1 AND seq = ?2)");
    if (!stmt) return stmt.error();
    stmt->bind(1, chatId).bind(2, qint64(seq));
    auto row = stmt->step();
    if (!row) return row.error();
    return stmt->int64(0) != 0;
}

Expected<void> MessageStore::recordSeq(const QString& chatId, Seq seq) {
    if (seq == 0) return makeClientError(ErrorKind::InvalidArgument, QStringLiteral("seq 0 is not a position"));
    auto stmt = m_db.prepare("INSERT OR IGNORE INTO chat_seqs (chat_id, seq) VALUES (?, ?)");
    if (!stmt) return stmt.error();
    stmt->bind(1, chatId).bind(2, qint64(seq));
    return stmt->run();
}

} // namespace natter::client::store
