// The account's block list as natterd last answered it (GET /api/blocks), kept so that every
// command and view works from it offline; natterd enforces the list, this copy only shows it.
#pragma once

#include "client/core/result.h"
#include "client/store/records.h"

#include <vector>

namespace natter::client::store {

class Database;

class BlockStore {
public:
    explicit BlockStore(Database& db) : m_db(db) {}
    // The whole list, oldest block first, replaces what was stored.
    Expected<void> replace(const std::vector<UserId>& blocked);
    Expected<std::vector<UserId>> all();
    Expected<bool> contains(UserId user);

private:
    Database& m_db;
};

} // namespace natter::client::store
