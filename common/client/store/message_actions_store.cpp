// MessageStore: reactions per (message, person), the last edit of a message, and deletes that
// leave nothing of the text on disk (the search index is merged, so no stale term remains).
#include "client/store/database.h"
#include "client/store/message_rows.h"
#include "client/store/message_store.h"

namespace natter::client::store {

namespace {

// Folds the search index's segments into one, dropping the entries of deleted or replaced
// text: deleted rows leave no term behind in the index's own tables.
Expected<void> compactSearchIndex(Database& db) {
    return db.exec("INSERT INTO messages_fts (messages_fts) VALUES ('optimize')");
}

Expected<QString> blobPathOf(Database& db, qint64 localId) {
    auto stmt = db.prepare("SELECT coalesce(media_blob_path, '') FROM messages WHERE id = ?");
    if (!stmt) return stmt.error();
    stmt->bind(1, localId);
    auto row = stmt->step();
    if (!row) return row.error();
    if (!*row) return makeClientError(ErrorKind::NotFound, QStringLiteral("unknown message %1").arg(localId));
    return stmt->text(0);
}

Expected<void> run(Database& db, std::string_view sql, const std::function<void(Statement&)>& bind) {
    auto stmt = db.prepare(sql);
    if (!stmt) return stmt.error();
    bind(*stmt);
    return stmt->run();
}

} // namespace

Expected<void> attachReactions(Database& db, std::vector<MessageRecord>& messages) {
    for (auto& m : messages) {
        if (m.messageId == 0) continue;
        auto stmt = db.prepare("SELECT reactor_id, emoji, at FROM message_reactions "
                               "WHERE chat_id = ? AND message_id = ? ORDER BY at, reactor_id");
        if (!stmt) return stmt.error();
        stmt->bind(1, m.chatId).bind(2, qint64(m.messageId));
        m.reactions.clear();
        for (;;) {
            auto row = stmt->step();
            if (!row) return row.error();
            if (!*row) break;
            m.reactions.push_back(ReactionRecord{UserId(stmt->int64(0)), stmt->text(1), stmt->int64(2)});
        }
    }
    return {};
}

Expected<void> MessageStore::setReaction(const QString& chatId, MessageId messageId, UserId reactor,
                                         const QString& emoji, TimestampMs at) {
    if (emoji.isEmpty())
        return run(m_db, "DELETE FROM message_reactions WHERE chat_id = ? AND message_id = ? AND reactor_id = ?",
                   [&](Statement& s) { s.bind(1, chatId).bind(2, qint64(messageId)).bind(3, qint64(reactor)); });
    return run(m_db,
               "INSERT OR REPLACE INTO message_reactions (chat_id, message_id, reactor_id, emoji, at) "
               "VALUES (?1, ?2, ?3, ?4, ?5)",
               [&](Statement& s) {
                   s.bind(1, chatId).bind(2, qint64(messageId)).bind(3, qint64(reactor)).bind(4, emoji).bind(5, at);
               });
}

Expected<std::vector<ReactionRecord>> MessageStore::reactions(const QString& chatId, MessageId messageId) {
    std::vector<MessageRecord> one(1);
    one[0].chatId = chatId;
    one[0].messageId = messageId;
    if (auto r = attachReactions(m_db, one); !r) return r.error();
    return std::move(one[0].reactions);
}

Expected<void> MessageStore::applyEdit(qint64 localId, const QString& text, const QString& snippet, TimestampMs at) {
    return m_db.transaction([&]() -> Expected<void> {
        auto target = byLocalId(localId);
        if (!target) return target.error();
        if (!*target) return makeClientError(ErrorKind::NotFound, QStringLiteral("unknown message %1").arg(localId));
        if (auto r = run(m_db, "UPDATE messages SET text = ?, edited_at = ? WHERE id = ?",
                         [&](Statement& s) { s.bind(1, text).bind(2, at).bind(3, localId); });
            !r)
            return r;
        if ((*target)->messageId == 0) return {};
        return run(m_db, "UPDATE messages SET quote_snippet = ? WHERE quote_message_id = ? AND chat_id = ?",
                   [&](Statement& s) { s.bind(1, snippet).bind(2, qint64((*target)->messageId)).bind(3, (*target)->chatId); });
    });
}

Expected<QString> MessageStore::eraseForEveryone(qint64 localId, TimestampMs at) {
    QString blobPath;
    auto done = m_db.transaction([&]() -> Expected<void> {
        auto target = byLocalId(localId);
        if (!target) return target.error();
        if (!*target) return makeClientError(ErrorKind::NotFound, QStringLiteral("unknown message %1").arg(localId));
        if ((*target)->media) blobPath = (*target)->media->localBlobPath;
        if (auto r = run(m_db,
                         "UPDATE messages SET text = '', media_id = NULL, media_key = NULL, media_digest = NULL, "
                         "media_mime = NULL, media_size = NULL, media_file_name = NULL, media_thumbnail = NULL, "
                         "media_blob_path = NULL, quote_message_id = 0, quote_sender_id = 0, quote_snippet = '', "
                         "edited_at = 0, deleted_at = ? WHERE id = ?",
                         [&](Statement& s) { s.bind(1, at).bind(2, localId); });
            !r)
            return r;
        const MessageId messageId = (*target)->messageId;
        if (messageId == 0) return {};
        if (auto r = run(m_db, "DELETE FROM message_reactions WHERE chat_id = ? AND message_id = ?",
                         [&](Statement& s) { s.bind(1, (*target)->chatId).bind(2, qint64(messageId)); });
            !r)
            return r;
        return run(m_db, "UPDATE messages SET quote_snippet = '' WHERE quote_message_id = ? AND chat_id = ?",
                   [&](Statement& s) { s.bind(1, qint64(messageId)).bind(2, (*target)->chatId); });
    });
    if (!done) return done.error();
    if (auto r = compactSearchIndex(m_db); !r) return r.error();
    return blobPath;
}

Expected<QString> MessageStore::remove(qint64 localId) {
    QString blobPath;
    auto done = m_db.transaction([&]() -> Expected<void> {
        auto target = byLocalId(localId);
        if (!target) return target.error();
        if (!*target) return makeClientError(ErrorKind::NotFound, QStringLiteral("unknown message %1").arg(localId));
        auto path = blobPathOf(m_db, localId);
        if (!path) return path.error();
        blobPath = *path;
        const MessageRecord& m = **target;
        if (m.seq != 0)
            if (auto r = recordSeq(m.chatId, m.seq); !r) return r;
        if (m.messageId != 0)
            if (auto r = run(m_db, "DELETE FROM message_reactions WHERE chat_id = ? AND message_id = ?",
                             [&](Statement& s) { s.bind(1, m.chatId).bind(2, qint64(m.messageId)); });
                !r)
                return r;
        return run(m_db, "DELETE FROM messages WHERE id = ?", [&](Statement& s) { s.bind(1, localId); });
    });
    if (!done) return done.error();
    if (auto r = compactSearchIndex(m_db); !r) return r.error();
    return blobPath;
}

} // namespace natter::client::store
