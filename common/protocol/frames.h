// WebSocket frames of protocol v1 (endpoint /ws). Every frame is one JSON text message
// with a "type" naming it; kType is that name. docs/protocol.md describes each in prose.
#pragma once

#include "protocol/types.h"

#include <boost/describe/class.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace natter::protocol {

// The ciphertext meant for one recipient device; the server never reads it.
struct Envelope {
    UserId user_id = 0;     // recipient user
    DeviceId device_id = 0; // recipient device
    std::string content;    // opaque bytes, standard base64 (the clients' Signal ciphertext)
};
BOOST_DESCRIBE_STRUCT(Envelope, (), (user_id, device_id, content))

// ---- client -> server -------------------------------------------------------------

// Send a message into a chat. A 1:1 message carries one envelope for every current device
// of the other participant and of the sender's own other devices (else device_mismatch);
// a group message carries one `content` for all members (sender-key ciphertext) instead.
struct SendMessage {
    static constexpr std::string_view kType = "message";
    std::string chat_id;                // e.g. "dm:1:2" (see directChatId) or "g:..." for a group
    std::string client_msg_id;          // sender-chosen, unique per sending device; resends reuse it
    std::vector<Envelope> envelopes;    // 1:1 chats: one per recipient device (omit for groups)
    std::optional<std::string> content; // group chats: one ciphertext for every member, base64
    std::optional<std::string> devices_hash; // group chats: devicesHash of the member devices the
                                             // sender's key reached; a stale one gets device_mismatch
};
BOOST_DESCRIBE_STRUCT(SendMessage, (), (chat_id, client_msg_id, envelopes, content, devices_hash))

// Recipient's acknowledgement: "delivered" once stored locally, "read" once seen.
struct AckMessage {
    static constexpr std::string_view kType = "ack";
    MessageId message_id = 0;                          // the message acknowledged
    DeliveryStatus status = DeliveryStatus::delivered; // delivered or read ("sent" is refused)
};
BOOST_DESCRIBE_STRUCT(AckMessage, (), (message_id, status))

// Confirms a receipt frame was stored, so the server drops it from this device's queue.
struct ReceiptAck {
    static constexpr std::string_view kType = "receipt_ack";
    ReceiptId receipt_id = 0; // from the receipt frame
};
BOOST_DESCRIBE_STRUCT(ReceiptAck, (), (receipt_id))

// The user started or stopped typing in a chat. Relayed to online members, never stored.
struct TypingNotice {
    static constexpr std::string_view kType = "typing";
    std::string chat_id;                    // chat being typed in
    TypingState state = TypingState::start; // start or stop
};
BOOST_DESCRIBE_STRUCT(TypingNotice, (), (chat_id, state))

// Heartbeat, every 15 s; a connection silent for 30 s is closed and the user goes offline.
struct Ping {
    static constexpr std::string_view kType = "ping";
};
BOOST_DESCRIBE_STRUCT(Ping, (), ())

// Confirms a queued event frame (identity_changed) was handled, dropping it from the queue.
struct EventAck {
    static constexpr std::string_view kType = "event_ack";
    std::uint64_t event_id = 0; // from the event frame
};
BOOST_DESCRIBE_STRUCT(EventAck, (), (event_id))

// ---- server -> client -------------------------------------------------------------

// First frame after the upgrade: who the connection is and how to behave.
struct Welcome {
    static constexpr std::string_view kType = "welcome";
    int protocol_version = kProtocolVersion; // this document's version
    UserId user_id = 0;                      // the authenticated user
    DeviceId device_id = 0;                  // the authenticated device
    TimestampMs server_time = 0;             // server clock, for skew correction
    int heartbeat_interval_s = 15;           // send a ping at least this often
};
BOOST_DESCRIBE_STRUCT(Welcome, (), (protocol_version, user_id, device_id, server_time, heartbeat_interval_s))

// The server stored a message durably (✓ sent). Also the answer to a resend.
struct SentAck {
    static constexpr std::string_view kType = "ack";
    DeliveryStatus status = DeliveryStatus::sent; // always "sent"
    std::string client_msg_id;                    // echoes the send
    MessageId message_id = 0;                     // server id of the stored message
    std::string chat_id;                          // chat it was stored in
    Seq seq = 0;                                  // its position in the chat
    TimestampMs timestamp = 0;                    // server time it was stored
};
BOOST_DESCRIBE_STRUCT(SentAck, (), (status, client_msg_id, message_id, chat_id, seq, timestamp))

// A message for this device: from the offline queue during sync, then live.
struct MessageDelivery {
    static constexpr std::string_view kType = "message";
    std::string chat_id;         // chat it belongs to
    MessageId message_id = 0;    // acknowledge with this id
    Seq seq = 0;                 // order within the chat; gaps mean something is still queued
    UserId sender_id = 0;        // sending user (may be this user: a copy from another own device)
    DeviceId sender_device = 0;  // sending device
    TimestampMs timestamp = 0;   // server time it was stored
    std::string content;         // this device's envelope, base64
    std::string client_msg_id;   // the sender's id, so the sender's other devices can match it
};
BOOST_DESCRIBE_STRUCT(MessageDelivery, (), (chat_id, message_id, seq, sender_id, sender_device, timestamp, content, client_msg_id))

