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

void PresenceTracker::refresh(protocol::UserId user) {
    m_api.call<protocol::rest::PresenceInfo>(
        net::HttpMethod::Get, QStringLiteral("/api/users/%1/presence").arg(user),
        [this, user](Expected<protocol::rest::PresenceInfo> info) {
            if (!info) return;
            PresenceState state;
            state.known = info->status.has_value() || info->last_seen.has_value();
            state.online = info->status == protocol::PresenceStatus::online;
            state.lastSeen = info->last_seen;
            m_state.insert(user, state);
            emit presenceChanged(user);
        });
}

void PresenceTracker::clear() { m_state.clear(); }

} // namespace natter::client
