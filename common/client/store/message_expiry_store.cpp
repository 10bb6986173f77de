// MessageStore: disappearing messages — which sent texts and files outlived their timer, when
// the next one does, and erasing one so that nothing of it stays in the database.
#include "client/store/database.h"
#include "client/store/message_rows.h"
#include "client/store/message_store.h"

namespace natter::client::store {

namespace {
// A message expires at its server timestamp plus its timer; pending ones (not sent, local
// time) and the client's own lines never do.
constexpr const char* kExpiring = "expire_timer <> 0 AND message_id <> 0 AND kind IN (?1, ?2) ";
} // namespace

Expected<std::vector<MessageRecord>> MessageStore::expiredBy(TimestampMs nowMs, int limit) {
    auto stmt = m_db.prepare(std::string(kMessageColumns) + "WHERE " + kExpiring +
                             "AND timestamp + expire_timer * 1000 <= ?3 ORDER BY timestamp, id LIMIT ?4");
    if (!stmt) return stmt.error();
    stmt->bind(1, qint64(MessageKind::text)).bind(2, qint64(MessageKind::media)).bind(3, nowMs).bind(4, qint64(limit));
    return readMessages(*stmt);
}

Expected<std::optional<TimestampMs>> MessageStore::nextExpiry() {
    auto stmt = m_db.prepare(std::string("SELECT min(timestamp + expire_timer * 1000) FROM messages WHERE ") + kExpiring);
    if (!stmt) return stmt.error();
    stmt->bind(1, qint64(MessageKind::text)).bind(2, qint64(MessageKind::media));
    auto row = stmt->step();
    if (!row) return row.error();
    if (!*row || stmt->isNull(0)) return std::optional<TimestampMs>();
    return std::optional<TimestampMs>(stmt->int64(0));
}

Expected<QString> MessageStore::eraseExpired(qint64 localId) {
    auto target = byLocalId(localId);
    if (!target) return target.error();
    if (!*target) return makeClientError(ErrorKind::NotFound, QStringLiteral("unknown message %1").arg(localId));
    if ((*target)->messageId != 0) {
        auto stmt = m_db.prepare("UPDATE messages SET quote_snippet = '' WHERE quote_message_id = ? AND chat_id = ?");
        if (!stmt) return stmt.error();
        stmt->bind(1, qint64((*target)->messageId)).bind(2, (*target)->chatId);
        if (auto r = stmt->run(); !r) return r.error();
    }
    return remove(localId);
}

} // namespace natter::client::store
