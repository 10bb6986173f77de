// Token buckets every node shares (a Lua script on Redis, clocked by Redis TIME), for limits
// that must hold for the cluster and not N times over: messages into a group, verification
// codes per address and server-wide. Without Redis (single node, or Redis down) every take
// succeeds and the node's own limits apply alone. io thread only.
#pragma once

#include <functional>
#include <string>

namespace natter::server {

class RedisConnection;

class SharedLimits {
public:
    explicit SharedLimits(RedisConnection* redis = nullptr) : redis_(redis) {}

    // Takes one token of bucket `key` (refilled at `rate` per second up to `burst`);
    // done(false) when the bucket is empty.
    void take(const std::string& key, double rate, double burst, std::function<void(bool)> done);
    bool shared() const;
    // The Lua token bucket (for SCRIPT LOAD when a connection comes up).
    static const char* script();

private:
    RedisConnection* redis_;
};

} // namespace natter::server
