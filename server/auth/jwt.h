// Access tokens: compact JWTs signed with HS256 (RFC 7519), carrying user and device.
#pragma once

#include "protocol/error.h"
#include "protocol/types.h"

#include <string>
#include <string_view>

namespace natter::server::jwt {

struct Claims {
    protocol::UserId user_id = 0;     // "sub"
    protocol::DeviceId device_id = 0; // "dev"
    std::int64_t issued_at = 0;       // "iat", seconds
    std::int64_t expires_at = 0;      // "exp", seconds
};

std::string sign(const Claims& claims, std::string_view key);
// Checks the header (HS256 only), the signature in constant time, and expiry against `now`.
protocol::Result<Claims> verify(std::string_view token, std::string_view key, std::int64_t nowSeconds);

} // namespace natter::server::jwt
