// The Beast transport: accept loop, HTTP sessions (REST, upgrade requests) and WebSocket
// sessions with one write in flight and a bounded queue, over plain TCP or TLS. All of
// natterd's Beast code is in this translation unit.
#include "net/transport.h"

#include "protocol/frame_codec.h"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>

#include <array>
#include <deque>
#include <list>
#include <optional>

namespace natter::server {

namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
namespace net = boost::asio;
namespace ssl = net::ssl;
using tcp = net::ip::tcp;
using PlainStream = beast::tcp_stream;
using TlsStream = beast::ssl_stream<beast::tcp_stream>;

namespace {
constexpr auto kKeepAliveIdle = std::chrono::seconds(60);
constexpr std::uint32_t kHeaderLimit = 8 * 1024;

template <class Stream>
constexpr bool kIsTls = std::is_same_v<Stream, TlsStream>;

// Something the transport can end at once when the server stops.
class Stoppable {
public:
    virtual ~Stoppable() = default;
    virtual void stopNow() = 0;
};

HttpResponse jsonError(protocol::ErrorCode code, std::string message) {
    HttpResponse r;
    r.status = protocol::httpStatus(code);
    r.body = protocol::serializeBody(protocol::rest::ErrorBody{std::string(protocol::toString(code)), std::move(message)});
    return r;
}

std::string remoteOf(const tcp::socket& socket) {
    boost::system::error_code ec;
    const auto ep = socket.remote_endpoint(ec);
    return ec ? std::string("unknown") : ep.address().to_string() + ":" + std::to_string(ep.port());
}

} // namespace

class Transport::Impl {
public:
    Impl(net::io_context& io, TransportConfig config, TransportHandler& handler)
        : io_(io), config_(std::move(config)), handler_(handler), acceptor_(io) {}

    protocol::Result<unsigned short> start();
    void stop();
    bool tls() const { return tls_.has_value(); }

    void track(const std::shared_ptr<Stoppable>& s) {
        live_.remove_if([](const auto& w) { return w.expired(); });
        live_.push_back(s);
    }

    net::io_context& io_;
    TransportConfig config_;
    TransportHandler& handler_;
    bool stopped_ = false;

private:
    void accept();

    tcp::acceptor acceptor_;
    std::optional<ssl::context> tls_;
    std::list<std::weak_ptr<Stoppable>> live_;
};

// ---- WebSocket session -------------------------------------------------------------

template <class Stream>
class WebSocketSession final : public Connection,
                               public Stoppable,
                               public std::enable_shared_from_this<WebSocketSession<Stream>> {
public:
    WebSocketSession(Stream&& stream, Transport::Impl& owner, std::string remote)
        : ws_(std::move(stream)), owner_(owner), remote_(std::move(remote)) {}

    void run(http::request<http::string_body> req, DeviceIdentity identity) {
        beast::get_lowest_layer(ws_).expires_never();
        auto timeouts = websocket::stream_base::timeout::suggested(beast::role_type::server);
        timeouts.idle_timeout = websocket::stream_base::none(); // heartbeats are the application's
        timeouts.handshake_timeout = owner_.config_.handshake_timeout;
        ws_.set_option(timeouts);
        ws_.set_option(websocket::stream_base::decorator(
            [](websocket::response_type& res) { res.set(http::field::server, "natterd"); }));
        ws_.read_message_max(owner_.config_.max_ws_message_bytes);
        std::weak_ptr<WebSocketSession> weak = this->shared_from_this();
        ws_.control_callback([weak](websocket::frame_type, beast::string_view) {
            if (auto self = weak.lock(); self && self->handler_) self->handler_->onActivity();
        });
        ws_.async_accept(req, [self = this->shared_from_this(), identity](beast::error_code ec) {
            if (ec) return;
            self->owner_.track(self);
            self->handler_ = self->owner_.handler_.openConnection(identity, self);
            self->read();
        });
    }

    bool send(std::shared_ptr<const std::string> text) override {
        if (closing_) return false;
        if (queue_.size() >= owner_.config_.max_outbound_frames) {
            queue_.clear();
            close(CloseCode::SlowConsumer, "outbound queue full");
            return false;
        }
        queue_.push_back(std::move(text));
        if (!writing_) write();
        return true;
    }

    void close(CloseCode code, std::string_view reason) override {
        if (closing_) return;
        closing_ = true;
        closeReason_.code = static_cast<std::uint16_t>(code);
        closeReason_.reason.assign(reason.data(), std::min<std::size_t>(reason.size(), closeReason_.reason.max_size()));
        if (!writing_) write();
    }

    std::string remoteAddress() const override { return remote_; }

    void stopNow() override { close(CloseCode::GoingAway, "server shutting down"); }

private:
    void read() {
        ws_.async_read(buffer_, [self = this->shared_from_this()](beast::error_code ec, std::size_t) {
            if (ec) {
                self->finish();
                return;
            }
            if (self->handler_) {
                self->handler_->onActivity();
                const auto data = self->buffer_.cdata();
                const std::string_view view(static_cast<const char*>(data.data()), data.size());
                if (self->ws_.got_text()) self->handler_->onText(view);
                else self->handler_->onBinary(view);
            }
            self->buffer_.consume(self->buffer_.size());
            self->read(); // also while closing: the pending read completes the close handshake
        });
    }

    void write() {
        if (queue_.empty()) {
            if (closing_ && !closeSent_) {
                closeSent_ = true;
                ws_.async_close(closeReason_, [self = this->shared_from_this()](beast::error_code) {});
            }
            return;
        }
        writing_ = true;
        ws_.text(true);
        ws_.async_write(net::buffer(*queue_.front()), [self = this->shared_from_this()](beast::error_code ec, std::size_t) {
            self->writing_ = false;
            if (ec) {
                self->queue_.clear();
                beast::get_lowest_layer(self->ws_).close();
                return;
            }
            self->queue_.pop_front();
            self->write();
        });
    }

    void finish() {
        closing_ = true;
        queue_.clear();
        if (auto handler = std::move(handler_)) handler->onClosed();
    }

    websocket::stream<Stream> ws_;
    Transport::Impl& owner_;
    std::string remote_;
    beast::flat_buffer buffer_;
    std::shared_ptr<ConnectionHandler> handler_;
    std::deque<std::shared_ptr<const std::string>> queue_;
    bool writing_ = false;
    bool closing_ = false;
    bool closeSent_ = false;
    websocket::close_reason closeReason_;
};

// ---- HTTP session ------------------------------------------------------------------

template <class Stream>
class HttpSession final : public Stoppable, public std::enable_shared_from_this<HttpSession<Stream>> {
public:
    HttpSession(Stream&& stream, Transport::Impl& owner, std::string remote)
        : stream_(std::move(stream)), owner_(owner), remote_(std::move(remote)) {}