// A membership change in a group, ordered with the chat's messages. Acknowledge it like a
// message (ack delivered with its message_id).
struct GroupEvent {
    static constexpr std::string_view kType = "group_event";
    std::string chat_id;                                // the group
    MessageId message_id = 0;                           // acknowledge with this id
    Seq seq = 0;                                        // position among the chat's messages
    UserId actor_id = 0;                                // who made the change
    TimestampMs timestamp = 0;                          // when the server recorded it
    GroupEventKind event = GroupEventKind::updated;     // what happened
    std::vector<UserId> user_ids;                       // whom it concerns (empty for "updated")
};
BOOST_DESCRIBE_STRUCT(GroupEvent, (), (chat_id, message_id, seq, actor_id, timestamp, event, user_ids))

// A device of someone this user talks to has a new identity key: verify safety numbers.
// Queued until confirmed with event_ack.
struct IdentityChanged {
    static constexpr std::string_view kType = "identity_changed";
    std::uint64_t event_id = 0; // acknowledge with event_ack
    UserId user_id = 0;         // whose key changed
    DeviceId device_id = 0;     // on which device
    TimestampMs timestamp = 0;  // when the new key was uploaded
};
BOOST_DESCRIBE_STRUCT(IdentityChanged, (), (event_id, user_id, device_id, timestamp))

// This device is running out of one-time pre-keys, or they are being drained: upload more
// (POST /api/keys/one-time).
struct PrekeysLow {
    static constexpr std::string_view kType = "prekeys_low";
    std::uint64_t remaining = 0; // one-time pre-keys left on the server
    std::uint64_t threshold = 0; // the server warns below this many
    // true: someone fetched this device's bundles faster than the server allows one account
    // (section 13.3); the server withholds one-time pre-keys from them. Sent even when
    // `remaining` is not below `threshold`.
    std::optional<bool> abnormal_drain;
};
BOOST_DESCRIBE_STRUCT(PrekeysLow, (), (remaining, threshold, abnormal_drain))

// A recipient's device delivered or read a message this user sent. Answer with receipt_ack.
struct ReceiptEvent {
    static constexpr std::string_view kType = "receipt";
    ReceiptId receipt_id = 0;                          // acknowledge with receipt_ack
    std::string chat_id;                               // chat of the message
    MessageId message_id = 0;                          // the message concerned
    UserId user_id = 0;                                // the recipient who acted
    DeviceId device_id = 0;                            // the recipient's device
    DeliveryStatus status = DeliveryStatus::delivered; // delivered or read
    TimestampMs timestamp = 0;                         // when the server recorded it
};
BOOST_DESCRIBE_STRUCT(ReceiptEvent, (), (receipt_id, chat_id, message_id, user_id, device_id, status, timestamp))

// A contact or 1:1 partner came online or went offline (as their privacy allows).
struct PresenceEvent {
    static constexpr std::string_view kType = "presence";
    UserId user_id = 0;                                // whose presence changed
    PresenceStatus status = PresenceStatus::offline;   // online or offline
    std::optional<TimestampMs> last_seen;              // when offline, if their privacy shows it
};
BOOST_DESCRIBE_STRUCT(PresenceEvent, (), (user_id, status, last_seen))

// Someone in a chat started or stopped typing. Not queued: only online devices get it.
struct TypingEvent {
    static constexpr std::string_view kType = "typing";
    std::string chat_id;                    // chat being typed in
    UserId user_id = 0;                     // who is typing
    DeviceId device_id = 0;                 // on which device
    TypingState state = TypingState::start; // start or stop
};
BOOST_DESCRIBE_STRUCT(TypingEvent, (), (chat_id, user_id, device_id, state))

// Answer to ping.
struct Pong {
    static constexpr std::string_view kType = "pong";
    TimestampMs server_time = 0; // server clock
};
BOOST_DESCRIBE_STRUCT(Pong, (), (server_time))

// The offline queue has been handed over; what follows is live traffic.
struct SyncComplete {
    static constexpr std::string_view kType = "sync_complete";
    std::uint64_t delivered = 0; // queue entries sent during this sync
};
BOOST_DESCRIBE_STRUCT(SyncComplete, (), (delivered))

// The account's block list changed (on this or another of its devices): read GET /api/blocks
// again. Not queued: a device that was offline reads the list when it connects.
struct BlocksChanged {
    static constexpr std::string_view kType = "blocks_changed";
};
BOOST_DESCRIBE_STRUCT(BlocksChanged, (), ())

// A request failed; nothing was stored. The connection stays open.
struct ErrorFrame {
    static constexpr std::string_view kType = "error";
    std::string code;                                      // e.g. "invalid_field" (see ErrorCode)
    std::string message;                                   // human readable
    std::optional<std::string> ref;                        // the request's "id", or its client_msg_id
    std::optional<std::vector<DeviceAddress>> missing_devices; // device_mismatch: add envelopes for these
    std::optional<std::vector<DeviceAddress>> extra_devices;   // device_mismatch: drop envelopes for these
};
BOOST_DESCRIBE_STRUCT(ErrorFrame, (), (code, message, ref, missing_devices, extra_devices))

using ClientFrame = std::variant<SendMessage, AckMessage, ReceiptAck, EventAck, TypingNotice, Ping>;
using ServerFrame = std::variant<Welcome, SentAck, MessageDelivery, GroupEvent, ReceiptEvent, IdentityChanged,
                                 PrekeysLow, PresenceEvent, TypingEvent, Pong, SyncComplete, BlocksChanged, ErrorFrame>;

} // namespace natter::protocol
