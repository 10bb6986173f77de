#include "cluster/shared_limits.h"

#include "cluster/redis_connection.h"

#include <cstdio>
#include <memory>

namespace natter::server {

namespace {
// KEYS: buckets. ARGV[1]: cost; then rate per second and burst per bucket. Takes `cost` tokens
// from every bucket, or none; returns 1 when they were taken. A bucket keeps what was spent
// (decaying at `rate`), not what is left, so a burst changed by a reload counts what all nodes
// took already, as one node's own limits do. A bucket of the older layout ('tokens') is read once.
constexpr const char* kTake = R"lua(
local cost = tonumber(ARGV[1])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local spent = {}
local ok = 1
for i, key in ipairs(KEYS) do
  local rate = tonumber(ARGV[2 * i])
  local burst = tonumber(ARGV[2 * i + 1])
  local b = redis.call('HMGET', key, 'spent', 'ts', 'tokens')
  local was = tonumber(b[1])
  if not was then was = b[3] and math.max(0, burst - tonumber(b[3])) or 0 end
  local ts = tonumber(b[2]) or now
  spent[i] = math.max(0, was - math.max(0, now - ts) * rate / 1000)
  if burst - spent[i] < cost then ok = 0 end
end
for i, key in ipairs(KEYS) do
  local rate = tonumber(ARGV[2 * i])
  local s = spent[i]
  if ok == 1 then s = s + cost end
  redis.call('HSET', key, 'spent', tostring(s), 'ts', tostring(now))
  redis.call('HDEL', key, 'tokens')
  redis.call('PEXPIRE', key, math.ceil(s / rate * 1000) + 1000)
end
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
    takeAll({SharedBucket{key, rate, burst}}, 1, std::move(done));
}

void SharedLimits::takeAll(const std::vector<SharedBucket>& buckets, double cost, std::function<void(bool)> done) {
    std::vector<const SharedBucket*> limited; // a bucket without a rate limits nothing
    for (const auto& b : buckets)
        if (b.rate > 0) limited.push_back(&b);
    if (!shared() || limited.empty()) return done(true);
    std::vector<std::string> args{std::to_string(limited.size())};
    for (const auto* b : limited) args.push_back("tb:" + b->key);
    args.push_back(number(cost));
    for (const auto* b : limited) {
        args.push_back(number(b->rate));
        args.push_back(number(b->burst));
    }
    redis_->eval(kTake, std::move(args), [done = std::move(done)](std::optional<RedisReply> reply) {
        // Redis failing open: the node's own limits still apply.
        if (!reply || reply->type != RedisReply::Type::integer) return done(true);
        done(reply->integer == 1);
    });
}

void SharedLimits::takeEach(const std::vector<SharedBucket>& buckets, std::function<void(std::vector<bool>)> done) {
    if (!shared() || buckets.empty()) return done(std::vector<bool>(buckets.size(), true));
    struct Pending {
        std::vector<bool> taken;
        std::size_t left;
        std::function<void(std::vector<bool>)> done;
    };
    auto pending = std::make_shared<Pending>(Pending{std::vector<bool>(buckets.size(), true), buckets.size(), std::move(done)});
    for (std::size_t i = 0; i < buckets.size(); ++i)
        take(buckets[i].key, buckets[i].rate, buckets[i].burst, [pending, i](bool ok) {
            pending->taken[i] = ok;
            if (--pending->left == 0) pending->done(std::move(pending->taken));
        });
}

} // namespace natter::server
