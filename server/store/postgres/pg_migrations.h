// natterd's PostgreSQL schema as an append-only list of migrations. Pending ones are applied
// in one transaction under an advisory lock, so nodes starting at once apply them once; the
// table schema_version records the result, and a database newer than this binary is refused.
#pragma once

#include "store/postgres/pg_connection.h"

#include <span>

namespace natter::server::pg {

struct Migration {
    int version;             // 1, 2, 3, ... never renumbered or edited once released
    const char* description; // one line, for the log
    const char* sql;         // statements run in order
};

std::span<const Migration> migrations();
// 0 for an empty database.
int schemaVersion(Connection& db);
// Applies what is pending; returns the number applied. Throws StoreError on failure,
// leaving the database as it was.
int migrate(Connection& db, std::span<const Migration> list = migrations());

} // namespace natter::server::pg
