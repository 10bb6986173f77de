// The Beast HTTP/1.1 client behind HttpClient: one keep-alive connection, requests queued
// and run one at a time; a failed connection is reopened for the next request.
#include "net.h"

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <deque>

namespace natter::bench {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

class BeastHttpClient final : public HttpClient, public std::enable_shared_from_this<BeastHttpClient> {
public:
    BeastHttpClient(asio::io_context& io, Endpoint endpoint) : stream_(io), endpoint_(std::move(endpoint)) {}

    void request(std::string method, std::string target, std::string body, std::string bearer, Done done) override {
        queue_.push_back(Pending{std::move(method), std::move(target), std::move(body), std::move(bearer),
                                 std::move(done)});
        if (!busy_) next();
    }

    std::size_t pending() const override { return queue_.size(); }

private:
    struct Pending {
        std::string method, target, body, bearer;
        Done done;
    };

    void next() {
        if (queue_.empty()) return;
        busy_ = true;
        if (!connected_) {
            boost::system::error_code ec;
            const tcp::endpoint remote(asio::ip::make_address(endpoint_.host, ec), endpoint_.port);
            if (ec) return finish(HttpResult{0, "bad address"});
            stream_.expires_after(std::chrono::seconds(30));
            stream_.async_connect(remote, [self = shared_from_this()](boost::system::error_code error) {
                if (error) return self->finish(HttpResult{0, "connect: " + error.message()});
                self->stream_.socket().set_option(tcp::no_delay(true));
                self->connected_ = true;
                self->write();
            });
            return;
        }
        write();
    }

    void write() {
        const Pending& p = queue_.front();
        request_ = {};
        request_.method(http::string_to_verb(p.method));
        request_.target(p.target);
        request_.version(11);
        request_.set(http::field::host, endpoint_.host);
        request_.keep_alive(true);
        if (!p.bearer.empty()) request_.set(http::field::authorization, "Bearer " + p.bearer);
        if (!p.body.empty()) {
            request_.set(http::field::content_type, "application/json");
            request_.body() = p.body;
        }
        request_.prepare_payload();
        stream_.expires_after(std::chrono::seconds(30));
        http::async_write(stream_, request_, [self = shared_from_this()](boost::system::error_code error, std::size_t) {
            if (error) return self->finish(HttpResult{0, "write: " + error.message()});
            self->response_ = {};
            http::async_read(self->stream_, self->buffer_, self->response_,
                             [self](boost::system::error_code e, std::size_t) {
                                 if (e) return self->finish(HttpResult{0, "read: " + e.message()});
                                 if (!self->response_.keep_alive()) self->drop();
                                 self->finish(HttpResult{self->response_.result_int(), std::move(self->response_.body())});
                             });
        });
    }

    void drop() {
        boost::system::error_code ec;
        stream_.socket().close(ec);
        connected_ = false;
        buffer_.clear();
    }

    void finish(HttpResult result) {
        if (result.status == 0) drop();
        auto done = std::move(queue_.front().done);
        queue_.pop_front();
        busy_ = false;
        if (done) done(std::move(result));
        if (!busy_) next();
    }

    beast::tcp_stream stream_;
    Endpoint endpoint_;
    beast::flat_buffer buffer_;
    http::request<http::string_body> request_;
    http::response<http::string_body> response_;
    std::deque<Pending> queue_;
    bool busy_ = false;
    bool connected_ = false;
};

} // namespace

std::shared_ptr<HttpClient> HttpClient::create(asio::io_context& io, Endpoint endpoint) {
    return std::make_shared<BeastHttpClient>(io, std::move(endpoint));
}

} // namespace natter::bench
