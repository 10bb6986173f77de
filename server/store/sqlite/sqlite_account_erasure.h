// What `natterd admin delete-account` removes with raw SQL once the account's devices are revoked
// and its groups left through the services: everything else the store keeps about the user.
// The users and devices rows stay as anonymous tombstones (no phone, name or secret), so the
// ids are never reused and the devices' unexpired tokens keep getting device_revoked.
#pragma once

#include "store/sqlite/sqlite_connection.h"

#include <cstdint>
#include <string>
#include <vector>

namespace natter::server::sqlite::admin {

// Rows removed, by what they held.
struct ErasedRows {
    std::int64_t contacts = 0;     // the user's contacts, and other users' contact entries for the user
    std::int64_t envelopes = 0;    // history copies encrypted for the user's devices
    std::int64_t receipts = 0;     // the user's delivered/read marks
    std::int64_t other = 0;        // link codes, device list, looked-up numbers, pending verification
};

// A tombstone's phone: "deleted:ID" (unique, and no number: the number can register again).
std::string deletedPhone(std::int64_t user);
bool isDeletedPhone(const std::string& phone);

// Groups (chat ids) the user is a current member of.
std::vector<std::string> groupsOf(Connection& db, std::int64_t user);
// Messages the user sent that stay in others' histories (and on their devices).
std::int64_t messagesSent(Connection& db, std::int64_t user);
// Removes the rest inside the caller's transaction and turns users/devices rows into tombstones.
ErasedRows eraseAccountRows(Connection& db, std::int64_t user);

} // namespace natter::server::sqlite::admin
