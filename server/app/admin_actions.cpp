#include "app/admin_actions.h"

#include "accounts/device_links.h"
#include "app/clock.h"
#include "auth/retired_keys.h"
#include "logging/loggers.h"
#include "store/sqlite/sqlite_store.h"

#include <boost/json.hpp>

#include <iostream>

namespace natter::server {
namespace {

namespace json = boost::json;

int refuse(const std::string& sentence) {
    std::cerr << "natterd admin: " << sentence << "\n";
    return 1;
}

} // namespace

int adminRevokeDevice(const std::filesystem::path& dbFile, std::int64_t user, std::int64_t device, bool asJson) {
    log::configure("warn"); // the store's own info lines are for natterd's log, not this output
    SqliteStore store(dbFile);
    const DeviceKey key{static_cast<UserId>(user), static_cast<DeviceId>(device)};
    if (!store.findUser(key.user_id)) return refuse("there is no user " + std::to_string(user));
    const auto found = store.findDevice(key);
    if (!found) return refuse("user " + std::to_string(user) + " has no device " + std::to_string(device));
    if (found->revoked)
        return refuse("device " + std::to_string(device) + " of user " + std::to_string(user) + " is already revoked");
    store.begin();
    auto revoked = unlinkDevice(store, key.user_id, key.device_id, nowMs());
    if (!revoked) {
        store.rollback();
        return refuse(revoked.error().message);
    }
    store.commit();
    if (asJson) {
        std::cout << json::serialize(json::object{{"user", user}, {"device", device}, {"revoked", true},
                                                  {"reason", "unlinked"}})
                  << '\n';
        return 0;
    }
    std::cout << "Device " << device << " of user " << user
              << " is revoked: its tokens and secret are refused (device_revoked, reason unlinked), and its\n"
                 "queue, keys and push endpoint are deleted. A running natterd refuses its new connections at\n"
                 "once and closes its open session and REST access within --revocation-check-interval (30 s by\n"
                 "default). Senders that still address it get device_mismatch; the account's other devices\n"
                 "drop it from their signed device list when one of them publishes a new list.\n";
    return 0;
}

int adminRotateJwtKey(const std::filesystem::path& dataDir, bool asJson) {
    auto rotated = rotateSigningKey(dataDir);
    if (!rotated) return refuse(rotated.error().message);
    if (asJson) {
        std::cout << json::serialize(json::object{{"old_key_id", rotated->old_key_id},
                                                  {"new_key_id", rotated->new_key_id},
                                                  {"takes_effect", "at natterd's next start"}})
                  << '\n';
        return 0;
    }
    std::cout << "New token signing key " << rotated->new_key_id << " in " << (dataDir / "jwt.key").string()
              << "; the old key " << rotated->old_key_id
              << " is retired.\n"
                 "natterd signs with the new key from its next start (systemctl restart natterd); until then it\n"
                 "keeps signing with the old one. Tokens signed with the old key stay valid until they expire\n"
                 "(--access-token-ttl after that start): nobody is signed out. The retired key file is deleted\n"
                 "at the first start after that.\n";
    return 0;
}

} // namespace natter::server
