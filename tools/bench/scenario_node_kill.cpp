// Scenario "node-kill" (a cluster, several --url): P pairs talk both ways across nodes, then one
// node gets SIGKILL with traffic in flight. Half of its clients reconnect at once to a surviving
// node (kill -> sync_complete is their resync time); the other half stay away, and their partners
// time the `presence` offline. Then those come back: every message acknowledged `sent` must have
// reached its recipient exactly once.
#include "scenario.h"

#include "protocol/identifiers.h"

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include <csignal>
#include <cstring>
#include <unordered_map>
#include <unordered_set>

namespace natter::bench {

namespace {

// Clients of the killed node either reconnect at once (moves) or stay away until the end.
enum class Role { bystander, moves, staysAway };

// One device's side of the traffic: what it sent and what it got.
struct Peer {
    std::size_t partner = 0;
    std::string chat;
    Role role = Role::bystander;
    unsigned connection = 0;                                // connects so far: which connection got a message
    bool closedByKill = false;
    std::unordered_map<std::string, std::string> unacked;   // client_msg_id -> frame, until its `sent` ack
    std::unordered_set<protocol::MessageId> acked;          // acknowledged `sent`: must reach the partner
    std::unordered_set<protocol::MessageId> awaitingReceipt; // acked, `delivered` receipt not yet here
    std::unordered_set<protocol::MessageId> earlyReceipts;  // the receipt overtook the ack
    std::unordered_map<protocol::MessageId, unsigned> received;     // message -> connection it first came on
    std::unordered_map<std::string, protocol::MessageId> byClientId; // client_msg_id -> message
    bool resynced = false;
    bool offlineSeen = false; // staysAway: its partner got `presence` offline for it
};

class NodeKill {
public:
    NodeKill(ScenarioContext& ctx, RunResult& r, std::size_t pairs)
        : ctx_(ctx), r_(r), pairs_(pairs), victim_(ctx.options.kill_node - 1), pingTimer_(ctx.io) {
        events_.onReady = [this](BenchClient& c) { onReady(c); };
        events_.onSent = [this](BenchClient& c, const protocol::SentAck& a) { onSent(c, a); };
        events_.onReceipt = [this](BenchClient& c, const protocol::ReceiptEvent& e) { onReceipt(c, e); };
        events_.onMessage = [this](BenchClient& c, const protocol::MessageDelivery& m) { onMessage(c, m); };
        events_.onPresence = [this](BenchClient& c, const protocol::PresenceEvent& e) { onPresence(c, e); };
        events_.onFailure = [this](BenchClient& c, const std::string& why) { onFailure(c, why); };
    }

    void run() {
        if (!setUp()) {
            closeAll(ctx_, clients_);
            return;
        }
        // CPU and RSS of the nodes that survive, over the whole run.
        const pid_t victim = static_cast<pid_t>(ctx_.options.server_pids[victim_]);
        std::erase(ctx_.serverPids, victim);
        Phase phase(ctx_);
        sending_ = true;
        ping();
        for (std::size_t i = 0; i < clients_.size(); ++i) fill(i);
        const auto warmUpEnd =
            Clock::now() + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(ctx_.options.duration_s));
        runUntil(ctx_.io, [&] { return !r_.ok; }, std::min(warmUpEnd, ctx_.deadline));
        if (!r_.ok) return finish(phase);
        r_.messages_per_s = static_cast<double>(delivered_) / (msBetween(phase.started(), Clock::now()) / 1000.0);

        killAt_ = Clock::now();
        afterKill_ = true;
        if (::kill(victim, SIGKILL) != 0) {
            failRun(r_, "kill " + std::to_string(victim) + ": " + std::strerror(errno));
            return finish(phase);
        }
        for (const auto& p : peers_)
            if (p.role != Role::bystander) inFlightAtKill_ += p.unacked.size();
        const bool settled = runUntil(ctx_.io, [&] { return !r_.ok || (resynced() == moved_ && offlineSeen() == away_); },
                                      ctx_.deadline);
        if (!settled)
            failRun(r_, std::to_string(resynced()) + " of " + std::to_string(moved_) + " resynced, " +
                            std::to_string(offlineSeen()) + " of " + std::to_string(away_) +
                            " shown offline within the run's --timeout");
        sending_ = false;
        if (!r_.ok) return finish(phase);
        // The ones that stayed away come back: their queues and unacknowledged sends complete the check.
        for (std::size_t i = 0; i < clients_.size(); ++i)
            if (peers_[i].role == Role::staysAway) reconnect(i);
        if (drain()) checkLoss();
        finish(phase);
    }

private:
    bool setUp() {
        peers_.resize(pairs_ * 2);
        for (auto& p : peers_) p.connection = 1;
        if (!makeClients(ctx_, pairs_ * 2, events_, clients_, r_)) return false;
        for (std::size_t i = 0; i < clients_.size(); ++i) {
            auto& p = peers_[i];
            p.partner = i ^ 1;
            p.chat = protocol::directChatId(clients_[i]->account().user_id, clients_[p.partner]->account().user_id);
            if (&ctx_.nodeFor(i) == &ctx_.nodes[victim_]) {
                // Alternate: every other client of the killed node stays away.
                p.role = (moved_ + away_) % 2 == 0 ? Role::moves : Role::staysAway;
                ++(p.role == Role::moves ? moved_ : away_);
            }
        }
        for (std::size_t n = 0; n < ctx_.nodes.size(); ++n)
            if (n != victim_) survivors_.push_back(n);
        if (!connectAll(ctx_, clients_, 0, clients_.size(), r_)) return false;
        if (moved_ == 0 || away_ == 0) {
            failRun(r_, "too few clients on the killed node (it needs two): give more pairs");
            return false;
        }
        return true;
    }

