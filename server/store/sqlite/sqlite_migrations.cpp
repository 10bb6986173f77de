#include "store/sqlite/sqlite_migrations.h"

#include "store/store.h"

#include <array>

namespace natter::server::sqlite {
namespace {

constexpr const char* kInitialSchema = R"sql(
CREATE TABLE users (
    id                INTEGER PRIMARY KEY,
    phone             TEXT NOT NULL UNIQUE,
    display_name      TEXT NOT NULL DEFAULT '',
    status_text       TEXT NOT NULL DEFAULT '',
    created_at        INTEGER NOT NULL,
    last_seen         INTEGER,
    privacy_last_seen INTEGER NOT NULL DEFAULT 0,
    privacy_online    INTEGER NOT NULL DEFAULT 0,
    read_receipts     INTEGER NOT NULL DEFAULT 1
);
CREATE TABLE devices (
    user_id     INTEGER NOT NULL REFERENCES users(id),
    device_id   INTEGER NOT NULL,
    name        TEXT NOT NULL DEFAULT '',
    secret_hash BLOB NOT NULL,
    created_at  INTEGER NOT NULL,
    revoked_at  INTEGER,
    PRIMARY KEY (user_id, device_id)
) WITHOUT ROWID;
CREATE TABLE verifications (
    phone      TEXT PRIMARY KEY,
    code_hash  BLOB NOT NULL,
    expires_at INTEGER NOT NULL,
    attempts   INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;
CREATE TABLE contacts (
    owner_id   INTEGER NOT NULL,
    contact_id INTEGER NOT NULL,
    PRIMARY KEY (owner_id, contact_id)
) WITHOUT ROWID;
CREATE TABLE chats (
    id         TEXT PRIMARY KEY,
    kind       INTEGER NOT NULL,
    last_seq   INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE chat_members (
    chat_id TEXT NOT NULL,
    user_id INTEGER NOT NULL,
    PRIMARY KEY (chat_id, user_id)
) WITHOUT ROWID;
CREATE INDEX chat_members_by_user ON chat_members(user_id);
CREATE TABLE messages (
    id            INTEGER PRIMARY KEY,
    chat_id       TEXT NOT NULL,
    seq           INTEGER NOT NULL,
    sender_id     INTEGER NOT NULL,
    sender_device INTEGER NOT NULL,
    client_msg_id TEXT NOT NULL,
    created_at    INTEGER NOT NULL,
    UNIQUE (chat_id, seq),
    UNIQUE (sender_id, sender_device, client_msg_id)
);
CREATE TABLE queue (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id      INTEGER NOT NULL,
    device_id    INTEGER NOT NULL,
    kind         INTEGER NOT NULL,
    message_id   INTEGER NOT NULL,
    content      BLOB,
    actor_user   INTEGER,
    actor_device INTEGER,
    status       INTEGER,
    event_at     INTEGER
);
CREATE INDEX queue_by_device ON queue(user_id, device_id, id);
CREATE UNIQUE INDEX queue_message_once ON queue(user_id, device_id, message_id) WHERE kind = 0;
CREATE TABLE receipts (
    message_id   INTEGER NOT NULL,
    user_id      INTEGER NOT NULL,
    delivered_at INTEGER,
    read_at      INTEGER,
    PRIMARY KEY (message_id, user_id)
) WITHOUT ROWID;
)sql";

// Groups, history, the key directory and device links. Envelopes move out of the queue
// into their own table so that history outlives delivery.
constexpr const char* kGroupsKeysHistory = R"sql(
ALTER TABLE chats ADD COLUMN name BLOB;
ALTER TABLE chats ADD COLUMN description BLOB;
ALTER TABLE chats ADD COLUMN avatar BLOB;
ALTER TABLE chats ADD COLUMN members_can_edit INTEGER NOT NULL DEFAULT 0;
ALTER TABLE chats ADD COLUMN last_activity INTEGER NOT NULL DEFAULT 0;
UPDATE chats SET last_activity =
    COALESCE((SELECT MAX(m.created_at) FROM messages m WHERE m.chat_id = chats.id), created_at);
CREATE INDEX chats_by_activity ON chats(last_activity);
ALTER TABLE chat_members ADD COLUMN role INTEGER NOT NULL DEFAULT 0;
ALTER TABLE chat_members ADD COLUMN joined_seq INTEGER NOT NULL DEFAULT 0;
ALTER TABLE chat_members ADD COLUMN left_seq INTEGER;
ALTER TABLE chat_members ADD COLUMN read_seq INTEGER NOT NULL DEFAULT 0;
ALTER TABLE messages ADD COLUMN kind INTEGER NOT NULL DEFAULT 0;
CREATE TABLE message_bodies (
    message_id INTEGER PRIMARY KEY,
    content    BLOB NOT NULL
);
CREATE TABLE envelopes (
    message_id INTEGER NOT NULL,
    user_id    INTEGER NOT NULL,
    device_id  INTEGER NOT NULL,
    content    BLOB NOT NULL,
    PRIMARY KEY (message_id, user_id, device_id)
) WITHOUT ROWID;
INSERT INTO envelopes(message_id, user_id, device_id, content)
    SELECT message_id, user_id, device_id, content FROM queue WHERE kind = 0 AND content IS NOT NULL;
UPDATE queue SET content = NULL WHERE kind = 0;
CREATE TABLE identity_keys (
    user_id         INTEGER NOT NULL,
    device_id       INTEGER NOT NULL,
    registration_id INTEGER NOT NULL,
    identity_key    BLOB NOT NULL,
    updated_at      INTEGER NOT NULL,
    PRIMARY KEY (user_id, device_id)
) WITHOUT ROWID;
CREATE TABLE signed_prekeys (
    user_id    INTEGER NOT NULL,
    device_id  INTEGER NOT NULL,
    key_id     INTEGER NOT NULL,
    public_key BLOB NOT NULL,
    signature  BLOB NOT NULL,
    PRIMARY KEY (user_id, device_id)
) WITHOUT ROWID;
CREATE TABLE one_time_prekeys (
    user_id    INTEGER NOT NULL,
    device_id  INTEGER NOT NULL,
    key_id     INTEGER NOT NULL,
    public_key BLOB NOT NULL,
    PRIMARY KEY (user_id, device_id, key_id)
) WITHOUT ROWID;
CREATE TABLE link_codes (
    code_hash  BLOB PRIMARY KEY,
    user_id    INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
) WITHOUT ROWID;
)sql";

// Push endpoints: one wake-up URL per device.
constexpr const char* kPushEndpoints = R"sql(
CREATE TABLE push_endpoints (
    user_id   INTEGER NOT NULL,
    device_id INTEGER NOT NULL,
    endpoint  TEXT NOT NULL,
    PRIMARY KEY (user_id, device_id)
) WITHOUT ROWID;
)sql";

// Account-signed device lists: the newest list per account, which devices it names, and the
// sealed account identity a link code carries to the new device.
constexpr const char* kSignedDeviceLists = R"sql(
CREATE TABLE device_lists (
    user_id INTEGER PRIMARY KEY REFERENCES users(id),
    version INTEGER NOT NULL,
    body    TEXT NOT NULL
);
ALTER TABLE devices ADD COLUMN unlisted INTEGER NOT NULL DEFAULT 0;
ALTER TABLE link_codes ADD COLUMN provision TEXT NOT NULL DEFAULT '';
)sql";

