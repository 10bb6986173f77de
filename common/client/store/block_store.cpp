// BlockStore: one row per blocked user, in natterd's order (oldest block first).
#include "client/store/block_store.h"

#include "client/store/database.h"

namespace natter::client::store {

Expected<void> BlockStore::replace(const std::vector<UserId>& blocked) {
    return m_db.transaction([&]() -> Expected<void> {
        if (auto r = m_db.exec("DELETE FROM blocked_users"); !r) return r;
        auto insert = m_db.prepare("INSERT OR IGNORE INTO blocked_users (user_id, position) VALUES (?, ?)");
        if (!insert) return insert.error();
        qint64 position = 0;
        for (UserId user : blocked) {
            insert->reset();
            insert->bind(1, qint64(user)).bind(2, position++);
            if (auto r = insert->run(); !r) return r;
        }
        return {};
    });
}

Expected<std::vector<UserId>> BlockStore::all() {
    auto stmt = m_db.prepare("SELECT user_id FROM blocked_users ORDER BY position");
    if (!stmt) return stmt.error();
    std::vector<UserId> out;
    for (;;) {
        auto row = stmt->step();
        if (!row) return row.error();
        if (!*row) return out;
        out.push_back(UserId(stmt->int64(0)));
    }
}

Expected<bool> BlockStore::contains(UserId user) {
    auto stmt = m_db.prepare("SELECT 1 FROM blocked_users WHERE user_id = ?");
    if (!stmt) return stmt.error();
    stmt->bind(1, qint64(user));
    auto row = stmt->step();
    if (!row) return row.error();
    return *row;
}

} // namespace natter::client::store
