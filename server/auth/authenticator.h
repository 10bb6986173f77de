// Checks a request's access token and that its device has not been unlinked since the
// token was issued: the one gate every authenticated REST, media and WebSocket call uses.
// io thread only (the revocation list is not shared with the worker).
#pragma once

#include "auth/revocation_list.h"
#include "auth/token_issuer.h"

namespace natter::server {

class Authenticator {
public:
    Authenticator(const TokenIssuer& tokens, const RevocationList& revocations)
        : tokens_(tokens), revocations_(revocations) {}

    protocol::Result<jwt::Claims> check(std::string_view credential, protocol::TimestampMs nowMs) const {
        auto claims = tokens_.check(credential, nowMs);
        if (claims && revocations_.isRevoked({claims->user_id, claims->device_id}))
            return protocol::makeError(protocol::ErrorCode::Unauthorized, "this device was unlinked");
        return claims;
    }

private:
    const TokenIssuer& tokens_;
    const RevocationList& revocations_;
};

} // namespace natter::server
