// natter-bench's command line: which scenario, its sizes, and how to reach (or start) natterd.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace natter::bench {

struct Options {
    // Already running natterd nodes (clients spread over them); empty: start one.
    std::vector<std::string> urls;
    // How clients are spread over several --url nodes: "spread" (client i on node i mod N, so
    // both ends of a pair sit on different nodes) or "together" (a pair shares one node).
    std::string placement = "spread";
    std::string natterd;              // natterd binary to start (per run, fresh data dir)
    std::string data_dir;             // where started natterds keep their data
    std::vector<int> server_pids;     // pids of the --url nodes, for RSS and CPU figures (summed)
    std::vector<std::string> scenarios;
    std::vector<std::uint64_t> sizes; // the scenario's main size, one run each
    bool json = false;
    std::string json_out;             // also append each run's JSON line to this file
    bool tiny = false;                // tiny sizes for `make test`
    // Scenario parameters (defaults are the targets' sizes).
    std::uint64_t pairs = 100;
    std::uint64_t window = 10;
    std::uint64_t messages = 0;       // 0: the scenario's default
    double duration_s = 5;
    std::uint64_t sources = 4;        // 127.0.0.x source addresses for many connections
    std::uint64_t connect_concurrency = 256;
    std::uint64_t signup_concurrency = 32;
    double timeout_s = 120;           // hard bound for one scenario run
    // node-kill: which --url node gets SIGKILL (1-based); its pid is the --server-pid at the
    // same position.
    std::uint64_t kill_node = 1;
};

struct ParsedOptions {
    std::optional<Options> options;
    std::string output;
    int exit_code = 0;
};

ParsedOptions parseOptions(int argc, const char* const argv[]);

// The default sizes of a scenario (its main size: connections, pairs, rate, members, ...).
std::vector<std::uint64_t> defaultSizes(const std::string& scenario, bool tiny);

} // namespace natter::bench
