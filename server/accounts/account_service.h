// Accounts, devices, profiles, contacts and privacy settings: the logic behind the
// account REST calls. Methods run on the store worker thread against a Store. `address` is
// the caller's client address (clientAddress()), which abuse limits are counted by.
#pragma once

#include "accounts/verification_guard.h"
#include "auth/code_hasher.h"
#include "auth/token_issuer.h"
#include "auth/verification_provider.h"
#include "limits/budget_map.h"
#include "protocol/rest.h"
#include "store/store.h"

#include <atomic>
#include <cstdint>
#include <string>
#include <unordered_map>

namespace natter::server {

namespace rest = protocol::rest;
using protocol::Result;

// A verified phone: the new device's credentials, and for an existing number the devices it
// signed out (their sockets are closed after the commit).
struct Verified {
    rest::VerifyResponse response;
    std::vector<DeviceKey> signedOut;
};

struct AccountLimits {
    VerificationLimits verification;
    std::uint64_t lookups_per_account = 1000; // phone numbers one account may look up per day
    std::uint64_t lookups_per_address = 5000; // ... one client address, all its accounts together
};

class AccountService {
public:
    AccountService(VerificationProvider& provider, const TokenIssuer& tokens, const CodeHasher& codes,
                   const AccountLimits& limits);

    Result<rest::RegisterResponse> requestCode(Store& store, const rest::RegisterRequest& req,
                                               const std::string& address, TimestampMs now);
    // Verifying an existing number starts the account over: every other device is signed out,
    // and chat partners hear of the new identity when this device publishes its device list.
    Result<Verified> verify(Store& store, const rest::VerifyRequest& req, const std::string& address, TimestampMs now);
    Result<rest::TokenResponse> refreshToken(Store& store, const rest::TokenRequest& req, TimestampMs now);
    // The device exists and is not revoked (checked on every WebSocket upgrade).
    Result<DeviceKey> checkDevice(Store& store, DeviceKey device);

    Result<rest::Profile> ownProfile(Store& store, UserId caller);
    Result<rest::Profile> updateProfile(Store& store, UserId caller, const rest::ProfileUpdate& update);
    Result<rest::Profile> profileOf(Store& store, UserId caller, UserId target);
    // Another user's devices to address, or (target == caller) every active device of one's own.
    Result<rest::DeviceList> devicesOf(Store& store, UserId caller, UserId target);

    // Counts the distinct numbers against the caller's and the address's daily budget, and
    // remembers whom the caller found: only they show the caller their phone number.
    Result<rest::ContactsLookupResponse> lookup(Store& store, UserId caller, const std::string& address,
                                                const rest::ContactsLookupRequest& req, TimestampMs now);
    // What a lookup costs (its distinct numbers), the daily budgets, and the refusal beyond them
    // (the cluster-wide budgets in Redis use the same numbers and words).
    static std::size_t lookupCost(const rest::ContactsLookupRequest& req);
    double lookupsPerAccount() const { return lookupsPerAccount_; }
    double lookupsPerAddress() const { return lookupsPerAddress_; }
    // New code limits and lookup budgets (SIGHUP). Run as an unkeyed store job, where code
    // requests and lookups run: what was spent in the current window still counts, so a lowered
    // limit bites at the next request.
    void setLimits(const AccountLimits& limits);
    protocol::Error lookupRefused() const;
    // Only users the caller has looked up by phone number can become contacts.
    Result<rest::ContactList> addContacts(Store& store, UserId caller, const rest::ContactsAddRequest& req);
    Result<rest::ContactList> contacts(Store& store, UserId caller);
    Result<bool> removeContact(Store& store, UserId caller, UserId contact);

    Result<rest::PrivacySettings> privacy(Store& store, UserId caller);
    Result<rest::PrivacySettings> updatePrivacy(Store& store, UserId caller, const rest::PrivacySettings& update);

private:
    // A code natterd issued and can send again while it is valid (worker thread only).
    struct LiveCode {
        std::string code;
        TimestampMs expires_at = 0;
    };
    void rememberLiveCode(const std::string& phone, std::string code, TimestampMs expiresAt, TimestampMs now);

    VerificationProvider& provider_;
    const TokenIssuer& tokens_;
    const CodeHasher& codes_;
    VerificationGuard guard_;
    BudgetMap<UserId> lookupsByAccount_;
    BudgetMap<std::string> lookupsByAddress_;
    std::atomic<double> lookupsPerAccount_; // the budgets above, also read on the io thread
    std::atomic<double> lookupsPerAddress_;
    std::unordered_map<std::string, LiveCode> liveCodes_;
    std::size_t pruneLiveCodesAt_ = 64;
};

} // namespace natter::server
