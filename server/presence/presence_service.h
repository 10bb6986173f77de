// Who may see a user's online status and last-seen time, and whom to tell when it
// changes (contacts and 1:1 partners, filtered by the user's privacy settings and block list).
// Runs on the store worker thread.
#pragma once

#include "protocol/frames.h"
#include "protocol/rest.h"
#include "store/store.h"

#include <vector>

namespace natter::server {

struct PresenceNotice {
    UserId observer = 0;
    protocol::PresenceEvent event;
};

class PresenceService {
public:
    // The user's first device connected (online) or last one left (offline, recording
    // last_seen = now). Returns the frames each allowed observer should get.
    protocol::Result<std::vector<PresenceNotice>> announce(Store& store, UserId user, bool online,
                                                           TimestampMs now);
    // What `caller` may know about `target` (online says whether target has a connected device).
    protocol::Result<protocol::rest::PresenceInfo> query(Store& store, UserId caller, UserId target, bool online);
};

} // namespace natter::server
