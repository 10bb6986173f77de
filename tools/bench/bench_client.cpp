// BenchClient: frames in (parsed with the protocol codec, acked like a real client) and frames out.
#include "bench_client.h"

#include "protocol/frame_codec.h"

namespace natter::bench {

BenchClient::BenchClient(boost::asio::io_context& io, Account account, const ClientEvents& events, std::size_t index)
    : io_(io), account_(std::move(account)), events_(events), index_(index) {}

BenchClient::~BenchClient() {
    if (ws_) ws_->detach();
}

void BenchClient::connect(const Endpoint& endpoint, const std::string& sourceAddress) {
    if (ws_) ws_->detach();
    ready_ = false;
    closing_ = false;
    ended_ = false;
    syncDelivered_ = 0;
    connectStarted_ = Clock::now();
    ws_ = WsClient::create(io_, WsClient::Handlers{
                                    {},
                                    [this](std::string_view text) { onText(text); },
                                    [this](const std::string& why) {
                                        ended_ = true;
                                        ready_ = false;
                                        if (!closing_ && events_.onFailure) events_.onFailure(*this, "closed: " + why);
                                    },
                                });
    ws_->connect(endpoint, "/ws?access_token=" + account_.token, sourceAddress);
}

void BenchClient::send(std::string frame) {
    if (ws_) ws_->send(std::move(frame));
}

void BenchClient::close() {
    closing_ = true;
    if (ws_) ws_->close();
}

void BenchClient::onText(std::string_view text) {
    auto frame = protocol::parseServerFrame(text);
    if (!frame) {
        if (events_.onFailure) events_.onFailure(*this, "unparsable frame: " + frame.error().message);
        return;
    }
    std::visit(
        [&](const auto& f) {
            using F = std::decay_t<decltype(f)>;
            if constexpr (std::is_same_v<F, protocol::Welcome>) {
                heartbeatIntervalS_ = f.heartbeat_interval_s;
            } else if constexpr (std::is_same_v<F, protocol::MessageDelivery>) {
                send(R"({"type":"ack","status":"delivered","message_id":)" + std::to_string(f.message_id) + "}");
                if (events_.onMessage) events_.onMessage(*this, f);
            } else if constexpr (std::is_same_v<F, protocol::GroupEvent>) {
                send(R"({"type":"ack","status":"delivered","message_id":)" + std::to_string(f.message_id) + "}");
                if (events_.onGroupEvent) events_.onGroupEvent(*this, f);
            } else if constexpr (std::is_same_v<F, protocol::ReceiptEvent>) {
                send(R"({"type":"receipt_ack","receipt_id":)" + std::to_string(f.receipt_id) + "}");
                if (events_.onReceipt) events_.onReceipt(*this, f);
            } else if constexpr (std::is_same_v<F, protocol::IdentityChanged>) {
                send(R"({"type":"event_ack","event_id":)" + std::to_string(f.event_id) + "}");
            } else if constexpr (std::is_same_v<F, protocol::SentAck>) {
                if (events_.onSent) events_.onSent(*this, f);
            } else if constexpr (std::is_same_v<F, protocol::SyncComplete>) {
                syncDelivered_ = f.delivered;
                ready_ = true;
                readyAt_ = Clock::now();
                if (events_.onReady) events_.onReady(*this);
            } else if constexpr (std::is_same_v<F, protocol::PresenceEvent>) {
                if (events_.onPresence) events_.onPresence(*this, f);
            } else if constexpr (std::is_same_v<F, protocol::Pong>) {
                if (events_.onPong) events_.onPong(*this);
            } else if constexpr (std::is_same_v<F, protocol::ErrorFrame>) {
                if (events_.onFailure) events_.onFailure(*this, "error frame: " + f.message);
            }
        },
        *frame);
}

namespace frames {

std::string directMessage(const std::string& chatId, const std::string& clientMsgId, protocol::UserId to,
                          protocol::DeviceId device, const std::string& content) {
    std::string out;
    out.reserve(160 + content.size());
    out += R"({"type":"message","chat_id":")";
    out += chatId;
    out += R"(","client_msg_id":")";
    out += clientMsgId;
    out += R"(","envelopes":[{"user_id":)";
    out += std::to_string(to);
    out += R"(,"device_id":)";
    out += std::to_string(device);
    out += R"(,"content":")";
    out += content;
    out += "\"}]}";
    return out;
}

std::string groupMessage(const std::string& chatId, const std::string& clientMsgId, const std::string& content) {
    return R"({"type":"message","chat_id":")" + chatId + R"(","client_msg_id":")" + clientMsgId +
           R"(","content":")" + content + "\"}";
}

std::string ping() { return R"({"type":"ping"})"; }

const std::string& payload() {
    static const std::string p = [] {
        std::string s;
        for (int i = 0; i < 21; ++i) s += "QUJD"; // "ABC" x 21 = 63 bytes
        return s + "QQ==";                      // + "A": 64 bytes
    }();
    return p;
}

} // namespace frames

} // namespace natter::bench
