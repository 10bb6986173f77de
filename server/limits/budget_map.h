// Per-key spending budgets for abuse limits such as "1000 numbers per account per day": each
// key may spend `capacity` units per `window`, refilled continuously (a token bucket per key,
// on the caller's clock). Keys whose budget has refilled completely are forgotten, so the map
// only holds recent spenders. Not thread-safe: each owner uses it from one thread.
#pragma once

#include "protocol/types.h"

#include <algorithm>
#include <cstddef>
#include <functional>
#include <unordered_map>

namespace natter::server {

template <class Key, class Hash = std::hash<Key>>
class BudgetMap {
public:
    using TimestampMs = protocol::TimestampMs;

    BudgetMap(double capacity, TimestampMs window)
        : capacity_(capacity),
          window_(std::max<TimestampMs>(window, 1)),
          refillPerMs_(capacity / static_cast<double>(window_)) {}

    // A new capacity per window (a reloaded limit): what each key spent stays spent, so a lowered
    // capacity leaves less to spend at once.
    void setCapacity(double capacity) {
        capacity_ = capacity;
        refillPerMs_ = capacity / static_cast<double>(window_);
    }

    double capacity() const { return capacity_; }

    // Units `key` may still spend at `now`.
    double available(const Key& key, TimestampMs now) const {
        const auto it = spent_.find(key);
        return it == spent_.end() ? capacity_ : capacity_ - outstanding(it->second, now);
    }
    bool canSpend(const Key& key, double units, TimestampMs now) const { return units <= available(key, now); }

    // Records `units` spent by `key` (callers check canSpend first when the limit is strict).
    void spend(const Key& key, double units, TimestampMs now) {
        if (units <= 0) return;
        prune(now);
        auto& entry = spent_[key];
        entry.units = outstanding(entry, now) + units;
        entry.at = now;
    }

    // All or nothing: spends and returns true only if `units` are available.
    bool trySpend(const Key& key, double units, TimestampMs now) {
        if (!canSpend(key, units, now)) return false;
        spend(key, units, now);
        return true;
    }

    std::size_t trackedKeys() const { return spent_.size(); }

private:
    struct Spent {
        double units = 0;   // not yet refilled at `at`
        TimestampMs at = 0;
    };

    double outstanding(const Spent& s, TimestampMs now) const {
        const double refilled = static_cast<double>(std::max<TimestampMs>(now - s.at, 0)) * refillPerMs_;
        return std::max(0.0, s.units - refilled);
    }

    // Drops fully refilled keys once the map has doubled since the last sweep.
    void prune(TimestampMs now) {
        if (spent_.size() < pruneAt_) return;
        std::erase_if(spent_, [&](const auto& entry) { return outstanding(entry.second, now) <= 0; });
        pruneAt_ = std::max<std::size_t>(kMinPruneAt, 2 * spent_.size());
    }

    static constexpr std::size_t kMinPruneAt = 64;
    double capacity_;
    TimestampMs window_;
    double refillPerMs_;
    std::unordered_map<Key, Spent, Hash> spent_;
    std::size_t pruneAt_ = kMinPruneAt;
};

} // namespace natter::server
