// FuzzStream: natterd's HTTP and WebSocket sessions over Beast's in-memory test stream instead
// of a socket, so a fuzz target can feed them bytes. It adds what the sessions ask of a plain
// TCP stream (deadlines, close, shutdown); deadlines do nothing, as input arrives at once.
#pragma once

#include "net/http_session.h"

#include <boost/beast/_experimental/test/stream.hpp>

#include <chrono>
#include <utility>

namespace natter::fuzz {

namespace beast = boost::beast;

class FuzzStream {
public:
    using executor_type = beast::test::stream::executor_type;

    explicit FuzzStream(beast::test::stream inner) : inner_(std::move(inner)) {}

    executor_type get_executor() noexcept { return inner_.get_executor(); }

    template <class Buffers, class Handler>
    auto async_read_some(const Buffers& buffers, Handler&& handler) {
        return inner_.async_read_some(buffers, std::forward<Handler>(handler));
    }
    template <class Buffers, class Handler>
    auto async_write_some(const Buffers& buffers, Handler&& handler) {
        return inner_.async_write_some(buffers, std::forward<Handler>(handler));
    }

    // beast::tcp_stream's deadlines: the whole input is there before the session runs.
    void expires_at(std::chrono::steady_clock::time_point) {}
    template <class Duration>
    void expires_after(Duration) {}
    void expires_never() {}

    // The socket's part: close, and the half-close after a "Connection: close" answer.
    FuzzStream& socket() { return *this; }
    void close() { inner_.close(); }
    void close(beast::error_code& ec) {
        inner_.close();
        ec = {};
    }
    void shutdown(boost::asio::socket_base::shutdown_type, beast::error_code& ec) {
        inner_.close();
        ec = {};
    }

    beast::test::stream& inner() { return inner_; }

private:
    beast::test::stream inner_;
};

// How Beast closes and a WebSocket ends a connection over this stream (found by
// argument-dependent lookup).
inline void beast_close_socket(FuzzStream& stream) { stream.close(); }

inline void teardown(beast::role_type role, FuzzStream& stream, beast::error_code& ec) {
    beast::test::teardown(role, stream.inner(), ec);
}

template <class Handler>
void async_teardown(beast::role_type role, FuzzStream& stream, Handler&& handler) {
    beast::test::async_teardown(role, stream.inner(), std::forward<Handler>(handler));
}

} // namespace natter::fuzz

namespace natter::server::transport_detail {

// An upgraded WebSocket keeps the whole FuzzStream, as a TLS one keeps its stream.
template <>
struct WebSocketLayer<fuzz::FuzzStream> {
    using type = fuzz::FuzzStream;
    static fuzz::FuzzStream adopt(fuzz::FuzzStream&& stream) { return std::move(stream); }
    static fuzz::FuzzStream& socket(fuzz::FuzzStream& layer) { return layer; }
};

} // namespace natter::server::transport_detail
