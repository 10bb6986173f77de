// OutboxStore: messages awaiting the server's "sent" ack, in the order they were queued.
#include "client/store/outbox_store.h"

#include "client/store/database.h"

namespace natter::client::store {

namespace {

constexpr const char* kColumns =
    "SELECT id, chat_id, client_msg_id, content, local_message_id, attempts FROM outbox ";

OutboxEntry readEntry(const Statement& s) {
    OutboxEntry e;
    e.id = s.int64(0);
    e.chatId = s.text(1);
    e.clientMsgId = s.text(2);
    e.content = s.blob(3);
    e.localMessageId = s.int64(4);
    e.attempts = int(s.int64(5));
    return e;
}

} // namespace

Expected<qint64> OutboxStore::enqueue(const OutboxEntry& entry) {
    if (entry.clientMsgId.isEmpty())
        return makeClientError(ErrorKind::InvalidArgument, QStringLiteral("an outbox entry needs a client message id"));
    auto stmt = m_db.prepare("INSERT INTO outbox (chat_id, client_msg_id, content, local_message_id, attempts) "
                             "VALUES (?, ?, ?, ?, ?)");
    if (!stmt) return stmt.error();
    stmt->bind(1, entry.chatId)
        .bind(2, entry.clientMsgId)
        .bind(3, entry.content)
        .bind(4, entry.localMessageId)
        .bind(5, qint64(entry.attempts));
    if (auto r = stmt->run(); !r) return r.error();
    return m_db.lastInsertId();
}

Expected<std::vector<OutboxEntry>> OutboxStore::pending(int limit) {
    auto stmt = m_db.prepare(std::string(kColumns) + "ORDER BY id LIMIT ?");
    if (!stmt) return stmt.error();
    stmt->bind(1, qint64(limit));
    std::vector<OutboxEntry> out;
    for (;;) {
        auto row = stmt->step();
        if (!row) return row.error();
        if (!*row) return out;
        out.push_back(readEntry(*stmt));
    }
}

Expected<int> OutboxStore::count(bool messagesOnly) {
    auto stmt = m_db.prepare(messagesOnly ? "SELECT COUNT(*) FROM outbox WHERE local_message_id != 0"
                                          : "SELECT COUNT(*) FROM outbox");
    if (!stmt) return stmt.error();
    auto row = stmt->step();
    if (!row) return row.error();
    return *row ? int(stmt->int64(0)) : 0;
}

Expected<std::optional<OutboxEntry>> OutboxStore::byClientMsgId(const QString& clientMsgId) {
    auto stmt = m_db.prepare(std::string(kColumns) + "WHERE client_msg_id = ? ORDER BY id LIMIT 1");
    if (!stmt) return stmt.error();
    stmt->bind(1, clientMsgId);
    auto row = stmt->step();
    if (!row) return row.error();
    if (!*row) return std::optional<OutboxEntry>();
    return std::optional<OutboxEntry>(readEntry(*stmt));
}

Expected<void> OutboxStore::bumpAttempts(qint64 id) {
    auto stmt = m_db.prepare("UPDATE outbox SET attempts = attempts + 1 WHERE id = ?");
    if (!stmt) return stmt.error();
    stmt->bind(1, id);
    return stmt->run();
}

Expected<void> OutboxStore::remove(qint64 id) {
    auto stmt = m_db.prepare("DELETE FROM outbox WHERE id = ?");
    if (!stmt) return stmt.error();
    stmt->bind(1, id);
    return stmt->run();
}

} // namespace natter::client::store
