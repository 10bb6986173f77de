// Fuzz target: natterd's HTTP and WebSocket connection handling (HttpSession, WebSocketSession)
// fed bytes over an in-memory stream: requests, bodies, upgrades, fragmented, control and close
// frames. Input: one byte choosing how many bytes arrive per write (0: all at once, up to the end
// of each header block), then the bytes a client sends. Every session must end (checked after
// shutdown), and every WebSocket handler hear onClosed once.
#include "fuzz_stream.h"
#include "fuzz_transport_app.h"

#include "logging/loggers.h"

#include <boost/asio/io_context.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>

using namespace natter::fuzz;
using namespace natter::server;
using namespace natter::server::transport_detail;

namespace {

TransportConfig fuzzConfig() {
    TransportConfig config;
    config.max_body_bytes = 1024;
    config.max_ws_message_bytes = 4096;
    config.max_outbound_frames = 8;
    config.max_outbound_bytes = 2048;
    return config;
}

// Where the header block that `at` is in ends (after its blank line), or the input's end. A
// client sends WebSocket frames only once the upgrade's answer came (RFC 6455 4.1), so a write
// never carries bytes past a header block: the session reads exactly its request.
std::size_t headerEnd(std::string_view input, std::size_t at) {
    const auto blank = input.find("\r\n\r\n", at);
    return blank == std::string_view::npos ? input.size() : blank + 4;
}

// Runs every handler that is ready, as often as that makes more ready.
void settle(boost::asio::io_context& io) {
    io.restart();
    for (int rounds = 0; rounds < 10000 && io.poll() > 0; ++rounds) {
        io.restart();
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const bool quiet = natter::server::log::configure("error"); // no log line per input
    FUZZ_CHECK(quiet);
    static const ScratchDir scratch;
    if (size == 0) return 0;
    const std::size_t chunk = data[0] == 0 ? size : data[0];
    ++data;
    --size;

    boost::asio::io_context io;
    FuzzApp app(io.get_executor(), scratch);
    auto ctx = std::make_shared<SessionContext>(fuzzConfig(), app);
    beast::test::stream server(io);
    beast::test::stream client(io);
    client.connect(server);
    std::shared_ptr<HttpSession<FuzzStream>>(
        new HttpSession<FuzzStream>(FuzzStream(std::move(server)), ctx, "127.0.0.1:40000", ConnectionLimiter::Slot{}))
        ->run();

    const std::string_view input(reinterpret_cast<const char*>(data), size);
    for (std::size_t at = 0, n = 0; at < size; at += n) {
        n = std::min({chunk, size - at, headerEnd(input, at) - at});
        beast::error_code ec;
        client.write_some(boost::asio::buffer(data + at, n), ec);
        settle(io);
        if (ec) break; // the server closed its end
        client.clear(); // what the server wrote so far has been "read"
    }
    client.close();
    settle(io);
    ctx->stopAll();
    settle(io);
    FUZZ_CHECK(ctx.use_count() == 1); // every session ended: none is kept alive by its own handlers
    return 0;
}