// Whose phone number each user has looked up: the only users shown it (contacts among them,
// so existing contacts are carried over). Wrong verification codes are counted per client
// address in memory now, not per number here.
constexpr const char* kKnownPhones = R"sql(
CREATE TABLE known_phones (
    owner_id INTEGER NOT NULL,
    user_id  INTEGER NOT NULL,
    PRIMARY KEY (owner_id, user_id)
) WITHOUT ROWID;
INSERT OR IGNORE INTO known_phones(owner_id, user_id) SELECT owner_id, contact_id FROM contacts;
ALTER TABLE verifications DROP COLUMN attempts;
)sql";

// Why a device was revoked (protocol::RevocationReason: 0 unlinked, 1 reregistered), so a
// revoked device is told why. Devices revoked before this were unlinked.
constexpr const char* kRevocationReasons = R"sql(
ALTER TABLE devices ADD COLUMN revoked_reason INTEGER;
UPDATE devices SET revoked_reason = 0 WHERE revoked_at IS NOT NULL;
)sql";

// Verification codes are stored as HMAC-SHA256 under the server's code key instead of a bare
// SHA-256 (a 6-digit code's SHA-256 is reversed in a fraction of a second). Codes pending
// before this version cannot be checked any more: they are dropped, and users ask for new ones.
constexpr const char* kKeyedVerificationCodes = R"sql(
DELETE FROM verifications;
)sql";

