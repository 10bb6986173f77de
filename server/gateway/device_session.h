// One connected device's protocol state: parses its frames, hands its offline queue
// over in windowed batches before switching to live delivery (held back while the
// connection has too much unread), and relays its sends, acks and typing. Lives on the io
// thread; owned by its connection and the Hub.
#pragma once

#include "gateway/gateway_context.h"
#include "gateway/token_bucket.h"
#include "net/connection.h"
#include "protocol/frames.h"
#include "store/store.h"

#include <chrono>
#include <memory>
#include <string>
#include <vector>

namespace natter::server {

class DeviceSession final : public ConnectionHandler, public std::enable_shared_from_this<DeviceSession> {
public:
    DeviceSession(GatewayContext& ctx, DeviceKey key, std::shared_ptr<Connection> connection);

    // Sends the welcome, registers with the Hub and starts the offline sync.
    void start();

    void onText(std::string_view text) override;
    void onBinary(std::string_view data) override;
    void onActivity() override;
    void onDrained() override;
    void onClosed() override;

    // A queue entry for this device was committed; push it now if the session is live.
    void offer(const QueueEntry& entry);
    // Reads the queue past what was pushed again (entries committed by other nodes).
    void resync();
    void sendFrame(std::shared_ptr<const std::string> frame);
    void close(CloseCode code, std::string_view reason);

    DeviceKey key() const { return key_; }
    std::chrono::steady_clock::time_point lastActivity() const { return lastActivity_; }

private:
    enum class Mode { syncing, live };

    void handle(const protocol::SendMessage& m, const std::string& ref);
    void store(const protocol::SendMessage& m, const std::string& ref);
    void handle(const protocol::AckMessage& m, const std::string& ref);
    void handle(const protocol::ReceiptAck& m, const std::string& ref);
    void handle(const protocol::EventAck& m, const std::string& ref);
    void handle(const protocol::TypingNotice& m, const std::string& ref);
    void handle(const protocol::Ping& m, const std::string& ref);

    void sendError(const protocol::Error& error, const std::string& ref);
    bool mayPush();
    void push(const QueueEntry& entry);
    void pump();
    void warnIfPrekeysLow();
    void entryDone(std::uint64_t qid);

    GatewayContext& ctx_;
    const DeviceKey key_;
    std::shared_ptr<Connection> connection_;
    bool closed_ = false; // no more frames go out
    bool ended_ = false;  // the transport reported the close
    std::chrono::steady_clock::time_point lastActivity_;
    TokenBucket messageRate_;
    TokenBucket typingRate_;

    Mode mode_ = Mode::syncing;
    bool fetching_ = false;
    bool refetch_ = false; // resync() during a fetch: fetch once more when it completes
    bool syncAnnounced_ = false;
    bool congested_ = false; // the connection has too much unread: queue entries wait for onDrained
    std::uint64_t cursor_ = 0;               // highest queue id pushed on this connection
    std::uint64_t syncDelivered_ = 0;        // entries pushed before sync_complete
    // Pushed, not yet acknowledged, ascending (queue ids are pushed in order). A sorted vector:
    // at most a sync window long, and no allocation at all on an idle connection.
    std::vector<std::uint64_t> inflight_;
};

} // namespace natter::server
