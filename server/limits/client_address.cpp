#include "limits/client_address.h"

#include <boost/asio/ip/address.hpp>

namespace natter::server {

namespace ip = boost::asio::ip;

std::string clientAddress(std::string_view remote) {
    std::string_view host = remote;
    if (host.starts_with('[')) {
        const auto close = host.find(']');
        if (close != std::string_view::npos) host = host.substr(1, close - 1);
    } else if (const auto colon = host.rfind(':'); colon != std::string_view::npos && host.find(':') == colon) {
        host = host.substr(0, colon);
    }
    boost::system::error_code ec;
    const ip::address address = ip::make_address(std::string(host), ec);
    if (ec) return std::string(remote);
    if (address.is_v4()) return address.to_string();
    const ip::address_v6 v6 = address.to_v6();
    if (v6.is_v4_mapped()) return ip::make_address_v4(ip::v4_mapped, v6).to_string();
    ip::address_v6::bytes_type bytes = v6.to_bytes();
    std::fill(bytes.begin() + 8, bytes.end(), 0);
    return ip::address_v6(bytes).to_string() + "/64";
}

} // namespace natter::server
