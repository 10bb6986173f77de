// REST bodies of protocol v1 (JSON over HTTP under /api/). Requests except register,
// verify and token need "Authorization: Bearer <access_token>".
#pragma once

#include "protocol/types.h"

#include <boost/describe/class.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace natter::protocol::rest {

// POST /api/register: ask for a verification code for a phone number.
struct RegisterRequest {
    std::string phone; // E.164, e.g. "+4915112345678"
};
BOOST_DESCRIBE_STRUCT(RegisterRequest, (), (phone))

struct RegisterResponse {
    std::string status = "code_sent"; // always "code_sent"
    int expires_in = 600;             // seconds the code stays valid
};
BOOST_DESCRIBE_STRUCT(RegisterResponse, (), (status, expires_in))

// POST /api/verify: prove the phone with the code. The first verification creates the account;
// verifying an existing number starts the account over on this device (a new identity: every
// earlier device is signed out, and chat partners are told the safety number changed).
struct VerifyRequest {
    std::string phone;                      // the number that received the code
    std::string code;                       // the code
    std::optional<std::string> device_name; // shown in the device list, e.g. "laptop"
};
BOOST_DESCRIBE_STRUCT(VerifyRequest, (), (phone, code, device_name))

struct VerifyResponse {
    UserId user_id = 0;         // the account
    DeviceId device_id = 0;     // this new device
    std::string device_secret;  // long-lived device credential; shown once, keep it secret
    std::string access_token;   // short-lived JWT for REST and the WebSocket
    int expires_in = 0;         // access token lifetime in seconds
    bool new_account = false;   // true when this verification created the account
    std::optional<std::string> provision; // link only: the sealed account identity from LinkCodeRequest
};
BOOST_DESCRIBE_STRUCT(VerifyResponse, (), (user_id, device_id, device_secret, access_token, expires_in, new_account,
                                           provision))

// POST /api/token: trade the device credential for a fresh access token.
struct TokenRequest {
    UserId user_id = 0;        // the account
    DeviceId device_id = 0;    // the device
    std::string device_secret; // from VerifyResponse
};
BOOST_DESCRIBE_STRUCT(TokenRequest, (), (user_id, device_id, device_secret))

struct TokenResponse {
    std::string access_token; // JWT (HS256)
    int expires_in = 0;       // seconds
};
BOOST_DESCRIBE_STRUCT(TokenResponse, (), (access_token, expires_in))

// GET /api/profile (own profile, with phone) and GET /api/users/{id} (anyone's, phone only
// if they are in the caller's contacts).
struct Profile {
    UserId user_id = 0;               // the user
    std::optional<std::string> phone; // E.164; own profile and contacts only
    std::string display_name;         // may be empty
    std::string status_text;          // "about" line, may be empty
};
BOOST_DESCRIBE_STRUCT(Profile, (), (user_id, phone, display_name, status_text))

// PUT /api/profile: change what is given, keep the rest.
struct ProfileUpdate {
    std::optional<std::string> display_name; // up to 100 bytes of UTF-8
    std::optional<std::string> status_text;  // up to 300 bytes of UTF-8
};
BOOST_DESCRIBE_STRUCT(ProfileUpdate, (), (display_name, status_text))

// POST /api/contacts/lookup: which of these numbers have accounts.
struct ContactsLookupRequest {
    std::vector<std::string> phones; // E.164, at most 1000
};
BOOST_DESCRIBE_STRUCT(ContactsLookupRequest, (), (phones))

struct RegisteredContact {
    std::string phone;        // as asked
    UserId user_id = 0;       // its account
    std::string display_name; // may be empty
};
BOOST_DESCRIBE_STRUCT(RegisteredContact, (), (phone, user_id, display_name))

struct ContactsLookupResponse {
    std::vector<RegisteredContact> registered; // only the numbers that have accounts
};
BOOST_DESCRIBE_STRUCT(ContactsLookupResponse, (), (registered))

// PUT /api/contacts: add users to the caller's contacts (used by presence privacy).
struct ContactsAddRequest {
    std::vector<UserId> user_ids; // at most 1000
};
BOOST_DESCRIBE_STRUCT(ContactsAddRequest, (), (user_ids))

// GET /api/contacts
struct ContactList {
    std::vector<RegisteredContact> contacts; // the caller's contacts
};
BOOST_DESCRIBE_STRUCT(ContactList, (), (contacts))

// GET/PUT /api/settings/privacy. PUT changes only what is given.
struct PrivacySettings {
    std::optional<Visibility> last_seen; // who sees last seen (default everyone)
    std::optional<Visibility> online;    // who sees "online" (default everyone)
    std::optional<bool> read_receipts;   // send and see read receipts (default true)
};
BOOST_DESCRIBE_STRUCT(PrivacySettings, (), (last_seen, online, read_receipts))

