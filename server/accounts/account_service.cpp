#include "accounts/account_service.h"

#include "auth/secrets.h"
#include "logging/loggers.h"

#include <algorithm>

namespace natter::server {

using protocol::ErrorCode;
using protocol::makeError;

namespace {
constexpr TimestampMs kCodeLifetimeMs = 600'000;
constexpr int kMaxCodeAttempts = 5;
constexpr std::size_t kMaxCodeRequests = 5;       // per phone ...
constexpr TimestampMs kCodeRequestWindowMs = 600'000; // ... per 10 minutes

rest::PrivacySettings toSettings(const PrivacyRecord& p) {
    return {p.last_seen, p.online, p.read_receipts};
}

rest::Profile toProfile(const UserRecord& u, bool withPhone) {
    rest::Profile p;
    p.user_id = u.id;
    if (withPhone) p.phone = u.phone;
    p.display_name = u.display_name;
    p.status_text = u.status_text;
    return p;
}
} // namespace

bool AccountService::allowCodeRequest(const std::string& phone, TimestampMs now) {
    const auto stale = [&](TimestampMs t) { return t <= now - kCodeRequestWindowMs; };
    if (codeRequests_.size() >= pruneCodeRequestsAt_) {
        std::erase_if(codeRequests_, [&](const auto& entry) { return entry.second.empty() || stale(entry.second.back()); });
        pruneCodeRequestsAt_ = std::max<std::size_t>(64, 2 * codeRequests_.size());
    }
    auto& times = codeRequests_[phone];
    std::erase_if(times, stale);
    if (times.size() >= kMaxCodeRequests) return false;
    times.push_back(now);
    return true;
}

Result<rest::RegisterResponse> AccountService::requestCode(Store& store, const rest::RegisterRequest& req,
                                                           TimestampMs now) {
    if (!allowCodeRequest(req.phone, now))
        return makeError(ErrorCode::RateLimited, "too many verification codes requested for this number; wait 10 minutes");
    const std::string code = provider_.issue(req.phone);
    store.saveVerification(req.phone, {codes_.hash(req.phone, code), now + kCodeLifetimeMs, 0});
    log::auth()->info("verification code issued for {}", log::maskPhone(req.phone));
    return rest::RegisterResponse{"code_sent", static_cast<int>(kCodeLifetimeMs / 1000)};
}

Result<rest::VerifyResponse> AccountService::verify(Store& store, const rest::VerifyRequest& req, TimestampMs now) {
    const auto pending = store.findVerification(req.phone);
    if (!pending || pending->expires_at <= now || pending->attempts >= kMaxCodeAttempts)
        return makeError(ErrorCode::VerificationFailed, "no valid code for this number; request a new one");
    if (!secrets::constantTimeEquals(codes_.hash(req.phone, req.code), pending->code_hash)) {
        store.countFailedVerification(req.phone); // kept: verify runs with OnError::keep
        return makeError(ErrorCode::VerificationFailed, "wrong verification code");
    }
    store.deleteVerification(req.phone);

    rest::VerifyResponse out;
    auto user = store.findUserByPhone(req.phone);
    out.new_account = !user;
    out.user_id = user ? user->id : store.createUser(req.phone, now);
    out.device_secret = secrets::randomToken();
    out.device_id = store.addDevice(out.user_id, req.device_name.value_or(""), secrets::sha256(out.device_secret), now);
    out.access_token = tokens_.issue(out.user_id, out.device_id, now);
    out.expires_in = tokens_.ttlSeconds();
    log::auth()->info("{} verified: user {} device {}{}", log::maskPhone(req.phone), out.user_id, out.device_id,
                      out.new_account ? " (new account)" : "");
    return out;
}

Result<rest::TokenResponse> AccountService::refreshToken(Store& store, const rest::TokenRequest& req, TimestampMs now) {
    const auto device = store.findDevice({req.user_id, req.device_id});
    if (!device || device->revoked ||
        !secrets::constantTimeEquals(secrets::sha256(req.device_secret), device->secret_hash))
        return makeError(ErrorCode::Unauthorized, "unknown device or wrong device secret");
    return rest::TokenResponse{tokens_.issue(req.user_id, req.device_id, now), tokens_.ttlSeconds()};
}

Result<DeviceKey> AccountService::checkDevice(Store& store, DeviceKey key) {
    const auto device = store.findDevice(key);
    if (!device || device->revoked) return makeError(ErrorCode::Unauthorized, "device is not registered");
    return key;
}

Result<rest::Profile> AccountService::ownProfile(Store& store, UserId caller) {
    const auto user = store.findUser(caller);
    if (!user) return makeError(ErrorCode::Unauthorized, "account no longer exists");
    return toProfile(*user, true);
}

Result<rest::Profile> AccountService::updateProfile(Store& store, UserId caller, const rest::ProfileUpdate& update) {
    store.updateProfile(caller, update.display_name, update.status_text);
    return ownProfile(store, caller);
}

Result<rest::Profile> AccountService::profileOf(Store& store, UserId caller, UserId target) {
    if (target == caller) return ownProfile(store, caller);
    const auto user = store.findUser(target);
    if (!user) return makeError(ErrorCode::NotFound, "no user " + std::to_string(target));
    return toProfile(*user, store.isContact(caller, target));
}

Result<rest::DeviceList> AccountService::devicesOf(Store& store, UserId target) {
    if (!store.findUser(target)) return makeError(ErrorCode::NotFound, "no user " + std::to_string(target));
    rest::DeviceList list;
    list.user_id = target;
    for (const auto& d : store.activeDevices(target)) list.devices.push_back({d.key.device_id, d.name, d.created_at});
    return list;
}

Result<rest::ContactsLookupResponse> AccountService::lookup(Store& store, const rest::ContactsLookupRequest& req) {
    return rest::ContactsLookupResponse{store.lookupPhones(req.phones)};
}

Result<rest::ContactList> AccountService::addContacts(Store& store, UserId caller, const rest::ContactsAddRequest& req) {
    for (UserId id : req.user_ids) {
        if (id == caller) return makeError(ErrorCode::InvalidField, "cannot add yourself as a contact");
        if (!store.findUser(id)) return makeError(ErrorCode::NotFound, "no user " + std::to_string(id));
        store.addContact(caller, id);
    }
    return contacts(store, caller);
}

Result<rest::ContactList> AccountService::contacts(Store& store, UserId caller) {
    return rest::ContactList{store.listContacts(caller)};
}

Result<bool> AccountService::removeContact(Store& store, UserId caller, UserId contact) {
    if (!store.removeContact(caller, contact))
        return makeError(ErrorCode::NotFound, "user " + std::to_string(contact) + " is not in your contacts");
    return true;
}

Result<rest::PrivacySettings> AccountService::privacy(Store& store, UserId caller) {
    const auto user = store.findUser(caller);
    if (!user) return makeError(ErrorCode::Unauthorized, "account no longer exists");
    return toSettings(user->privacy);
}

Result<rest::PrivacySettings> AccountService::updatePrivacy(Store& store, UserId caller,
                                                            const rest::PrivacySettings& update) {
    const auto user = store.findUser(caller);
    if (!user) return makeError(ErrorCode::Unauthorized, "account no longer exists");
    PrivacyRecord p = user->privacy;
    if (update.last_seen) p.last_seen = *update.last_seen;
    if (update.online) p.online = *update.online;
    if (update.read_receipts) p.read_receipts = *update.read_receipts;
    store.savePrivacy(caller, p);
    return toSettings(p);
}

} // namespace natter::server
