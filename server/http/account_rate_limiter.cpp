#include "http/account_rate_limiter.h"

#include <algorithm>
#include <cmath>

namespace natter::server {

bool AccountRateLimiter::allow(protocol::UserId user, TokenBucket::Clock::time_point now) {
    if (buckets_.size() >= pruneAt_) {
        std::erase_if(buckets_, [now](const auto& entry) { return entry.second.isFull(now); });
        pruneAt_ = std::max<std::size_t>(1024, 2 * buckets_.size());
    }
    auto it = buckets_.find(user);
    if (it == buckets_.end()) it = buckets_.emplace(user, TokenBucket(rate_, burst_)).first;
    return it->second.tryTake(now);
}

void AccountRateLimiter::setLimits(double rate, double burst) {
    rate_ = rate;
    burst_ = burst;
    for (auto& [user, bucket] : buckets_) bucket.retune(rate, burst);
}

int AccountRateLimiter::retryAfterSeconds() const { return std::max(1, static_cast<int>(std::ceil(1.0 / rate_))); }

} // namespace natter::server
