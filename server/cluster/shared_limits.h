// Token buckets every node shares (a Lua script on Redis, clocked by Redis TIME), for limits
// that must hold for the cluster and not N times over: messages into a group, verification
// codes, phone-number lookups, one-time pre-keys per requester, REST calls per account.
// Without Redis (single node, Redis down, or no answer within --redis-timeout) every take
// succeeds and the node's own limits apply alone. io thread only.
#pragma once

#include <functional>
#include <string>
#include <vector>

namespace natter::server {

class RedisConnection;

// One bucket: refilled at `rate` tokens per second up to `burst`. `key` gets the prefix "tb:".
struct SharedBucket {
    std::string key;
    double rate = 0;
    double burst = 0;
};

class SharedLimits {
public:
    explicit SharedLimits(RedisConnection* redis = nullptr) : redis_(redis) {}

    // Takes one token of bucket `key`; done(false) when the bucket is empty.
    void take(const std::string& key, double rate, double burst, std::function<void(bool)> done);
    // Takes `cost` tokens from every bucket, or none when one of them holds fewer.
    void takeAll(const std::vector<SharedBucket>& buckets, double cost, std::function<void(bool)> done);
    // One token from each bucket on its own; done gets, per bucket, whether it was taken.
    void takeEach(const std::vector<SharedBucket>& buckets, std::function<void(std::vector<bool>)> done);
    bool shared() const;
    // The Lua token bucket (for SCRIPT LOAD when a connection comes up).
    static const char* script();

private:
    RedisConnection* redis_;
};

} // namespace natter::server
