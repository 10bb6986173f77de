// Protects one-time pre-keys from being drained: one account may take at most `perHour` of
// one device's one-time pre-keys per hour (a session set up once, reset a few times, from a
// few devices stays far below). Beyond it the bundle is served without one (X3DH still works,
// only without the one-time key's extra forward secrecy), and the device is told, at most
// once per kWarnEveryMs. Store worker thread only (KeyDirectory).
#pragma once

#include "limits/budget_map.h"
#include "store/store.h"

#include <cstdint>
#include <functional>

namespace natter::server {

class PrekeyFetchLimiter {
public:
    static constexpr TimestampMs kWarnEveryMs = 600'000;

    explicit PrekeyFetchLimiter(std::uint64_t perHour);

    // Whether `requester` may take another one-time pre-key of `target` now.
    bool mayHandOut(UserId requester, DeviceKey target, TimestampMs now) const;
    void handedOut(UserId requester, DeviceKey target, TimestampMs now);
    // A key was withheld from someone: true if `target` should hear about it now.
    bool shouldWarn(DeviceKey target, TimestampMs now);

private:
    struct Pair {
        UserId requester = 0;
        DeviceKey target;
        friend bool operator==(const Pair&, const Pair&) = default;
    };
    struct PairHash {
        std::size_t operator()(const Pair& p) const;
    };
    struct DeviceHash {
        std::size_t operator()(const DeviceKey& d) const;
    };

    BudgetMap<Pair, PairHash> handedOut_;
    BudgetMap<DeviceKey, DeviceHash> warnings_;
};

} // namespace natter::server
