// Shared scenario steps: source addresses, phase measurement, sign-up, bounded connects, closes.
#include "scenario.h"

#include "proc_stats.h"

namespace natter::bench {

std::string ScenarioContext::source(std::size_t i) const {
    return "127.0.0." + std::to_string(1 + i % options.sources);
}

const Endpoint& ScenarioContext::nodeFor(std::size_t i) const {
    if (nodes.size() <= 1) return endpoint;
    return nodes[(options.placement == "together" ? i / 2 : i) % nodes.size()];
}

double ScenarioContext::serverCpu() const {
    double total = 0;
    for (const pid_t pid : serverPids) total += cpuSeconds(pid);
    return total;
}

std::uint64_t ScenarioContext::serverRssKib() const {
    std::uint64_t total = 0;
    for (const pid_t pid : serverPids) total += rssKib(pid);
    return total;
}

Phase::Phase(const ScenarioContext& ctx)
    : ctx_(ctx), started_(Clock::now()), serverCpu_(ctx.serverCpu()), benchCpu_(selfCpuSeconds()) {}

void Phase::finish(RunResult& r) const {
    r.elapsed_s = msBetween(started_, Clock::now()) / 1000.0;
    r.server_cpu_s = ctx_.serverCpu() - serverCpu_;
    r.bench_cpu_s = selfCpuSeconds() - benchCpu_;
    r.server_rss_kib = ctx_.serverRssKib();
}

void failRun(RunResult& r, const std::string& why) {
    if (r.ok) r.note = why;
    r.ok = false;
}

bool makeClients(ScenarioContext& ctx, std::size_t count, const ClientEvents& events, Clients& out, RunResult& r) {
    std::string error;
    auto accounts = signUp(ctx.io, ctx.endpoint, count, ctx.options.signup_concurrency, ctx.deadline, error);
    if (accounts.size() != count) {
        failRun(r, "sign-up: " + error);
        return false;
    }
    out.clear();
    out.reserve(count);
    for (std::size_t i = 0; i < count; ++i)
        out.push_back(std::make_unique<BenchClient>(ctx.io, std::move(accounts[i]), events, i));
    return true;
}

bool connectAll(ScenarioContext& ctx, Clients& clients, std::size_t from, std::size_t to, RunResult& r,
                Latencies* times) {
    std::size_t next = from, ready = 0, failed = 0;
    const std::size_t limit = std::max<std::size_t>(1, ctx.options.connect_concurrency);
    std::vector<std::size_t> active; // connecting now
    const bool done = runUntil(
        ctx.io,
        [&] {
            for (std::size_t k = 0; k < active.size();) {
                auto& c = *clients[active[k]];
                if (!c.ready() && !c.ended()) {
                    ++k;
                    continue;
                }
                if (c.ready()) {
                    ++ready;
                    if (times) times->add(msBetween(c.connectStarted(), c.readyAt()));
                } else {
                    ++failed;
                }
                active[k] = active.back();
                active.pop_back();
            }
            while (active.size() < limit && next < to) {
                clients[next]->connect(ctx.nodeFor(next), ctx.source(next));
                active.push_back(next++);
            }
            return ready + failed == to - from;
        },
        ctx.deadline);
    if (!done || failed) {
        failRun(r, "connected " + std::to_string(ready) + " of " + std::to_string(to - from) + " (" +
                       std::to_string(failed) + " failed)");
        return false;
    }
    return true;
}

void closeAll(ScenarioContext& ctx, Clients& clients) {
    for (auto& c : clients) c->close();
    runUntil(ctx.io, [&] { return std::all_of(clients.begin(), clients.end(), [](auto& c) { return c->ended(); }); },
             Clock::now() + std::chrono::seconds(10));
}

std::int64_t nowNs() {
    static const auto epoch = Clock::now();
    return std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - epoch).count();
}

std::string taggedId(std::int64_t sentNs, std::uint64_t n) { return std::to_string(sentNs) + "-" + std::to_string(n); }

std::int64_t sentNsOf(const std::string& clientMsgId) {
    std::int64_t v = 0;
    for (char ch : clientMsgId) {
        if (ch < '0' || ch > '9') break;
        v = v * 10 + (ch - '0');
    }
    return v;
}

} // namespace natter::bench
