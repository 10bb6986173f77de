// Linking a new device to an existing account with a short-lived, single-use code from a
// device already on it, and listing and unlinking devices. Runs on the store worker. An
// account has at most `max_devices` active devices (every message is stored once per device)
// and at most `max_link_codes` unexpired link codes.
#pragma once

#include "auth/token_issuer.h"
#include "protocol/rest.h"
#include "protocol/rest_keys.h"
#include "store/store.h"

namespace natter::server {

namespace rest = protocol::rest;
using protocol::Result;

struct DeviceLinkLimits {
    std::size_t max_devices = 6;    // one primary and five linked devices
    std::size_t max_link_codes = 3; // unexpired codes per account
};

class DeviceLinks {
public:
    DeviceLinks(const TokenIssuer& tokens, DeviceLinkLimits limits) : tokens_(tokens), limits_(limits) {}

    // rate_limited when the account has max_link_codes unexpired codes; conflict when it is full.
    Result<rest::LinkCode> createCode(Store& store, UserId user, TimestampMs now);
    // conflict when the account already has max_devices active devices: then the code is not
    // used up (run with OnError::rollback) and works once a device is unlinked.
    Result<rest::VerifyResponse> link(Store& store, const rest::LinkRequest& req, TimestampMs now);
    // Revokes the device's credentials and drops its queue and keys.
    Result<DeviceKey> unlink(Store& store, UserId user, DeviceId device, TimestampMs now);

private:
    const TokenIssuer& tokens_;
    DeviceLinkLimits limits_;
};

} // namespace natter::server
