// The per-account limit on authenticated REST calls: one token bucket per account (all its
// devices together), so that one account cannot keep the store worker busy for everyone.
// Accounts whose buckets have refilled are forgotten once the map doubles. io thread only.
#pragma once

#include "gateway/token_bucket.h"
#include "protocol/types.h"

#include <cstddef>
#include <unordered_map>

namespace natter::server {

class AccountRateLimiter {
public:
    AccountRateLimiter(double rate, double burst) : rate_(rate), burst_(burst) {}

    // New limits (SIGHUP): every account's bucket keeps what it holds, up to the new burst.
    void setLimits(double rate, double burst);
    // Takes one call from `user`'s bucket; false when it is empty.
    bool allow(protocol::UserId user, TokenBucket::Clock::time_point now = TokenBucket::Clock::now());
    // Whole seconds until the next call is allowed (for Retry-After), at least 1.
    int retryAfterSeconds() const;

private:
    double rate_;
    double burst_;
    std::unordered_map<protocol::UserId, TokenBucket> buckets_;
    std::size_t pruneAt_ = 1024;
};

} // namespace natter::server
