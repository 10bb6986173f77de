// REST bodies for the chat list and history (the seed's GET /api/chats and
// GET /api/chats/{chat_id}/messages) and the published server policy (GET /api/config).
#pragma once

#include "protocol/limits.h"
#include "protocol/types.h"

#include <boost/describe/class.hpp>

#include <optional>
#include <string>
#include <vector>

namespace natter::protocol::rest {

struct MessageSummary {
    MessageId message_id = 0;  // the newest entry of the chat
    Seq seq = 0;               // its position
    UserId sender_id = 0;      // who sent it (the actor of a group event)
    TimestampMs timestamp = 0; // when it was stored
};
BOOST_DESCRIBE_STRUCT(MessageSummary, (), (message_id, seq, sender_id, timestamp))

struct ChatSummary {
    std::string chat_id;                        // "dm:..." or "g:..."
    ChatType type = ChatType::direct;           // direct or group
    std::vector<UserId> participants;           // current members
    std::optional<std::string> name;            // groups: encrypted name, base64
    std::optional<MessageSummary> last_message; // absent for a chat without messages
    std::uint64_t unread_count = 0;             // others' messages after the caller's last read
    TimestampMs last_activity = 0;              // sort key: newest first
};
BOOST_DESCRIBE_STRUCT(ChatSummary, (), (chat_id, type, participants, name, last_message, unread_count, last_activity))

// GET /api/chats
struct ChatList {
    std::vector<ChatSummary> chats; // newest activity first
};
BOOST_DESCRIBE_STRUCT(ChatList, (), (chats))

struct HistoryItem {
    MessageId message_id = 0;                     // server id
    Seq seq = 0;                                  // position in the chat
    UserId sender_id = 0;                         // sender (actor for a group event)
    DeviceId sender_device = 0;                   // sending device (the acting device for group events)
    TimestampMs timestamp = 0;                    // when it was stored
    std::string client_msg_id;                    // the sender's id (empty for group events)
    std::optional<std::string> content;           // the ciphertext for the calling device, base64
    std::optional<GroupEventKind> event;          // set for group membership events
    std::vector<UserId> user_ids;                 // whom a group event concerns
};
BOOST_DESCRIBE_STRUCT(HistoryItem, (), (message_id, seq, sender_id, sender_device, timestamp, client_msg_id, content, event, user_ids))

// GET /api/chats/{chat_id}/messages?before={seq}&limit={n}: what the calling device may
// read, oldest first, the `limit` (default 50, at most 200) newest before `before`.
struct History {
    std::vector<HistoryItem> messages; // ascending seq
    bool has_more = false;             // older entries exist
};
BOOST_DESCRIBE_STRUCT(History, (), (messages, has_more))

// GET /api/config (no authentication): the server's policy, so clients hard-code none.
struct ServerPolicy {
    int protocol_version = kProtocolVersion;
    std::uint64_t max_group_size = 256;       // members per group, including admins
    std::uint64_t max_media_bytes = 0;        // largest media upload
    std::uint64_t media_retention_s = 0;      // media is deleted this long after upload
    double message_rate = 0;                  // messages per second per connection
    double typing_rate = 0;                   // typing notices per second per connection
    double group_message_rate = 0;            // messages per second per group
    std::uint64_t sync_window = 0;            // unacknowledged queue entries per device
    int heartbeat_interval_s = 0;             // ping at least this often
    std::uint64_t prekey_low_threshold = 0;   // prekeys_low is sent below this
    std::uint64_t media_quota_bytes = 0;      // media one account may keep stored (live uploads)
    std::uint64_t media_concurrent_uploads = 0; // uploads one account may have in progress
    std::uint64_t lookups_per_day = 0;        // phone numbers one account may look up per day
    std::uint64_t max_devices = 0;            // active devices per account
    double account_request_rate = 0;          // authenticated REST calls per second per account
    double account_request_burst = 0;         // ... in bursts of up to this many
    std::uint64_t queue_retention_s = 0;      // queued entries of a device absent this long expire
    // Enforced by receiving clients (the server cannot read content): an edit or a delete for
    // everyone later than this after the message was stored is ignored.
    std::uint64_t edit_window_s = limits::kEditWindowS;
    std::uint64_t delete_for_everyone_window_s = limits::kDeleteForEveryoneWindowS;
};
BOOST_DESCRIBE_STRUCT(ServerPolicy, (), (protocol_version, max_group_size, max_media_bytes, media_retention_s, message_rate,
                                         typing_rate, group_message_rate, sync_window, heartbeat_interval_s,
                                         prekey_low_threshold, media_quota_bytes, media_concurrent_uploads, lookups_per_day,
                                         max_devices, account_request_rate, account_request_burst, queue_retention_s,
                                         edit_window_s, delete_for_everyone_window_s))

} // namespace natter::protocol::rest
