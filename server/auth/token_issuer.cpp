#include "auth/token_issuer.h"

namespace natter::server {

std::string TokenIssuer::issue(protocol::UserId user, protocol::DeviceId device, protocol::TimestampMs nowMs) const {
    const std::int64_t now = nowMs / 1000;
    return jwt::sign({user, device, now, now + ttl_.count()}, keys_.front());
}

protocol::Result<jwt::Claims> TokenIssuer::check(std::string_view credential, protocol::TimestampMs nowMs) const {
    constexpr std::string_view bearer = "Bearer ";
    if (credential.starts_with(bearer)) credential.remove_prefix(bearer.size());
    if (credential.empty())
        return protocol::makeError(protocol::ErrorCode::Unauthorized, "missing access token");
    return jwt::verify(credential, keys_, nowMs / 1000);
}

} // namespace natter::server
