// Scenario "recovery": fill natterd with M stored messages (queued for offline recipients),
// kill it with SIGKILL while sends are still in flight, restart it on the same data and
// measure the time until it serves (/healthz answers). Then every recipient drains its
// queue: each message acknowledged `sent` before the kill must be there.
#include "scenario.h"

#include "protocol/identifiers.h"

#include <thread>
#include <unordered_set>

namespace natter::bench {

namespace {

// Polls GET /healthz until it answers 200; false at the deadline.
bool waitServing(ScenarioContext& ctx, Clock::time_point deadline) {
    bool serving = false;
    while (!serving && Clock::now() < deadline) {
        auto http = HttpClient::create(ctx.io, ctx.endpoint);
        bool answered = false;
        http->request("GET", "/healthz", {}, {}, [&](HttpResult res) {
            answered = true;
            serving = res.status == 200;
        });
        runUntil(ctx.io, [&] { return answered; }, deadline);
        if (!serving) std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    return serving;
}

} // namespace

RunResult runRecovery(ScenarioContext& ctx, std::uint64_t stored) {
    RunResult r;
    r.scenario = "recovery";
    const std::size_t pairs = std::max<std::size_t>(1, std::min<std::size_t>(ctx.options.pairs, 50));
    const std::uint64_t window = 64;
    r.sizes = {{"stored", static_cast<double>(stored)}, {"pairs", static_cast<double>(pairs)}};
    if (!ctx.server) {
        failRun(r, "recovery needs --natterd (it kills and restarts natterd)");
        return r;
    }
    std::uint64_t sent = 0, acked = 0, drained = 0;
    bool filling = true;
    bool killed = false;
    std::vector<std::vector<protocol::MessageId>> ackedIds(pairs);
    std::vector<std::unordered_set<protocol::MessageId>> got(pairs);
    std::vector<std::string> chats;
    Clients clients; // 2p: sender, 2p+1: recipient (offline until the check)
    auto sendOne = [&](std::size_t p) {
        const auto& to = clients[2 * p + 1]->account();
        clients[2 * p]->send(frames::directMessage(chats[p], taggedId(nowNs(), ++sent), to.user_id, to.device_id,
                                                   frames::payload()));
    };
    ClientEvents events;
    events.onSent = [&](BenchClient& c, const protocol::SentAck& a) {
        if (!filling) return;
        ++acked;
        ackedIds[c.index() / 2].push_back(a.message_id);
        sendOne(c.index() / 2); // keep going: the kill comes with sends in flight
    };
    events.onMessage = [&](BenchClient& c, const protocol::MessageDelivery& m) {
        if (got[c.index() / 2].insert(m.message_id).second) ++drained;
    };
    events.onFailure = [&](BenchClient& c, const std::string& why) {
        if (killed && c.index() % 2 == 0 && why.starts_with("closed")) return; // the kill
        failRun(r, "client " + std::to_string(c.index()) + ": " + why);
    };
    if (!makeClients(ctx, pairs * 2, events, clients, r)) return r;
    for (std::size_t p = 0; p < pairs; ++p) {
        chats.push_back(protocol::directChatId(clients[2 * p]->account().user_id, clients[2 * p + 1]->account().user_id));
        if (!connectAll(ctx, clients, 2 * p, 2 * p + 1, r)) return r;
    }
    const auto fillStart = Clock::now();
    const auto fillDeadline = Clock::now() + std::chrono::seconds(std::max<std::uint64_t>(60, stored / 2000));
    for (std::size_t p = 0; p < pairs; ++p)
        for (std::uint64_t k = 0; k < window; ++k) sendOne(p);
    if (!runUntil(ctx.io, [&] { return !r.ok || acked >= stored; }, fillDeadline)) {
        failRun(r, "stored only " + std::to_string(acked) + " of " + std::to_string(stored));
        return r;
    }
    const double fillSeconds = msBetween(fillStart, Clock::now()) / 1000.0;
    r.messages_per_s = static_cast<double>(acked) / fillSeconds;
    killed = true;
    ctx.server->kill9();
    const std::uint64_t inFlightAtKill = sent - acked;
    filling = false;
    runUntil(ctx.io, [&] { return std::all_of(clients.begin(), clients.end(), [](auto& c) { return !c->ready(); }); },
             Clock::now() + std::chrono::seconds(5));

    Phase phase(ctx);
    const auto restart = Clock::now();
    std::string error;
    if (!ctx.server->start(error)) {
        failRun(r, "restart: " + error);
        return r;
    }
    ctx.serverPids = {ctx.server->pid()};
    const double listeningMs = msBetween(restart, Clock::now());
    ctx.endpoint.port = ctx.server->port();
    if (!waitServing(ctx, Clock::now() + std::chrono::seconds(60))) failRun(r, "not serving after restart");
    const double servingMs = msBetween(restart, Clock::now());
    r.latencies.add(servingMs);
    phase.finish(r);

    // The check: every recipient drains its queue (acking as it goes).
    const auto drainStart = Clock::now();
    for (std::size_t p = 0; p < pairs; ++p) clients[2 * p + 1]->connect(ctx.endpoint, ctx.source(p));
    const auto drainDeadline = Clock::now() + std::chrono::seconds(std::max<std::uint64_t>(60, stored / 2000));
    runUntil(ctx.io, [&] {
        if (!r.ok) return true;
        for (std::size_t p = 0; p < pairs; ++p)
            if (!clients[2 * p + 1]->ready()) return false;
        return true;
    }, drainDeadline);
    const double drainSeconds = msBetween(drainStart, Clock::now()) / 1000.0;
    for (std::size_t p = 0; p < pairs; ++p)
        for (auto id : ackedIds[p]) r.lost += got[p].count(id) ? 0 : 1;
    r.extra.push_back({"restart_to_listening_ms", listeningMs});
    r.extra.push_back({"restart_to_serving_ms", servingMs});
    r.extra.push_back({"acked_before_kill", static_cast<double>(acked)});
    r.extra.push_back({"in_flight_at_kill", static_cast<double>(inFlightAtKill)});
    r.extra.push_back({"found_after_restart", static_cast<double>(drained)});
    r.extra.push_back({"check_drain_messages_per_s", static_cast<double>(drained) / drainSeconds});
    if (r.lost) failRun(r, std::to_string(r.lost) + " acknowledged messages lost");
    if (r.ok) r.note = "messages_per_s: fill rate (store-before-ack), latencies: restart to serving";
    closeAll(ctx, clients);
    return r;
}

} // namespace natter::bench
