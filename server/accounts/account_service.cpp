#include "accounts/account_service.h"

#include "accounts/device_links.h"
#include "auth/secrets.h"
#include "logging/loggers.h"

#include <algorithm>
#include <set>

namespace natter::server {

using protocol::ErrorCode;
using protocol::makeError;

namespace {
constexpr TimestampMs kCodeLifetimeMs = 600'000;
constexpr TimestampMs kDayMs = 86'400'000;

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

int secondsLeft(TimestampMs expiresAt, TimestampMs now) {
    return static_cast<int>((expiresAt - now + 999) / 1000);
}
} // namespace

AccountService::AccountService(VerificationProvider& provider, const TokenIssuer& tokens, const CodeHasher& codes,
                               const AccountLimits& limits)
    : provider_(provider),
      tokens_(tokens),
      codes_(codes),
      guard_(limits.verification),
      lookupsByAccount_(static_cast<double>(limits.lookups_per_account), kDayMs),
      lookupsByAddress_(static_cast<double>(limits.lookups_per_address), kDayMs),
      lookupsPerAccount_(static_cast<double>(limits.lookups_per_account)),
      lookupsPerAddress_(static_cast<double>(limits.lookups_per_address)) {}

void AccountService::setLimits(const AccountLimits& limits) {
    guard_.setLimits(limits.verification);
    lookupsByAccount_.setCapacity(static_cast<double>(limits.lookups_per_account));
    lookupsByAddress_.setCapacity(static_cast<double>(limits.lookups_per_address));
    lookupsPerAccount_ = static_cast<double>(limits.lookups_per_account);
    lookupsPerAddress_ = static_cast<double>(limits.lookups_per_address);
}

void AccountService::rememberLiveCode(const std::string& phone, std::string code, TimestampMs expiresAt,
                                      TimestampMs now) {
    if (liveCodes_.size() >= pruneLiveCodesAt_) {
        std::erase_if(liveCodes_, [&](const auto& entry) { return entry.second.expires_at <= now; });
        pruneLiveCodesAt_ = std::max<std::size_t>(64, 2 * liveCodes_.size());
    }
    liveCodes_[phone] = LiveCode{std::move(code), expiresAt};
}

Result<rest::RegisterResponse> AccountService::requestCode(Store& store, const rest::RegisterRequest& req,
                                                           const std::string& address, TimestampMs now) {
    if (auto refused = guard_.admitCodeRequest(req.phone, address, now)) return *refused;
    // A valid code is sent again, never replaced: a request from someone else must not
    // invalidate the code the number's owner already has.
    const auto pending = store.findVerification(req.phone);
    const auto live = liveCodes_.find(req.phone);
    if (pending && pending->expires_at > now && live != liveCodes_.end() &&
        live->second.expires_at == pending->expires_at &&
        secrets::constantTimeEquals(codes_.hash(req.phone, live->second.code), pending->code_hash)) {
        provider_.resend(req.phone, live->second.code);
        log::auth()->info("verification code sent again for {}", log::maskPhone(req.phone));
        return rest::RegisterResponse{"code_sent", secondsLeft(pending->expires_at, now)};
    }
    std::string code = provider_.issue(req.phone);
    store.saveVerification(req.phone, {codes_.hash(req.phone, code), now + kCodeLifetimeMs});
    rememberLiveCode(req.phone, std::move(code), now + kCodeLifetimeMs, now);
    log::auth()->info("verification code issued for {}", log::maskPhone(req.phone));
    return rest::RegisterResponse{"code_sent", static_cast<int>(kCodeLifetimeMs / 1000)};
}

Result<Verified> AccountService::verify(Store& store, const rest::VerifyRequest& req, const std::string& address,
                                        TimestampMs now) {
    if (!guard_.mayTryCode(req.phone, address, now))
        return makeError(ErrorCode::VerificationFailed,
                         "too many wrong codes for this number from your address; request the code again");
    const auto pending = store.findVerification(req.phone);
    if (!pending || pending->expires_at <= now)
        return makeError(ErrorCode::VerificationFailed, "no valid code for this number; request a new one");
    if (!secrets::constantTimeEquals(codes_.hash(req.phone, req.code), pending->code_hash)) {
        guard_.countWrongCode(req.phone, address, now);
        return makeError(ErrorCode::VerificationFailed, "wrong verification code");
    }
    store.deleteVerification(req.phone);

    Verified verified;
    rest::VerifyResponse& out = verified.response;
    auto user = store.findUserByPhone(req.phone);
    out.new_account = !user;
    out.user_id = user ? user->id : store.createUser(req.phone, now);
    if (user) {
        // Whoever holds the number starts over: no device of the old identity keeps reading.
        for (const auto& device : store.activeDevices(out.user_id)) {
            store.revokeDevice(device.key, protocol::RevocationReason::reregistered, now);
            store.clearQueue(device.key);
            verified.signedOut.push_back(device.key);
        }
    }
    out.device_secret = secrets::randomToken();
    out.device_id = store.addDevice(out.user_id, req.device_name.value_or(""), secrets::sha256(out.device_secret), now);
    out.access_token = tokens_.issue(out.user_id, out.device_id, now);
    out.expires_in = tokens_.ttlSeconds();
    log::auth()->info("{} verified: device {}.{}{}", log::maskPhone(req.phone), out.user_id, out.device_id,
                      out.new_account ? " (new account)"
                                      : " (registered again: " + std::to_string(verified.signedOut.size()) +
                                            " devices signed out)");
    return verified;
}

Result<rest::TokenResponse> AccountService::refreshToken(Store& store, const rest::TokenRequest& req, TimestampMs now) {
    const auto device = store.findDevice({req.user_id, req.device_id});
    if (!device || !secrets::constantTimeEquals(secrets::sha256(req.device_secret), device->secret_hash))
        return makeError(ErrorCode::Unauthorized, "unknown device or wrong device secret");
    // Only the holder of the right secret learns that (and why) the device was revoked.
    if (device->revoked) return protocol::makeRevokedError(device->revoked_reason);
    return rest::TokenResponse{tokens_.issue(req.user_id, req.device_id, now), tokens_.ttlSeconds()};
}

Result<DeviceKey> AccountService::checkDevice(Store& store, DeviceKey key) {
    const auto device = store.findDevice(key);
    if (!device) return makeError(ErrorCode::Unauthorized, "device is not registered");
    if (device->revoked) return protocol::makeRevokedError(device->revoked_reason);
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
    return toProfile(*user, store.knowsPhone(caller, target));
}

Result<rest::DeviceList> AccountService::devicesOf(Store& store, UserId caller, UserId target) {
    if (!store.findUser(target)) return makeError(ErrorCode::NotFound, "no user " + std::to_string(target));
    rest::DeviceList list;
    list.user_id = target;
    for (const auto& d : store.activeDevices(target))
        if (d.listed || target == caller) list.devices.push_back({d.key.device_id, d.name, d.created_at});
    list.device_list = publishedDeviceList(store, target);
    return list;
}

Result<rest::ContactsLookupResponse> AccountService::lookup(Store& store, UserId caller, const std::string& address,
                                                           const rest::ContactsLookupRequest& req, TimestampMs now) {
    const auto numbers = static_cast<double>(lookupCost(req));
    if (!lookupsByAccount_.canSpend(caller, numbers, now) || !lookupsByAddress_.canSpend(address, numbers, now))
        return lookupRefused();
    lookupsByAccount_.spend(caller, numbers, now);
    lookupsByAddress_.spend(address, numbers, now);
    auto found = store.lookupPhones(req.phones);
    for (const auto& contact : found)
        if (contact.user_id != caller) store.rememberKnownPhone(caller, contact.user_id);
    return rest::ContactsLookupResponse{std::move(found)};
}

std::size_t AccountService::lookupCost(const rest::ContactsLookupRequest& req) {
    return std::set<std::string>(req.phones.begin(), req.phones.end()).size();
}

protocol::Error AccountService::lookupRefused() const {
    return makeError(ErrorCode::RateLimited,
                     "too many phone numbers looked up; at most " +
                         std::to_string(static_cast<std::uint64_t>(lookupsPerAccount_.load())) + " per account and " +
                         std::to_string(static_cast<std::uint64_t>(lookupsPerAddress_.load())) + " per address a day");
}

Result<rest::ContactList> AccountService::addContacts(Store& store, UserId caller, const rest::ContactsAddRequest& req) {
    for (UserId id : req.user_ids) {
        if (id == caller) return makeError(ErrorCode::InvalidField, "cannot add yourself as a contact");
        if (!store.findUser(id)) return makeError(ErrorCode::NotFound, "no user " + std::to_string(id));
        if (!store.knowsPhone(caller, id))
            return makeError(ErrorCode::NotFound, "user " + std::to_string(id) +
                                                      " is not among the numbers you looked up: add contacts found "
                                                      "with POST /api/contacts/lookup");
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
