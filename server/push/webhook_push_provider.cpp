// The Beast HTTP/1.1 client behind WebhookPushProvider: one short-lived connection per
// wake-up (Connection: close), resolve and check -> connect -> [TLS handshake] -> write -> read header.
#include "push/webhook_push_provider.h"

#include "push/push_endpoint.h"
#include "push/push_target_resolver.h"
#include "protocol/frame_codec.h"

#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include <algorithm>
#include <optional>
#include <vector>

namespace natter::server {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

PushResult outcomeOf(unsigned status) {
    const std::string detail = "HTTP " + std::to_string(status);
    if (status >= 200 && status < 300) return {PushOutcome::delivered, detail};
    if (status == 404 || status == 410) return {PushOutcome::gone, detail};
    return {PushOutcome::retry, detail};
}

bool isIpLiteral(const std::string& host) {
    boost::system::error_code ec;
    asio::ip::make_address(host, ec);
    return !ec;
}

// One POST of one wake-up. Keeps itself alive through its pending handlers.
class WebhookRequest final : public std::enable_shared_from_this<WebhookRequest> {
public:
    WebhookRequest(asio::io_context& io, std::shared_ptr<ssl::context> tls, const WebhookTimeouts& timeouts,
                   PushEndpoint endpoint, std::string body, std::function<void(PushResult)> done)
        : tls_(std::move(tls)), timeouts_(timeouts), endpoint_(std::move(endpoint)), done_(std::move(done)) {
        request_.method(http::verb::post);
        request_.target(endpoint_.target);
        request_.version(11);
        request_.set(http::field::host, endpoint_.hostHeader);
        request_.set(http::field::user_agent, "natterd");
        request_.set(http::field::content_type, "application/json");
        request_.set(http::field::connection, "close");
        request_.body() = std::move(body);
        request_.prepare_payload();
        if (endpoint_.tls) secure_.emplace(io, *tls_);
        else plain_.emplace(io);
    }

    void start(const PushTargetResolver& targets) {
        deadline_ = Clock::now() + timeouts_.request;
        targets.resolve(endpoint_, [self = shared_from_this()](PushTarget target) { self->onResolved(std::move(target)); });
    }

    // Gives up without completing (provider stopped).
    void abandon() {
        done_ = nullptr;
        beast::error_code ignored;
        lowest().socket().close(ignored);
    }

private:
    beast::tcp_stream& lowest() { return secure_ ? beast::get_lowest_layer(*secure_) : *plain_; }

    void onResolved(PushTarget target) {
        if (!done_) return; // abandoned meanwhile
        if (target.refused) return finish({PushOutcome::refused, target.problem});
        if (target.endpoints.empty()) return finish({PushOutcome::retry, "resolve: " + target.problem});
        if (Clock::now() >= deadline_) return fail("resolve", beast::error::timeout);
        // Exactly the addresses that were checked: the host name is not resolved again.
        endpoints_ = std::move(target.endpoints);
        lowest().expires_at(std::min(deadline_, Clock::now() + timeouts_.connect));
        lowest().async_connect(endpoints_, [self = shared_from_this()](beast::error_code e, const tcp::endpoint&) {
            self->onConnected(e);
        });
    }

    void onConnected(beast::error_code ec) {
        if (ec) return fail("connect", ec);
        lowest().expires_at(deadline_);
        if (!secure_) return write(*plain_);
        if (!isIpLiteral(endpoint_.host) &&
            !SSL_set_tlsext_host_name(secure_->native_handle(), endpoint_.host.c_str()))
            return fail("tls", beast::error_code(static_cast<int>(::ERR_get_error()), asio::error::get_ssl_category()));
        secure_->set_verify_mode(ssl::verify_peer);
        secure_->set_verify_callback(ssl::host_name_verification(endpoint_.host));
        secure_->async_handshake(ssl::stream_base::client, [self = shared_from_this()](beast::error_code e) {
            if (e) return self->fail("tls", e);
            self->write(*self->secure_);
        });
    }

