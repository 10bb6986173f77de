// Scenario "idle": N authenticated WebSockets that only send heartbeats. Measures the
// connect rate (upgrade + auth + welcome + empty sync) and natterd's RSS per connection.
#include "proc_stats.h"
#include "scenario.h"

#include <thread>

namespace natter::bench {

RunResult runIdle(ScenarioContext& ctx, std::uint64_t connections) {
    RunResult r;
    r.scenario = "idle";
    if (connections == 0) {
        // As many as the fd limits allow: ours and natterd's, minus a margin for files and listeners.
        const std::uint64_t limit = raiseFdLimit();
        connections = limit > 1500 ? limit - 1000 : limit / 2;
    }
    r.sizes = {{"connections", static_cast<double>(connections)}, {"sources", static_cast<double>(ctx.options.sources)}};
    std::uint64_t pongs = 0;
    ClientEvents events;
    events.onPong = [&](BenchClient&) { ++pongs; };
    events.onFailure = [&](BenchClient& c, const std::string& why) {
        if (!c.ready()) return; // connect failures are counted by connectAll
        failRun(r, "client " + std::to_string(c.index()) + ": " + why);
    };
    Clients clients;
    if (!makeClients(ctx, connections, events, clients, r)) return r;

    // Let the sign-up's garbage settle, then take the baseline.
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    const std::uint64_t rssBefore = ctx.serverRssKib();
    Phase phase(ctx);
    const bool connected = connectAll(ctx, clients, 0, clients.size(), r, &r.latencies);
    const double connectSeconds = msBetween(phase.started(), Clock::now()) / 1000.0;
    if (connected) {
        // One heartbeat round over every connection, as the clients' timers would send it.
        const auto pingStart = Clock::now();
        for (auto& c : clients) c->send(frames::ping());
        if (!runUntil(ctx.io, [&] { return pongs >= connections || !r.ok; }, ctx.deadline))
            failRun(r, "pongs: " + std::to_string(pongs) + " of " + std::to_string(connections));
        r.extra.push_back({"heartbeat_round_ms", msBetween(pingStart, Clock::now())});
        // Idle for a moment so the RSS reflects connections at rest.
        runUntil(ctx.io, [] { return false; }, std::min(ctx.deadline, Clock::now() + std::chrono::seconds(1)));
    }
    phase.finish(r);
    r.messages_per_s = 0;
    const double connectRate = static_cast<double>(connections) / connectSeconds;
    r.extra.push_back({"connects_per_s", connectRate});
    r.extra.push_back({"server_rss_before_kib", static_cast<double>(rssBefore)});
    const double perConn = r.server_rss_kib > rssBefore
                               ? static_cast<double>(r.server_rss_kib - rssBefore) / static_cast<double>(connections)
                               : 0.0;
    r.extra.push_back({"rss_per_connection_kib", perConn});
    r.note = r.ok ? "latencies are connect times (upgrade start to sync_complete)" : r.note;
    closeAll(ctx, clients);
    return r;
}

} // namespace natter::bench
