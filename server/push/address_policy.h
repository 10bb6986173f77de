// Which IP addresses natterd may send push wake-ups to. Endpoint URLs come from clients, so
// by default only public unicast addresses qualify: a URL must not make natterd probe the
// operator's own network (SSRF). The operator may allow networks (--push-allow-network) and,
// for tests and single-machine setups, loopback (--push-allow-loopback).
#pragma once

#include "protocol/error.h"

#include <boost/asio/ip/address.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace natter::server {

// An IPv4 or IPv6 network in CIDR notation, e.g. 10.20.0.0/16 or fd00:1::/48.
struct IpNetwork {
    boost::asio::ip::address base;
    unsigned prefix = 0;
    bool contains(const boost::asio::ip::address& address) const;
    std::string toString() const;
};

// Parses "ADDRESS/PREFIX" (a bare address means the single host); invalid_field otherwise.
protocol::Result<IpNetwork> parseNetwork(std::string_view text);

// The kind of special-purpose range `address` is in ("loopback", "private", "link-local",
// "shared (CGNAT)", "multicast", "unspecified", "broadcast", "reserved", "documentation"),
// or nullopt for a public unicast address. IPv4-mapped and IPv4-compatible IPv6 addresses are
// judged by their IPv4 address; NAT64 and 6to4 addresses also by the IPv4 address they embed.
std::optional<std::string> specialPurpose(const boost::asio::ip::address& address);

class AddressPolicy {
public:
    AddressPolicy() = default;
    AddressPolicy(bool allowLoopback, std::vector<IpNetwork> allowed)
        : allowLoopback_(allowLoopback), allowed_(std::move(allowed)) {}

    // Why natterd must not connect to `address` (its special-purpose kind), or nullopt.
    std::optional<std::string> refusal(const boost::asio::ip::address& address) const;

    bool allowsLoopback() const { return allowLoopback_; }
    const std::vector<IpNetwork>& allowedNetworks() const { return allowed_; }

private:
    bool allowLoopback_ = false;
    std::vector<IpNetwork> allowed_;
};

} // namespace natter::server
