// Plain records the client store reads and writes: what a chat, message, contact, group,
// outbox entry and attachment look like on this device. No behaviour, no Qt objects.
#pragma once

#include "protocol/types.h"

#include <QByteArray>
#include <QString>
#include <QUrl>

#include <optional>
#include <vector>

namespace natter::client {

using protocol::ChatType;
using protocol::DeliveryStatus;
using protocol::DeviceId;
using protocol::GroupRole;
using protocol::MessageId;
using protocol::Seq;
using protocol::TimestampMs;
using protocol::UserId;

// Who this profile is on which server (written once at registration or linking).
struct AccountRecord {
    QUrl server;              // e.g. http://127.0.0.1:8787
    UserId userId = 0;
    DeviceId deviceId = 0;
    QString phone;            // E.164
    QByteArray deviceSecret;  // long-lived device credential (secret: never logged)
    QString displayName;
};

enum class MessageDirection { incoming, outgoing };
// text: a user's message; media: an attachment (text holds its caption); system: a line
// the client writes itself (identity changed, member added); undecryptable: a placeholder
// for a message that failed to decrypt and was asked to be resent.
enum class MessageKind { text, media, system, undecryptable };
// pending: in the outbox; then the ticks sent / delivered / read; failed: refused for good.
enum class MessageState { pending, sent, delivered, read, failed };

// An attachment as described inside an encrypted message, plus where its encrypted bytes
// live once downloaded (they stay encrypted at rest; decrypted only to open or save).
struct MediaRecord {
    QString mediaId;          // server capability (43 chars)
    QByteArray key;           // 64 bytes: AES-256 key + HMAC-SHA256 key
    QByteArray digest;        // SHA-256 of the uploaded (encrypted) blob
    QString mime;             // e.g. image/png
    qint64 size = 0;          // plaintext size in bytes
    QString fileName;         // original name, never sent to the server in clear
    QByteArray thumbnail;     // small JPEG (images), may be empty
    QString localBlobPath;    // encrypted blob in the profile's media dir; empty until downloaded
};

// A reply's quote as the reply carried it (the original may not be stored here).
struct QuoteRecord {
    MessageId messageId = 0;     // the quoted message's server id
    UserId senderId = 0;         // who wrote it
    QString snippet;             // its first characters; empty once it was deleted for everyone
    bool deleted = false;        // the original, stored here, was deleted for everyone
};

// One person's reaction to a message (at most one per person).
struct ReactionRecord {
    UserId reactorId = 0;
    QString emoji;
    TimestampMs at = 0;          // server time of the reaction (local time while it is queued)
};

struct MessageRecord {
    qint64 localId = 0;          // this store's row id
    QString chatId;
    MessageId messageId = 0;     // server id; 0 while pending
    QString clientMsgId;         // sender-chosen id (dedups own-device copies and resends)
    UserId senderId = 0;
    DeviceId senderDevice = 0;
    Seq seq = 0;                 // position in the chat; 0 while pending
    TimestampMs timestamp = 0;   // server time once sent; local time while pending
    MessageDirection direction = MessageDirection::incoming;
    MessageKind kind = MessageKind::text;
    MessageState state = MessageState::pending; // outgoing: ticks; incoming: delivered or read
    QString text;                // body or caption (system lines: the line)
    std::optional<MediaRecord> media;
    std::optional<QuoteRecord> quote; // this message replies to that one
    TimestampMs editedAt = 0;    // server time of the edit that gave the current text; 0: never edited
    TimestampMs deletedAt = 0;   // deleted for everyone (text and file erased); 0: not deleted
    bool forwarded = false;      // sent on from another chat (the e2e content's "forwarded")
    quint32 expireTimer = 0;     // seconds after `timestamp` (server time) it is erased; 0: kept
    bool mentionsMe = false;     // an incoming group text that @-mentions this account
    std::vector<ReactionRecord> reactions; // by reactor, filled by MessageStore's readers

    bool edited() const { return editedAt != 0; }
    bool deleted() const { return deletedAt != 0; }
};

// Stable lower-case names ("pending", "media"), for the models and the JSON views (not
// toString: QtTest finds toString overloads by ADL and expects char*).
QString stateName(MessageState state);
QString kindName(MessageKind kind);

struct ChatRecord {
    QString chatId;
    ChatType type = ChatType::direct;
    QString title;               // contact name / phone, or the decrypted group name
    UserId peerId = 0;           // direct chats: the other user
    qint64 unread = 0;           // incoming messages not yet marked read
    TimestampMs lastActivity = 0;
    QString lastPreview;         // last message's text (or "📎 name"), for the chat list
    bool pinned = false;
    bool muted = false;
    bool archived = false;
    quint32 expireTimer = 0;     // disappearing messages: seconds what is sent now lives; 0: off
    bool request = false;        // a stranger's 1:1 chat not yet accepted (no read receipts, no typing)
};

struct ContactRecord {
    UserId userId = 0;
    QString phone;
    QString name;                // local name (or the user's display name)
    bool identityChanged = false; // a device's identity key changed and was not yet acknowledged
};

struct GroupMemberRecord {
    UserId userId = 0;
    GroupRole role = GroupRole::member;
};

struct GroupRecord {
    QString chatId;
    QByteArray secret;           // 32 bytes shared over pairwise sessions: encrypts name etc.
    QString name;                // decrypted
    QString description;         // decrypted
    std::vector<GroupMemberRecord> members;
};

// A message waiting for the server's "sent" ack; retried with the same clientMsgId.
struct OutboxEntry {
    qint64 id = 0;
    QString chatId;
    QString clientMsgId;
    QByteArray content;          // the plaintext Content JSON to encrypt per send attempt
    qint64 localMessageId = 0;   // the message row it belongs to (0 for control messages)
    int attempts = 0;
};

// Per-recipient progress of an outgoing message (groups show it per member).
struct ReceiptRecord {
    UserId userId = 0;
    DeliveryStatus status = DeliveryStatus::delivered;
    TimestampMs at = 0;
};

} // namespace natter::client
