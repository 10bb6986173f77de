// Formats a RunResult as one JSON object (Boost.JSON) or as a fixed-width table row.
#include "report.h"

#include <boost/json.hpp>

#include <cstdio>

namespace natter::bench {

std::string toJson(RunResult& r) {
    boost::json::object o;
    o["scenario"] = r.scenario;
    o["ok"] = r.ok;
    o["messages_per_s"] = r.messages_per_s;
    o["samples"] = r.latencies.count();
    o["p50_ms"] = r.latencies.quantile(0.50);
    o["p99_ms"] = r.latencies.quantile(0.99);
    o["p999_ms"] = r.latencies.quantile(0.999);
    o["max_ms"] = r.latencies.max();
    o["server_rss_kib"] = r.server_rss_kib;
    o["server_cpu_s"] = r.server_cpu_s;
    o["bench_cpu_s"] = r.bench_cpu_s;
    o["elapsed_s"] = r.elapsed_s;
    o["lost"] = r.lost;
    for (const auto& [name, value] : r.sizes) o[name] = value;
    for (const auto& [name, value] : r.extra) o[name] = value;
    if (!r.note.empty()) o["note"] = r.note;
    return boost::json::serialize(o);
}

std::string tableHeader() {
    char line[256];
    std::snprintf(line, sizeof line, "%-13s %-28s %11s %8s %8s %8s %8s %10s %8s %8s %5s", "scenario", "sizes", "msg/s",
                  "p50 ms", "p99 ms", "p99.9", "max ms", "srv RSS KiB", "srv CPU", "bench CPU", "lost");
    return line;
}

std::string tableRow(RunResult& r) {
    std::string sizes;
    for (const auto& [name, value] : r.sizes) {
        char part[64];
        std::snprintf(part, sizeof part, "%s%s=%.0f", sizes.empty() ? "" : " ", name.c_str(), value);
        sizes += part;
    }
    char line[512];
    std::snprintf(line, sizeof line, "%-13s %-28s %11.0f %8.2f %8.2f %8.2f %8.2f %10llu %7.2fs %8.2fs %5llu",
                  r.scenario.c_str(), sizes.c_str(), r.messages_per_s, r.latencies.quantile(0.5),
                  r.latencies.quantile(0.99), r.latencies.quantile(0.999), r.latencies.max(),
                  static_cast<unsigned long long>(r.server_rss_kib), r.server_cpu_s, r.bench_cpu_s,
                  static_cast<unsigned long long>(r.lost));
    std::string out = line;
    for (const auto& [name, value] : r.extra) {
        char part[96];
        std::snprintf(part, sizeof part, "\n    %-26s %.3f", name.c_str(), value);
        out += part;
    }
    if (!r.ok || !r.note.empty()) out += "\n    " + std::string(r.ok ? "note: " : "FAILED: ") + r.note;
    return out;
}

} // namespace natter::bench
