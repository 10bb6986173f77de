// The Transport: TLS setup, the listening socket and its accept loop, and shutdown. The
// sessions are in http_session.h and beast_sessions.h; this is natterd's only Beast
// translation unit.
#include "net/transport.h"

#include "logging/loggers.h"
#include "net/accept_backoff.h"
#include "net/http_session.h"

#include <boost/asio/ip/tcp.hpp>
#include <boost/system/system_error.hpp>

namespace natter::server {

using namespace transport_detail;

namespace {

// Owns the acceptor; accept completions hold it by shared_ptr, so they stay safe even when
// they run after the Transport is gone.
class Listener final : public std::enable_shared_from_this<Listener> {
public:
    Listener(asio::io_context& io, std::shared_ptr<SessionContext> ctx)
        : io_(io), acceptor_(io), retry_(io), ctx_(std::move(ctx)) {}

    protocol::Result<unsigned short> listen() {
        const auto& config = ctx_->config;
        const std::string where = config.host + ":" + std::to_string(config.port);
        beast::error_code ec;
        tcp::resolver resolver(io_);
        const auto endpoints = resolver.resolve(config.host, std::to_string(config.port),
                                                tcp::resolver::passive | tcp::resolver::numeric_service, ec);
        if (!ec && endpoints.empty()) ec = asio::error::host_not_found;
        for (const auto& entry : endpoints) {
            ec = bind(entry.endpoint());
            if (!ec) break;
        }
        auto fail = [&] {
            return protocol::makeError(protocol::ErrorCode::Internal,
                                       "cannot listen on " + where + ": " + ec.message());
        };
        if (ec) return fail();
        const auto local = acceptor_.local_endpoint(ec);
        if (ec) return fail();
        accept();
        return local.port();
    }

    void stop() {
        beast::error_code ignored;
        acceptor_.close(ignored);
        retry_.cancel();
        ctx_->stopAll();
    }

private:
    beast::error_code bind(const tcp::endpoint& endpoint) {
        beast::error_code ec;
        beast::error_code ignored;
        acceptor_.close(ignored);
        acceptor_.open(endpoint.protocol(), ec);
        if (!ec) acceptor_.set_option(asio::socket_base::reuse_address(true), ec);
        if (!ec) acceptor_.bind(endpoint, ec);
        if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
        if (ec) acceptor_.close(ignored);
        return ec;
    }

    void accept() {
        acceptor_.async_accept(io_, [self = shared_from_this()](beast::error_code ec, tcp::socket socket) {
            self->onAccept(ec, std::move(socket));
        });
    }

    void onAccept(beast::error_code ec, tcp::socket socket) {
        if (ctx_->stopped || ec == asio::error::operation_aborted) return;
        if (ec == asio::error::connection_aborted) {
            accept();
            return;
        }
        if (ec) {
            acceptFailed(ec);
            return;
        }
        backoff_.succeeded();
        const auto remote = socket.remote_endpoint(ec);
        ConnectionLimiter::Slot slot;
        if (!ec) {
            if (const auto refusal = ctx_->limiter.admit(remote.address(), slot)) {
                // Closed at once, before reading anything: a flood costs one accept each.
                ctx_->handler.connectionRefused(*refusal);
                beast::error_code ignored;
                socket.close(ignored);
                accept();
                return;
            }
            socket.set_option(tcp::no_delay(true), ec);
            auto peer = describe(remote);
            if (ctx_->tls) {
                TlsStream stream(std::move(socket), *ctx_->tls);
                // Not make_shared: the weak reference the transport keeps to stop sessions
                // would pin an ended session's memory (every upgraded connection's) until pruned.
                std::shared_ptr<HttpSession<TlsStream>>(
                    new HttpSession<TlsStream>(std::move(stream), ctx_, std::move(peer), std::move(slot)))
                    ->run();
            } else {
                PlainStream stream(std::move(socket));
                std::shared_ptr<HttpSession<PlainStream>>(
                    new HttpSession<PlainStream>(std::move(stream), ctx_, std::move(peer), std::move(slot)))
                    ->run();
            }
        }
        accept();
    }

