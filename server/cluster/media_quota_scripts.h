// Lua scripts for the media quota of all nodes together. The hash "mq:{user}" maps each of the
// user's media ids to "<bytes>:<created ms>:<pending until ms>" (0 once the upload is stored),
// so a reservation and its check are one atomic step, and a reservation whose node died before
// storing the upload stops counting after its pending time. Node clocks date the entries, as
// they date the media (retention).
#pragma once

namespace natter::server::media_quota_scripts {

// KEYS[1]: mq:{user}. ARGV: id, bytes, now, cutoff (now - retention), quota, pending ms, key ttl ms.
// Drops expired entries; reserves and returns {1, used} if the bytes fit, else {0, used}.
inline constexpr const char* kReserve = R"lua(
local now = tonumber(ARGV[3])
local cutoff = tonumber(ARGV[4])
local used = 0
local all = redis.call('HGETALL', KEYS[1])
for i = 1, #all, 2 do
  local bytes, created, pending = string.match(all[i + 1], '^(%d+):(%d+):(%d+)$')
  if not bytes or tonumber(created) < cutoff or (tonumber(pending) > 0 and tonumber(pending) < now) then
    redis.call('HDEL', KEYS[1], all[i])
  else
    used = used + tonumber(bytes)
  end
end
if used + tonumber(ARGV[2]) > tonumber(ARGV[5]) then return {0, used} end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2] .. ':' .. ARGV[3] .. ':' .. tostring(now + tonumber(ARGV[6])))
redis.call('PEXPIRE', KEYS[1], ARGV[7])
return {1, used}
)lua";

// KEYS[1]: mq:{user}. ARGV: key ttl ms, then id, bytes, created triples: media that is stored
// (confirming an upload after its put, and seeding the ledger from the blob store).
inline constexpr const char* kStored = R"lua(
for i = 2, #ARGV, 3 do
  redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1] .. ':' .. ARGV[i + 2] .. ':0')
end
redis.call('PEXPIRE', KEYS[1], ARGV[1])
return 0
)lua";

} // namespace natter::server::media_quota_scripts
