#include "keys/prekey_fetch_limiter.h"

namespace natter::server {

namespace {
constexpr TimestampMs kHourMs = 3'600'000;

std::size_t mix(std::size_t seed, std::uint64_t value) {
    return seed ^ (std::hash<std::uint64_t>{}(value) + 0x9e3779b97f4a7c15ULL + (seed << 6) + (seed >> 2));
}
} // namespace

std::size_t PrekeyFetchLimiter::DeviceHash::operator()(const DeviceKey& d) const {
    return mix(std::hash<std::uint64_t>{}(d.user_id), d.device_id);
}

std::size_t PrekeyFetchLimiter::PairHash::operator()(const Pair& p) const {
    return mix(DeviceHash{}(p.target), p.requester);
}

PrekeyFetchLimiter::PrekeyFetchLimiter(std::uint64_t perHour)
    : handedOut_(static_cast<double>(perHour), kHourMs), warnings_(1, kWarnEveryMs) {}

bool PrekeyFetchLimiter::mayHandOut(UserId requester, DeviceKey target, TimestampMs now) const {
    return handedOut_.canSpend(Pair{requester, target}, 1, now);
}

void PrekeyFetchLimiter::handedOut(UserId requester, DeviceKey target, TimestampMs now) {
    handedOut_.spend(Pair{requester, target}, 1, now);
}

bool PrekeyFetchLimiter::shouldWarn(DeviceKey target, TimestampMs now) { return warnings_.trySpend(target, 1, now); }

} // namespace natter::server