    void run() {
        owner_.track(this->shared_from_this());
        if constexpr (kIsTls<Stream>) {
            beast::get_lowest_layer(stream_).expires_after(owner_.config_.handshake_timeout);
            stream_.async_handshake(ssl::stream_base::server, [self = this->shared_from_this()](beast::error_code ec) {
                if (!ec) self->read();
            });
        } else {
            read();
        }
    }

    void stopNow() override {
        stopped_ = true;
        beast::get_lowest_layer(stream_).close();
    }

private:
    void read() {
        if (stopped_) return;
        parser_.emplace();
        parser_->body_limit(owner_.config_.max_body_bytes);
        parser_->header_limit(kHeaderLimit);
        beast::get_lowest_layer(stream_).expires_after(kKeepAliveIdle);
        http::async_read(stream_, buffer_, *parser_, [self = this->shared_from_this()](beast::error_code ec, std::size_t) {
            self->onRead(ec);
        });
    }

    void onRead(beast::error_code ec) {
        if (ec == http::error::body_limit || ec == http::error::header_limit) {
            // The client may still be sending: answer, then drain before closing so the
            // peer reads the 413 instead of a connection reset.
            draining_ = true;
            respond(jsonError(protocol::ErrorCode::PayloadTooLarge,
                              ec == http::error::body_limit
                                  ? "request body exceeds " + std::to_string(owner_.config_.max_body_bytes) + " bytes"
                                  : std::string("request headers too large")),
                    11, false);
            return;
        }
        if (ec) {
            shutdown();
            return;
        }
        request_ = parser_->release();
        HttpRequest req;
        req.method = std::string(request_.method_string());
        req.target = std::string(request_.target());
        req.authorization = std::string(request_[http::field::authorization]);
        req.remote = remote_;
        const unsigned version = request_.version();
        const bool keepAlive = request_.keep_alive();

        if (websocket::is_upgrade(request_)) {
            const std::string_view path = std::string_view(req.target).substr(0, req.target.find('?'));
            if (path != "/ws") {
                respond(jsonError(protocol::ErrorCode::NotFound, "WebSocket endpoint is /ws"), version, false);
                return;
            }
            owner_.handler_.authenticateUpgrade(req, [self = this->shared_from_this(), version](
                                                         protocol::Result<DeviceIdentity> identity) {
                if (self->stopped_) return;
                if (!identity) {
                    HttpResponse r = jsonError(identity.error().code, identity.error().message);
                    self->respond(std::move(r), version, false);
                    return;
                }
                auto remote = self->remote_;
                std::make_shared<WebSocketSession<Stream>>(std::move(self->stream_), self->owner_, std::move(remote))
                    ->run(std::move(self->request_), *identity);
            });
            return;
        }
        req.body = std::move(request_.body());
        owner_.handler_.handleHttp(std::move(req), [self = this->shared_from_this(), version, keepAlive](HttpResponse r) {
            self->respond(std::move(r), version, keepAlive);
        });
    }

