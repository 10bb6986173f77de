// Scenario "offline-sync": a sender queues Q messages for an offline device, which then
// connects. Measures the time from the connect until every message is delivered and acked
// (the acks confirmed by a ping round trip), then reconnects to check the queue is empty.
#include "scenario.h"

#include "protocol/identifiers.h"

namespace natter::bench {

RunResult runOfflineSync(ScenarioContext& ctx, std::uint64_t queued) {
    RunResult r;
    r.scenario = "offline-sync";
    r.sizes = {{"queued", static_cast<double>(queued)}};
    std::uint64_t sent = 0, acked = 0, received = 0, pongs = 0;
    Clock::time_point connectAt{};
    Clients clients;
    ClientEvents events;
    events.onSent = [&](BenchClient& c, const protocol::SentAck&) {
        ++acked;
        if (sent < queued) {
            const auto& to = clients[1]->account();
            c.send(frames::directMessage(protocol::directChatId(c.account().user_id, to.user_id), taggedId(nowNs(), ++sent),
                                         to.user_id, to.device_id, frames::payload()));
        }
    };
    events.onMessage = [&](BenchClient&, const protocol::MessageDelivery&) {
        ++received;
        r.latencies.add(msBetween(connectAt, Clock::now()));
    };
    events.onPong = [&](BenchClient&) { ++pongs; };
    events.onFailure = [&](BenchClient& c, const std::string& why) {
        failRun(r, "client " + std::to_string(c.index()) + ": " + why);
    };
    if (!makeClients(ctx, 2, events, clients, r) || !connectAll(ctx, clients, 0, 1, r)) {
        closeAll(ctx, clients);
        return r;
    }
    // Fill the recipient's queue: 64 sends in flight, each ack triggers the next.
    const auto fillStart = Clock::now();
    auto& sender = *clients[0];
    const auto& to = clients[1]->account();
    const std::string chat = protocol::directChatId(sender.account().user_id, to.user_id);
    while (sent < std::min<std::uint64_t>(queued, 64))
        sender.send(frames::directMessage(chat, taggedId(nowNs(), ++sent), to.user_id, to.device_id, frames::payload()));
    if (!runUntil(ctx.io, [&] { return !r.ok || acked >= queued; }, ctx.deadline)) {
        failRun(r, "queued only " + std::to_string(acked) + " of " + std::to_string(queued));
    }
    r.extra.push_back({"fill_messages_per_s", static_cast<double>(acked) / (msBetween(fillStart, Clock::now()) / 1000.0)});
    sender.close();
    runUntil(ctx.io, [&] { return sender.ended(); }, Clock::now() + std::chrono::seconds(5));
    if (!r.ok) return r;

    Phase phase(ctx);
    connectAt = Clock::now();
    auto& device = *clients[1];
    device.connect(ctx.nodeFor(1), ctx.source(1));
    const bool all = runUntil(ctx.io, [&] { return !r.ok || (device.ready() && received >= queued); }, ctx.deadline);
    device.send(frames::ping()); // answered after every earlier ack was handled
    runUntil(ctx.io, [&] { return !r.ok || pongs > 0; }, ctx.deadline);
    phase.finish(r);
    const double seconds = msBetween(connectAt, Clock::now()) / 1000.0;
    r.messages_per_s = static_cast<double>(received) / seconds;
    r.extra.push_back({"sync_ms", seconds * 1000.0});
    r.extra.push_back({"sync_complete_delivered", static_cast<double>(device.syncDelivered())});
    if (!all) failRun(r, "received " + std::to_string(received) + " of " + std::to_string(queued));

    // Reconnect: every ack must have been applied, so nothing is handed over again.
    device.close();
    runUntil(ctx.io, [&] { return device.ended(); }, Clock::now() + std::chrono::seconds(5));
    const std::uint64_t firstSync = received;
    device.connect(ctx.nodeFor(1), ctx.source(1));
    runUntil(ctx.io, [&] { return !r.ok || device.ready(); }, ctx.deadline);
    r.extra.push_back({"redelivered_after_reconnect", static_cast<double>(device.syncDelivered())});
    r.lost = acked > firstSync ? acked - firstSync : 0;
    if (device.syncDelivered() != 0) failRun(r, "acked messages were handed over again");
    if (r.ok) r.note = "latencies: connect to each message's arrival";
    closeAll(ctx, clients);
    return r;
}

} // namespace natter::bench
