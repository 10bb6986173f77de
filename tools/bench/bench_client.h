// One benchmark device: a WebSocket to natterd that speaks the real protocol. It parses
// every server frame with the protocol codec, acks messages and group events `delivered`
// and confirms receipts as a real client must, and reports what arrived to its scenario.
#pragma once

#include "accounts.h"
#include "io_loop.h"
#include "net.h"
#include "protocol/frames.h"

#include <functional>
#include <memory>
#include <string>

namespace natter::bench {

class BenchClient;

// A scenario's reactions, shared by all its clients (any may be empty).
struct ClientEvents {
    std::function<void(BenchClient&)> onReady; // sync_complete received
    std::function<void(BenchClient&, const protocol::MessageDelivery&)> onMessage;
    std::function<void(BenchClient&, const protocol::SentAck&)> onSent;
    std::function<void(BenchClient&, const protocol::ReceiptEvent&)> onReceipt;
    std::function<void(BenchClient&, const protocol::GroupEvent&)> onGroupEvent;
    std::function<void(BenchClient&)> onPong;
    std::function<void(BenchClient&, const protocol::PresenceEvent&)> onPresence;
    // An error frame, or the connection ended without close() (the text says why).
    std::function<void(BenchClient&, const std::string&)> onFailure;
};

class BenchClient {
public:
    BenchClient(boost::asio::io_context& io, Account account, const ClientEvents& events, std::size_t index);
    ~BenchClient();
    BenchClient(const BenchClient&) = delete;
    BenchClient& operator=(const BenchClient&) = delete;

    void connect(const Endpoint& endpoint, const std::string& sourceAddress);
    void send(std::string frame);
    void close();

    const Account& account() const { return account_; }
    std::size_t index() const { return index_; }
    bool ready() const { return ready_; }
    bool ended() const { return ended_; }
    Clock::time_point connectStarted() const { return connectStarted_; }
    Clock::time_point readyAt() const { return readyAt_; }
    std::uint64_t syncDelivered() const { return syncDelivered_; }
    // From the welcome frame: send something at least this often (seconds).
    int heartbeatIntervalS() const { return heartbeatIntervalS_; }

private:
    void onText(std::string_view text);

    boost::asio::io_context& io_;
    Account account_;
    const ClientEvents& events_;
    std::size_t index_;
    std::shared_ptr<WsClient> ws_;
    Clock::time_point connectStarted_{};
    Clock::time_point readyAt_{};
    bool ready_ = false;
    bool closing_ = false;
    bool ended_ = false;
    std::uint64_t syncDelivered_ = 0;
    int heartbeatIntervalS_ = 15;
};

// Client frames, written directly (the server parses them with the protocol codec).
namespace frames {
std::string directMessage(const std::string& chatId, const std::string& clientMsgId, protocol::UserId to,
                          protocol::DeviceId device, const std::string& content);
std::string groupMessage(const std::string& chatId, const std::string& clientMsgId, const std::string& content);
std::string ping();
// 64 bytes of "ciphertext" as canonical base64.
const std::string& payload();
} // namespace frames

} // namespace natter::bench
