// The load, the kills and the final drain; the checks run on what the devices recorded.
#include "harness.h"

#include "accounts.h"
#include "durable_images.h"
#include "bench_client.h"
#include "io_loop.h"
#include "server_process.h"

#include "protocol/frame_codec.h"
#include "protocol/identifiers.h"

#include <iostream>
#include <map>
#include <random>
#include <unordered_set>

namespace natter::torture {

using bench::BenchClient;
using bench::Clock;
using bench::runUntil;

namespace {

struct Chat {
    std::string id;
    std::vector<std::size_t> members; // device indexes
};

// One device's sending state and what it has received (for the final drain).
struct Device {
    std::unique_ptr<BenchClient> client;
    std::vector<std::size_t> chats;               // chats it sends in, used in turn
    std::map<std::string, std::size_t> pending;   // client_msg_id -> chat, not yet acknowledged
    std::uint64_t nextId = 0;
    std::uint64_t turn = 0;
    std::uint64_t received = 0;                   // every delivery, dropped ones included
    std::unordered_set<protocol::MessageId> got;  // ids received (dropped ones included)
    std::unordered_set<protocol::MessageId> awaited; // acknowledged for it, not yet received
    std::uint64_t pongs = 0;
};

class Torture {
public:
    explicit Torture(const Options& o)
        : o_(o), server_(o.natterd, o.data_dir), deadline_(Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                                                            std::chrono::duration<double>(o.timeout_s))) {}

    Summary run();

private:
    bool setUp();
    bool createGroups();
    void connectAll();
    bool allReady() const;
    void fill(std::size_t i);
    void sendPending(std::size_t i, const std::string& clientMsgId, std::size_t chat);
    void onSent(BenchClient& c, const protocol::SentAck& a);
    void onEntry(BenchClient& c, const std::string& chat, protocol::MessageId id, protocol::Seq seq, bool message);
    bool killAndRestart(std::uint64_t n);
    bool cutPower(const std::string& when);
    bool drain();
    void fail(const std::string& why) {
        if (s_.error.empty()) s_.error = why;
    }
    std::string images() const { return o_.data_dir + ".durable"; }
    void progress(const std::string& line) const { std::cerr << "natter-torture: " << line << std::endl; }

