// natterd's SQLite schema as an append-only list of migrations. Pending ones are applied
// in a single transaction and PRAGMA user_version records the result; a database newer
// than this binary is refused rather than touched.
#pragma once

#include "store/sqlite/sqlite_connection.h"

#include <span>

namespace natter::server::sqlite {

struct Migration {
    int version;             // 1, 2, 3, ... never renumbered or edited once released
    const char* description; // one line, for the log
    const char* sql;         // statements run in order
};

std::span<const Migration> migrations();
int schemaVersion(Connection& db);
// Applies what is pending; returns the number applied. Throws StoreError on failure,
// leaving the database as it was.
int migrate(Connection& db, std::span<const Migration> list = migrations());

} // namespace natter::server::sqlite
