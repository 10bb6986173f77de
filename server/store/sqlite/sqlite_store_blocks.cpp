// SqliteStore: each account's block list.
#include "store/sqlite/sqlite_store.h"

namespace natter::server {

bool SqliteStore::addBlock(UserId owner, UserId blocked, TimestampMs at) {
    db_.prepare("INSERT INTO blocks(owner_id, blocked_id, blocked_at) VALUES(?, ?, ?) ON CONFLICT DO NOTHING")
        .bind(1, owner)
        .bind(2, blocked)
        .bind(3, at)
        .run();
    return db_.changes() > 0;
}

bool SqliteStore::removeBlock(UserId owner, UserId blocked) {
    db_.prepare("DELETE FROM blocks WHERE owner_id = ? AND blocked_id = ?").bind(1, owner).bind(2, blocked).run();
    return db_.changes() > 0;
}

std::vector<UserId> SqliteStore::blockedBy(UserId owner) {
    auto stmt = db_.prepare("SELECT blocked_id FROM blocks WHERE owner_id = ? ORDER BY blocked_at, blocked_id");
    stmt.bind(1, owner);
    std::vector<UserId> out;
    while (stmt.step()) out.push_back(static_cast<UserId>(stmt.int64(0)));
    return out;
}

std::uint64_t SqliteStore::countBlocked(UserId owner) {
    auto stmt = db_.prepare("SELECT COUNT(*) FROM blocks WHERE owner_id = ?");
    stmt.bind(1, owner);
    stmt.step();
    return static_cast<std::uint64_t>(stmt.int64(0));
}

bool SqliteStore::hasBlocked(UserId owner, UserId other) {
    auto stmt = db_.prepare("SELECT 1 FROM blocks WHERE owner_id = ? AND blocked_id = ?");
    stmt.bind(1, owner).bind(2, other);
    return stmt.step();
}

} // namespace natter::server
