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

// v2: the messenger's own data: account, settings, contacts, chats, messages with receipts
// and FTS4 search (kept in sync by triggers), the outbox, groups and control seqs.
constexpr const char* kV2Messenger = R"sql(
CREATE TABLE account (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    server TEXT NOT NULL, user_id INTEGER NOT NULL, device_id INTEGER NOT NULL,
    phone TEXT NOT NULL, device_secret BLOB NOT NULL, display_name TEXT NOT NULL
);
CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE contacts (
    user_id INTEGER PRIMARY KEY, phone TEXT NOT NULL DEFAULT '', name TEXT NOT NULL DEFAULT '',
    identity_changed INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX contacts_phone ON contacts (phone);
CREATE INDEX contacts_name ON contacts (name COLLATE NOCASE);
CREATE TABLE contact_devices (
    user_id INTEGER NOT NULL, device_id INTEGER NOT NULL, PRIMARY KEY (user_id, device_id)
) WITHOUT ROWID;
CREATE TABLE chats (
    chat_id TEXT PRIMARY KEY, type INTEGER NOT NULL, title TEXT NOT NULL DEFAULT '',
    peer_id INTEGER NOT NULL DEFAULT 0, unread INTEGER NOT NULL DEFAULT 0,
    last_activity INTEGER NOT NULL DEFAULT 0, last_preview TEXT NOT NULL DEFAULT '',
    pinned INTEGER NOT NULL DEFAULT 0, muted INTEGER NOT NULL DEFAULT 0, archived INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE messages (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    chat_id TEXT NOT NULL, message_id INTEGER NOT NULL DEFAULT 0, client_msg_id TEXT NOT NULL DEFAULT '',
    sender_id INTEGER NOT NULL, sender_device INTEGER NOT NULL DEFAULT 0,
    seq INTEGER NOT NULL DEFAULT 0, timestamp INTEGER NOT NULL,
    direction INTEGER NOT NULL, kind INTEGER NOT NULL, state INTEGER NOT NULL,
    text TEXT NOT NULL DEFAULT '',
    media_id TEXT, media_key BLOB, media_digest BLOB, media_mime TEXT, media_size INTEGER,
    media_file_name TEXT, media_thumbnail BLOB, media_blob_path TEXT
);
CREATE UNIQUE INDEX messages_server_id ON messages (message_id) WHERE message_id <> 0;
CREATE UNIQUE INDEX messages_client_id ON messages (sender_id, client_msg_id) WHERE client_msg_id <> '';
CREATE INDEX messages_chat_seq ON messages (chat_id, seq);
CREATE TABLE message_receipts (
    local_id INTEGER NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL, status INTEGER NOT NULL, at INTEGER NOT NULL,
    PRIMARY KEY (local_id, user_id)
) WITHOUT ROWID;
CREATE VIRTUAL TABLE messages_fts USING fts4 (content="messages", text, tokenize=unicode61);
CREATE TRIGGER messages_fts_bd BEFORE DELETE ON messages BEGIN
    DELETE FROM messages_fts WHERE docid = old.id;
END;
CREATE TRIGGER messages_fts_bu BEFORE UPDATE OF text ON messages BEGIN
    DELETE FROM messages_fts WHERE docid = old.id;
END;
CREATE TRIGGER messages_fts_au AFTER UPDATE OF text ON messages BEGIN
    INSERT INTO messages_fts (docid, text) VALUES (new.id, new.text);
END;
CREATE TRIGGER messages_fts_ai AFTER INSERT ON messages BEGIN
    INSERT INTO messages_fts (docid, text) VALUES (new.id, new.text);
END;
CREATE TABLE outbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    chat_id TEXT NOT NULL, client_msg_id TEXT NOT NULL, content BLOB NOT NULL,
    local_message_id INTEGER NOT NULL DEFAULT 0, attempts INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX outbox_client_id ON outbox (client_msg_id);
CREATE TABLE groups (
    chat_id TEXT PRIMARY KEY, secret BLOB NOT NULL, name TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT ''
);
CREATE TABLE group_members (
    chat_id TEXT NOT NULL REFERENCES groups (chat_id) ON DELETE CASCADE,
    user_id INTEGER NOT NULL, role INTEGER NOT NULL, PRIMARY KEY (chat_id, user_id)
) WITHOUT ROWID;
CREATE TABLE sender_key_shares (
    chat_id TEXT NOT NULL, user_id INTEGER NOT NULL, device_id INTEGER NOT NULL,
    PRIMARY KEY (chat_id, user_id, device_id)
) WITHOUT ROWID;
CREATE TABLE chat_seqs (chat_id TEXT NOT NULL, seq INTEGER NOT NULL, PRIMARY KEY (chat_id, seq)) WITHOUT ROWID;
)sql";

// Signed device lists accepted per user: the pinned account identity key, version, devices.
constexpr const char* kV3DeviceLists = R"sql(
CREATE TABLE device_lists (
    user_id INTEGER PRIMARY KEY, identity_key BLOB NOT NULL, version INTEGER NOT NULL, devices TEXT NOT NULL
);
)sql";

