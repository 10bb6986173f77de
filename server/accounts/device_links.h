// Linking a new device to an existing account with a short-lived, single-use code from a
// device already on it (the code carries the account identity sealed for the new device),
// publishing the account-signed device list, listing and unlinking devices. Runs on the store
// worker. An account has at most `max_devices` active devices (every message is stored once
// per device) and at most `max_link_codes` unexpired link codes.
#pragma once

#include "auth/token_issuer.h"
#include "protocol/rest.h"
#include "protocol/rest_keys.h"
#include "store/store.h"

#include <atomic>

namespace natter::server {

namespace rest = protocol::rest;
using protocol::Result;

struct ListPublished {
    rest::SignedDeviceList list;
    std::vector<QueueEntry> notices; // identity_changed for chat partners: a new identity key
};

struct DeviceLinkLimits {
    std::size_t max_devices = 6;    // one primary and five linked devices
    std::size_t max_link_codes = 3; // unexpired codes per account
};

class DeviceLinks {
public:
    DeviceLinks(const TokenIssuer& tokens, DeviceLinkLimits limits)
        : tokens_(tokens), maxDevices_(limits.max_devices), maxLinkCodes_(limits.max_link_codes) {}

    // New caps (SIGHUP, from the io thread) for the next code and link; devices already linked
    // and codes already issued stay.
    void setLimits(DeviceLinkLimits limits) {
        maxDevices_ = limits.max_devices;
        maxLinkCodes_ = limits.max_link_codes;
    }

    // rate_limited when the account has max_link_codes unexpired codes; conflict when it is full.
    Result<rest::LinkCode> createCode(Store& store, UserId user, const rest::LinkCodeRequest& req, TimestampMs now);
    // conflict when the account already has max_devices active devices: then the code is not
    // used up (run with OnError::rollback) and works once a device is unlinked.
    Result<rest::VerifyResponse> link(Store& store, const rest::LinkRequest& req, TimestampMs now);
    // Stores the caller's account's new signed device list (natterd cannot check the signature;
    // the clients do): a higher version naming only active devices, the caller among them, with
    // the caller's published identity key. Unlisted devices are not addressed until a list names
    // them. A list with a new identity key (the number was registered again) may start over at
    // any version, and everyone sharing a chat with the account is told (identity_changed).
    Result<ListPublished> publishList(Store& store, DeviceKey caller, const rest::SignedDeviceList& list,
                                      TimestampMs now);
private:
    const TokenIssuer& tokens_;
    std::atomic<std::size_t> maxDevices_;   // read on the store worker, set on the io thread
    std::atomic<std::size_t> maxLinkCodes_;
};

// Revokes the device's credentials (reason: unlinked) and drops its queue and keys: what the
// account's own DELETE /api/devices/{id} does, and `natterd admin revoke-device`. not_found when
// it is not an active device of the user.
Result<DeviceKey> unlinkDevice(Store& store, UserId user, DeviceId device, TimestampMs now);

// The account's published list, parsed (nullopt before the first).
std::optional<rest::SignedDeviceList> publishedDeviceList(Store& store, UserId user);

} // namespace natter::server
