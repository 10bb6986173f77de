#include "cluster/shared_limits.h"

#include "cluster/redis_connection.h"

#include <cstdio>

namespace natter::server {

namespace {
// KEYS[1]: bucket. ARGV: rate per second, burst. Returns 1 when a token was taken.
constexpr const char* kTake = R"lua(
local rate = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local b = redis.call('HMGET', KEYS[1], 'tokens', 'ts')
local tokens = tonumber(b[1]) or burst
local ts = tonumber(b[2]) or now
tokens = math.min(burst, tokens + math.max(0, now - ts) * rate / 1000)
local ok = 0
if tokens >= 1 then
  tokens = tokens - 1
  ok = 1
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'ts', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil(burst / rate * 1000) + 1000)
return ok
)lua";

std::string number(double v) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.17g", v);
    return buf;
}
} // namespace

const char* SharedLimits::script() { return kTake; }

bool SharedLimits::shared() const { return redis_ && redis_->up(); }

void SharedLimits::take(const std::string& key, double rate, double burst, std::function<void(bool)> done) {
    if (!shared() || rate <= 0) {
        done(true);
        return;
    }
    redis_->eval(kTake, {"1", "tb:" + key, number(rate), number(burst)},
                    [done = std::move(done)](std::optional<RedisReply> reply) {
                        // Redis failing open: the node's own limits still apply.
                        if (!reply || reply->type != RedisReply::Type::integer) return done(true);
                        done(reply->integer == 1);
                    });
}

} // namespace natter::server
