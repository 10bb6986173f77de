// One scenario run's figures, printed as a human table row or as one JSON object.
#pragma once

#include "latency.h"

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace natter::bench {

struct RunResult {
    std::string scenario;
    std::vector<std::pair<std::string, double>> sizes;  // e.g. connections, pairs, window
    double messages_per_s = 0;                           // deliveries/s for fanout
    Latencies latencies;                                 // ms
    std::uint64_t server_rss_kib = 0;
    double server_cpu_s = 0;                             // during the measured phase
    double bench_cpu_s = 0;                              // during the measured phase
    double elapsed_s = 0;                                // the measured phase
    std::uint64_t lost = 0;                              // acknowledged but never delivered
    bool ok = true;                                      // completed within its bounds
    std::string note;                                    // why not ok, or a remark
    std::vector<std::pair<std::string, double>> extra;   // scenario-specific figures
};

// {"scenario":..., "messages_per_s":..., "p50_ms":..., ..., sizes and extras}
std::string toJson(RunResult& r);
// The table header and one row per run.
std::string tableHeader();
std::string tableRow(RunResult& r);

} // namespace natter::bench
