// The Beast WebSocket client behind WsClient: connect (optionally from a chosen source
// address), upgrade, a read loop and an in-order write queue.
#include "net.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>

#include <deque>
#include <netinet/in.h>

namespace natter::bench {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;

bool parseUrl(const std::string& url, Endpoint& out) {
    std::string rest = url;
    for (const char* scheme : {"http://", "ws://"}) {
        if (rest.starts_with(scheme)) rest = rest.substr(std::string_view(scheme).size());
    }
    while (!rest.empty() && rest.back() == '/') rest.pop_back();
    const auto colon = rest.rfind(':');
    if (colon == std::string::npos || colon == 0) return false;
    try {
        const unsigned long port = std::stoul(rest.substr(colon + 1));
        if (port == 0 || port > 65535) return false;
        out.port = static_cast<unsigned short>(port);
    } catch (const std::exception&) {
        return false;
    }
    out.host = rest.substr(0, colon);
    return true;
}

namespace {

class BeastWsClient final : public WsClient, public std::enable_shared_from_this<BeastWsClient> {
public:
    BeastWsClient(asio::io_context& io, Handlers handlers) : ws_(io), handlers_(std::move(handlers)) {}

    void connect(const Endpoint& endpoint, const std::string& target, const std::string& sourceAddress) override {
        target_ = target;
        host_ = endpoint.host + ":" + std::to_string(endpoint.port);
        boost::system::error_code ec;
        const tcp::endpoint remote(asio::ip::make_address(endpoint.host, ec), endpoint.port);
        if (ec) return end("bad address: " + ec.message());
        auto& socket = beast::get_lowest_layer(ws_).socket();
        socket.open(tcp::v4(), ec);
        if (ec) return end("socket: " + ec.message());
        if (!sourceAddress.empty()) {
            // Let connect() pick the port per 4-tuple, so many source addresses multiply the ports.
            const int one = 1;
            ::setsockopt(socket.native_handle(), IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof one);
            socket.bind(tcp::endpoint(asio::ip::make_address(sourceAddress, ec), 0), ec);
            if (ec) return end("bind " + sourceAddress + ": " + ec.message());
        }
        socket.set_option(tcp::no_delay(true), ec);
        socket.async_connect(remote, [self = shared_from_this()](boost::system::error_code error) {
            if (error) return self->end("connect: " + error.message());
            self->ws_.set_option(websocket::stream_base::decorator([](websocket::request_type&) {}));
            self->ws_.read_message_max(4 * 1024 * 1024);
            self->ws_.async_handshake(self->host_, self->target_, [self](boost::system::error_code e) {
                if (e) return self->end("upgrade: " + e.message());
                self->open_ = true;
                if (self->handlers_.onOpen) self->handlers_.onOpen();
                self->read();
                self->flush();
            });
        });
    }

    void send(std::string text) override {
        if (ended_) return;
        queue_.push_back(std::move(text));
        if (open_) flush();
    }

    void close() override {
        if (ended_ || closing_) return;
        closing_ = true;
        if (open_ && !writing_) doClose();
        else if (!open_) {
            boost::system::error_code ec;
            beast::get_lowest_layer(ws_).socket().close(ec);
        }
    }

    void detach() override { handlers_ = {}; }

private:
    void read() {
        ws_.async_read(buffer_, [self = shared_from_this()](boost::system::error_code error, std::size_t) {
            if (error) return self->end(error == websocket::error::closed ? "closed" : "read: " + error.message());
            const auto data = self->buffer_.cdata();
            if (self->handlers_.onText)
                self->handlers_.onText(std::string_view(static_cast<const char*>(data.data()), data.size()));
            self->buffer_.consume(self->buffer_.size());
            self->read();
        });
    }

    void flush() {
        if (writing_ || ended_) return;
        if (queue_.empty()) {
            if (closing_) doClose();
            return;
        }
        writing_ = true;
        ws_.text(true);
        ws_.async_write(asio::buffer(queue_.front()), [self = shared_from_this()](boost::system::error_code error,
                                                                                   std::size_t) {
            self->writing_ = false;
            if (error) return self->end("write: " + error.message());
            self->queue_.pop_front();
            self->flush();
        });
    }

    void doClose() {
        if (closeSent_) return;
        closeSent_ = true;
        ws_.async_close(websocket::close_code::normal, [self = shared_from_this()](boost::system::error_code) {
            self->end("closed");
        });
    }

    void end(const std::string& why) {
        if (ended_) return;
        ended_ = true;
        open_ = false;
        queue_.clear();
        boost::system::error_code ec;
        beast::get_lowest_layer(ws_).socket().close(ec);
        auto handlers = std::move(handlers_);
        handlers_ = {};
        if (handlers.onClosed) handlers.onClosed(why);
    }

    websocket::stream<beast::tcp_stream> ws_;
    Handlers handlers_;
    beast::flat_buffer buffer_;
    std::deque<std::string> queue_;
    std::string target_;
    std::string host_;
    bool open_ = false;
    bool writing_ = false;
    bool closing_ = false;
    bool closeSent_ = false;
    bool ended_ = false;
};

} // namespace

std::shared_ptr<WsClient> WsClient::create(asio::io_context& io, Handlers handlers) {
    return std::make_shared<BeastWsClient>(io, std::move(handlers));
}

} // namespace natter::bench