// v4: the server revoked this device (store/revocation_store.cpp): why (the protocol's
// RevocationReason wire text) and when the client learnt it. At most one row.
constexpr const char* kV4Revocation = R"sql(
CREATE TABLE device_revocation (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    reason TEXT NOT NULL, revoked_at INTEGER NOT NULL
);
)sql";

// v5: what people do with a message (protocol "reply, react, edit, delete"): a reply's quote
// (the quoted message's server id, sender and snippet), when the text was last edited and when
// the message was deleted for everyone (0: never), and one reaction per person per message,
// keyed by the message's chat and server id so a reaction may arrive before its message.
constexpr const char* kV5MessageActions = R"sql(
ALTER TABLE messages ADD COLUMN quote_message_id INTEGER NOT NULL DEFAULT 0;
ALTER TABLE messages ADD COLUMN quote_sender_id INTEGER NOT NULL DEFAULT 0;
ALTER TABLE messages ADD COLUMN quote_snippet TEXT NOT NULL DEFAULT '';
ALTER TABLE messages ADD COLUMN edited_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE messages ADD COLUMN deleted_at INTEGER NOT NULL DEFAULT 0;
CREATE INDEX messages_quote ON messages (quote_message_id) WHERE quote_message_id <> 0;
CREATE TABLE message_reactions (
    chat_id TEXT NOT NULL, message_id INTEGER NOT NULL, reactor_id INTEGER NOT NULL,
    emoji TEXT NOT NULL, at INTEGER NOT NULL,
    PRIMARY KEY (chat_id, message_id, reactor_id)
) WITHOUT ROWID;
)sql";

// v6: a message forwarded from another chat is marked so (protocol "forward").
constexpr const char* kV6Forwarded = R"sql(
ALTER TABLE messages ADD COLUMN forwarded INTEGER NOT NULL DEFAULT 0;
)sql";

// v7: disappearing messages (protocol "Disappearing messages"): a chat's current timer, and the
// timer each text or file was sent with (seconds; 0: never expires). A message expires at its
// server timestamp plus its timer; the partial index finds the few messages that can expire.
constexpr const char* kV7Disappearing = R"sql(
ALTER TABLE chats ADD COLUMN expire_timer INTEGER NOT NULL DEFAULT 0;
ALTER TABLE messages ADD COLUMN expire_timer INTEGER NOT NULL DEFAULT 0;
CREATE INDEX messages_expiring ON messages (timestamp) WHERE expire_timer <> 0;
)sql";

// v8: message requests and blocking (issue 14): a 1:1 chat a stranger started is a request
// until accepted, and the account's block list as natterd last answered it (GET /api/blocks).
constexpr const char* kV8Requests = R"sql(
ALTER TABLE chats ADD COLUMN request INTEGER NOT NULL DEFAULT 0;
CREATE TABLE blocked_users (user_id INTEGER PRIMARY KEY, position INTEGER NOT NULL);
)sql";

// v9: mentions (issue 14): an incoming group text that @-mentions this account notifies even
// where the group is muted.
constexpr const char* kV9Mentions = R"sql(
ALTER TABLE messages ADD COLUMN mentions_me INTEGER NOT NULL DEFAULT 0;
)sql";

// v10: profile names (issue 14): the name each other user chose for themselves, as their
// messages last carried it (the highest version wins), and per chat the version of the own
// profile already sent there (0: none yet), so it goes with the next text or file only once.
constexpr const char* kV10ProfileNames = R"sql(
CREATE TABLE peer_profiles (user_id INTEGER PRIMARY KEY, name TEXT NOT NULL, version INTEGER NOT NULL);
ALTER TABLE chats ADD COLUMN profile_sent INTEGER NOT NULL DEFAULT 0;
)sql";

// v11: profile "about" (issue 14): the short text each other user wrote about themselves, with
// their name (empty: none).
constexpr const char* kV11ProfileAbout = R"sql(
ALTER TABLE peer_profiles ADD COLUMN about TEXT NOT NULL DEFAULT '';
)sql";

constexpr std::array kMigrations{
    Migration{1, kV1SignalKeys},
    Migration{2, kV2Messenger},
    Migration{3, kV3DeviceLists},
    Migration{4, kV4Revocation},
    Migration{5, kV5MessageActions},
    Migration{6, kV6Forwarded},
    Migration{7, kV7Disappearing},
    Migration{8, kV8Requests},
    Migration{9, kV9Mentions},
    Migration{10, kV10ProfileNames},
    Migration{11, kV11ProfileAbout},
};

} // namespace

std::span<const Migration> clientMigrations() { return kMigrations; }

} // namespace natter::client::store
