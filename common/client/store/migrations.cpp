#include "client/store/migrations.h"

#include <array>

namespace natter::client::store {

namespace {

// v1: the Signal protocol's key material (crypto/sqlcipher_key_store.cpp).
constexpr const char* kV1SignalKeys = R"sql(
CREATE TABLE local_identity (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    registration_id INTEGER NOT NULL,
    public_key BLOB NOT NULL,
    private_key BLOB NOT NULL
);
CREATE TABLE prekeys (key_id INTEGER PRIMARY KEY, record BLOB NOT NULL);
CREATE TABLE signed_prekeys (key_id INTEGER PRIMARY KEY, record BLOB NOT NULL, created_at INTEGER NOT NULL);
CREATE TABLE sessions (
    name TEXT NOT NULL, device INTEGER NOT NULL, record BLOB NOT NULL,
    PRIMARY KEY (name, device)
);
CREATE TABLE sender_keys (
    group_id TEXT NOT NULL, name TEXT NOT NULL, device INTEGER NOT NULL, record BLOB NOT NULL,
    PRIMARY KEY (group_id, name, device)
);
CREATE TABLE identities (
    name TEXT NOT NULL, device INTEGER NOT NULL, public_key BLOB NOT NULL,
    first_seen INTEGER NOT NULL, changed_at INTEGER,
    PRIMARY KEY (name, device)
);
CREATE TABLE key_ids (sequence INTEGER PRIMARY KEY, next_id INTEGER NOT NULL);
)sql";

constexpr std::array kMigrations{
    Migration{1, kV1SignalKeys},
};

} // namespace

std::span<const Migration> clientMigrations() { return kMigrations; }

} // namespace natter::client::store
