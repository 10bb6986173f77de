#include "accounts/device_links.h"

#include "auth/secrets.h"
#include "logging/loggers.h"

namespace natter::server {

using protocol::ErrorCode;
using protocol::makeError;

namespace {
constexpr TimestampMs kLinkCodeLifetimeMs = 300'000;

protocol::Error accountFull(std::size_t maxDevices) {
    return makeError(ErrorCode::Conflict, "this account already has " + std::to_string(maxDevices) +
                                              " devices, the most this server allows; unlink one first");
}
} // namespace

Result<rest::LinkCode> DeviceLinks::createCode(Store& store, UserId user, TimestampMs now) {
    if (store.activeDevices(user).size() >= limits_.max_devices) return accountFull(limits_.max_devices);
    if (store.countLinkCodes(user, now) >= limits_.max_link_codes)
        return makeError(ErrorCode::RateLimited, "this account has " + std::to_string(limits_.max_link_codes) +
                                                     " unused link codes; use one or wait until they expire");
    std::string code = secrets::randomToken(18);
    store.saveLinkCode(secrets::sha256(code), user, now + kLinkCodeLifetimeMs);
    return rest::LinkCode{std::move(code), static_cast<int>(kLinkCodeLifetimeMs / 1000)};
}

Result<rest::VerifyResponse> DeviceLinks::link(Store& store, const rest::LinkRequest& req, TimestampMs now) {
    const auto user = store.takeLinkCode(secrets::sha256(req.code), now);
    if (!user) return makeError(ErrorCode::VerificationFailed, "link code is unknown, used or expired");
    if (store.activeDevices(*user).size() >= limits_.max_devices) return accountFull(limits_.max_devices);
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
    if (!store.revokeDevice(key, now)) return makeError(ErrorCode::NotFound, "no active device " + std::to_string(device));
    store.clearQueue(key);
    log::auth()->info("device {}.{} unlinked", user, device);
    return key;
}

} // namespace natter::server
