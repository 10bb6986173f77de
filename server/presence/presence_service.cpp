#include "presence/presence_service.h"

namespace natter::server {

using protocol::PresenceStatus;
using protocol::Visibility;

namespace {

bool allows(Visibility v, bool observerIsContact) {
    return v == Visibility::everyone || (v == Visibility::contacts && observerIsContact);
}

struct Visible {
    bool status = false;
    bool last_seen = false;
};

// Nothing of a user's presence reaches someone they blocked.
Visible visibleTo(Store& store, const UserRecord& user, UserId observer) {
    if (store.hasBlocked(user.id, observer)) return {};
    const bool contact = store.isContact(user.id, observer);
    return {allows(user.privacy.online, contact), allows(user.privacy.last_seen, contact)};
}

} // namespace

protocol::Result<std::vector<PresenceNotice>> PresenceService::announce(Store& store, UserId userId,
                                                                        bool online, TimestampMs now) {
    if (!online) store.setLastSeen(userId, now);
    const auto user = store.findUser(userId);
    if (!user) return std::vector<PresenceNotice>{};
    std::vector<PresenceNotice> out;
    for (UserId observer : store.presenceAudience(userId)) {
        const auto visible = visibleTo(store, *user, observer);
        protocol::PresenceEvent event{userId, online ? PresenceStatus::online : PresenceStatus::offline, std::nullopt};
        if (online) {
            if (!visible.status) continue;
        } else {
            if (!visible.status && !visible.last_seen) continue;
            if (visible.last_seen) event.last_seen = now;
        }
        out.push_back({observer, event});
    }
    return out;
}

protocol::Result<protocol::rest::PresenceInfo> PresenceService::query(Store& store, UserId caller, UserId target,
                                                                      bool online) {
    const auto user = store.findUser(target);
    if (!user) return protocol::makeError(protocol::ErrorCode::NotFound, "no user " + std::to_string(target));
    protocol::rest::PresenceInfo info;
    info.user_id = target;
    const auto visible = caller == target ? Visible{true, true} : visibleTo(store, *user, caller);
    if (visible.status) info.status = online ? PresenceStatus::online : PresenceStatus::offline;
    if (!online && visible.last_seen) info.last_seen = user->last_seen;
    return info;
}

} // namespace natter::server
