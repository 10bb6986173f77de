// Issues and checks the short-lived access tokens that authenticate REST calls and the
// WebSocket upgrade. Signs with the current key; also accepts tokens of previous keys (key
// rotation across nodes). Immutable after construction, so any thread may use it.
#pragma once

#include "auth/jwt.h"

#include <chrono>
#include <string>
#include <vector>

namespace natter::server {

class TokenIssuer {
public:
    // keys.front() signs; every key verifies.
    TokenIssuer(std::vector<jwt::Key> keys, std::chrono::seconds ttl) : keys_(std::move(keys)), ttl_(ttl) {}

    std::string issue(protocol::UserId user, protocol::DeviceId device, protocol::TimestampMs nowMs) const;
    // Accepts "Bearer <token>" or a bare token.
    protocol::Result<jwt::Claims> check(std::string_view credential, protocol::TimestampMs nowMs) const;
    int ttlSeconds() const { return static_cast<int>(ttl_.count()); }

private:
    std::vector<jwt::Key> keys_;
    std::chrono::seconds ttl_;
};

} // namespace natter::server
