#include "auth/jwt.h"

#include "auth/secrets.h"

#include <boost/json.hpp>

namespace natter::server::jwt {
namespace {

protocol::Error invalid(std::string message) {
    return protocol::makeError(protocol::ErrorCode::Unauthorized, std::move(message));
}

template <class T>
bool readNumber(const boost::json::object& obj, const char* key, T& out) {
    const auto* v = obj.if_contains(key);
    if (!v) return false;
    if (v->is_int64()) out = static_cast<T>(v->get_int64());
    else if (v->is_uint64()) out = static_cast<T>(v->get_uint64());
    else return false;
    return true;
}

} // namespace

std::string keyId(std::string_view secret) { return secrets::base64UrlEncode(secrets::sha256(secret).substr(0, 9)); }

Key makeKey(std::string secret) {
    Key key{keyId(secret), std::move(secret)};
    return key;
}

std::string sign(const Claims& claims, const Key& key) {
    const boost::json::object header{{"alg", "HS256"}, {"typ", "JWT"}, {"kid", key.id}};
    boost::json::object payload{{"sub", claims.user_id},
                                {"dev", claims.device_id},
                                {"iat", claims.issued_at},
                                {"exp", claims.expires_at}};
    std::string signingInput = secrets::base64UrlEncode(boost::json::serialize(header)) + "." +
                               secrets::base64UrlEncode(boost::json::serialize(payload));
    const std::string signature = secrets::hmacSha256(key.secret, signingInput);
    return signingInput + "." + secrets::base64UrlEncode(signature);
}

protocol::Result<Claims> verify(std::string_view token, std::span<const Key> keys, std::int64_t nowSeconds) {
    const auto dot1 = token.find('.');
    const auto dot2 = dot1 == std::string_view::npos ? dot1 : token.find('.', dot1 + 1);
    if (dot2 == std::string_view::npos || token.find('.', dot2 + 1) != std::string_view::npos)
        return invalid("access token is not a JWT");

    std::string header, payload, signature;
    if (!secrets::base64UrlDecode(token.substr(0, dot1), header) ||
        !secrets::base64UrlDecode(token.substr(dot1 + 1, dot2 - dot1 - 1), payload) ||
        !secrets::base64UrlDecode(token.substr(dot2 + 1), signature))
        return invalid("access token is not a JWT");

    boost::system::error_code ec;
    const auto headerJson = boost::json::parse(header, ec);
    if (ec || !headerJson.is_object()) return invalid("access token header is invalid");
    const auto* alg = headerJson.get_object().if_contains("alg");
    if (!alg || !alg->is_string() || alg->get_string() != "HS256") return invalid("access token algorithm must be HS256");
    const Key* key = keys.empty() ? nullptr : &keys.front();
    if (const auto* kid = headerJson.get_object().if_contains("kid")) {
        key = nullptr;
        for (const auto& candidate : keys)
            if (kid->is_string() && kid->get_string() == candidate.id) key = &candidate;
    }
    if (!key) return invalid("access token was signed with an unknown key");

    const std::string expected = secrets::hmacSha256(key->secret, token.substr(0, dot2));
    if (!secrets::constantTimeEquals(signature, expected)) return invalid("access token signature is invalid");

    const auto payloadJson = boost::json::parse(payload, ec);
    if (ec || !payloadJson.is_object()) return invalid("access token payload is invalid");
    Claims claims;
    const auto& obj = payloadJson.get_object();
    if (!readNumber(obj, "sub", claims.user_id) || !readNumber(obj, "dev", claims.device_id) ||
        !readNumber(obj, "iat", claims.issued_at) || !readNumber(obj, "exp", claims.expires_at))
        return invalid("access token payload is incomplete");
    if (claims.expires_at <= nowSeconds) return invalid("access token expired");
    return claims;
}

} // namespace natter::server::jwt
