// Each account's block list: the users whose 1:1 messages, key fetches, presence and typing
// natterd withholds from that account (see BlockList and docs/protocol.md, "Blocking").
#pragma once

#include "store/store_records.h"

#include <cstdint>
#include <vector>

namespace natter::server {

class BlocksStore {
public:
    virtual ~BlocksStore() = default;

    // Adds `blocked` to `owner`'s list. False when it was there already (nothing changes).
    virtual bool addBlock(UserId owner, UserId blocked, TimestampMs at) = 0;
    // Removes it. False when it was not on the list.
    virtual bool removeBlock(UserId owner, UserId blocked) = 0;
    // `owner`'s list, oldest block first.
    virtual std::vector<UserId> blockedBy(UserId owner) = 0;
    virtual std::uint64_t countBlocked(UserId owner) = 0;
    // Whether `owner` has blocked `other`.
    virtual bool hasBlocked(UserId owner, UserId other) = 0;
};

} // namespace natter::server
