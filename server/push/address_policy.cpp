#include "push/address_policy.h"

#include <boost/asio/ip/network_v4.hpp>
#include <boost/asio/ip/network_v6.hpp>

#include <array>
#include <charconv>

namespace natter::server {
namespace {

namespace ip = boost::asio::ip;

struct Range {
    const char* network;
    unsigned prefix;
    const char* kind;
};

// Special-purpose ranges Boost's is_loopback/is_multicast/is_link_local/... do not name
// (IANA's IPv4 and IPv6 special-purpose address registries).
constexpr std::array kV4Ranges{
    Range{"0.0.0.0", 8, "reserved"},            // "this network"
    Range{"10.0.0.0", 8, "private"},            // RFC 1918
    Range{"100.64.0.0", 10, "shared (CGNAT)"},  // RFC 6598
    Range{"169.254.0.0", 16, "link-local"},     // cloud metadata services live here
    Range{"172.16.0.0", 12, "private"},         // RFC 1918
    Range{"192.0.0.0", 24, "reserved"},         // IETF protocol assignments
    Range{"192.0.2.0", 24, "documentation"},    // TEST-NET-1
    Range{"192.88.99.0", 24, "reserved"},       // former 6to4 relay anycast
    Range{"192.168.0.0", 16, "private"},        // RFC 1918
    Range{"198.18.0.0", 15, "reserved"},        // benchmarking
    Range{"198.51.100.0", 24, "documentation"}, // TEST-NET-2
    Range{"203.0.113.0", 24, "documentation"},  // TEST-NET-3
    Range{"240.0.0.0", 4, "reserved"},          // future use (255.255.255.255 is checked first)
};

constexpr std::array kV6Ranges{
    Range{"fc00::", 7, "private"},        // unique local addresses (ULA)
    Range{"64:ff9b:1::", 48, "private"},  // local-use NAT64
    Range{"100::", 64, "reserved"},       // discard-only
    Range{"2001:db8::", 32, "documentation"},
    Range{"3fff::", 20, "documentation"},
    Range{"2001::", 23, "reserved"},      // IETF protocol assignments, Teredo included
};

bool inNetwork(const ip::address& address, const char* network, unsigned prefix) {
    return IpNetwork{ip::make_address(network), prefix}.contains(address);
}

template <std::size_t N>
std::optional<std::string> kindFromTable(const ip::address& address, const std::array<Range, N>& ranges) {
    for (const auto& range : ranges)
        if (inNetwork(address, range.network, range.prefix)) return std::string(range.kind);
    return std::nullopt;
}

ip::address_v4 v4At(const ip::address_v6::bytes_type& bytes, std::size_t offset) {
    return ip::address_v4(ip::address_v4::bytes_type{bytes[offset], bytes[offset + 1], bytes[offset + 2],
                                                     bytes[offset + 3]});
}

// The IPv4 address an IPv4-mapped (::ffff:a.b.c.d) or IPv4-compatible (::a.b.c.d) IPv6
// address stands for: connecting to one reaches that IPv4 address.
std::optional<ip::address_v4> mappedV4(const ip::address_v6& address) {
    if (address.is_v4_mapped()) return ip::make_address_v4(ip::v4_mapped, address);
    const auto bytes = address.to_bytes();
    for (std::size_t i = 0; i < 12; ++i)
        if (bytes[i] != 0) return std::nullopt;
    if (address.is_unspecified() || address.is_loopback()) return std::nullopt;
    return v4At(bytes, 12);
}

// The IPv4 address a NAT64 (64:ff9b::/96) or 6to4 (2002::/16) address is translated to.
std::optional<ip::address_v4> translatedV4(const ip::address_v6& address) {
    const ip::address any(address);
    if (inNetwork(any, "64:ff9b::", 96)) return v4At(address.to_bytes(), 12);
    if (inNetwork(any, "2002::", 16)) return v4At(address.to_bytes(), 2);
    return std::nullopt;
}

std::optional<std::string> specialPurposeV4(const ip::address_v4& address) {
    if (address.is_unspecified()) return "unspecified";
    if (address.is_loopback()) return "loopback";
    if (address.is_multicast()) return "multicast";
    if (address == ip::address_v4::broadcast()) return "broadcast";
    return kindFromTable(ip::address(address), kV4Ranges);
}

std::optional<std::string> specialPurposeV6(const ip::address_v6& address) {
    if (address.is_unspecified()) return "unspecified";
    if (address.is_loopback()) return "loopback";
    if (const auto v4 = mappedV4(address)) return specialPurposeV4(*v4);
    if (const auto v4 = translatedV4(address))
        if (auto kind = specialPurposeV4(*v4)) return kind;
    if (address.is_multicast()) return "multicast";
    if (address.is_link_local()) return "link-local";
    if (address.is_site_local()) return "private"; // deprecated site-local fec0::/10
    return kindFromTable(ip::address(address), kV6Ranges);
}

} // namespace

bool IpNetwork::contains(const ip::address& address) const {
    if (address.is_v4() != base.is_v4()) return false;
    if (address.is_v4())
        return ip::make_network_v4(address.to_v4(), prefix).canonical() ==
               ip::make_network_v4(base.to_v4(), prefix).canonical();
    return ip::make_network_v6(address.to_v6(), prefix).canonical() ==
           ip::make_network_v6(base.to_v6(), prefix).canonical();
}

std::string IpNetwork::toString() const { return base.to_string() + "/" + std::to_string(prefix); }

protocol::Result<IpNetwork> parseNetwork(std::string_view text) {
    const auto invalid = [&] {
        return protocol::makeError(protocol::ErrorCode::InvalidField,
                                   "'" + std::string(text) + "' is not a network (ADDRESS/PREFIX, e.g. 10.20.0.0/16)");
    };
    const auto slash = text.find('/');
    boost::system::error_code ec;
    const auto base = ip::make_address(std::string(text.substr(0, slash)), ec);
    if (ec) return invalid();
    const unsigned maxPrefix = base.is_v4() ? 32 : 128;
    unsigned prefix = maxPrefix;
    if (slash != std::string_view::npos) {
        const auto digits = text.substr(slash + 1);
        const auto [end, err] = std::from_chars(digits.data(), digits.data() + digits.size(), prefix);
        if (digits.empty() || err != std::errc{} || end != digits.data() + digits.size() || prefix > maxPrefix)
            return invalid();
    }
    return IpNetwork{base, prefix};
}

std::optional<std::string> specialPurpose(const ip::address& address) {
    return address.is_v4() ? specialPurposeV4(address.to_v4()) : specialPurposeV6(address.to_v6());
}

std::optional<std::string> AddressPolicy::refusal(const ip::address& address) const {
    for (const auto& network : allowed_)
        if (network.contains(address)) return std::nullopt;
    if (address.is_v6())
        if (const auto v4 = mappedV4(address.to_v6())) return refusal(ip::address(*v4));
    auto kind = specialPurpose(address);
    if (kind && *kind == "loopback" && allowLoopback_) return std::nullopt;
    return kind;
}

} // namespace natter::server
