// The logic behind /api/blocks: an account's block list, bounded by limits::kMaxBlockedUsers.
// Enforcement lives where each thing is delivered (MessageService, PresenceService, the key
// directory route, typing in DeviceSession); this only keeps the list. Store worker thread.
#pragma once

#include "protocol/rest.h"
#include "store/store.h"

namespace natter::server {

class BlockList {
public:
    // Adds `target` to the caller's list; blocking someone already blocked changes nothing.
    // Unknown users are 404, oneself 400, a full list 409: nothing changes then.
    static protocol::Result<protocol::rest::BlockList> block(Store& store, UserId caller, UserId target,
                                                             TimestampMs now);
    // Removes `target`; 404 when not blocked.
    static protocol::Result<bool> unblock(Store& store, UserId caller, UserId target);
    static protocol::Result<protocol::rest::BlockList> list(Store& store, UserId caller);
};

} // namespace natter::server
