// A Prometheus histogram of durations in seconds with fixed buckets, lock-free: observed from
// any thread (io thread, store lanes), rendered on the io thread.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <ostream>
#include <string_view>

namespace natter::server {

class Histogram {
public:
    static constexpr std::array<double, 12> kBucketsSeconds{0.001, 0.005, 0.01, 0.025, 0.05, 0.1,
                                                            0.25,  0.5,   1.0,  2.5,   5.0,  10.0};

    // Counts one observation of `micros` microseconds.
    void observeMicros(std::uint64_t micros);
    std::uint64_t count() const { return count_.load(std::memory_order_relaxed); }

    // The _bucket, _sum and _count lines of `name`; `labels` (e.g. engine="sqlite", no braces)
    // go before le="…" in every line.
    void render(std::ostream& out, std::string_view name, std::string_view labels = {}) const;

private:
    std::array<std::atomic<std::uint64_t>, kBucketsSeconds.size()> buckets_{};
    std::atomic<std::uint64_t> count_{0};
    std::atomic<std::uint64_t> sumMicros_{0};
};

} // namespace natter::server
