// Checks a request's access token and that its device has not been revoked since the token
// was issued: the one gate every authenticated REST, media and WebSocket call uses. A valid
// token of a revoked device gets device_revoked saying why; a bad token gets unauthorized.
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
        if (!claims) return claims;
        if (auto reason = revocations_.reasonFor({claims->user_id, claims->device_id}))
            return protocol::makeRevokedError(*reason);
        return claims;
    }

private:
    const TokenIssuer& tokens_;
    const RevocationList& revocations_;
};

} // namespace natter::server