// GET /api/users/{id}/presence, filtered by that user's privacy settings.
struct PresenceInfo {
    UserId user_id = 0;                          // whose presence
    std::optional<PresenceStatus> status;        // absent when hidden from the caller
    std::optional<TimestampMs> last_seen;        // absent when online or hidden
};
BOOST_DESCRIBE_STRUCT(PresenceInfo, (), (user_id, status, last_seen))

// GET /api/messages/{id}/receipts: per-recipient status, for the sender only.
struct RecipientStatus {
    UserId user_id = 0;                     // a recipient
    DeliveryStatus status = DeliveryStatus::sent; // furthest state reached
    std::optional<TimestampMs> delivered_at;      // first device that stored it
    std::optional<TimestampMs> read_at;           // first device that showed it
};
BOOST_DESCRIBE_STRUCT(RecipientStatus, (), (user_id, status, delivered_at, read_at))

struct MessageReceipts {
    MessageId message_id = 0;                // the message
    std::string chat_id;                     // its chat
    std::vector<RecipientStatus> recipients; // one per recipient user
};
BOOST_DESCRIBE_STRUCT(MessageReceipts, (), (message_id, chat_id, recipients))

// GET /api/users/{id}/devices: the devices to address (one envelope each).
struct DeviceInfo {
    DeviceId device_id = 0;   // address within the user
    std::string name;         // as given at verification
    TimestampMs created_at = 0; // when it was added
};
BOOST_DESCRIBE_STRUCT(DeviceInfo, (), (device_id, name, created_at))

// PUT /api/devices/list, and inside DeviceList and KeyBundles: the account's devices as its
// identity key signed them. Clients encrypt only to devices a verified list names.
struct SignedDeviceList {
    UserId user_id = 0;             // whose devices
    std::uint64_t version = 0;      // 1, 2, ...: grows with every change; a lower one is a replay
    std::string identity_key;       // base64 account identity key (every device's Signal identity key)
    std::vector<DeviceId> devices;  // the account's devices, ascending, at least one
    std::string signature;          // base64 XEdDSA signature by identity_key over deviceListSigningText
};
BOOST_DESCRIBE_STRUCT(SignedDeviceList, (), (user_id, version, identity_key, devices, signature))

struct DeviceList {
    UserId user_id = 0;              // whose devices
    std::vector<DeviceInfo> devices; // other users: devices to address; own list: every active device
    std::optional<SignedDeviceList> device_list; // as last published; absent before the first
};
BOOST_DESCRIBE_STRUCT(DeviceList, (), (user_id, devices, device_list))

// GET /api/blocks, and the answer to PUT /api/blocks/{id}: the users the caller has blocked,
// oldest first. natterd enforces the list (section 11, "Blocking").
struct BlockList {
    std::vector<UserId> user_ids; // blocked accounts, at most limits::kMaxBlockedUsers
};
BOOST_DESCRIBE_STRUCT(BlockList, (), (user_ids))

// PUT /api/push (request and answer) and GET /api/push: the calling device's push endpoint.
struct PushRegistration {
    std::string endpoint; // UnifiedPush / webhook URL, http:// or https://, at most 2048 bytes
};
BOOST_DESCRIBE_STRUCT(PushRegistration, (), (endpoint))

// What natterd POSTs to a push endpoint when something is queued for an offline device: a
// content-free wake-up (never message content or sender), the app then connects and syncs.
struct PushWakeUp {
    std::string chat_id;     // chat of the newest queued message or receipt
    std::uint64_t badge = 0; // entries waiting in the device's queue
};
BOOST_DESCRIBE_STRUCT(PushWakeUp, (), (chat_id, badge))

// Body of every non-2xx REST response.
struct ErrorBody {
    std::string code;    // same codes as the WebSocket error frame
    std::string message; // human readable
    std::optional<RevocationReason> reason; // device_revoked only: why the device was revoked
};
BOOST_DESCRIBE_STRUCT(ErrorBody, (), (code, message, reason))

// GET /healthz
struct Health {
    std::string status = "ok"; // "ok" while the store answers
    int protocol_version = kProtocolVersion;
};
BOOST_DESCRIBE_STRUCT(Health, (), (status, protocol_version))

// POST /api/media answers this; the request body is the encrypted file itself
// (application/octet-stream), not JSON. GET /api/media/{id} returns those bytes.
struct MediaUploaded {
    std::string media_id;       // 43 characters of base64url: the capability to download the file
    std::uint64_t size = 0;     // bytes stored
    TimestampMs expires_at = 0; // when the server deletes it (upload time + its retention)
};
BOOST_DESCRIBE_STRUCT(MediaUploaded, (), (media_id, size, expires_at))

} // namespace natter::protocol::rest
