#include "accounts/device_links.h"

#include "auth/secrets.h"
#include "logging/loggers.h"

namespace natter::server {

using protocol::ErrorCode;
using protocol::makeError;

namespace {
constexpr TimestampMs kLinkCodeLifetimeMs = 300'000;
}

Result<rest::LinkCode> DeviceLinks::createCode(Store& store, UserId user, TimestampMs now) {
    std::string code = secrets::randomToken(18);
    store.saveLinkCode(secrets::sha256(code), user, now + kLinkCodeLifetimeMs);
    return rest::LinkCode{std::move(code), static_cast<int>(kLinkCodeLifetimeMs / 1000)};
}

Result<rest::VerifyResponse> DeviceLinks::link(Store& store, const rest::LinkRequest& req, TimestampMs now) {
    const auto user = store.takeLinkCode(secrets::sha256(req.code), now);
    if (!user) return makeError(ErrorCode::VerificationFailed, "link code is unknown, used or expired");
    rest::VerifyResponse out;
    out.user_id = *user;
    out.device_secret = secrets::randomToken();
    out.device_id = store.addDevice(*user, req.device_name.value_or(""), secrets::sha256(out.device_secret), now);
    out.access_token = tokens_.issue(out.user_id, out.device_id, now);
    out.expires_in = tokens_.ttlSeconds();
    log::auth()->info("device {}.{} linked", out.user_id, out.device_id);
    return out;
}

Result<DeviceKey> DeviceLinks::unlink(Store& store, UserId user, DeviceId device, TimestampMs now) {
    const DeviceKey key{user, device};
    if (!store.revokeDevice(key, protocol::RevocationReason::unlinked, now)) return makeError(ErrorCode::NotFound, "no active device " + std::to_string(device));
    store.clearQueue(key);
    log::auth()->info("device {}.{} unlinked", user, device);
    return key;
}

} // namespace natter::server
