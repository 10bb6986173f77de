// PgStore: each account's block list.
#include "store/postgres/pg_store.h"

namespace natter::server {

bool PgStore::addBlock(UserId owner, UserId blocked, TimestampMs at) {
    return db_.query("INSERT INTO blocks(owner_id, blocked_id, blocked_at) VALUES($1, $2, $3) ON CONFLICT DO NOTHING",
                     pg::Params().add(owner).add(blocked).add(at))
               .affected() > 0;
}

bool PgStore::removeBlock(UserId owner, UserId blocked) {
    return db_.query("DELETE FROM blocks WHERE owner_id = $1 AND blocked_id = $2", pg::Params().add(owner).add(blocked))
               .affected() > 0;
}

std::vector<UserId> PgStore::blockedBy(UserId owner) {
    return userIds(db_.query("SELECT blocked_id FROM blocks WHERE owner_id = $1 ORDER BY blocked_at, blocked_id",
                             pg::Params().add(owner)));
}

std::uint64_t PgStore::countBlocked(UserId owner) {
    return static_cast<std::uint64_t>(
        db_.query("SELECT COUNT(*) FROM blocks WHERE owner_id = $1", pg::Params().add(owner)).int64(0, 0));
}

bool PgStore::hasBlocked(UserId owner, UserId other) {
    return !db_.query("SELECT 1 FROM blocks WHERE owner_id = $1 AND blocked_id = $2",
                      pg::Params().add(owner).add(other))
                .empty();
}

} // namespace natter::server
