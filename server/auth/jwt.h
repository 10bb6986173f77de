// Access tokens: compact JWTs signed with HS256 (RFC 7519), carrying user and device. The
// header names the signing key ("kid") so that nodes sharing keys can rotate them: a token is
// checked with the key it names, among the current and previous keys.
#pragma once

#include "protocol/error.h"
#include "protocol/types.h"

#include <span>
#include <string>
#include <string_view>

namespace natter::server::jwt {

struct Claims {
    protocol::UserId user_id = 0;     // "sub"
    protocol::DeviceId device_id = 0; // "dev"
    std::int64_t issued_at = 0;       // "iat", seconds
    std::int64_t expires_at = 0;      // "exp", seconds
};

struct Key {
    std::string id;     // "kid": derived from the secret (keyId), so every node names it alike
    std::string secret; // 32 random bytes
};
// A public name for `secret`: base64url of the first 9 bytes of its SHA-256.
std::string keyId(std::string_view secret);
Key makeKey(std::string secret);

std::string sign(const Claims& claims, const Key& key);
// Checks the header (HS256 only), picks the key its "kid" names among `keys` (a token without
// a kid: the first key), the signature in constant time, and expiry against `now`.
protocol::Result<Claims> verify(std::string_view token, std::span<const Key> keys, std::int64_t nowSeconds);

} // namespace natter::server::jwt
