// Scenario "fanout": one sender in a G-member group, every member online. The sender keeps
// W group messages in flight until each has reached every other member. Figures:
// deliveries/s and the time until a message reaches its last member.
#include "scenario.h"

#include "protocol/frame_codec.h"

namespace natter::bench {

namespace {

std::uint64_t counterOf(const std::string& clientMsgId) {
    const auto dash = clientMsgId.find('-');
    return dash == std::string::npos ? 0 : std::stoull(clientMsgId.substr(dash + 1));
}

struct Fanout {
    struct Message {
        std::int64_t sentNs = 0;
        std::uint64_t reached = 0;
    };
    std::vector<Message> messages{1}; // index = counter; 0 unused
    std::uint64_t created = 0, deliveries = 0, completed = 0, acked = 0, inflight = 0;
    Clock::time_point lastDelivery = Clock::now();
};

} // namespace

RunResult runFanout(ScenarioContext& ctx, std::uint64_t members) {
    RunResult r;
    r.scenario = "fanout";
    const std::uint64_t window = ctx.options.window;
    r.sizes = {{"members", static_cast<double>(members)}, {"window", static_cast<double>(window)},
               {"duration_s", ctx.options.duration_s}};
    if (members < 2) {
        failRun(r, "a group needs at least 2 members");
        return r;
    }
    const std::uint64_t others = members - 1;
    Fanout f;
    bool running = false;
    std::string chatId;
    Clients clients;
    std::function<void()> fill = [&] {
        while (running && f.inflight < window && (!ctx.options.messages || f.messages.size() <= ctx.options.messages)) {
            const std::uint64_t n = f.messages.size();
            f.messages.push_back({nowNs(), 0});
            ++f.inflight;
            clients[0]->send(frames::groupMessage(chatId, taggedId(f.messages.back().sentNs, n), frames::payload()));
        }
    };
    ClientEvents events;
    events.onGroupEvent = [&](BenchClient&, const protocol::GroupEvent& e) {
        if (e.event == protocol::GroupEventKind::created) ++f.created;
    };
    events.onSent = [&](BenchClient&, const protocol::SentAck&) { ++f.acked; };
    events.onMessage = [&](BenchClient&, const protocol::MessageDelivery& m) {
        const std::uint64_t n = counterOf(m.client_msg_id);
        if (n == 0 || n >= f.messages.size()) return failRun(r, "unexpected message " + m.client_msg_id);
        ++f.deliveries;
        f.lastDelivery = Clock::now();
        if (++f.messages[n].reached == others) {
            r.latencies.add(static_cast<double>(nowNs() - f.messages[n].sentNs) / 1e6);
            ++f.completed;
            --f.inflight;
            fill();
        }
    };
    events.onFailure = [&](BenchClient& c, const std::string& why) {
        failRun(r, "client " + std::to_string(c.index()) + ": " + why);
    };
    if (!makeClients(ctx, members, events, clients, r) || !connectAll(ctx, clients, 0, clients.size(), r)) {
        closeAll(ctx, clients);
        return r;
    }

    // The group, created over REST by member 0 with everyone else as participants.
    protocol::rest::CreateGroupRequest create;
    create.name = "QUJD";
    for (std::size_t i = 1; i < clients.size(); ++i) create.participants.push_back(clients[i]->account().user_id);
    auto http = HttpClient::create(ctx.io, ctx.endpoint);
    bool answered = false;
    http->request("POST", "/api/groups", protocol::serializeBody(create), clients[0]->account().token,
                  [&](HttpResult res) {
                      answered = true;
                      auto info = protocol::parseBody<protocol::rest::GroupInfo>(res.body);
                      if (res.status != 200 || !info) return failRun(r, "create group: " + std::to_string(res.status) + " " + res.body);
                      chatId = info->chat_id;
                  });
    if (!runUntil(ctx.io, [&] { return !r.ok || (answered && f.created >= others); }, ctx.deadline) || !r.ok) {
        failRun(r, "group setup: " + std::to_string(f.created) + " of " + std::to_string(others) + " saw it created");
        closeAll(ctx, clients);
        return r;
    }

    Phase phase(ctx);
    running = true;
    fill();
    const auto stopAt = std::min(ctx.deadline, Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                                                std::chrono::duration<double>(ctx.options.duration_s)));
    runUntil(ctx.io, [&] { return !r.ok || (ctx.options.messages && f.completed >= ctx.options.messages); }, stopAt);
    running = false;
    const std::uint64_t sent = f.messages.size() - 1;
    const bool drained = runUntil(ctx.io, [&] { return !r.ok || (f.completed >= sent && f.acked >= sent); },
                                  std::min(ctx.deadline, Clock::now() + std::chrono::seconds(30)));
    phase.finish(r);
    const double active = msBetween(phase.started(), f.lastDelivery) / 1000.0;
    r.messages_per_s = active > 0 ? static_cast<double>(f.deliveries) / active : 0;
    r.lost = f.acked * others > f.deliveries ? f.acked * others - f.deliveries : 0;
    r.extra.push_back({"group_messages", static_cast<double>(sent)});
    r.extra.push_back({"deliveries", static_cast<double>(f.deliveries)});
    r.extra.push_back({"group_messages_per_s", active > 0 ? static_cast<double>(f.completed) / active : 0});
    if (!drained) failRun(r, "not drained: " + std::to_string(f.completed) + " of " + std::to_string(sent) + " complete");
    if (r.ok) r.note = "latencies: send to the message's arrival at its last member, messages_per_s = deliveries/s";
    closeAll(ctx, clients);
    return r;
}

} // namespace natter::bench
