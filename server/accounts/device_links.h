// Linking a new device to an existing account with a short-lived, single-use code from a
// device already on it, and listing and unlinking devices. Runs on the store worker.
#pragma once

#include "auth/token_issuer.h"
#include "protocol/rest.h"
#include "protocol/rest_keys.h"
#include "store/store.h"

namespace natter::server {

namespace rest = protocol::rest;
using protocol::Result;

class DeviceLinks {
public:
    explicit DeviceLinks(const TokenIssuer& tokens) : tokens_(tokens) {}

    Result<rest::LinkCode> createCode(Store& store, UserId user, TimestampMs now);
    Result<rest::VerifyResponse> link(Store& store, const rest::LinkRequest& req, TimestampMs now);
    // Revokes the device's credentials (reason: unlinked) and drops its queue and keys.
    Result<DeviceKey> unlink(Store& store, UserId user, DeviceId device, TimestampMs now);

private:
    const TokenIssuer& tokens_;
};

} // namespace natter::server
