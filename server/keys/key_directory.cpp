#include "keys/key_directory.h"

#include "accounts/device_links.h"
#include "logging/loggers.h"
#include "protocol/base64.h"

#include <algorithm>

namespace natter::server {

using protocol::ErrorCode;
using protocol::makeError;

namespace {
std::string bytes(const std::string& b64) { return protocol::base64::decode(b64).value_or(std::string{}); }

std::vector<std::pair<std::uint32_t, std::string>> decodeKeys(const std::vector<rest::OneTimePreKey>& keys) {
    std::vector<std::pair<std::uint32_t, std::string>> out;
    out.reserve(keys.size());
    for (const auto& k : keys) out.emplace_back(k.key_id, bytes(k.public_key));
    return out;
}
} // namespace

std::vector<QueueEntry> queueIdentityNotices(Store& store, DeviceKey changed, TimestampMs now) {
    std::vector<QueueEntry> queued;
    const protocol::IdentityChanged frame{0, changed.user_id, changed.device_id, now};
    for (UserId partner : store.chatPartners(changed.user_id))
        for (const auto& target : store.activeDevices(partner)) {
            auto notice = frame;
            notice.event_id = store.enqueueIdentityChange(target.key, changed, now);
            queued.push_back(QueueEntry{notice.event_id, target.key, notice});
        }
    return queued;
}

Result<KeysUploaded> KeyDirectory::upload(Store& store, DeviceKey device, const rest::KeysUpload& keys,
                                          TimestampMs now) {
    KeysUploaded out;
    const bool changed = store.saveIdentity(device, keys.registration_id, bytes(keys.identity_key), now);
    store.saveSignedPreKey(device, keys.signed_prekey.key_id, bytes(keys.signed_prekey.public_key),
                           bytes(keys.signed_prekey.signature));
    store.addOneTimePreKeys(device, decodeKeys(keys.one_time_prekeys));
    if (changed) out.queued = queueIdentityNotices(store, device, now);
    out.status = {store.countOneTimePreKeys(device), lowThreshold_};
    return out;
}

Result<rest::KeysStatus> KeyDirectory::rotateSignedPreKey(Store& store, DeviceKey device, const rest::SignedPreKey& key) {
    store.saveSignedPreKey(device, key.key_id, bytes(key.public_key), bytes(key.signature));
    return status(store, device);
}

Result<rest::KeysStatus> KeyDirectory::addOneTimePreKeys(Store& store, DeviceKey device,
                                                         const rest::OneTimePreKeysUpload& keys) {
    store.addOneTimePreKeys(device, decodeKeys(keys.one_time_prekeys));
    return status(store, device);
}

Result<rest::KeysStatus> KeyDirectory::status(Store& store, DeviceKey device) {
    return rest::KeysStatus{store.countOneTimePreKeys(device), lowThreshold_};
}

Result<std::optional<protocol::PrekeysLow>> KeyDirectory::warningFor(Store& store, DeviceKey device) {
    if (!store.hasIdentity(device)) return std::optional<protocol::PrekeysLow>{};
    const auto left = store.countOneTimePreKeys(device);
    if (left >= lowThreshold_) return std::optional<protocol::PrekeysLow>{};
    return std::optional(protocol::PrekeysLow{left, lowThreshold_, std::nullopt});
}

Result<std::vector<DeviceKey>> KeyDirectory::devicesWithOneTimeKeys(Store& store, UserId user,
                                                                   std::optional<DeviceId> onlyDevice) {
    std::vector<DeviceKey> out;
    for (const auto& device : store.activeDevices(user)) {
        if (!device.listed || (onlyDevice && device.key.device_id != *onlyDevice)) continue;
        if (store.countOneTimePreKeys(device.key) > 0) out.push_back(device.key);
    }
    return out;
}

Result<BundlesServed> KeyDirectory::bundles(Store& store, UserId requester, UserId user,
                                            std::optional<DeviceId> onlyDevice, TimestampMs now,
                                            const std::optional<std::vector<DeviceKey>>& clusterGranted) {
    if (!store.findUser(user)) return makeError(ErrorCode::NotFound, "no user " + std::to_string(user));
    BundlesServed out;
    out.bundles.user_id = user;
    out.bundles.device_list = publishedDeviceList(store, user);
    // Someone the user blocked gets the answer for devices that published no keys, and takes
    // none of their one-time pre-keys (docs/protocol.md, "Blocking").
    const bool blocked = user != requester && store.hasBlocked(user, requester);
    for (const auto& device : blocked ? std::vector<DeviceRecord>{} : store.activeDevices(user)) {
        if (!device.listed || (onlyDevice && device.key.device_id != *onlyDevice)) continue;
        const bool mayTakeOneTime =
            fetches_.mayHandOut(requester, device.key, now) &&
            (!clusterGranted || std::find(clusterGranted->begin(), clusterGranted->end(), device.key) != clusterGranted->end());
        auto b = store.takeBundle(device.key, mayTakeOneTime);
        if (!b) continue;
        if (b->one_time) fetches_.handedOut(requester, device.key, now);
        rest::PreKeyBundle bundle;
        bundle.device_id = device.key.device_id;
        bundle.registration_id = b->registration_id;
        bundle.identity_key = protocol::base64::encode(b->identity_key);
        bundle.signed_prekey = {b->signed_key_id, protocol::base64::encode(b->signed_public_key),
                                protocol::base64::encode(b->signed_signature)};
        if (b->one_time)
            bundle.one_time_prekey = rest::OneTimePreKey{b->one_time->first, protocol::base64::encode(b->one_time->second)};
        out.bundles.devices.push_back(std::move(bundle));
        const auto left = store.countOneTimePreKeys(device.key);
        if (!mayTakeOneTime && left > 0 && fetches_.shouldWarn(device.key, now)) {
            out.warnings.push_back({device.key, {left, lowThreshold_, true}});
            log::delivery()->warn("user {} fetched the bundle of device {}.{} beyond its share: one-time pre-keys withheld",
                                  requester, device.key.user_id, device.key.device_id);
        } else if (b->one_time && left < lowThreshold_) {
            out.warnings.push_back({device.key, {left, lowThreshold_, std::nullopt}});
        }
    }
    if (onlyDevice && out.bundles.devices.empty())
        return makeError(ErrorCode::NotFound, "device " + std::to_string(*onlyDevice) + " has published no keys");
    return out;
}

} // namespace natter::server