    // Every client pings at the interval its welcome announced, so quiet ones are not closed
    // with 4001 (a short --presence-timeout needs a short --heartbeat-interval on the nodes).
    void ping() {
        ++pingTick_;
        for (auto& c : clients_)
            if (c->ready() && pingTick_ % std::max(1, c->heartbeatIntervalS()) == 0) c->send(frames::ping());
        pingTimer_.expires_after(std::chrono::seconds(1));
        pingTimer_.async_wait([this](boost::system::error_code ec) {
            if (!ec) ping();
        });
    }

    std::size_t inFlight(const Peer& p) const { return p.unacked.size() + p.awaitingReceipt.size(); }

    void fill(std::size_t i) {
        auto& p = peers_[i];
        auto& c = *clients_[i];
        while (sending_ && c.ready() && inFlight(p) < ctx_.options.window) {
            const auto& to = clients_[p.partner]->account();
            std::string id = taggedId(nowNs(), ++sent_);
            std::string frame = frames::directMessage(p.chat, id, to.user_id, to.device_id, frames::payload());
            c.send(frame);
            p.unacked.emplace(std::move(id), std::move(frame));
        }
    }

    void reconnect(std::size_t i) {
        ++peers_[i].connection;
        clients_[i]->connect(ctx_.nodes[survivors_[nextSurvivor_++ % survivors_.size()]], ctx_.source(i));
    }

    void onReady(BenchClient& c) {
        auto& p = peers_[c.index()];
        if (p.connection == 1) return;
        if (p.role == Role::moves && !p.resynced) {
            p.resynced = true;
            r_.latencies.add(msBetween(killAt_, c.readyAt()));
        }
        // As a real client does: resend what was never acknowledged, with the same client_msg_id.
        for (const auto& [id, frame] : p.unacked) c.send(frame);
        resent_ += p.unacked.size();
        fill(c.index());
    }

    void onSent(BenchClient& c, const protocol::SentAck& a) {
        auto& p = peers_[c.index()];
        if (p.unacked.erase(a.client_msg_id) == 0) return; // a resend answered twice
        if (p.acked.insert(a.message_id).second) {
            ++acked_;
            if (!p.earlyReceipts.erase(a.message_id)) p.awaitingReceipt.insert(a.message_id);
        }
        fill(c.index());
    }

    void onReceipt(BenchClient& c, const protocol::ReceiptEvent& e) {
        if (e.status != protocol::DeliveryStatus::delivered) return;
        auto& p = peers_[c.index()];
        if (p.awaitingReceipt.erase(e.message_id)) fill(c.index());
        else if (!p.acked.contains(e.message_id)) p.earlyReceipts.insert(e.message_id);
    }

    void onMessage(BenchClient& c, const protocol::MessageDelivery& m) {
        auto& p = peers_[c.index()];
        const auto [it, fresh] = p.received.emplace(m.message_id, p.connection);
        if (!fresh) {
            // Again on a later connection: its `delivered` ack died with the node, a resend the
            // client dedupes. Twice on one connection is a defect.
            ++(it->second == p.connection ? duplicates_ : redelivered_);
            return;
        }
        ++delivered_;
        const auto [byId, first] = p.byClientId.emplace(m.client_msg_id, m.message_id);
        if (!first && byId->second != m.message_id) ++duplicates_; // one send stored twice
    }

    void onPresence(BenchClient& c, const protocol::PresenceEvent& e) {
        if (!afterKill_ || e.status != protocol::PresenceStatus::offline) return;
        const std::size_t who = peers_[c.index()].partner;
        if (clients_[who]->account().user_id != e.user_id) return;
        auto& p = peers_[who];
        if (p.role != Role::staysAway) ++wronglyOffline_; // it never left, or is already back
        else if (!p.offlineSeen) {
            p.offlineSeen = true;
            offline_.add(msBetween(killAt_, Clock::now()));
        }
    }

    void onFailure(BenchClient& c, const std::string& why) {
        auto& p = peers_[c.index()];
        if (afterKill_ && p.role != Role::bystander && !p.closedByKill && why.starts_with("closed")) {
            p.closedByKill = true;
            closeNoticeMax_ = std::max(closeNoticeMax_, msBetween(killAt_, Clock::now()));
            // Reconnect from the io loop, not from inside the dying connection's handler.
            if (p.role == Role::moves) boost::asio::post(ctx_.io, [this, i = c.index()] { reconnect(i); });
            return;
        }
        failRun(r_, "client " + std::to_string(c.index()) + ": " + why);
    }

