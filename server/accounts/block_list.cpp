#include "accounts/block_list.h"

#include "protocol/limits.h"

namespace natter::server {

using protocol::ErrorCode;
using protocol::makeError;

protocol::Result<protocol::rest::BlockList> BlockList::block(Store& store, UserId caller, UserId target,
                                                             TimestampMs now) {
    if (target == caller) return makeError(ErrorCode::InvalidField, "you cannot block yourself");
    if (!store.findUser(target)) return makeError(ErrorCode::NotFound, "no user " + std::to_string(target));
    if (!store.hasBlocked(caller, target)) {
        if (store.countBlocked(caller) >= protocol::limits::kMaxBlockedUsers)
            return makeError(ErrorCode::Conflict, "your block list is full (" +
                                                      std::to_string(protocol::limits::kMaxBlockedUsers) +
                                                      " users); unblock someone first");
        store.addBlock(caller, target, now);
    }
    return list(store, caller);
}

protocol::Result<bool> BlockList::unblock(Store& store, UserId caller, UserId target) {
    if (!store.removeBlock(caller, target))
        return makeError(ErrorCode::NotFound, "user " + std::to_string(target) + " is not blocked");
    return true;
}

protocol::Result<protocol::rest::BlockList> BlockList::list(Store& store, UserId caller) {
    return protocol::rest::BlockList{store.blockedBy(caller)};
}

} // namespace natter::server
