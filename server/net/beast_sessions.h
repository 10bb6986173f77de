// natterd's Beast WebSocket session and what it shares with the HTTP session (http_session.h):
// stream types, SessionContext, helpers. Templated on the stream so plain TCP and TLS share one
// code path. Included only through http_session.h, by transport.cpp.
#pragma once

#include "net/connection.h"
#include "net/connection_limiter.h"
#include "net/transport.h"
#include "protocol/frame_codec.h"

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <boost/container/devector.hpp>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace natter::server::transport_detail {

namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
namespace asio = boost::asio;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;
using PlainStream = beast::tcp_stream;
using TlsStream = beast::ssl_stream<beast::tcp_stream>;

template <class Stream>
inline constexpr bool kIsTls = std::is_same_v<Stream, TlsStream>;

inline constexpr std::uint32_t kHeaderLimit = 8 * 1024;
// WebSocket reads: the first piece of every message goes to a small buffer each connection
// owns; a longer message continues in pieces that double its buffer, within these bounds.
inline constexpr std::size_t kFirstPieceBytes = 128; // acks, receipt acks, pings
inline constexpr std::size_t kMinReadPieceBytes = 1024;
inline constexpr std::size_t kMaxReadPieceBytes = 64 * 1024;
// How long a finished HTTP connection may take to close cleanly (TLS shutdown, draining).
inline constexpr auto kDrainTimeout = std::chrono::seconds(5);

// A session the transport ends when the server stops.
class Stoppable {
public:
    virtual ~Stoppable() = default;
    virtual void stopNow() = 0;
};

// State the listener shares with every session. Sessions hold it by shared_ptr, so a late
// completion never touches freed memory; once `stopped`, no session calls `handler` again.
struct SessionContext {
    SessionContext(TransportConfig c, TransportHandler& h)
        : config(std::move(c)), handler(h), limiter(config.max_connections, config.max_connections_per_address) {}

    void track(std::weak_ptr<Stoppable> session) {
        if (live.size() >= pruneAt) {
            std::erase_if(live, [](const std::weak_ptr<Stoppable>& s) { return s.expired(); });
            pruneAt = std::max<std::size_t>(64, 2 * live.size());
        }
        live.push_back(std::move(session));
    }

    void stopAll() {
        stopped = true;
        auto sessions = std::move(live);
        live.clear();
        for (const auto& weak : sessions)
            if (auto session = weak.lock()) session->stopNow();
    }

    TransportConfig config;
    TransportHandler& handler;
    ConnectionLimiter limiter; // every session holds a slot of it while its socket is open
    std::optional<ssl::context> tls;
    bool stopped = false;
    std::vector<std::weak_ptr<Stoppable>> live;
    std::size_t pruneAt = 64;
};

inline HttpResponse errorResponse(const protocol::Error& error) {
    HttpResponse r;
    r.status = protocol::httpStatus(error.code);
    r.body = protocol::serializeBody(
        protocol::rest::ErrorBody{std::string(protocol::toString(error.code)), error.message, error.revoked});
    return r;
}

inline HttpResponse errorResponse(protocol::ErrorCode code, std::string message) {
    return errorResponse(protocol::makeError(code, std::move(message)));
}

inline std::string describe(const tcp::endpoint& ep) {
    const auto port = std::to_string(ep.port());
    return ep.address().is_v6() ? "[" + ep.address().to_string() + "]:" + port : ep.address().to_string() + ":" + port;
}

// A close reason must fit 123 bytes; cut at a UTF-8 character boundary.
inline std::string_view clampCloseReason(std::string_view reason) {
    constexpr std::size_t kMax = 123;
    if (reason.size() <= kMax) return reason;
    std::size_t n = kMax;
    while (n > 0 && (static_cast<unsigned char>(reason[n]) & 0xC0) == 0x80) --n;
    return reason.substr(0, n);
}

// ---- WebSocket ---------------------------------------------------------------------

// The layer under an upgraded WebSocket. A plain connection keeps only the bare socket:
// beast::tcp_stream's timer state and heavier operations would cost every idle connection
// memory, and WebSocket timeouts are Beast's own. TLS keeps its stream (its session state
// cannot move).
template <class Stream>
struct WebSocketLayer {
    using type = Stream;
    static Stream adopt(Stream&& stream) { return std::move(stream); }
    static tcp::socket& socket(Stream& layer) { return beast::get_lowest_layer(layer).socket(); }
};

template <>
struct WebSocketLayer<PlainStream> {
    using type = tcp::socket;
    static tcp::socket adopt(PlainStream&& stream) { return stream.release_socket(); }
    static tcp::socket& socket(tcp::socket& layer) { return layer; }
};

template <class Stream>
class WebSocketSession final : public Connection,
                               public Stoppable,
                               public std::enable_shared_from_this<WebSocketSession<Stream>> {
public:
    WebSocketSession(Stream&& stream, std::shared_ptr<SessionContext> ctx, std::string remote,
                     ConnectionLimiter::Slot slot)
        : ws_(Layer::adopt(std::move(stream))),
          ctx_(std::move(ctx)),
          slot_(std::move(slot)),
          remote_(std::move(remote)) {}

    // Completes the upgrade of an authenticated request, then serves the connection.
    void run(const http::request<http::string_body>& req, DeviceIdentity identity) {
        ctx_->track(this->weak_from_this());
        if constexpr (kIsTls<Stream>) beast::get_lowest_layer(ws_).expires_never();
        auto timeouts = websocket::stream_base::timeout::suggested(beast::role_type::server);
        timeouts.idle_timeout = websocket::stream_base::none(); // heartbeats are the application's
        timeouts.handshake_timeout = ctx_->config.handshake_timeout;
        ws_.set_option(timeouts);
        ws_.set_option(websocket::stream_base::decorator(
            [](websocket::response_type& res) { res.set(http::field::server, "natterd"); }));
        ws_.read_message_max(ctx_->config.max_ws_message_bytes);
        // Stored in ws_, which this session owns: `this` outlives every call.
        ws_.control_callback([this](websocket::frame_type kind, beast::string_view) {
            if (kind != websocket::frame_type::close && handler_ && !closing_) handler_->onActivity();
        });
        ws_.async_accept(req, [self = this->shared_from_this(), identity](beast::error_code ec) {
            self->onAccept(ec, identity);
        });
    }

    SendResult send(std::shared_ptr<const std::string> text) override {
        if (closing_ || !text) return SendResult::closing;
        // A frame alone may exceed the byte cap: it goes out when nothing is queued before it.
        const auto& config = ctx_->config;
        if (!queue_.empty() && (queue_.size() >= config.max_outbound_frames ||
                                queuedBytes_ + text->size() > config.max_outbound_bytes)) {
            dropQueued();
            close(CloseCode::SlowConsumer, "slow consumer: outbound queue full");
            return SendResult::overflow;
        }
        queuedBytes_ += text->size();
        queue_.push_back(std::move(text));
        flush();
        return SendResult::queued;
    }

    bool congested() override {
        if (queuedBytes_ < ctx_->config.max_outbound_bytes / 2) return false;
        drainWanted_ = true;
        return true;
    }

    void close(CloseCode code, std::string_view reason) override {
        if (closing_) return;
        closing_ = true;
        const auto clamped = clampCloseReason(reason);
        closeReason_ = std::make_unique<websocket::close_reason>(static_cast<std::uint16_t>(code));
        closeReason_->reason.assign(clamped.data(), clamped.size());
        // Bounds the whole close, including a write the peer never reads.
        deadline_ = std::make_unique<asio::steady_timer>(ws_.get_executor());
        deadline_->expires_after(ctx_->config.handshake_timeout);
        deadline_->async_wait([self = this->shared_from_this()](beast::error_code ec) {
            if (!ec) self->abort();
        });
        flush();
    }

    std::string remoteAddress() const override { return remote_; }

    // A connection already closing is cut off: its handshake may be the stuck one (abort()).
    void stopNow() override {
        if (closing_) abort();
        else close(CloseCode::GoingAway, "server shutting down");
    }

private:
    void onAccept(beast::error_code ec, const DeviceIdentity& identity) {
        if (ec) {
            finish();
            return;
        }
        opened_ = true;
        ws_.text(true);
        if (ctx_->stopped) {
            close(CloseCode::GoingAway, "server shutting down");
        } else if (!closing_) {
            handler_ = ctx_->handler.openConnection(identity, this->shared_from_this());
            if (!handler_) close(CloseCode::Normal, "");
        }
        flush(); // sends a close requested during the handshake
        read();
    }

    // One read at a time; it stays pending while closing so Beast completes the close handshake.
    // Every connection, idle or not, holds a pending read. A whole-message read would reserve
    // a 1.5 KiB buffer for it; instead the first piece of a message lands in a small inline
    // buffer (acks, receipt acks and pings fit) and only longer messages grow `message_`.
    void read() {
        ws_.async_read_some(asio::buffer(firstPiece_),
                            asio::bind_cancellation_slot(readCancel_.slot(), [self = this->shared_from_this()](
                                                                                 beast::error_code ec, std::size_t n) {
                                self->onFirstPiece(ec, n);
                            }));
    }

    void onFirstPiece(beast::error_code ec, std::size_t n) {
        if (ec) return finish();
        if (ws_.is_message_done()) {
            deliver(std::string_view(firstPiece_.data(), n));
            return readNext();
        }
        message_.assign(firstPiece_.data(), n);
        readRest();
    }

    void readRest() {
        const std::size_t had = message_.size();
        const std::size_t piece = std::clamp(had, kMinReadPieceBytes, kMaxReadPieceBytes); // doubles the buffer
        message_.resize(had + piece);
        ws_.async_read_some(asio::buffer(message_.data() + had, piece),
                            asio::bind_cancellation_slot(readCancel_.slot(), [self = this->shared_from_this(),
                                                                              had](beast::error_code ec, std::size_t n) {
                                self->onRestPiece(ec, had + n);
                            }));
    }

    void onRestPiece(beast::error_code ec, std::size_t size) {
        if (ec) return finish();
        message_.resize(size);
        if (!ws_.is_message_done()) return readRest();
        deliver(message_);
        std::string().swap(message_); // an idle connection keeps no message buffer
        readNext();
    }

    void deliver(std::string_view message) {
        if (auto handler = handler_; handler && !closing_) {
            handler->onActivity();
            if (ws_.got_text()) handler->onText(message);
            else handler->onBinary(message);
        }
    }

    void readNext() {
        if (!finished_) read();
    }

    // Starts the next write, or the close frame once the queue is empty.
    void flush() {
        if (!opened_ || finished_ || writing_) return;
        if (!queue_.empty()) {
            writing_ = true;
            auto written = [self = this->shared_from_this()](beast::error_code ec, std::size_t) { self->onWrite(ec); };
            ws_.async_write(asio::buffer(*queue_.front()), std::move(written));
        } else if (closing_ && !closeSent_) {
            closeSent_ = true;
            ws_.async_close(closeReason_ ? *closeReason_ : websocket::close_reason{},
                            asio::bind_cancellation_slot(closeCancel_.slot(),
                                                         [self = this->shared_from_this()](beast::error_code) {}));
        }
    }

    void onWrite(beast::error_code ec) {
        writing_ = false;
        queuedBytes_ -= queue_.front()->size();
        queue_.pop_front();
        if (ec) {
            dropQueued();
            closeSocket(); // the pending read fails and finishes
            return;
        }
        flush();
        if (drainWanted_ && queuedBytes_ <= ctx_->config.max_outbound_bytes / 4) {
            drainWanted_ = false;
            if (auto handler = handler_; handler && !closing_) handler->onDrained();
        }
    }

    // Ends a close that did not finish in time. Beast 1.81 can leave a read and a close each
    // waiting for the lock the other holds (a frame that fails the connection arrives while the
    // close frame is being written); both wait with our handlers, which keep this session alive,
    // and a closed socket does not wake them. Cancelling completes them with operation_aborted.
    void abort() {
        readCancel_.emit(asio::cancellation_type::terminal);
        closeCancel_.emit(asio::cancellation_type::terminal);
        finish();
    }

    void closeSocket() {
        beast::error_code ignored;
        Layer::socket(ws_.next_layer()).close(ignored);
    }

    // Drops queued frames but keeps the one being written: its buffer is in use.
    void dropQueued() {
        const auto from = queue_.begin() + (writing_ ? 1 : 0);
        for (auto it = from; it != queue_.end(); ++it) queuedBytes_ -= (*it)->size();
        queue_.erase(from, queue_.end());
    }

    void finish() {
        if (finished_) return;
        finished_ = true;
        closing_ = true;
        dropQueued();
        if (deadline_) deadline_->cancel();
        closeSocket();
        if (auto handler = std::move(handler_)) handler->onClosed();
    }

    using Layer = WebSocketLayer<Stream>;

    websocket::stream<typename Layer::type> ws_;
    // Closing state, made only when the connection closes: idle connections do not carry it.
    std::unique_ptr<asio::steady_timer> deadline_; // bounds the close handshake
    std::unique_ptr<websocket::close_reason> closeReason_;
    asio::cancellation_signal readCancel_;  // bound to every read: abort() ends a stuck one
    asio::cancellation_signal closeCancel_; // bound to the close handshake
    std::shared_ptr<SessionContext> ctx_;
    ConnectionLimiter::Slot slot_; // after ctx_, which owns the limiter: released first
    std::string remote_;
    std::array<char, kFirstPieceBytes> firstPiece_;
    std::string message_; // a message longer than firstPiece_, while it arrives
    std::shared_ptr<ConnectionHandler> handler_;
    // front() is in flight while writing_. A devector, unlike std::deque, allocates nothing
    // while empty: most connections are idle most of the time.
    boost::container::devector<std::shared_ptr<const std::string>> queue_;
    std::size_t queuedBytes_ = 0; // the sizes of the frames in queue_
    bool opened_ = false;
    bool writing_ = false;
    bool closing_ = false;
    bool closeSent_ = false;
    bool drainWanted_ = false; // congested() said true: call onDrained() at a quarter of the cap
    bool finished_ = false;
};

} // namespace natter::server::transport_detail