    std::size_t resynced() const {
        return static_cast<std::size_t>(std::count_if(peers_.begin(), peers_.end(), [](auto& p) { return p.resynced; }));
    }
    std::size_t offlineSeen() const {
        return static_cast<std::size_t>(std::count_if(peers_.begin(), peers_.end(), [](auto& p) { return p.offlineSeen; }));
    }

    // Until every client is back, every send acknowledged and every acknowledged message
    // delivered; a server that stops making progress for 10 s ends it. False if a client failed.
    bool drain() {
        auto settled = [&] {
            std::size_t unacked = 0;
            for (const auto& p : peers_) unacked += p.unacked.size();
            return unacked == 0 && delivered_ >= acked_ &&
                   std::all_of(clients_.begin(), clients_.end(), [](auto& c) { return c->ready(); });
        };
        std::uint64_t seen = delivered_ + acked_;
        auto progressAt = Clock::now();
        runUntil(ctx_.io, [&] {
            if (delivered_ + acked_ != seen) {
                seen = delivered_ + acked_;
                progressAt = Clock::now();
            }
            return !r_.ok || settled() || Clock::now() - progressAt > std::chrono::seconds(10);
        }, ctx_.deadline);
        if (!r_.ok) return false;
        if (!settled()) failRun(r_, "not drained: " + std::to_string(delivered_) + " delivered of " +
                                        std::to_string(acked_) + " acknowledged");
        return true;
    }

    // Acknowledged `sent` but never delivered to the partner, once everything came back.
    void checkLoss() {
        for (const auto& p : peers_)
            for (const auto id : p.acked) r_.lost += peers_[p.partner].received.contains(id) ? 0 : 1;
    }

    void finish(const Phase& phase) {
        phase.finish(r_);
        pingTimer_.cancel();
        auto add = [&](const char* name, double v) { r_.extra.push_back({name, v}); };
        add("nodes", static_cast<double>(ctx_.nodes.size()));
        add("killed_node", static_cast<double>(victim_ + 1));
        add("moved_clients", static_cast<double>(moved_));
        add("resynced_clients", static_cast<double>(resynced()));
        add("resync_p50_ms", r_.latencies.quantile(0.50));
        add("resync_p99_ms", r_.latencies.quantile(0.99));
        add("resync_max_ms", r_.latencies.max());
        add("away_clients", static_cast<double>(away_));
        add("offline_seen", static_cast<double>(offlineSeen()));
        add("offline_p50_ms", offline_.quantile(0.50));
        add("offline_p99_ms", offline_.quantile(0.99));
        add("offline_max_ms", offline_.max());
        add("wrongly_shown_offline", static_cast<double>(wronglyOffline_));
        add("kill_to_close_seen_max_ms", closeNoticeMax_);
        add("in_flight_at_kill", static_cast<double>(inFlightAtKill_));
        add("sent", static_cast<double>(sent_));
        add("resent_after_reconnect", static_cast<double>(resent_));
        add("acked_sent", static_cast<double>(acked_));
        add("delivered", static_cast<double>(delivered_));
        add("redelivered_after_reconnect", static_cast<double>(redelivered_));
        add("duplicates", static_cast<double>(duplicates_));
        if (r_.lost) failRun(r_, std::to_string(r_.lost) + " acknowledged messages lost");
        if (duplicates_) failRun(r_, std::to_string(duplicates_) + " messages delivered twice on one connection or stored twice");
        if (r_.ok)
            r_.note = "latencies: kill to sync_complete of the moved clients; messages_per_s: before the kill; "
                      "server CPU/RSS: surviving nodes";
        closeAll(ctx_, clients_);
    }

    ScenarioContext& ctx_;
    RunResult& r_;
    std::size_t pairs_;
    std::size_t victim_;
    std::vector<std::size_t> survivors_;
    std::size_t nextSurvivor_ = 0;
    ClientEvents events_;
    Clients clients_;
    std::vector<Peer> peers_;
    boost::asio::steady_timer pingTimer_;
    std::uint64_t pingTick_ = 0;
    bool sending_ = false;
    bool afterKill_ = false;
    Clock::time_point killAt_{};
    std::size_t moved_ = 0, away_ = 0;
    Latencies offline_;
    double closeNoticeMax_ = 0;
    std::uint64_t inFlightAtKill_ = 0, sent_ = 0, resent_ = 0, acked_ = 0, delivered_ = 0;
    std::uint64_t redelivered_ = 0, duplicates_ = 0, wronglyOffline_ = 0;
};

} // namespace

RunResult runNodeKill(ScenarioContext& ctx, std::uint64_t pairs) {
    RunResult r;
    r.scenario = "node-kill";
    r.sizes = {{"pairs", static_cast<double>(pairs)}, {"window", static_cast<double>(ctx.options.window)},
               {"warm_up_s", ctx.options.duration_s}};
    NodeKill(ctx, r, pairs).run();
    return r;
}

} // namespace natter::bench
