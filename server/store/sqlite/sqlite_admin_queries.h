// Read-only questions `natterd admin` asks of a single node's SQLite store: users, their devices
// and queue depths. Raw SQL here because the Store interfaces have no listing of all accounts.
#pragma once

#include "store/sqlite/sqlite_connection.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace natter::server::sqlite::admin {

struct UserRow {
    std::int64_t id = 0;
    std::string phone;
    std::string name;
    std::int64_t created_at = 0; // ms since the epoch
    std::int64_t devices = 0;    // active (not revoked) devices
};

struct DeviceRow {
    std::int64_t id = 0;
    std::string name;
    std::int64_t created_at = 0;
    std::optional<std::int64_t> last_connected_at;
    std::optional<std::int64_t> revoked_at;
};

struct QueueRow {
    std::int64_t user_id = 0;
    std::int64_t device_id = 0;
    std::int64_t depth = 0;
};

// Users whose phone or display name contains `find` (all when empty), by id; at most `limit`.
std::vector<UserRow> users(Connection& db, const std::string& find, std::size_t limit);
std::optional<UserRow> user(Connection& db, std::int64_t id);
// Every device of the user, revoked ones included, by id.
std::vector<DeviceRow> devices(Connection& db, std::int64_t user);
// Queued events in total, and the `limit` largest queues (deepest first).
std::int64_t totalQueued(Connection& db);
std::vector<QueueRow> largestQueues(Connection& db, std::size_t limit);

} // namespace natter::server::sqlite::admin
