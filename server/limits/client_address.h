// The "client address" per-address limits are keyed by: the peer's IP without its port, an
// IPv4-mapped IPv6 address as plain IPv4, and an IPv6 address as its /64 network (one
// subscriber usually holds a whole /64, so counting single IPv6 addresses would not limit anyone).
#pragma once

#include <string>
#include <string_view>

namespace natter::server {

// `remote` as HttpRequest::remote holds it: "1.2.3.4:5678" or "[2001:db8::1]:5678".
// Anything unparsable is returned as it is (still a stable key).
std::string clientAddress(std::string_view remote);

} // namespace natter::server
