// `natterd admin delete-account USER [--yes]`: leaves the user's groups and revokes its devices
// through the same services the account's own requests use, then removes the rest of its
// server-side data (store/sqlite/sqlite_account_erasure.h) and the media it uploaded. Without
// --yes it only says what it would remove.
#include "app/admin_actions.h"

#include "accounts/device_links.h"
#include "app/clock.h"
#include "groups/group_service.h"
#include "logging/loggers.h"
#include "media/fs_blob_store.h"
#include "store/sqlite/sqlite_account_erasure.h"
#include "store/sqlite/sqlite_store.h"

#include <boost/json.hpp>

#include <iostream>
#include <limits>

namespace natter::server {
namespace {

namespace json = boost::json;
namespace q = sqlite::admin;

struct Plan {
    UserRecord user;
    std::vector<DeviceRecord> devices; // active
    std::vector<std::string> groups;
    std::vector<std::string> media;    // ids of the blobs it uploaded
    std::int64_t sent = 0;             // messages that stay with their recipients
};

std::vector<std::string> mediaOf(BlobStore* blobs, UserId user) {
    std::vector<std::string> ids;
    if (!blobs) return ids;
    if (auto all = blobs->list())
        for (const auto& [id, meta] : *all)
            if (meta.owner == user) ids.push_back(id);
    return ids;
}

void printPlan(const Plan& p, bool done) {
    const std::string verb = done ? "Removed" : "Would remove";
    std::cout << verb << " account " << p.user.id << ":\n"
              << "  " << p.devices.size() << " active device(s): revoked (tokens refused, queues, keys and push endpoints deleted)\n"
              << "  " << p.groups.size() << " group membership(s): left, the other members are told as when a member leaves\n"
              << "  " << p.media.size() << " uploaded media file(s)\n"
              << "  its phone number, profile, contacts, link codes, device list and history copies\n"
              << "What remains with others: the " << p.sent
              << " message(s) it sent stay in the recipients' histories and on their devices (natterd cannot\n"
                 "reach into devices), as do its name and number in their contact lists. The account's id stays\n"
                 "reserved; the phone number can register again as a new account.\n";
}

} // namespace

int adminDeleteAccount(const std::filesystem::path& dbFile, const std::filesystem::path& mediaDir, std::int64_t user,
                       bool yes, bool asJson) {
    log::configure("warn");
    SqliteStore store(dbFile);
    const auto found = store.findUser(static_cast<UserId>(user));
    if (!found || q::isDeletedPhone(found->phone)) {
        std::cerr << "natterd admin: there is no user " << user << (found ? " (it was deleted)" : "") << "\n";
        return 1;
    }
    std::unique_ptr<FsBlobStore> blobs;
    std::error_code ec;
    if (std::filesystem::is_directory(mediaDir, ec)) {
        auto opened = FsBlobStore::open(mediaDir);
        if (!opened) {
            std::cerr << "natterd admin: cannot open the media directory: " << opened.error().message << "\n";
            return 1;
        }
        blobs = std::move(*opened);
    }
    Plan plan{*found, store.activeDevices(found->id), q::groupsOf(store.connection(), user),
              mediaOf(blobs.get(), found->id), q::messagesSent(store.connection(), user)};
    if (!yes) {
        if (asJson) {
            std::cout << json::serialize(json::object{{"user", user}, {"deleted", false},
                                                      {"devices", plan.devices.size()}, {"groups", plan.groups.size()},
                                                      {"media", plan.media.size()}, {"messages_sent", plan.sent}})
                      << '\n';
        } else {
            printPlan(plan, false);
            std::cout << "Nothing was deleted: run again with --yes to delete account " << user << ".\n";
        }
        return 1;
    }

    const TimestampMs now = nowMs();
    // The group events name a device of the leaving account as their actor, as a leave from it would.
    auto anyDevice = store.findDevice({found->id, 1});
    const DeviceKey actor{found->id, plan.devices.empty() ? (anyDevice ? anyDevice->key.device_id : 1)
                                                          : plan.devices.front().key.device_id};
    GroupService groups(std::numeric_limits<std::size_t>::max());
    q::ErasedRows erased;
    store.begin();
    try {
        for (const auto& chat : plan.groups)
            if (auto left = groups.removeMember(store, actor, chat, found->id, now); !left)
                throw StoreError("leaving " + chat + ": " + left.error().message);
        for (const auto& device : plan.devices)
            if (auto revoked = unlinkDevice(store, found->id, device.key.device_id, now); !revoked)
                throw StoreError(revoked.error().message);
        erased = q::eraseAccountRows(store.connection(), user);
        store.commit();
    } catch (const StoreError&) {
        store.rollback();
        throw;
    }
    std::size_t mediaLeft = 0;
    for (const auto& id : plan.media)
        if (!blobs->remove(id).has_value()) ++mediaLeft;

    if (asJson) {
        std::cout << json::serialize(json::object{
                         {"user", user}, {"deleted", true}, {"devices", plan.devices.size()},
                         {"groups", plan.groups.size()}, {"media", plan.media.size() - mediaLeft},
                         {"media_not_removed", mediaLeft}, {"contacts", erased.contacts},
                         {"history_copies", erased.envelopes}, {"messages_sent", plan.sent}})
                  << '\n';
        return mediaLeft == 0 ? 0 : 1;
    }
    printPlan(plan, true);
    if (mediaLeft)
        std::cout << mediaLeft << " media file(s) could not be removed now; they expire with --media-retention.\n";
    std::cout << "A running natterd refuses the account's devices at once for new connections and closes their\n"
                 "open sessions within --revocation-check-interval (30 s by default); the group members\n"
                 "connected now get the leave events when they next reconnect.\n";
    return mediaLeft == 0 ? 0 : 1;
}

} // namespace natter::server
