// Accounts, devices, profiles, contacts and privacy settings: the logic behind the
// account REST calls. Methods run on the store worker thread against a Store.
#pragma once

#include "auth/code_hasher.h"
#include "auth/token_issuer.h"
#include "auth/verification_provider.h"
#include "protocol/rest.h"
#include "store/store.h"

#include <string>
#include <unordered_map>
#include <vector>

namespace natter::server {

namespace rest = protocol::rest;
using protocol::Result;

class AccountService {
public:
    AccountService(VerificationProvider& provider, const TokenIssuer& tokens, const CodeHasher& codes)
        : provider_(provider), tokens_(tokens), codes_(codes) {}

    Result<rest::RegisterResponse> requestCode(Store& store, const rest::RegisterRequest& req, TimestampMs now);
    // Submit with OnError::keep: a wrong code must still count as an attempt.
    Result<rest::VerifyResponse> verify(Store& store, const rest::VerifyRequest& req, TimestampMs now);
    Result<rest::TokenResponse> refreshToken(Store& store, const rest::TokenRequest& req, TimestampMs now);
    // The device exists and is not revoked (checked on every WebSocket upgrade).
    Result<DeviceKey> checkDevice(Store& store, DeviceKey device);

    Result<rest::Profile> ownProfile(Store& store, UserId caller);
    Result<rest::Profile> updateProfile(Store& store, UserId caller, const rest::ProfileUpdate& update);
    Result<rest::Profile> profileOf(Store& store, UserId caller, UserId target);
    Result<rest::DeviceList> devicesOf(Store& store, UserId target);

    Result<rest::ContactsLookupResponse> lookup(Store& store, const rest::ContactsLookupRequest& req);
    Result<rest::ContactList> addContacts(Store& store, UserId caller, const rest::ContactsAddRequest& req);
    Result<rest::ContactList> contacts(Store& store, UserId caller);
    Result<bool> removeContact(Store& store, UserId caller, UserId contact);

    Result<rest::PrivacySettings> privacy(Store& store, UserId caller);
    Result<rest::PrivacySettings> updatePrivacy(Store& store, UserId caller, const rest::PrivacySettings& update);

private:
    bool allowCodeRequest(const std::string& phone, TimestampMs now);

    VerificationProvider& provider_;
    const TokenIssuer& tokens_;
    const CodeHasher& codes_;
    // Recent code requests per phone (worker thread only); phones whose requests all left the
    // window are dropped once the map doubles, so it holds only recent registrations.
    std::unordered_map<std::string, std::vector<TimestampMs>> codeRequests_;
    std::size_t pruneCodeRequestsAt_ = 64;
};

} // namespace natter::server
