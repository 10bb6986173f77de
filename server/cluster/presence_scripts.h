// Lua scripts for cluster-wide presence. A user's devices live in the ZSET "pres:{user}" as
// members "<device>@<node>" scored by their expiry (Redis TIME, ms), so a node that dies
// stops refreshing and its entries run out; "pres:users" scores users by their latest expiry
// so a reaper finds the expired ones without scanning. That score is rewritten from the user's
// ZSET on every write (not raised with GT), so a lowered --presence-timeout takes effect at once. Each script returns the 0<->1
// transitions atomically, so exactly one node announces a user online or offline.
#pragma once

namespace natter::server::presence_scripts {

// KEYS: -. ARGV: ttl ms, user, member. Returns 1 if the user came online.
inline constexpr const char* kUp = R"lua(
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local key = 'pres:' .. ARGV[2]
redis.call('ZREMRANGEBYSCORE', key, '-inf', now)
local before = redis.call('ZCARD', key)
local expiry = now + tonumber(ARGV[1])
redis.call('ZADD', key, expiry, ARGV[3])
redis.call('PEXPIRE', key, 2 * tonumber(ARGV[1]))
local top = redis.call('ZRANGE', key, -1, -1, 'WITHSCORES')
redis.call('ZADD', 'pres:users', top[2], ARGV[2])
if before == 0 then return 1 end
return 0
)lua";

// ARGV: user, member. Returns 1 if the user went offline.
inline constexpr const char* kDown = R"lua(
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local key = 'pres:' .. ARGV[1]
local removed = redis.call('ZREM', key, ARGV[2])
redis.call('ZREMRANGEBYSCORE', key, '-inf', now)
if redis.call('ZCARD', key) == 0 then
  redis.call('ZREM', 'pres:users', ARGV[1])
  if removed == 1 then return 1 end
end
return 0
)lua";

// ARGV: ttl ms, then user, member pairs. Extends the entries of devices still connected.
inline constexpr const char* kRefresh = R"lua(
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local expiry = now + tonumber(ARGV[1])
for i = 2, #ARGV, 2 do
  local key = 'pres:' .. ARGV[i]
  redis.call('ZADD', key, expiry, ARGV[i + 1])
  redis.call('PEXPIRE', key, 2 * tonumber(ARGV[1]))
  local top = redis.call('ZRANGE', key, -1, -1, 'WITHSCORES')
  redis.call('ZADD', 'pres:users', top[2], ARGV[i])
end
return 0
)lua";

// ARGV: at most this many users. Removes expired entries; returns the users now offline.
inline constexpr const char* kReap = R"lua(
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local offline = {}
for _, user in ipairs(redis.call('ZRANGEBYSCORE', 'pres:users', '-inf', now, 'LIMIT', 0, tonumber(ARGV[1]))) do
  local key = 'pres:' .. user
  local removed = redis.call('ZREMRANGEBYSCORE', key, '-inf', now)
  local top = redis.call('ZRANGE', key, -1, -1, 'WITHSCORES')
  if #top == 0 then
    redis.call('ZREM', 'pres:users', user)
    if removed > 0 then offline[#offline + 1] = user end
  else
    redis.call('ZADD', 'pres:users', top[2], user)
  end
end
return offline
)lua";

// ARGV: user. Returns how many of its devices are connected somewhere.
inline constexpr const char* kOnline = R"lua(
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
return redis.call('ZCOUNT', 'pres:' .. ARGV[1], '(' .. now, '+inf')
)lua";

} // namespace natter::server::presence_scripts
