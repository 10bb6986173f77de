// Command-line parsing for natter-bench (Boost.Program_options) and the default sizes per scenario.
#include "options.h"

#include <boost/program_options.hpp>

#include <sstream>

namespace natter::bench {
namespace po = boost::program_options;

namespace {
// What --scenario all runs; node-kill needs a cluster (several --url) and is never part of it.
const std::vector<std::string> kScenarios{"idle", "one-to-one", "open-loop", "fanout", "offline-sync", "recovery"};

// node-kill kills one of the given nodes, once: empty if its options fit, else why not.
std::string checkNodeKill(const Options& o) {
    if (o.urls.size() < 2) return "node-kill needs the nodes of a cluster: at least two --url";
    if (o.server_pids.size() != o.urls.size()) return "node-kill needs one --server-pid per --url, in the same order";
    if (o.kill_node < 1 || o.kill_node > o.urls.size()) return "--kill-node must name one of the --url nodes (1-based)";
    if (o.placement != "spread") return "node-kill needs --placement spread (each pair's partner on another node)";
    if (o.sizes.size() > 1) return "node-kill kills its node once: give one size";
    return {};
}
}

std::vector<std::uint64_t> defaultSizes(const std::string& scenario, bool tiny) {
    if (scenario == "idle") return tiny ? std::vector<std::uint64_t>{50} : std::vector<std::uint64_t>{1000, 10000};
    if (scenario == "one-to-one") return {tiny ? 4u : 100u};
    if (scenario == "open-loop") return tiny ? std::vector<std::uint64_t>{200} : std::vector<std::uint64_t>{1000, 10000, 50000};
    if (scenario == "fanout") return {tiny ? 8u : 256u};
    if (scenario == "offline-sync") return {tiny ? 300u : 10000u};
    if (scenario == "recovery") return {tiny ? 2000u : 1000000u};
    if (scenario == "node-kill") return {tiny ? 4u : 100u};
    return {};
}

ParsedOptions parseOptions(int argc, const char* const argv[]) {
    ParsedOptions result;
    Options o;
    std::string scenario;
    po::options_description opts("natter-bench options");
    // clang-format off
    opts.add_options()
        ("help,h", "print this help and exit")
        ("url", po::value(&o.urls)->composing(), "natterd to load, e.g. http://127.0.0.1:8787 (or use --natterd); repeat it for the nodes of a cluster")
        ("placement", po::value(&o.placement)->default_value("spread"), "with several --url: spread (the two ends of a pair on different nodes) or together (on one node)")
        ("natterd", po::value(&o.natterd), "natterd binary: start a fresh one per run (needed by recovery)")
        ("data-dir", po::value(&o.data_dir), "directory for the started natterds' data (one subdirectory per run)")
        ("server-pid", po::value(&o.server_pids)->composing(), "pid of a --url node (repeatable), for RSS and CPU time (summed over nodes)")
        ("scenario", po::value(&scenario)->required(), "idle|one-to-one|open-loop|fanout|offline-sync|recovery|all, or node-kill (a cluster: several --url)")
        ("sizes", po::value<std::vector<std::uint64_t>>()->multitoken(), "the scenario's main size, one run each "
            "(idle: connections, 0 = as many as the fd limit allows; one-to-one: pairs; open-loop: msg/s; "
            "fanout: members; offline-sync: queued messages; recovery: stored messages; node-kill: pairs)")
        ("json", po::bool_switch(&o.json), "print one JSON object per run instead of a table")
        ("json-out", po::value(&o.json_out), "also append one JSON line per run to this file")
        ("tiny", po::bool_switch(&o.tiny), "tiny default sizes (the make test smoke run)")
        ("pairs", po::value(&o.pairs)->default_value(100), "sender/recipient pairs (one-to-one, open-loop, recovery)")
        ("window", po::value(&o.window)->default_value(10), "messages in flight per sender (closed loop)")
        ("messages", po::value(&o.messages)->default_value(0), "messages to send (0: scenario default)")
        ("duration", po::value(&o.duration_s)->default_value(5), "seconds of load (one-to-one, open-loop, fanout; node-kill: before the kill)")
        ("sources", po::value(&o.sources)->default_value(4), "127.0.0.x source addresses for WebSockets")
        ("connect-concurrency", po::value(&o.connect_concurrency)->default_value(256), "upgrades in flight")
        ("signup-concurrency", po::value(&o.signup_concurrency)->default_value(32), "HTTP connections for sign-up")
        ("timeout", po::value(&o.timeout_s)->default_value(120), "hard bound in seconds for one run")
        ("kill-node", po::value(&o.kill_node)->default_value(1), "node-kill: the --url node (1-based) to SIGKILL; its pid is the --server-pid at the same position");
    // clang-format on
    po::positional_options_description positional;
    positional.add("sizes", -1);
    po::variables_map vm;
    try {
        po::store(po::command_line_parser(argc, argv).options(opts).positional(positional).run(), vm);
        if (vm.count("help")) {
            std::ostringstream out;
            out << "natter-bench - load generator for natterd\n\n"
                   "Usage: natter-bench (--url URL | --natterd PATH --data-dir DIR) --scenario NAME [sizes...]\n"
                   "       natter-bench --url URL --url URL... --server-pid PID... --scenario node-kill [pairs]\n\n"
                << opts;
            result.output = out.str();
            return result;
        }
        po::notify(vm);
    } catch (const po::error& e) {
        result.output = std::string("natter-bench: ") + e.what() + "\n";
        result.exit_code = 2;
        return result;
    }
    if (o.tiny && vm["duration"].defaulted()) o.duration_s = 1;
    if (vm.count("sizes")) o.sizes = vm["sizes"].as<std::vector<std::uint64_t>>();
    if (scenario == "all") o.scenarios = kScenarios;
    else if (scenario == "node-kill" || std::find(kScenarios.begin(), kScenarios.end(), scenario) != kScenarios.end())
        o.scenarios = {scenario};
    else {
        result.output = "natter-bench: unknown scenario '" + scenario + "'\n";
        result.exit_code = 2;
        return result;
    }
    if (o.placement != "spread" && o.placement != "together") {
        result.output = "natter-bench: --placement must be spread or together\n";
        result.exit_code = 2;
        return result;
    }
    if (o.urls.empty() == o.natterd.empty()) {
        result.output = "natter-bench: give exactly one of --url and --natterd\n";
        result.exit_code = 2;
        return result;
    }
    if (!o.natterd.empty() && o.data_dir.empty()) {
        result.output = "natter-bench: --natterd needs --data-dir\n";
        result.exit_code = 2;
        return result;
    }
    if (!o.urls.empty() && std::find(o.scenarios.begin(), o.scenarios.end(), "recovery") != o.scenarios.end()) {
        result.output = "natter-bench: the recovery scenario kills and restarts natterd: use --natterd and --data-dir\n";
        result.exit_code = 2;
        return result;
    }
    if (scenario == "node-kill") {
        if (const auto why = checkNodeKill(o); !why.empty()) {
            result.output = "natter-bench: " + why + "\n";
            result.exit_code = 2;
            return result;
        }
    }
    if (o.window == 0 || o.pairs == 0 || o.sources == 0 || o.sources > 250 || o.duration_s <= 0) {
        result.output = "natter-bench: --window, --pairs, --duration must be positive, --sources 1-250\n";
        result.exit_code = 2;
        return result;
    }
    result.options = std::move(o);
    return result;
}

} // namespace natter::bench
