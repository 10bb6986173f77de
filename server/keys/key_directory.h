// The server side of the Signal protocol's key exchange: devices publish identity, signed
// and one-time pre-keys; senders fetch bundles, each fetch consuming one one-time pre-key
// atomically (all store work is serial on the worker). Runs on the store worker thread.
#pragma once

#include "keys/prekey_fetch_limiter.h"
#include "protocol/frames.h"
#include "protocol/rest_keys.h"
#include "store/store.h"

namespace natter::server {

namespace rest = protocol::rest;
using protocol::Result;

// Devices that should hear, live, that they are running low on one-time pre-keys.
struct PrekeyWarning {
    DeviceKey device;
    protocol::PrekeysLow frame;
};

struct KeysUploaded {
    rest::KeysStatus status;
    std::vector<QueueEntry> queued; // identity_changed notices for the device's chat partners
};

struct BundlesServed {
    rest::KeyBundles bundles;
    std::vector<PrekeyWarning> warnings;
};

// Queues identity_changed for every active device of everyone sharing a chat with the user whose
// device `changed` now has a new identity; the entries are for Hub::deliver after the commit.
std::vector<QueueEntry> queueIdentityNotices(Store& store, DeviceKey changed, TimestampMs now);

class KeyDirectory {
public:
    KeyDirectory(std::uint64_t lowThreshold, std::uint64_t prekeysPerRequester)
        : lowThreshold_(lowThreshold), prekeysPerRequester_(prekeysPerRequester), fetches_(prekeysPerRequester) {}

    Result<KeysUploaded> upload(Store& store, DeviceKey device, const rest::KeysUpload& keys, TimestampMs now);
    Result<rest::KeysStatus> rotateSignedPreKey(Store& store, DeviceKey device, const rest::SignedPreKey& key);
    Result<rest::KeysStatus> addOneTimePreKeys(Store& store, DeviceKey device, const rest::OneTimePreKeysUpload& keys);
    Result<rest::KeysStatus> status(Store& store, DeviceKey device);
    // The warning a connecting device should get: only devices that published keys and
    // hold fewer one-time keys than the threshold.
    Result<std::optional<protocol::PrekeysLow>> warningFor(Store& store, DeviceKey device);
    // One bundle per active device of `user` that published keys (or only `onlyDevice`), for
    // `requester`; without a one-time pre-key beyond its share (PrekeyFetchLimiter, and in a
    // cluster `clusterGranted`: the devices whose shared budget gave one), and then the device
    // is warned (prekeys_low with abnormal_drain).
    Result<BundlesServed> bundles(Store& store, UserId requester, UserId user, std::optional<DeviceId> onlyDevice,
                                  TimestampMs now, const std::optional<std::vector<DeviceKey>>& clusterGranted = {});
    // The devices bundles() would serve that still hold one-time pre-keys: what a cluster asks
    // its shared budgets about before the fetch.
    Result<std::vector<DeviceKey>> devicesWithOneTimeKeys(Store& store, UserId user, std::optional<DeviceId> onlyDevice);

    std::uint64_t lowThreshold() const { return lowThreshold_; }
    std::uint64_t prekeysPerRequester() const { return prekeysPerRequester_; }

private:
    std::uint64_t lowThreshold_;
    std::uint64_t prekeysPerRequester_;
    PrekeyFetchLimiter fetches_;
};

} // namespace natter::server
