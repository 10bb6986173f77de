#include "push/push_endpoint.h"

#include <algorithm>
#include <cctype>
#include <charconv>

namespace natter::server {
namespace {

using protocol::ErrorCode;
using protocol::makeError;

protocol::Error invalid(std::string why) {
    return makeError(ErrorCode::InvalidField, "endpoint: " + std::move(why));
}

bool startsWithNoCase(std::string_view text, std::string_view prefix) {
    return text.size() >= prefix.size() &&
           std::equal(prefix.begin(), prefix.end(), text.begin(), [](char a, char b) {
               return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
           });
}

bool isHostNameChar(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' || c == '_';
}

bool isIpv6Char(char c) { return std::isxdigit(static_cast<unsigned char>(c)) || c == ':' || c == '.'; }

} // namespace

protocol::Result<PushEndpoint> parsePushEndpoint(std::string_view url) {
    if (url.empty() || url.size() > kMaxPushEndpointBytes)
        return invalid("must be 1 to " + std::to_string(kMaxPushEndpointBytes) + " bytes");
    if (std::any_of(url.begin(), url.end(), [](char c) {
            const auto byte = static_cast<unsigned char>(c);
            return byte <= 0x20 || byte >= 0x7f;
        }))
        return invalid("must be printable ASCII without spaces (percent-encode the rest)");

    PushEndpoint out;
    if (startsWithNoCase(url, "https://")) {
        out.tls = true;
        url.remove_prefix(8);
    } else if (startsWithNoCase(url, "http://")) {
        url.remove_prefix(7);
    } else {
        return invalid("must start with http:// or https://");
    }
    url = url.substr(0, url.find('#'));
    const auto authorityEnd = url.find_first_of("/?");
    std::string_view authority = url.substr(0, authorityEnd);
    const std::string_view rest =
        authorityEnd == std::string_view::npos ? std::string_view{} : url.substr(authorityEnd);
    if (authority.find('@') != std::string_view::npos) return invalid("must not carry user info");

    std::string_view host;
    std::string_view port;
    bool ipv6 = false;
    if (authority.starts_with('[')) {
        const auto close = authority.find(']');
        if (close == std::string_view::npos) return invalid("unterminated IPv6 address");
        host = authority.substr(1, close - 1);
        ipv6 = true;
        const auto after = authority.substr(close + 1);
        if (!after.empty() && !after.starts_with(':')) return invalid("unexpected text after the IPv6 address");
        if (!after.empty()) port = after.substr(1);
        if (host.empty() || !std::all_of(host.begin(), host.end(), isIpv6Char)) return invalid("bad IPv6 address");
    } else {
        const auto colon = authority.find(':');
        host = authority.substr(0, colon);
        if (colon != std::string_view::npos) port = authority.substr(colon + 1);
        if (host.empty() || !std::all_of(host.begin(), host.end(), isHostNameChar)) return invalid("bad host");
    }
    const bool explicitPort = !port.empty();
    if (explicitPort) {
        unsigned value = 0;
        const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
        if (ec != std::errc{} || end != port.data() + port.size() || value == 0 || value > 65535)
            return invalid("bad port");
        out.port = std::to_string(value);
    } else if (authority.ends_with(':')) {
        return invalid("bad port");
    } else {
        out.port = out.tls ? "443" : "80";
    }

    out.host = std::string(host);
    out.hostHeader = ipv6 ? "[" + out.host + "]" : out.host;
    if (explicitPort && out.port != (out.tls ? "443" : "80")) out.hostHeader += ":" + out.port;
    out.target = rest.starts_with('/') ? std::string(rest) : "/" + std::string(rest);
    return out;
}

std::string endpointHost(std::string_view url) {
    const auto parsed = parsePushEndpoint(url);
    return parsed ? parsed->host : "(invalid endpoint)";
}

} // namespace natter::server
