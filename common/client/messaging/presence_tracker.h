// Who is online and when they were last seen, as far as their privacy settings let this
// user know: kept from presence frames, refreshed from the REST API on demand.
#pragma once

#include "client/core/result.h"
#include "protocol/frames.h"

#include <QHash>
#include <QObject>

#include <functional>
#include <optional>

namespace natter::client {
namespace net { class ApiClient; }

struct PresenceState {
    bool online = false;
    std::optional<protocol::TimestampMs> lastSeen; // absent: hidden or never seen
    bool known = false;                            // false: nothing heard yet
};

class PresenceTracker : public QObject {
    Q_OBJECT
public:
    explicit PresenceTracker(net::ApiClient& api, QObject* parent = nullptr);

    PresenceState presenceOf(protocol::UserId user) const { return m_state.value(user); }
    void onPresence(const protocol::PresenceEvent& event);
    // GET /api/users/{id}/presence (e.g. when a chat opens).
    void refresh(protocol::UserId user);
    // As refresh, then done with what the user's privacy settings let this user know.
    void fetch(protocol::UserId user, std::function<void(Expected<PresenceState>)> done);
    // After a reconnect nobody's state is certain any more.
    void clear();

signals:
    void presenceChanged(protocol::UserId user);

private:
    net::ApiClient& m_api;
    QHash<protocol::UserId, PresenceState> m_state;
};

} // namespace natter::client
