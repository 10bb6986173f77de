// Size limits every implementation enforces, so a client can validate before sending, and the
// time limits receiving clients enforce on edits and deletes (natterd cannot read them).
#pragma once

#include <cstddef>
#include <cstdint>

namespace natter::protocol::limits {

inline constexpr std::size_t kMaxFrameBytes = 256 * 1024;   // larger WebSocket frames get payload_too_large
inline constexpr std::size_t kMaxRestBodyBytes = 64 * 1024; // larger REST bodies get HTTP 413
inline constexpr std::size_t kMaxJsonDepth = 16;
inline constexpr std::size_t kMaxClientMsgIdBytes = 64;
inline constexpr std::size_t kMaxRequestIdBytes = 64;          // a client frame's optional "id", echoed as "ref"
inline constexpr std::size_t kMaxChatIdBytes = 64;
inline constexpr std::size_t kMaxEnvelopes = 1024;          // one per recipient device
inline constexpr std::size_t kMaxDisplayNameBytes = 100;
inline constexpr std::size_t kMaxStatusTextBytes = 300;
inline constexpr std::size_t kMaxDeviceNameBytes = 100;
inline constexpr std::size_t kMaxLookupPhones = 1000;
inline constexpr std::size_t kMaxContactsPerRequest = 1000;
inline constexpr std::size_t kMaxBlockedUsers = 1000;        // entries in one account's block list
inline constexpr std::size_t kMaxGroupFieldBytes = 8 * 1024;   // encrypted name/description/avatar, base64
inline constexpr std::size_t kMaxKeyBytes = 256;               // a public key or signature, base64
inline constexpr std::size_t kMaxPreKeysPerUpload = 1000;
inline constexpr std::size_t kMaxDevicesInList = 64;           // device ids in a SignedDeviceList
inline constexpr std::size_t kMaxProvisionBytes = 4096;        // sealed account identity in a link code, base64

// A message may be edited this long after the server stored it (WhatsApp: 15 minutes), and
// deleted for everyone this long (as Signal: 24 hours). Published in GET /api/config.
inline constexpr std::uint64_t kEditWindowS = 15 * 60;
inline constexpr std::uint64_t kDeleteForEveryoneWindowS = 24 * 60 * 60;

} // namespace natter::protocol::limits
