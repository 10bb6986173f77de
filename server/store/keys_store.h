// The key directory (identities, signed and one-time pre-keys), link codes and revoked devices.
#pragma once

#include "store/store_records.h"

namespace natter::server {

class KeysStore {
public:
    virtual ~KeysStore() = default;

    // Stores the identity and signed pre-key; true if a different identity key was replaced.
    virtual bool saveIdentity(DeviceKey device, std::uint32_t registrationId, const std::string& identityKey,
                              TimestampMs now) = 0;
    virtual void saveSignedPreKey(DeviceKey device, std::uint32_t keyId, const std::string& publicKey,
                                  const std::string& signature) = 0;
    virtual void addOneTimePreKeys(DeviceKey device, const std::vector<std::pair<std::uint32_t, std::string>>& keys) = 0;
    virtual std::uint64_t countOneTimePreKeys(DeviceKey device) = 0;
    virtual bool hasIdentity(DeviceKey device) = 0;
    // The device's published identity key (raw bytes).
    virtual std::optional<std::string> identityKey(DeviceKey device) = 0;
    // The device's bundle; with `withOneTime`, consuming (deleting) one one-time pre-key if
    // any is left, otherwise without one.
    virtual std::optional<KeyBundleRecord> takeBundle(DeviceKey device, bool withOneTime) = 0;
    virtual void saveLinkCode(const std::string& codeHash, const LinkCodeRecord& code, TimestampMs expiresAt) = 0;
    // Removes the code and returns it if it existed and had not expired.
    virtual std::optional<LinkCodeRecord> takeLinkCode(const std::string& codeHash, TimestampMs now) = 0;
    // Revokes an active device for `reason` and deletes its keys and push endpoint; false when
    // it is unknown or already revoked. Its queue is the caller's to clear.
    virtual bool revokeDevice(DeviceKey device, protocol::RevocationReason reason, TimestampMs now) = 0;
    virtual std::vector<RevokedDevice> revokedDevices() = 0;
    // Link codes of `user` that have not expired at `now`.
    virtual std::uint64_t countLinkCodes(UserId user, TimestampMs now) = 0;
};

} // namespace natter::server
