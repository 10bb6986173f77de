// What the store interfaces (store.h) read and write: keys, records and queue entries. Absent
// rows are std::nullopt; database failures throw StoreError.
#pragma once

#include "protocol/error.h"
#include "protocol/frames.h"
#include "protocol/rest.h"
#include "protocol/rest_chats.h"
#include "protocol/rest_groups.h"
#include "protocol/rest_keys.h"
#include "protocol/types.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <variant>
#include <vector>

namespace natter::server {

using protocol::DeviceId;
using protocol::MessageId;
using protocol::Seq;
using protocol::TimestampMs;
using protocol::UserId;

struct StoreError : std::runtime_error {
    using std::runtime_error::runtime_error;
    StoreError(const std::string& what, std::string state) : std::runtime_error(what), sqlstate(std::move(state)) {}
    // PostgreSQL's SQLSTATE ("40001", "40P01", "23505", ...); empty for other engines.
    std::string sqlstate;
    // A serialization failure, a deadlock, or a unique violation from a check-then-insert race:
    // running the job again in a new transaction sees what the other writer committed.
    bool retryable() const { return sqlstate == "40001" || sqlstate == "40P01" || sqlstate == "23505"; }
    // A lock wait cut short by Store::boundLockWaits().
    bool lockTimeout() const { return sqlstate == "55P03"; }
};

struct DeviceKey {
    UserId user_id = 0;
    DeviceId device_id = 0;
    friend bool operator==(const DeviceKey&, const DeviceKey&) = default;
    friend auto operator<=>(const DeviceKey&, const DeviceKey&) = default;
};

struct PrivacyRecord {
    protocol::Visibility last_seen = protocol::Visibility::everyone;
    protocol::Visibility online = protocol::Visibility::everyone;
    bool read_receipts = true;
};

struct UserRecord {
    UserId id = 0;
    std::string phone;
    std::string display_name;
    std::string status_text;
    std::optional<TimestampMs> last_seen;
    PrivacyRecord privacy;
};

struct DeviceRecord {
    DeviceKey key;
    std::string name;
    std::string secret_hash; // SHA-256 of the device secret
    TimestampMs created_at = 0;
    bool revoked = false;
    bool listed = true; // named by the account's signed device list (or the account has none yet)
    protocol::RevocationReason revoked_reason = protocol::RevocationReason::unlinked; // when revoked
};

// An account's signed device list as its device published it (rest::SignedDeviceList JSON).
struct DeviceListRecord {
    std::uint64_t version = 0;
    std::string body;
};

struct LinkCodeRecord {
    UserId user = 0;
    std::string provision; // the sealed account identity, base64, handed to the linking device
};

struct RevokedDevice {
    DeviceKey key;
    protocol::RevocationReason reason = protocol::RevocationReason::unlinked;
};

struct VerificationRecord {
    std::string code_hash; // HMAC-SHA256 of the phone and code under the server's code key
    TimestampMs expires_at = 0;
};

enum class ChatKind { direct = 0, group = 1 };

enum class MessageKind { user = 0, group_event = 1 };

struct MessageRecord {
    MessageId id = 0;
    std::string chat_id;
    Seq seq = 0;
    DeviceKey sender;
    std::string client_msg_id;
    TimestampMs created_at = 0;
    MessageKind kind = MessageKind::user;
};

// A group's settings. Name, description and avatar are ciphertext bytes (not base64).
struct GroupRecord {
    std::string chat_id;
    std::string name;
    std::optional<std::string> description;
    std::optional<std::string> avatar;
    bool members_can_edit = false;
    TimestampMs created_at = 0;
};

struct KeyBundleRecord {
    std::uint32_t registration_id = 0;
    std::string identity_key; // raw bytes
    std::uint32_t signed_key_id = 0;
    std::string signed_public_key;
    std::string signed_signature;
    std::optional<std::pair<std::uint32_t, std::string>> one_time; // id and public key
};

// One entry of a device's queue, ready to become a frame. For receipts (and events) the
// frame's receipt_id (event_id) is the queue id.
struct QueueEntry {
    std::uint64_t qid = 0;
    DeviceKey target;
    std::variant<protocol::MessageDelivery, protocol::GroupEvent, protocol::ReceiptEvent, protocol::IdentityChanged>
        frame;
    // `frame` already serialised, when one text serves many devices (a group message goes out
    // to every member as the same frame: serialised once, not once per member). May be null.
    std::shared_ptr<const std::string> text{};
};

} // namespace natter::server
