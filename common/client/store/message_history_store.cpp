// MessageStore: the message history a device hands to a newly linked device of its account —
// its sent and received texts and files in natterd's order (server id), in bounded pages.
#include "client/store/database.h"
#include "client/store/message_rows.h"
#include "client/store/message_store.h"

namespace natter::client::store {

namespace {
// Texts and files natterd stored (pending ones have no server id yet), not deleted for everyone.
constexpr const char* kHistory = "message_id <> 0 AND deleted_at = 0 AND kind IN (?1, ?2) ";
} // namespace

Expected<std::vector<MessageRecord>> MessageStore::historyAfter(MessageId after, int limit) {
    auto stmt = m_db.prepare(std::string(kMessageColumns) + "WHERE " + kHistory +
                             "AND message_id > ?3 ORDER BY message_id LIMIT ?4");
    if (!stmt) return stmt.error();
    stmt->bind(1, qint64(MessageKind::text)).bind(2, qint64(MessageKind::media)).bind(3, qint64(after)).bind(4, qint64(limit));
    return readMessages(*stmt);
}

Expected<qint64> MessageStore::historyCount(MessageId upTo) {
    auto stmt = m_db.prepare(std::string("SELECT count(*) FROM messages WHERE ") + kHistory + "AND message_id <= ?3");
    if (!stmt) return stmt.error();
    stmt->bind(1, qint64(MessageKind::text)).bind(2, qint64(MessageKind::media)).bind(3, qint64(upTo));
    auto row = stmt->step();
    if (!row) return row.error();
    return *row ? stmt->int64(0) : qint64(0);
}

} // namespace natter::client::store
