// A token bucket rate limiter: `rate` events per second with bursts up to `burst`.
#pragma once

#include <algorithm>
#include <chrono>

namespace natter::server {

class TokenBucket {
public:
    using Clock = std::chrono::steady_clock;

    TokenBucket(double rate, double burst) : rate_(rate), burst_(burst), tokens_(burst), last_(Clock::now()) {}

    // Takes a token if one is available.
    bool tryTake(Clock::time_point now = Clock::now()) {
        const std::chrono::duration<double> elapsed = now - last_;
        last_ = now;
        tokens_ = std::min(burst_, tokens_ + elapsed.count() * rate_);
        if (tokens_ < 1.0) return false;
        tokens_ -= 1.0;
        return true;
    }

    // New limits for an existing bucket (a reload): it keeps what it holds, up to the new burst.
    void retune(double rate, double burst) {
        rate_ = rate;
        burst_ = burst;
        tokens_ = std::min(tokens_, burst_);
    }

    // True when the bucket has refilled completely: forgetting it would change nothing.
    bool isFull(Clock::time_point now = Clock::now()) const {
        const std::chrono::duration<double> elapsed = now - last_;
        return tokens_ + elapsed.count() * rate_ >= burst_;
    }

private:
    double rate_;
    double burst_;
    double tokens_;
    Clock::time_point last_;
};

} // namespace natter::server
