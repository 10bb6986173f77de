// natter-bench's network clients: a WebSocket client and a keep-alive HTTP client, both
// asynchronous on one io_context. The Beast code behind them lives in net_ws.cpp and net_http.cpp.
#pragma once

#include <boost/asio/io_context.hpp>

#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace natter::bench {

struct Endpoint {
    std::string host = "127.0.0.1";
    unsigned short port = 8787;
};

// Parses "http://HOST:PORT" (or "ws://HOST:PORT"); nullopt-like: returns false on a bad URL.
bool parseUrl(const std::string& url, Endpoint& out);

class WsClient {
public:
    struct Handlers {
        std::function<void()> onOpen;                      // upgrade done
        std::function<void(std::string_view)> onText;      // one text frame
        std::function<void(const std::string&)> onClosed;  // once: why it ended
    };
    virtual ~WsClient() = default;
    static std::shared_ptr<WsClient> create(boost::asio::io_context& io, Handlers handlers);

    // Connects (from `sourceAddress` when not empty), upgrades on `target` and starts reading.
    virtual void connect(const Endpoint& endpoint, const std::string& target, const std::string& sourceAddress) = 0;
    // Queues a text frame; frames go out in order.
    virtual void send(std::string text) = 0;
    // Sends a normal close after the queued frames.
    virtual void close() = 0;
    // Drops the handlers: no callback comes after this.
    virtual void detach() = 0;
};

struct HttpResult {
    unsigned status = 0; // 0: transport failure
    std::string body;
};

// One keep-alive HTTP/1.1 connection running requests one at a time, in order.
class HttpClient {
public:
    using Done = std::function<void(HttpResult)>;
    virtual ~HttpClient() = default;
    static std::shared_ptr<HttpClient> create(boost::asio::io_context& io, Endpoint endpoint);

    // `bearer` may be empty. Reconnects after a failure.
    virtual void request(std::string method, std::string target, std::string body, std::string bearer, Done done) = 0;
    virtual std::size_t pending() const = 0;
};

} // namespace natter::bench
