// Issues and checks the short-lived access tokens that authenticate REST calls and the
// WebSocket upgrade. Immutable after construction, so any thread may use it.
#pragma once

#include "auth/jwt.h"

#include <chrono>
#include <string>

namespace natter::server {

class TokenIssuer {
public:
    TokenIssuer(std::string key, std::chrono::seconds ttl) : key_(std::move(key)), ttl_(ttl) {}

    std::string issue(protocol::UserId user, protocol::DeviceId device, protocol::TimestampMs nowMs) const;
    // Accepts "Bearer <token>" or a bare token.
    protocol::Result<jwt::Claims> check(std::string_view credential, protocol::TimestampMs nowMs) const;
    int ttlSeconds() const { return static_cast<int>(ttl_.count()); }

private:
    std::string key_;
    std::chrono::seconds ttl_;
};

} // namespace natter::server
