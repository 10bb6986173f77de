// REST bodies for the key directory (/api/keys, /api/users/{id}/keys): public keys the
// clients' Signal protocol needs. Private keys never leave the devices.
#pragma once

#include "protocol/rest.h"
#include "protocol/types.h"

#include <boost/describe/class.hpp>

#include <optional>
#include <string>
#include <vector>

namespace natter::protocol::rest {

struct SignedPreKey {
    std::uint32_t key_id = 0; // the client's id for this key
    std::string public_key;   // base64
    std::string signature;    // base64, by the device's identity key
};
BOOST_DESCRIBE_STRUCT(SignedPreKey, (), (key_id, public_key, signature))

struct OneTimePreKey {
    std::uint32_t key_id = 0; // the client's id for this key
    std::string public_key;   // base64
};
BOOST_DESCRIBE_STRUCT(OneTimePreKey, (), (key_id, public_key))

// PUT /api/keys: the calling device's identity, signed pre-key and a batch of one-time
// pre-keys. A different identity key than before notifies the device's chat partners.
struct KeysUpload {
    std::uint32_t registration_id = 0;             // libsignal registration id
    std::string identity_key;                      // base64 public identity key
    SignedPreKey signed_prekey;                    // current signed pre-key
    std::vector<OneTimePreKey> one_time_prekeys;   // added to those already stored
};
BOOST_DESCRIBE_STRUCT(KeysUpload, (), (registration_id, identity_key, signed_prekey, one_time_prekeys))

// POST /api/keys/one-time: top up one-time pre-keys.
struct OneTimePreKeysUpload {
    std::vector<OneTimePreKey> one_time_prekeys; // at most 1000 per call
};
BOOST_DESCRIBE_STRUCT(OneTimePreKeysUpload, (), (one_time_prekeys))

// GET /api/keys/status
struct KeysStatus {
    std::uint64_t one_time_prekeys = 0; // left on the server for this device
    std::uint64_t low_threshold = 0;    // below this the server sends prekeys_low
};
BOOST_DESCRIBE_STRUCT(KeysStatus, (), (one_time_prekeys, low_threshold))

// What a sender needs to start a session with one device (X3DH).
struct PreKeyBundle {
    DeviceId device_id = 0;                          // the device
    std::uint32_t registration_id = 0;               // its registration id
    std::string identity_key;                        // base64
    SignedPreKey signed_prekey;                      // current signed pre-key
    std::optional<OneTimePreKey> one_time_prekey;    // consumed by this fetch; absent when none left
};
BOOST_DESCRIBE_STRUCT(PreKeyBundle, (), (device_id, registration_id, identity_key, signed_prekey, one_time_prekey))

// GET /api/users/{id}/keys[?device_id=N]: one bundle per device that uploaded keys. Each
// served one-time pre-key is removed atomically: no key is ever served twice.
struct KeyBundles {
    UserId user_id = 0;                 // whose devices
    std::vector<PreKeyBundle> devices;  // one per device with keys
    std::optional<SignedDeviceList> device_list; // the user's signed list: use only the devices it names
};
BOOST_DESCRIBE_STRUCT(KeyBundles, (), (user_id, devices, device_list))

// POST /api/devices/link-code body (an existing device): the account identity sealed for the
// new device under a secret that travels only inside the code shown to the user, never to the server.
struct LinkCodeRequest {
    std::string provision; // base64 of nonce || AES-256-GCM ciphertext || tag, at most 4096 characters
};
BOOST_DESCRIBE_STRUCT(LinkCodeRequest, (), (provision))

// POST /api/devices/link-code answer: a short-lived, single-use code; the device shows it
// (with its secret appended, see docs/protocol.md section 14) as a QR code for the new device.
struct LinkCode {
    std::string code;   // give this to the new device
    int expires_in = 0; // seconds
};
BOOST_DESCRIBE_STRUCT(LinkCode, (), (code, expires_in))

// POST /api/devices/link (the new device, unauthenticated): joins the code's account.
// Answered with VerifyResponse (new_account false).
struct LinkRequest {
    std::string code;                       // from LinkCode
    std::optional<std::string> device_name; // shown in the device list
};
BOOST_DESCRIBE_STRUCT(LinkRequest, (), (code, device_name))

} // namespace natter::protocol::rest
