// Resolves a push endpoint's host once and judges every address it yields by the
// AddressPolicy. The webhook client connects to exactly the addresses returned here and never
// resolves the name again, so a DNS answer that changes between the check and the connection
// (DNS rebinding) cannot lead natterd to an internal address.
#pragma once

#include "push/address_policy.h"
#include "push/push_endpoint.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace natter::server {

// Where a push endpoint may be reached, or why not.
struct PushTarget {
    std::vector<boost::asio::ip::tcp::endpoint> endpoints; // all permitted; empty on failure
    bool refused = false;     // the host resolves to an address natterd does not send to
    std::string refusedKind;  // then: the kind of that address ("loopback", "private", ...)
    std::string problem;      // when endpoints is empty: why, with the address (for logs)
};

class PushTargetResolver {
public:
    PushTargetResolver(boost::asio::io_context& io, AddressPolicy policy,
                       std::chrono::seconds timeout = std::chrono::seconds(10));

    // Resolves endpoint.host (any form the system resolver accepts: names, dotted, hex or
    // octal IPv4, IPv6) and calls `done` once, on the io thread. Refused as a whole when any
    // address it resolves to is refused. The lookup holds its own reference to the policy.
    void resolve(const PushEndpoint& endpoint, std::function<void(PushTarget)> done) const;

private:
    boost::asio::io_context& io_;
    std::shared_ptr<const AddressPolicy> policy_;
    std::chrono::seconds timeout_;
};

} // namespace natter::server