// When each device last opened a WebSocket: entries queued for a device that has not connected
// since expire after the queue retention. NULL: not since this version.
constexpr const char* kDeviceLastConnected = R"sql(
ALTER TABLE devices ADD COLUMN last_connected_at INTEGER;
)sql";

// Each account's block list (natterd withholds the blocked users' 1:1 messages, key fetches,
// presence and typing from the owner).
constexpr const char* kBlocks = R"sql(
CREATE TABLE blocks (
    owner_id   INTEGER NOT NULL,
    blocked_id INTEGER NOT NULL,
    blocked_at INTEGER NOT NULL,
    PRIMARY KEY (owner_id, blocked_id)
) WITHOUT ROWID;
)sql";

// A 1:1 message whose recipient had blocked its sender: kept for the sender's devices, absent
// from the blocker's history and chat list, also after an unblock. NULL: delivered normally.
constexpr const char* kWithheldMessages = R"sql(
ALTER TABLE messages ADD COLUMN withheld_from INTEGER;
)sql";

constexpr std::array kMigrations{
    Migration{1, "accounts, devices, contacts, chats, messages, per-device queues, receipts", kInitialSchema},
    Migration{2, "groups, history envelopes, read cursors, key directory, device links", kGroupsKeysHistory},
    Migration{3, "push endpoints", kPushEndpoints},
    Migration{4, "signed device lists, unlisted devices, sealed identities in link codes", kSignedDeviceLists},
    Migration{5, "phone numbers each user looked up; no per-number count of wrong codes", kKnownPhones},
    Migration{6, "why a device was revoked", kRevocationReasons},
    Migration{7, "verification codes keyed (HMAC): pending codes dropped", kKeyedVerificationCodes},
    Migration{8, "devices remember their last connection (queue retention)", kDeviceLastConnected},
    Migration{9, "block lists", kBlocks},
    Migration{10, "messages withheld from a blocker", kWithheldMessages},
};

int readVersion(Connection& db) {
    auto stmt = db.prepare("PRAGMA user_version");
    return stmt.step() ? static_cast<int>(stmt.int64(0)) : 0;
}

} // namespace

std::span<const Migration> migrations() { return kMigrations; }

int schemaVersion(Connection& db) { return readVersion(db); }

int migrate(Connection& db, std::span<const Migration> list) {
    db.exec("BEGIN IMMEDIATE");
    try {
        const int current = readVersion(db);
        const int latest = list.empty() ? 0 : list.back().version;
        if (current > latest)
            throw StoreError("database schema version " + std::to_string(current) +
                             " is newer than this natterd supports (" + std::to_string(latest) + ")");
        int applied = 0;
        for (const auto& m : list) {
            if (m.version <= current) continue;
            db.exec(m.sql);
            db.exec("PRAGMA user_version = " + std::to_string(m.version));
            ++applied;
        }
        db.exec("COMMIT");
        return applied;
    } catch (...) {
        db.exec("ROLLBACK");
        throw;
    }
}

} // namespace natter::server::sqlite
