// hiredis's event hooks (addRead/delRead/addWrite/delWrite/cleanup) driven by an Asio
// io_context: the context's socket is watched with posix::stream_descriptor async_wait, so
// every hiredis callback runs on the io thread and nothing blocks it. hiredis ships adapters
// for other loops but not for Asio.
#pragma once

#include <boost/asio/io_context.hpp>

struct redisAsyncContext;

namespace natter::server {

// Attaches `context` to `io`. The watch ends when hiredis frees the context (cleanup hook);
// the descriptor is released, never closed (hiredis owns the socket). False if hiredis
// already has an event library attached.
bool attachRedisToAsio(redisAsyncContext* context, boost::asio::io_context& io);

} // namespace natter::server
