// Scenarios "one-to-one" (closed loop: each of P senders keeps W messages in flight until
// their `delivered` receipts return) and "open-loop" (a fixed total rate spread over the
// pairs). Recipients ack `delivered`; senders confirm receipts. Latency: send to receive.
#include "scenario.h"

#include "protocol/identifiers.h"

#include <boost/asio/steady_timer.hpp>

namespace natter::bench {

namespace {

class PairTraffic {
public:
    PairTraffic(ScenarioContext& ctx, RunResult& r, std::size_t pairs) : ctx_(ctx), r_(r), pairs_(pairs) {
        events_.onMessage = [this](BenchClient&, const protocol::MessageDelivery& m) {
            ++received_;
            r_.latencies.add(static_cast<double>(nowNs() - sentNsOf(m.client_msg_id)) / 1e6);
            lastReceive_ = Clock::now();
        };
        events_.onSent = [this](BenchClient&, const protocol::SentAck&) { ++acked_; };
        events_.onReceipt = [this](BenchClient& c, const protocol::ReceiptEvent& e) {
            if (e.status != protocol::DeliveryStatus::delivered) return;
            ++receipts_;
            const std::size_t pair = c.index() / 2;
            --inflight_[pair];
            if (closedLoop_ && running_) fill(pair);
        };
        events_.onFailure = [this](BenchClient& c, const std::string& why) {
            failRun(r_, "client " + std::to_string(c.index()) + ": " + why);
        };
    }

    bool setUp() {
        if (!makeClients(ctx_, pairs_ * 2, events_, clients_, r_)) return false;
        if (!connectAll(ctx_, clients_, 0, clients_.size(), r_)) return false;
        inflight_.assign(pairs_, 0);
        for (std::size_t p = 0; p < pairs_; ++p)
            chats_.push_back(protocol::directChatId(sender(p).account().user_id, recipient(p).account().user_id));
        return true;
    }

    // Closed loop: keep `window` in flight per pair for the duration (or `limit` messages).
    void runClosed(std::uint64_t window, std::chrono::duration<double> duration, std::uint64_t limit) {
        closedLoop_ = true;
        window_ = window;
        limit_ = limit;
        Phase phase(ctx_);
        running_ = true;
        for (std::size_t p = 0; p < pairs_; ++p) fill(p);
        const auto stopAt = std::min(ctx_.deadline, Clock::now() + std::chrono::duration_cast<Clock::duration>(duration));
        runUntil(ctx_.io, [&] { return !r_.ok || (limit_ && sent_ >= limit_); }, stopAt);
        running_ = false;
        drainAndFinish(phase);
    }

    // Open loop: `rate` messages/s in total, round robin over the pairs, for the duration.
    void runOpen(double rate, std::chrono::duration<double> duration) {
        Phase phase(ctx_);
        running_ = true;
        const auto start = Clock::now();
        const std::int64_t startNs = nowNs();
        const auto stopAt = std::min(ctx_.deadline, start + std::chrono::duration_cast<Clock::duration>(duration));
        boost::asio::steady_timer timer(ctx_.io);
        std::uint64_t scheduled = 0;
        std::function<void()> tick = [&] {
            const auto now = Clock::now();
            const double elapsed = std::chrono::duration<double>(std::min(now, stopAt) - start).count();
            const auto due = static_cast<std::uint64_t>(elapsed * rate);
            for (; scheduled < due; ++scheduled) {
                // Stamped with the scheduled time, so a late send counts against latency.
                const auto when = startNs + static_cast<std::int64_t>(static_cast<double>(scheduled) * 1e9 / rate);
                send(scheduled % pairs_, when);
            }
            if (now >= stopAt || !r_.ok) {
                running_ = false;
                return;
            }
            timer.expires_after(std::chrono::microseconds(500));
            timer.async_wait([&](boost::system::error_code ec) {
                if (!ec) tick();
            });
        };
        tick();
        runUntil(ctx_.io, [&] { return !running_; }, ctx_.deadline);
        timer.cancel();
        drainAndFinish(phase);
    }

