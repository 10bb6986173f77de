#include "accounts/device_links.h"

#include "auth/secrets.h"
#include "keys/key_directory.h"
#include "logging/loggers.h"
#include "protocol/base64.h"
#include "protocol/frame_codec.h"

#include <algorithm>

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

std::optional<rest::SignedDeviceList> publishedDeviceList(Store& store, UserId user) {
    const auto record = store.findDeviceList(user);
    if (!record) return std::nullopt;
    auto parsed = protocol::parseBody<rest::SignedDeviceList>(record->body);
    if (!parsed) throw StoreError("stored device list of user " + std::to_string(user) + " does not parse");
    return std::move(*parsed);
}

Result<rest::LinkCode> DeviceLinks::createCode(Store& store, UserId user, const rest::LinkCodeRequest& req,
                                               TimestampMs now) {
    const std::size_t maxDevices = maxDevices_, maxLinkCodes = maxLinkCodes_;
    if (store.activeDevices(user).size() >= maxDevices) return accountFull(maxDevices);
    if (store.countLinkCodes(user, now) >= maxLinkCodes)
        return makeError(ErrorCode::RateLimited, "this account has " + std::to_string(maxLinkCodes) +
                                                     " unused link codes; use one or wait until they expire");
    std::string code = secrets::randomToken(18);
    store.saveLinkCode(secrets::sha256(code), LinkCodeRecord{user, req.provision}, now + kLinkCodeLifetimeMs);
    return rest::LinkCode{std::move(code), static_cast<int>(kLinkCodeLifetimeMs / 1000)};
}

Result<rest::VerifyResponse> DeviceLinks::link(Store& store, const rest::LinkRequest& req, TimestampMs now) {
    const auto code = store.takeLinkCode(secrets::sha256(req.code), now);
    if (!code) return makeError(ErrorCode::VerificationFailed, "link code is unknown, used or expired");
    const std::size_t maxDevices = maxDevices_;
    if (store.activeDevices(code->user).size() >= maxDevices) return accountFull(maxDevices);
    rest::VerifyResponse out;
    out.user_id = code->user;
    out.device_secret = secrets::randomToken();
    out.device_id = store.addDevice(code->user, req.device_name.value_or(""), secrets::sha256(out.device_secret), now);
    out.access_token = tokens_.issue(out.user_id, out.device_id, now);
    out.expires_in = tokens_.ttlSeconds();
    if (!code->provision.empty()) out.provision = code->provision;
    log::auth()->info("device {}.{} linked", out.user_id, out.device_id);
    return out;
}

Result<ListPublished> DeviceLinks::publishList(Store& store, DeviceKey caller, const rest::SignedDeviceList& list,
                                               TimestampMs now) {
    if (list.user_id != caller.user_id)
        return makeError(ErrorCode::Forbidden, "a device publishes only its own account's device list");
    const auto current = publishedDeviceList(store, caller.user_id);
    const bool newIdentity = current && current->identity_key != list.identity_key;
    if (current && !newIdentity && list.version <= current->version)
        return makeError(ErrorCode::Conflict, "device list version " + std::to_string(list.version) +
                                                  " is not newer than the published version " +
                                                  std::to_string(current->version));
    if (std::find(list.devices.begin(), list.devices.end(), caller.device_id) == list.devices.end())
        return makeError(ErrorCode::InvalidField, "the device list must name the device publishing it");
    const auto active = store.activeDevices(caller.user_id);
    for (DeviceId d : list.devices)
        if (std::none_of(active.begin(), active.end(), [&](const DeviceRecord& r) { return r.key.device_id == d; }))
            return makeError(ErrorCode::Conflict, "device " + std::to_string(d) + " is not an active device of this account");
    const auto identity = store.identityKey(caller);
    if (!identity || protocol::base64::encode(*identity) != list.identity_key)
        return makeError(ErrorCode::Conflict, "publish this device's keys (PUT /api/keys) with the list's identity key first");
    store.saveDeviceList(caller.user_id, DeviceListRecord{list.version, protocol::serializeBody(list)}, list.devices);
    log::auth()->info("user {} published device list version {} ({} devices{})", caller.user_id, list.version,
                      list.devices.size(), newIdentity ? ", new identity" : "");
    ListPublished out{list, {}};
    if (newIdentity) out.notices = queueIdentityNotices(store, caller, now);
    return out;
}

Result<DeviceKey> unlinkDevice(Store& store, UserId user, DeviceId device, TimestampMs now) {
    const DeviceKey key{user, device};
    if (!store.revokeDevice(key, protocol::RevocationReason::unlinked, now)) return makeError(ErrorCode::NotFound, "no active device " + std::to_string(device));
    store.clearQueue(key);
    log::auth()->info("device {}.{} unlinked", user, device);
    return key;
}

} // namespace natter::server
