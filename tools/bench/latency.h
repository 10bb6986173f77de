// Latency samples of one run and their percentiles (exact: every sample is kept).
#pragma once

#include <cstddef>
#include <vector>

namespace natter::bench {

class Latencies {
public:
    void add(double ms) { samples_.push_back(ms); }
    std::size_t count() const { return samples_.size(); }
    // The q-quantile (0..1) in ms, nearest-rank; 0 without samples. Sorts lazily.
    double quantile(double q);
    double max();

private:
    std::vector<double> samples_;
    bool sorted_ = false;
};

} // namespace natter::bench
