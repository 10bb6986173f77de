// Accounts: verification codes, users and profiles, devices and the signed device list,
// contacts and the phone numbers each user may see.
#pragma once

#include "store/store_records.h"

namespace natter::server {

class AccountsStore {
public:
    virtual ~AccountsStore() = default;

    virtual void saveVerification(const std::string& phone, const VerificationRecord& v) = 0;
    virtual std::optional<VerificationRecord> findVerification(const std::string& phone) = 0;
    virtual void deleteVerification(const std::string& phone) = 0;

    virtual std::optional<UserRecord> findUser(UserId id) = 0;
    virtual std::optional<UserRecord> findUserByPhone(const std::string& phone) = 0;
    virtual UserId createUser(const std::string& phone, TimestampMs now) = 0;
    virtual void updateProfile(UserId id, const std::optional<std::string>& displayName,
                               const std::optional<std::string>& statusText) = 0;
    virtual void savePrivacy(UserId id, const PrivacyRecord& privacy) = 0;
    virtual void setLastSeen(UserId id, TimestampMs when) = 0;

    // A new device is unlisted while its account has a signed device list that does not name it.
    virtual DeviceId addDevice(UserId user, const std::string& name, const std::string& secretHash, TimestampMs now) = 0;
    virtual std::optional<DeviceRecord> findDevice(DeviceKey key) = 0;
    virtual std::vector<DeviceRecord> activeDevices(UserId user) = 0;
    // The active devices of several users in one look-up, ordered by user, then device.
    virtual std::vector<DeviceRecord> activeDevicesOf(std::vector<UserId> users) = 0;
    // Replaces the account's signed device list; exactly the devices in `listed` are listed after.
    virtual void saveDeviceList(UserId user, const DeviceListRecord& list, const std::vector<DeviceId>& listed) = 0;
    virtual std::optional<DeviceListRecord> findDeviceList(UserId user) = 0;
    // The device opened a WebSocket at `when` (what queue expiry measures absence by).
    virtual void recordConnection(DeviceKey device, TimestampMs when) = 0;

    virtual std::vector<protocol::rest::RegisteredContact> lookupPhones(const std::vector<std::string>& phones) = 0;
    virtual void addContact(UserId owner, UserId contact) = 0;
    virtual bool removeContact(UserId owner, UserId contact) = 0;
    virtual std::vector<protocol::rest::RegisteredContact> listContacts(UserId owner) = 0;
    virtual bool isContact(UserId owner, UserId contact) = 0;
    // `owner` looked up `user`'s phone number and found it: the only way to see it.
    virtual void rememberKnownPhone(UserId owner, UserId user) = 0;
    virtual bool knowsPhone(UserId owner, UserId user) = 0;
    // Users who hear about `user`'s presence: its contacts and its 1:1 partners it wrote to or
    // read (not a stranger whose message request it has not answered).
    virtual std::vector<UserId> presenceAudience(UserId user) = 0;
};

} // namespace natter::server