    const Options& o_;
    bench::ServerProcess server_;
    boost::asio::io_context io_;
    bench::Endpoint endpoint_;
    Clock::time_point deadline_;
    bench::ClientEvents events_;
    std::vector<Device> devices_;
    std::vector<Chat> chats_;
    std::vector<AckedMessage> acked_;
    std::vector<DeviceView> views_;
    std::vector<Receipt> receipts_;
    std::map<protocol::UserId, std::size_t> byUser_; // one device per account
    std::uint64_t epoch_ = 0;                         // natterd lifetimes so far, minus one
    std::uint64_t awaitedTotal_ = 0;
    std::uint64_t groupCreatedSeen_ = 0;
    std::size_t groupsAnswered_ = 0;
    bool sending_ = false;
    bool killing_ = false; // closes are expected
    Summary s_;
};

bool Torture::setUp() {
    std::error_code ec;
    std::filesystem::remove_all(o_.data_dir, ec);
    if (o_.power_loss) {
        std::filesystem::remove_all(images(), ec);
        server_.setEnvironment(powercut::layerEnvironment(o_.powercut_library, o_.data_dir, images()));
    }
    std::string error;
    if (!server_.start(error)) return fail("start natterd: " + error), false;
    endpoint_.port = server_.port();
    const std::size_t count = 2 * o_.pairs;
    auto accounts = bench::signUp(io_, endpoint_, count, 8, deadline_, error);
    if (accounts.size() != count) return fail("sign-up: " + error), false;

    events_.onSent = [this](BenchClient& c, const protocol::SentAck& a) { onSent(c, a); };
    events_.onMessage = [this](BenchClient& c, const protocol::MessageDelivery& m) {
        onEntry(c, m.chat_id, m.message_id, m.seq, true);
    };
    events_.onGroupEvent = [this](BenchClient& c, const protocol::GroupEvent& e) {
        if (e.event == protocol::GroupEventKind::created) ++groupCreatedSeen_;
        onEntry(c, e.chat_id, e.message_id, e.seq, false);
    };
    events_.onReady = [this](BenchClient& c) {
        auto& d = devices_[c.index()];
        for (const auto& [id, chat] : d.pending) {
            sendPending(c.index(), id, chat);
            ++s_.resent;
        }
        fill(c.index());
    };
    events_.onReceipt = [this](BenchClient&, const protocol::ReceiptEvent& e) {
        if (e.status != protocol::DeliveryStatus::delivered) return;
        if (const auto it = byUser_.find(e.user_id); it != byUser_.end())
            receipts_.push_back({e.message_id, it->second, epoch_});
    };
    events_.onPong = [this](BenchClient& c) { ++devices_[c.index()].pongs; };
    events_.onFailure = [this](BenchClient& c, const std::string& why) {
        if (why.starts_with("closed") && killing_) return; // natterd was killed under it
        fail("device " + std::to_string(c.index()) + ": " + why);
    };

    devices_.resize(count);
    views_.resize(count);
    for (std::size_t i = 0; i < count; ++i) {
        byUser_[accounts[i].user_id] = i;
        devices_[i].client = std::make_unique<BenchClient>(io_, std::move(accounts[i]), events_, i);
    }
    for (std::size_t p = 0; p < o_.pairs; ++p) {
        const auto& a = devices_[2 * p].client->account();
        const auto& b = devices_[2 * p + 1].client->account();
        chats_.push_back({protocol::directChatId(a.user_id, b.user_id), {2 * p, 2 * p + 1}});
        devices_[2 * p].chats.push_back(chats_.size() - 1);
        devices_[2 * p + 1].chats.push_back(chats_.size() - 1);
    }
    connectAll();
    if (!runUntil(io_, [&] { return !s_.error.empty() || allReady(); }, deadline_)) return fail("first connect timed out"), false;
    return s_.error.empty() && createGroups();
}

bool Torture::createGroups() {
    const std::size_t count = devices_.size();
    std::uint64_t expectedCreated = 0;
    std::vector<std::shared_ptr<bench::HttpClient>> http;
    for (std::size_t g = 0; g < o_.groups; ++g) {
        Chat chat;
        protocol::rest::CreateGroupRequest create;
        create.name = "QUJD";
        for (std::size_t k = 0; k < o_.group_size; ++k) chat.members.push_back((g * o_.group_size + k) % count);
        for (std::size_t k = 1; k < chat.members.size(); ++k)
            create.participants.push_back(devices_[chat.members[k]].client->account().user_id);
        expectedCreated += chat.members.size() - 1;
        chats_.push_back(chat);
        const std::size_t index = chats_.size() - 1;
        http.push_back(bench::HttpClient::create(io_, endpoint_));
        http.back()->request("POST", "/api/groups", protocol::serializeBody(create),
                             devices_[chat.members[0]].client->account().token, [this, index](bench::HttpResult res) {
                                 ++groupsAnswered_;
                                 auto info = protocol::parseBody<protocol::rest::GroupInfo>(res.body);
                                 if (res.status != 200 || !info)
                                     return fail("create group: " + std::to_string(res.status) + " " + res.body);
                                 chats_[index].id = info->chat_id;
                                 for (const auto m : chats_[index].members) devices_[m].chats.push_back(index);
                             });
    }
    const bool done = runUntil(io_, [&] {
        return !s_.error.empty() || (groupsAnswered_ == o_.groups && groupCreatedSeen_ >= expectedCreated);
    }, deadline_);
    if (!done) fail("group set-up timed out");
    return s_.error.empty();
}

void Torture::connectAll() {
    for (std::size_t i = 0; i < devices_.size(); ++i) {
        views_[i].connections.emplace_back().epoch = epoch_;
        ++s_.connections;
        devices_[i].client->connect(endpoint_, "127.0.0.1");
    }
}

bool Torture::allReady() const {
    for (const auto& d : devices_)
        if (!d.client->ready()) return false;
    return true;
}

void Torture::sendPending(std::size_t i, const std::string& clientMsgId, std::size_t chatIndex) {
    const auto& chat = chats_[chatIndex];
    auto& client = *devices_[i].client;
    if (chat.id.starts_with("g:")) {
        client.send(bench::frames::groupMessage(chat.id, clientMsgId, bench::frames::payload()));
        return;
    }
    const auto& peer = devices_[chat.members[0] == i ? chat.members[1] : chat.members[0]].client->account();
    client.send(bench::frames::directMessage(chat.id, clientMsgId, peer.user_id, peer.device_id, bench::frames::payload()));
}

void Torture::fill(std::size_t i) {
    auto& d = devices_[i];
    while (sending_ && d.client->ready() && d.pending.size() < o_.window) {
        const std::size_t chat = d.chats[d.turn++ % d.chats.size()];
        const std::string id = "t" + std::to_string(i) + "-" + std::to_string(++d.nextId);
        d.pending.emplace(id, chat);
        sendPending(i, id, chat);
    }
}

void Torture::onSent(BenchClient& c, const protocol::SentAck& a) {
    auto& d = devices_[c.index()];
    const auto it = d.pending.find(a.client_msg_id);
    if (it == d.pending.end()) return; // an ack for a send repeated before the first ack arrived
    AckedMessage m{a.chat_id, a.message_id, a.seq, c.index(), {}};
    for (const auto member : chats_[it->second].members) {
        if (member == c.index()) continue;
        m.recipients.push_back(member);
        if (!devices_[member].got.count(a.message_id) && devices_[member].awaited.insert(a.message_id).second)
            ++awaitedTotal_;
    }
    acked_.push_back(std::move(m));
    d.pending.erase(it);
    fill(c.index());
}

void Torture::onEntry(BenchClient& c, const std::string& chat, protocol::MessageId id, protocol::Seq seq, bool message) {
    auto& d = devices_[c.index()];
    ++s_.deliveries;
    d.got.insert(id);
    if (d.awaited.erase(id)) --awaitedTotal_;
    if (message && o_.drop_every > 0 && ++d.received % o_.drop_every == 0) {
        ++s_.dropped; // the control run: acked to the server, gone from this device's view
        return;
    }
    views_[c.index()].connections.back().deliveries.push_back({chat, id, seq});
}

bool Torture::killAndRestart(std::uint64_t n) {
    killing_ = true;
    const auto killedAt = Clock::now();
    server_.kill9();
    std::uint64_t inFlight = 0;
    for (const auto& d : devices_) inFlight += d.pending.size();
    progress("kill " + std::to_string(n) + "/" + std::to_string(o_.kills) + ": " + std::to_string(acked_.size()) +
             " messages acked, " + std::to_string(s_.deliveries) + " delivered, " + std::to_string(inFlight) +
             " in flight");
    runUntil(io_, [&] {
        for (const auto& d : devices_)
            if (!d.client->ended()) return false;
        return true;
    }, std::min(deadline_, Clock::now() + std::chrono::seconds(10)));
    if (o_.power_loss && !cutPower("kill " + std::to_string(n))) return false;
    std::string error;
    if (!server_.start(error)) return fail("restart " + std::to_string(n) + ": " + error), false;
    s_.max_restart_ms = std::max(s_.max_restart_ms, bench::msBetween(killedAt, Clock::now()));
    endpoint_.port = server_.port();
    ++epoch_;
    connectAll();
    ++s_.kills;
    return true;
}

// natterd is dead: its data directory is left as a disk would be after losing power then.
bool Torture::cutPower(const std::string& when) {
    const auto cut = powercut::powerCut(o_.data_dir, images());
    if (!cut.error.empty()) return fail("power cut at " + when + ": " + cut.error), false;
    ++s_.power_cuts;
    s_.files_removed += cut.files_removed;
    s_.bytes_discarded += cut.bytes_discarded;
    progress("power cut at " + when + ": " + std::to_string(cut.bytes_discarded) + " bytes never fsynced dropped, " +
             std::to_string(cut.files_removed) + " files never named durably removed");
    for (const auto& file : cut.removed) progress("  removed " + file);
    return true;
}

bool Torture::drain() {
    if (!runUntil(io_, [&] { return !s_.error.empty() || allReady(); }, deadline_))
        return fail("devices did not reconnect after the last restart"), false;
    killing_ = false;
    sending_ = false;
    const auto unacked = [&] {
        std::uint64_t n = 0;
        for (const auto& d : devices_) n += d.pending.size();
        return n;
    };
    if (!runUntil(io_, [&] { return !s_.error.empty() || (unacked() == 0 && awaitedTotal_ == 0); }, deadline_))
        return fail(std::to_string(unacked()) + " sends unacknowledged and " + std::to_string(awaitedTotal_) +
                    " deliveries missing at the deadline"), false;
    // A barrier: anything natterd sent before answering the ping has arrived.
    for (auto& d : devices_) {
        d.pongs = 0;
        d.client->send(bench::frames::ping());
    }
    if (!runUntil(io_, [&] {
            for (const auto& d : devices_)
                if (d.pongs == 0) return false;
            return true;
        }, deadline_))
        return fail("no pong from every device"), false;
    return s_.error.empty();
}

Summary Torture::run() {
    const auto started = Clock::now();
    s_.seed = o_.seed ? o_.seed : std::random_device{}() | 1;
    progress("seed " + std::to_string(s_.seed) + ", " + std::to_string(o_.kills) + " kills, " +
             std::to_string(2 * o_.pairs) + " devices, " + std::to_string(o_.pairs) + " 1:1 chats, " +
             std::to_string(o_.groups) + " groups of " + std::to_string(o_.group_size));
    std::mt19937_64 rng(s_.seed);
    std::uniform_int_distribution<std::uint64_t> interval(o_.min_interval_ms, o_.max_interval_ms);
    if (setUp()) {
        sending_ = true;
        for (std::size_t i = 0; i < devices_.size(); ++i) fill(i);
        for (std::uint64_t n = 1; n <= o_.kills && s_.error.empty(); ++n) {
            const auto killAt = Clock::now() + std::chrono::milliseconds(interval(rng));
            runUntil(io_, [&] { return !s_.error.empty(); }, std::min(deadline_, killAt));
            if (Clock::now() >= deadline_) fail("timed out before kill " + std::to_string(n));
            if (!s_.error.empty() || !killAndRestart(n)) break;
        }
        if (s_.error.empty() && drain()) progress("drained: every acknowledged message was received");
    }
    for (auto& d : devices_) d.client->close();
    runUntil(io_, [&] {
        for (const auto& d : devices_)
            if (!d.client->ended()) return false;
        return true;
    }, Clock::now() + std::chrono::seconds(5));
    server_.stop();
    // After a clean stop everything natterd stored must be durable as well.
    if (o_.power_loss && s_.error.empty()) cutPower("the clean stop");
    s_.acked = acked_.size();
    s_.receipts = receipts_.size();
    s_.check = checkViews(acked_, views_, receipts_);
    s_.db = checkDatabase(std::filesystem::path(o_.data_dir) / "natterd.db", acked_);
    s_.duration_s = bench::msBetween(started, Clock::now()) / 1000.0;
    return s_;
}

} // namespace

Summary runTorture(const Options& options) { return Torture(options).run(); }

} // namespace natter::torture
