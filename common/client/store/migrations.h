// The client store's schema: an append-only list of migrations. Never edit a released
// entry; add a new one. Database::open applies every pending entry in one transaction.
#pragma once

#include <span>

namespace natter::client::store {

struct Migration {
    int version;     // the schema version after this step (1, 2, 3, ...)
    const char* sql; // statements that take the schema from version-1 to version
};

std::span<const Migration> clientMigrations();

} // namespace natter::client::store