    void respond(HttpResponse r, unsigned version, bool keepAlive) {
        if (stopped_) return;
        auto res = std::make_shared<http::response<http::string_body>>(static_cast<http::status>(r.status), version);
        res->set(http::field::server, "natterd");
        res->set(http::field::content_type, r.content_type);
        for (const auto& [name, value] : r.headers) res->set(name, value);
        res->keep_alive(keepAlive && !owner_.stopped_);
        res->body() = std::move(r.body);
        res->prepare_payload();
        http::async_write(stream_, *res, [self = this->shared_from_this(), res](beast::error_code ec, std::size_t) {
            if (ec || !res->keep_alive()) self->shutdown();
            else self->read();
        });
    }

    void shutdown() {
        if constexpr (kIsTls<Stream>) {
            beast::get_lowest_layer(stream_).expires_after(std::chrono::seconds(5));
            stream_.async_shutdown([self = this->shared_from_this()](beast::error_code) {
                beast::get_lowest_layer(self->stream_).close();
            });
        } else {
            beast::error_code ec;
            stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
            if (draining_) drain();
            else stream_.close();
        }
    }

    // Reads and discards until the peer closes (or a short timeout), then closes.
    void drain() {
        stream_.expires_after(std::chrono::seconds(5));
        stream_.async_read_some(net::buffer(discard_), [self = this->shared_from_this()](beast::error_code ec, std::size_t) {
            if (ec) self->stream_.close();
            else self->drain();
        });
    }

    Stream stream_;
    Transport::Impl& owner_;
    std::string remote_;
    beast::flat_buffer buffer_;
    std::optional<http::request_parser<http::string_body>> parser_;
    http::request<http::string_body> request_;
    bool stopped_ = false;
    bool draining_ = false;
    std::array<char, 16 * 1024> discard_{};
};

// ---- listener ----------------------------------------------------------------------

protocol::Result<unsigned short> Transport::Impl::start() {
    using protocol::ErrorCode;
    using protocol::makeError;
    if (!config_.tls_cert_file.empty()) {
        tls_.emplace(ssl::context::tls_server);
        tls_->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                          ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1);
        beast::error_code ec;
        tls_->use_certificate_chain_file(config_.tls_cert_file, ec);
        if (ec) return makeError(ErrorCode::Internal, "cannot load TLS certificate " + config_.tls_cert_file + ": " + ec.message());
        tls_->use_private_key_file(config_.tls_key_file, ssl::context::pem, ec);
        if (ec) return makeError(ErrorCode::Internal, "cannot load TLS key " + config_.tls_key_file + ": " + ec.message());
    }
    beast::error_code ec;
    const auto address = net::ip::make_address(config_.host, ec);
    if (ec) return makeError(ErrorCode::Internal, "cannot listen on '" + config_.host + "': not an IP address");
    const tcp::endpoint endpoint(address, config_.port);
    const std::string where = config_.host + ":" + std::to_string(config_.port);
    acceptor_.open(endpoint.protocol(), ec);
    if (!ec) acceptor_.set_option(net::socket_base::reuse_address(true), ec);
    if (!ec) acceptor_.bind(endpoint, ec);
    if (!ec) acceptor_.listen(net::socket_base::max_listen_connections, ec);
    if (ec) return makeError(ErrorCode::Internal, "cannot listen on " + where + ": " + ec.message());
    accept();
    return acceptor_.local_endpoint().port();
}

void Transport::Impl::accept() {
    acceptor_.async_accept(io_, [this](beast::error_code ec, tcp::socket socket) {
        if (stopped_) return;
        if (!ec) {
            socket.set_option(tcp::no_delay(true), ec);
            auto remote = remoteOf(socket);
            if (tls_)
                std::make_shared<HttpSession<TlsStream>>(TlsStream(std::move(socket), *tls_), *this, std::move(remote))->run();
            else
                std::make_shared<HttpSession<PlainStream>>(PlainStream(std::move(socket)), *this, std::move(remote))->run();
        }
        accept(); // errors such as EMFILE affect one connection, not the listener
    });
}

void Transport::Impl::stop() {
    if (stopped_) return;
    stopped_ = true;
    beast::error_code ec;
    acceptor_.close(ec);
    auto live = std::move(live_);
    for (auto& weak : live)
        if (auto s = weak.lock()) s->stopNow();
}

Transport::Transport(net::io_context& io, TransportConfig config, TransportHandler& handler)
    : impl_(std::make_unique<Impl>(io, std::move(config), handler)) {}
Transport::~Transport() = default;
protocol::Result<unsigned short> Transport::start() { return impl_->start(); }
void Transport::stop() { impl_->stop(); }
bool Transport::tlsEnabled() const { return impl_->tls(); }

} // namespace natter::server
