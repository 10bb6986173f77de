// What every scenario gets (options, io_context, the server under load) and the shared
// steps: sign up and connect clients with bounded concurrency, measure a phase, close.
#pragma once

#include "bench_client.h"
#include "options.h"
#include "report.h"
#include "server_process.h"

#include <memory>
#include <vector>

namespace natter::bench {

struct ScenarioContext {
    const Options& options;
    boost::asio::io_context& io;
    Endpoint endpoint;               // where accounts sign up (the first node)
    std::vector<Endpoint> nodes;     // where clients connect (one entry: a single server)
    std::vector<pid_t> serverPids;   // empty: unknown (no RSS/CPU figures)
    ServerProcess* server = nullptr; // set when natter-bench started natterd
    Clock::time_point deadline;      // hard bound for the run

    // The i-th WebSocket's source address: 127.0.0.1 .. 127.0.0.<sources>.
    std::string source(std::size_t i) const;
    // The node the i-th client connects to (--placement).
    const Endpoint& nodeFor(std::size_t i) const;
    // CPU seconds and RSS of the server processes, summed over the nodes.
    double serverCpu() const;
    std::uint64_t serverRssKib() const;
};

using Clients = std::vector<std::unique_ptr<BenchClient>>;

// CPU and wall time of one measured phase, and natterd's RSS at its end.
class Phase {
public:
    explicit Phase(const ScenarioContext& ctx);
    void finish(RunResult& r) const;
    Clock::time_point started() const { return started_; }

private:
    const ScenarioContext& ctx_;
    Clock::time_point started_;
    double serverCpu_;
    double benchCpu_;
};

// Signs up `count` accounts and makes (unconnected) clients for them. False (r.ok false,
// r.note set) on failure.
bool makeClients(ScenarioContext& ctx, std::size_t count, const ClientEvents& events, Clients& out, RunResult& r);
// Connects clients[from, to) with at most `concurrency` upgrades in flight and waits for each
// sync_complete; records each connect time (upgrade start to sync_complete) in `times`.
bool connectAll(ScenarioContext& ctx, Clients& clients, std::size_t from, std::size_t to, RunResult& r,
                Latencies* times = nullptr);
// Closes every client and waits (briefly) for the closes to finish.
void closeAll(ScenarioContext& ctx, Clients& clients);
// Marks the run failed (keeps the first reason).
void failRun(RunResult& r, const std::string& why);

// Nanoseconds since the process started: the send timestamp carried in client_msg_ids.
std::int64_t nowNs();
// client_msg_id "<ns>-<n>" and the send time it carries.
std::string taggedId(std::int64_t sentNs, std::uint64_t n);
std::int64_t sentNsOf(const std::string& clientMsgId);

RunResult runIdle(ScenarioContext& ctx, std::uint64_t connections);
RunResult runOneToOne(ScenarioContext& ctx, std::uint64_t pairs);
RunResult runOpenLoop(ScenarioContext& ctx, std::uint64_t rate);
RunResult runFanout(ScenarioContext& ctx, std::uint64_t members);
RunResult runOfflineSync(ScenarioContext& ctx, std::uint64_t queued);
RunResult runRecovery(ScenarioContext& ctx, std::uint64_t stored);
RunResult runNodeKill(ScenarioContext& ctx, std::uint64_t pairs);

} // namespace natter::bench
