// Runs every requested scenario and size, each against a fresh natterd when --natterd is given.
#include "runner.h"

#include "proc_stats.h"
#include "scenario.h"

#include <filesystem>
#include <fstream>
#include <iostream>

namespace natter::bench {

namespace {

RunResult runScenario(ScenarioContext& ctx, const std::string& name, std::uint64_t size) {
    if (name == "idle") return runIdle(ctx, size);
    if (name == "one-to-one") return runOneToOne(ctx, size);
    if (name == "open-loop") return runOpenLoop(ctx, size);
    if (name == "fanout") return runFanout(ctx, size);
    if (name == "offline-sync") return runOfflineSync(ctx, size);
    if (name == "node-kill") return runNodeKill(ctx, size);
    return runRecovery(ctx, size);
}

RunResult runOne(const Options& options, const std::string& name, std::uint64_t size, int runNumber) {
    boost::asio::io_context io{1};
    ScenarioContext ctx{options, io, {}, {}, {options.server_pids.begin(), options.server_pids.end()}, nullptr,
                        Clock::now()};
    std::unique_ptr<ServerProcess> server;
    std::filesystem::path dir;
    if (!options.natterd.empty()) {
        dir = std::filesystem::path(options.data_dir) / (name + "-" + std::to_string(size) + "-" + std::to_string(runNumber));
        std::filesystem::remove_all(dir);
        server = std::make_unique<ServerProcess>(options.natterd, dir);
        std::string error;
        if (!server->start(error)) {
            RunResult r;
            r.scenario = name;
            failRun(r, "natterd: " + error);
            return r;
        }
        ctx.server = server.get();
        ctx.serverPids = {server->pid()};
        ctx.endpoint.port = server->port();
    } else {
        for (const auto& url : options.urls) parseUrl(url, ctx.nodes.emplace_back());
        ctx.endpoint = ctx.nodes.front();
    }
    // Bigger runs get proportionally more time, but every run is bounded.
    const double budget = options.timeout_s + (name == "recovery" ? static_cast<double>(size) / 2000.0 : 0.0) +
                          (name == "idle" ? static_cast<double>(size) / 500.0 : 0.0);
    ctx.deadline = Clock::now() + std::chrono::milliseconds(static_cast<long long>(budget * 1000));
    RunResult result = runScenario(ctx, name, size);
    if (server) {
        server->stop();
        std::error_code ec;
        std::filesystem::remove_all(dir, ec);
    }
    return result;
}

} // namespace

int runMain(int argc, const char* const argv[]) {
    auto parsed = parseOptions(argc, argv);
    if (!parsed.options) {
        (parsed.exit_code == 0 ? std::cout : std::cerr) << parsed.output;
        return parsed.exit_code;
    }
    const Options& options = *parsed.options;
    raiseFdLimit(); // natterd children inherit it
    for (const auto& url : options.urls) {
        Endpoint e;
        if (!parseUrl(url, e)) {
            std::cerr << "natter-bench: bad --url '" << url << "'\n";
            return 2;
        }
    }
    bool allOk = true;
    int runNumber = 0;
    if (!options.json) std::cout << tableHeader() << std::endl;
    for (const auto& name : options.scenarios) {
        const auto sizes = options.sizes.empty() || options.scenarios.size() > 1 ? defaultSizes(name, options.tiny)
                                                                                   : options.sizes;
        for (const auto size : sizes) {
            RunResult r = runOne(options, name, size, ++runNumber);
            allOk = allOk && r.ok && r.lost == 0;
            const std::string json = toJson(r);
            std::cout << (options.json ? json : tableRow(r)) << std::endl;
            if (!options.json_out.empty()) std::ofstream(options.json_out, std::ios::app) << json << '\n';
        }
    }
    return allOk ? 0 : 1;
}

} // namespace natter::bench
