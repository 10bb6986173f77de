// Push endpoint URLs: the rules a registered endpoint must meet, and its parts for the
// HTTP client. Endpoint URLs are capabilities, so logs show only endpointHost().
#pragma once

#include "protocol/error.h"

#include <cstddef>
#include <string>
#include <string_view>

namespace natter::server {

inline constexpr std::size_t kMaxPushEndpointBytes = 2048;

struct PushEndpoint {
    bool tls = false;       // https
    std::string host;       // name or address, without IPv6 brackets
    std::string port;       // explicit or the scheme's default
    std::string target;     // path and query, at least "/"
    std::string hostHeader; // Host header value: host, with [] and :port when not the default
};

// Parses an absolute http:// or https:// URL of at most kMaxPushEndpointBytes, without
// user info, spaces or control characters; invalid_field otherwise. A fragment is dropped.
protocol::Result<PushEndpoint> parsePushEndpoint(std::string_view url);

// The URL's host for logs ("push.example.org"), or "(invalid endpoint)".
std::string endpointHost(std::string_view url);

} // namespace natter::server
