#include "client/messaging/presence_tracker.h"

#include "client/net/api_client.h"
#include "protocol/rest.h"

namespace natter::client {

PresenceTracker::PresenceTracker(net::ApiClient& api, QObject* parent) : QObject(parent), m_api(api) {}

void PresenceTracker::onPresence(const protocol::PresenceEvent& event) {
    PresenceState state;
    state.known = true;
    state.online = event.status == protocol::PresenceStatus::online;
    state.lastSeen = event.last_seen;
    m_state.insert(event.user_id, state);
    emit presenceChanged(event.user_id);
}

void PresenceTracker::refresh(protocol::UserId user) { fetch(user, [](Expected<PresenceState>) {}); }

void PresenceTracker::fetch(protocol::UserId user, std::function<void(Expected<PresenceState>)> done) {
    m_api.call<protocol::rest::PresenceInfo>(
        net::HttpMethod::Get, QStringLiteral("/api/users/%1/presence").arg(user),
        [this, user, done = std::move(done)](Expected<protocol::rest::PresenceInfo> info) {
            if (!info) return done(info.error());
            PresenceState state;
            state.known = info->status.has_value() || info->last_seen.has_value();
            state.online = info->status == protocol::PresenceStatus::online;
            state.lastSeen = info->last_seen;
            m_state.insert(user, state);
            emit presenceChanged(user);
            done(state);
        });
}

void PresenceTracker::clear() { m_state.clear(); }

} // namespace natter::client