    // Out of descriptors or memory: the pending connection stays in the backlog, so retrying at
    // once would spin. Waits, counts and logs (throttled), then accepts again.
    void acceptFailed(const beast::error_code& ec) {
        ctx_->handler.acceptFailed();
        const auto failure = backoff_.failed(AcceptBackoff::Clock::now());
        if (failure.report)
            log::net()->warn("accepting a connection failed: {} ({} more failures since the last such line); "
                             "retrying in {} ms",
                             ec.message(), *failure.report, failure.delay.count());
        retry_.expires_after(failure.delay);
        retry_.async_wait([self = shared_from_this()](beast::error_code waited) {
            if (!waited && !self->ctx_->stopped) self->accept();
        });
    }

    asio::io_context& io_;
    tcp::acceptor acceptor_;
    asio::steady_timer retry_;
    AcceptBackoff backoff_;
    std::shared_ptr<SessionContext> ctx_;
};

// Loads the certificate chain and key; an error result instead of an exception. Replacing the
// context of running sessions is safe: each TLS stream's SSL holds its own reference to the
// SSL_CTX it was made from.
protocol::Result<void> loadTls(SessionContext& ctx) {
    const auto& config = ctx.config;
    auto fail = [](std::string what) { return protocol::makeError(protocol::ErrorCode::Internal, std::move(what)); };
    try {
        ssl::context tls(ssl::context::tls_server);
        beast::error_code ec;
        tls.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                            ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 | ssl::context::single_dh_use,
                        ec);
        if (ec) return fail("cannot configure TLS: " + ec.message());
        tls.use_certificate_chain_file(config.tls_cert_file, ec);
        if (ec) return fail("cannot load TLS certificate " + config.tls_cert_file + ": " + ec.message());
        tls.use_private_key_file(config.tls_key_file, ssl::context::pem, ec);
        if (ec) return fail("cannot load TLS key " + config.tls_key_file + ": " + ec.message());
        ctx.tls.emplace(std::move(tls));
    } catch (const boost::system::system_error& e) {
        return fail(std::string("cannot set up TLS: ") + e.what());
    }
    return {};
}

} // namespace

class Transport::Impl {
public:
    Impl(asio::io_context& io, TransportConfig config, TransportHandler& handler)
        : ctx_(std::make_shared<SessionContext>(std::move(config), handler)),
          listener_(std::make_shared<Listener>(io, ctx_)) {}

    ~Impl() { listener_->stop(); }

    protocol::Result<unsigned short> start() {
        const auto& config = ctx_->config;
        if (config.tls_cert_file.empty() != config.tls_key_file.empty())
            return protocol::makeError(protocol::ErrorCode::Internal, "TLS needs both a certificate and a key file");
        if (tlsEnabled() && !ctx_->tls) {
            if (auto loaded = loadTls(*ctx_); !loaded) return loaded.error();
        }
        return listener_->listen();
    }

    void stop() { listener_->stop(); }

    protocol::Result<void> reloadTls() {
        if (!tlsEnabled()) return protocol::makeError(protocol::ErrorCode::Internal, "TLS is not enabled");
        return loadTls(*ctx_); // replaces the context only once the new one loaded
    }

    void setConnectionCaps(std::size_t maxConnections, std::size_t maxPerAddress) {
        ctx_->config.max_connections = maxConnections;
        ctx_->config.max_connections_per_address = maxPerAddress;
        ctx_->limiter.setCaps(maxConnections, maxPerAddress);
    }

    bool tlsEnabled() const { return !ctx_->config.tls_cert_file.empty() && !ctx_->config.tls_key_file.empty(); }

private:
    std::shared_ptr<SessionContext> ctx_;
    std::shared_ptr<Listener> listener_;
};

Transport::Transport(asio::io_context& io, TransportConfig config, TransportHandler& handler)
    : impl_(std::make_unique<Impl>(io, std::move(config), handler)) {}
Transport::~Transport() = default;
protocol::Result<unsigned short> Transport::start() { return impl_->start(); }
void Transport::stop() { impl_->stop(); }
bool Transport::tlsEnabled() const { return impl_->tlsEnabled(); }
protocol::Result<void> Transport::reloadTls() { return impl_->reloadTls(); }
void Transport::setConnectionCaps(std::size_t maxConnections, std::size_t maxPerAddress) {
    impl_->setConnectionCaps(maxConnections, maxPerAddress);
}

} // namespace natter::server
