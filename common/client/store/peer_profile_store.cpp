// PeerProfileStore: one row per user who sent their profile; a lower or equal version never
// replaces a higher one, so a delayed or replayed message cannot bring an old name back.
#include "client/store/peer_profile_store.h"

#include "client/store/database.h"

namespace natter::client::store {

Expected<std::optional<QString>> PeerProfileStore::name(UserId user) {
    auto stmt = m_db.prepare("SELECT name FROM peer_profiles WHERE user_id = ?");
    if (!stmt) return stmt.error();
    stmt->bind(1, qint64(user));
    auto row = stmt->step();
    if (!row) return row.error();
    if (!*row) return std::optional<QString>();
    return std::optional<QString>(stmt->text(0));
}

Expected<QString> PeerProfileStore::about(UserId user) {
    auto stmt = m_db.prepare("SELECT about FROM peer_profiles WHERE user_id = ?");
    if (!stmt) return stmt.error();
    stmt->bind(1, qint64(user));
    auto row = stmt->step();
    if (!row) return row.error();
    return *row ? stmt->text(0) : QString();
}

Expected<bool> PeerProfileStore::save(UserId user, const QString& name, quint32 version, const QString& about) {
    // Two statements: SQLCipher's SQLite predates INSERT ... ON CONFLICT DO UPDATE.
    auto insert =
        m_db.prepare("INSERT OR IGNORE INTO peer_profiles (user_id, name, version, about) VALUES (?, ?, ?, ?)");
    if (!insert) return insert.error();
    insert->bind(1, qint64(user)).bind(2, name).bind(3, qint64(version)).bind(4, about);
    if (auto r = insert->run(); !r) return r.error();
    if (m_db.changes() > 0) return true;
    auto update = m_db.prepare(
        "UPDATE peer_profiles SET name = ?2, version = ?3, about = ?4 WHERE user_id = ?1 AND version < ?3");
    if (!update) return update.error();
    update->bind(1, qint64(user)).bind(2, name).bind(3, qint64(version)).bind(4, about);
    if (auto r = update->run(); !r) return r.error();
    return m_db.changes() > 0;
}

Expected<std::vector<PeerProfileRecord>> PeerProfileStore::all() {
    auto stmt = m_db.prepare("SELECT user_id, name, version, about FROM peer_profiles ORDER BY user_id");
    if (!stmt) return stmt.error();
    std::vector<PeerProfileRecord> out;
    for (;;) {
        auto row = stmt->step();
        if (!row) return row.error();
        if (!*row) return out;
        out.push_back(PeerProfileRecord{UserId(stmt->int64(0)), stmt->text(1), quint32(stmt->int64(2)), stmt->text(3)});
    }
}

} // namespace natter::client::store
