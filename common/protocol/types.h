// Scalar types and enumerations shared by every protocol message.
#pragma once

#include <boost/describe/class.hpp>
#include <boost/describe/enum.hpp>

#include <cstdint>

namespace natter::protocol {

inline constexpr int kProtocolVersion = 1;

using UserId = std::uint64_t;      // server-assigned, never reused
using DeviceId = std::uint32_t;    // per user: 1 for the first device, then 2, 3, ...
using MessageId = std::uint64_t;   // server-assigned, unique across the server
using ReceiptId = std::uint64_t;   // a receipt queued for one device
using Seq = std::uint64_t;         // per chat, starts at 1, increases by 1 per message
using TimestampMs = std::int64_t;  // milliseconds since the Unix epoch, UTC, server clock

// Where a message stands for its recipients (the ticks: ✓ sent, ✓✓ delivered, blue ✓✓ read).
enum class DeliveryStatus { sent, delivered, read };
BOOST_DESCRIBE_ENUM(DeliveryStatus, sent, delivered, read)

enum class TypingState { start, stop };
BOOST_DESCRIBE_ENUM(TypingState, start, stop)

enum class PresenceStatus { online, offline };
BOOST_DESCRIBE_ENUM(PresenceStatus, online, offline)

// Who may see a user's online status / last seen time.
enum class Visibility { everyone, contacts, nobody };
BOOST_DESCRIBE_ENUM(Visibility, everyone, contacts, nobody)

enum class ChatType { direct, group };
BOOST_DESCRIBE_ENUM(ChatType, direct, group)

enum class GroupRole { member, admin };
BOOST_DESCRIBE_ENUM(GroupRole, member, admin)

// What a group membership entry records (an ordered event in the chat, with its own seq).
enum class GroupEventKind { created, added, removed, left, promoted, demoted, updated };
BOOST_DESCRIBE_ENUM(GroupEventKind, created, added, removed, left, promoted, demoted, updated)

// Why a device's credential was revoked: unlinked (DELETE /api/devices/{id}), or signed out
// because its phone number was verified again on another device.
enum class RevocationReason { unlinked, reregistered };
BOOST_DESCRIBE_ENUM(RevocationReason, unlinked, reregistered)

// One device of one user: messages are addressed per device.
struct DeviceAddress {
    UserId user_id = 0;     // the user owning the device
    DeviceId device_id = 0; // the device within that user's account
};
BOOST_DESCRIBE_STRUCT(DeviceAddress, (), (user_id, device_id))

} // namespace natter::protocol
