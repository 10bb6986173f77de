// Bulk sign-up for benchmarks through natterd's real REST path: POST /api/register and
// POST /api/verify (natterd runs with --verification fixed:<code>), many requests in flight.
#pragma once

#include "net.h"
#include "protocol/types.h"

#include <chrono>
#include <string>
#include <vector>

namespace natter::bench {

struct Account {
    protocol::UserId user_id = 0;
    protocol::DeviceId device_id = 0;
    std::string token;
};

// Creates `count` fresh accounts (random phone prefix per call) over `concurrency` keep-alive
// connections, running `io` until done or `deadline`. Fewer accounts than asked means failure;
// `error` says why.
std::vector<Account> signUp(boost::asio::io_context& io, const Endpoint& endpoint, std::size_t count,
                            std::size_t concurrency, std::chrono::steady_clock::time_point deadline,
                            std::string& error);

} // namespace natter::bench