    template <class Stream>
    void write(Stream& stream) {
        http::async_write(stream, request_, [self = shared_from_this(), &stream](beast::error_code ec, std::size_t) {
            if (ec) return self->fail("write", ec);
            http::async_read_header(stream, self->buffer_, self->parser_,
                                    [self](beast::error_code e, std::size_t) { self->onResponse(e); });
        });
    }

    void onResponse(beast::error_code ec) {
        if (ec) return fail("read", ec);
        finish(outcomeOf(parser_.get().result_int()));
    }

    void fail(std::string_view step, beast::error_code ec) {
        const std::string why = ec == beast::error::timeout ? std::string("timed out") : ec.message();
        finish({PushOutcome::retry, std::string(step) + ": " + why});
    }

    void finish(PushResult result) {
        beast::error_code ignored;
        lowest().socket().shutdown(tcp::socket::shutdown_both, ignored);
        lowest().socket().close(ignored);
        if (auto done = std::exchange(done_, nullptr)) done(std::move(result));
    }

    std::shared_ptr<ssl::context> tls_; // shared: outlives the provider while handlers are pending
    WebhookTimeouts timeouts_;
    PushEndpoint endpoint_;
    std::vector<tcp::endpoint> endpoints_; // the checked addresses, tried in order
    Clock::time_point deadline_;
    std::optional<beast::tcp_stream> plain_;
    std::optional<beast::ssl_stream<beast::tcp_stream>> secure_;
    http::request<http::string_body> request_;
    beast::flat_buffer buffer_;
    http::response_parser<http::empty_body> parser_;
    std::function<void(PushResult)> done_;
};

std::shared_ptr<ssl::context> makeClientTls() {
    auto tls = std::make_shared<ssl::context>(ssl::context::tls_client);
    tls->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                     ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1);
    beast::error_code ec;
    tls->set_default_verify_paths(ec); // without CAs every https endpoint fails verification (and is retried)
    tls->set_verify_mode(ssl::verify_peer);
    return tls;
}

} // namespace

class WebhookPushProvider::Impl {
public:
    Impl(asio::io_context& io, const PushTargetResolver& targets, WebhookTimeouts timeouts)
        : io(io), targets(targets), timeouts(timeouts), tls(makeClientTls()) {}

    asio::io_context& io;
    const PushTargetResolver& targets;
    WebhookTimeouts timeouts;
    std::shared_ptr<ssl::context> tls;
    std::vector<std::weak_ptr<WebhookRequest>> inFlight;
    bool stopped = false;
};

WebhookPushProvider::WebhookPushProvider(asio::io_context& io, const PushTargetResolver& targets,
                                         WebhookTimeouts timeouts)
    : impl_(std::make_unique<Impl>(io, targets, timeouts)) {}

WebhookPushProvider::~WebhookPushProvider() { stop(); }

void WebhookPushProvider::deliver(DeviceKey, const std::string& endpoint, const protocol::rest::PushWakeUp& wake,
                                  std::function<void(PushResult)> done) {
    if (impl_->stopped) return;
    auto parsed = parsePushEndpoint(endpoint);
    if (!parsed) {
        asio::post(impl_->io, [done = std::move(done)] { done({PushOutcome::gone, "unusable endpoint URL"}); });
        return;
    }
    std::erase_if(impl_->inFlight, [](const auto& weak) { return weak.expired(); });
    auto request = std::make_shared<WebhookRequest>(impl_->io, impl_->tls, impl_->timeouts, std::move(*parsed),
                                                    protocol::serializeBody(wake), std::move(done));
    impl_->inFlight.push_back(request);
    request->start(impl_->targets);
}

void WebhookPushProvider::stop() {
    impl_->stopped = true;
    for (const auto& weak : std::exchange(impl_->inFlight, {}))
        if (auto request = weak.lock()) request->abandon();
}

} // namespace natter::server