    void tearDown() { closeAll(ctx_, clients_); }

private:
    BenchClient& sender(std::size_t p) { return *clients_[2 * p]; }
    BenchClient& recipient(std::size_t p) { return *clients_[2 * p + 1]; }

    void fill(std::size_t p) {
        while (inflight_[p] < window_ && (!limit_ || sent_ < limit_)) send(p, nowNs());
    }

    void send(std::size_t p, std::int64_t stampNs) {
        ++inflight_[p];
        ++sent_;
        const auto& to = recipient(p).account();
        sender(p).send(frames::directMessage(chats_[p], taggedId(stampNs, sent_), to.user_id, to.device_id,
                                             frames::payload()));
    }

    void drainAndFinish(const Phase& phase) {
        // An overloaded server drains its backlog slowly: wait while it makes progress.
        std::uint64_t seen = received_ + receipts_ + acked_;
        auto progressAt = Clock::now();
        const bool drained = runUntil(
            ctx_.io,
            [&] {
                if (received_ + receipts_ + acked_ != seen) {
                    seen = received_ + receipts_ + acked_;
                    progressAt = Clock::now();
                }
                return !r_.ok || (received_ >= sent_ && receipts_ >= sent_ && acked_ >= sent_) ||
                       Clock::now() - progressAt > std::chrono::seconds(10);
            },
            ctx_.deadline) && received_ >= sent_ && receipts_ >= sent_ && acked_ >= sent_;
        phase.finish(r_);
        const double active = msBetween(phase.started(), lastReceive_) / 1000.0;
        r_.messages_per_s = active > 0 ? static_cast<double>(received_) / active : 0;
        // Lost means acked but never delivered once everything drained; a timeout is a failure.
        r_.lost = drained && acked_ > received_ ? acked_ - received_ : 0;
        r_.extra.push_back({"sent", static_cast<double>(sent_)});
        r_.extra.push_back({"acked_sent", static_cast<double>(acked_)});
        r_.extra.push_back({"delivered", static_cast<double>(received_)});
        r_.extra.push_back({"receipts", static_cast<double>(receipts_)});
        if (!drained) failRun(r_, "not drained: " + std::to_string(received_) + " of " + std::to_string(sent_) + " delivered");
    }

    ScenarioContext& ctx_;
    RunResult& r_;
    std::size_t pairs_;
    ClientEvents events_;
    Clients clients_;
    std::vector<std::string> chats_;
    std::vector<std::uint64_t> inflight_;
    bool closedLoop_ = false;
    bool running_ = false;
    std::uint64_t window_ = 0;
    std::uint64_t limit_ = 0;
    std::uint64_t sent_ = 0, acked_ = 0, received_ = 0, receipts_ = 0;
    Clock::time_point lastReceive_ = Clock::now();
};

std::chrono::duration<double> seconds(double s) { return std::chrono::duration<double>(s); }

} // namespace

RunResult runOneToOne(ScenarioContext& ctx, std::uint64_t pairs) {
    RunResult r;
    r.scenario = "one-to-one";
    const std::uint64_t window = ctx.options.window;
    r.sizes = {{"pairs", static_cast<double>(pairs)}, {"window", static_cast<double>(window)},
               {"duration_s", ctx.options.duration_s}};
    PairTraffic traffic(ctx, r, pairs);
    if (traffic.setUp()) traffic.runClosed(window, seconds(ctx.options.duration_s), ctx.options.messages);
    traffic.tearDown();
    return r;
}

RunResult runOpenLoop(ScenarioContext& ctx, std::uint64_t rate) {
    RunResult r;
    r.scenario = "open-loop";
    r.sizes = {{"rate", static_cast<double>(rate)}, {"pairs", static_cast<double>(ctx.options.pairs)},
               {"duration_s", ctx.options.duration_s}};
    PairTraffic traffic(ctx, r, ctx.options.pairs);
    if (traffic.setUp()) traffic.runOpen(static_cast<double>(rate), seconds(ctx.options.duration_s));
    traffic.tearDown();
    return r;
}

} // namespace natter::bench
