// Caps open TCP connections per client address and in all, so that one client cannot take
// every descriptor (and with them /healthz and everyone else's connections). A client address
// is an IPv4 address or an IPv6 /64 (one subscriber's usual allocation). io thread only.
#pragma once

#include "net/connection.h"

#include <boost/asio/ip/address.hpp>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <unordered_map>
#include <utility>

namespace natter::server {

class ConnectionLimiter {
    // A client address: an IPv4 address, or the first 64 bits of an IPv6 address.
    struct Key {
        std::uint64_t bits = 0;
        bool v6 = false;
        friend bool operator==(const Key&, const Key&) = default;
    };
    struct KeyHash {
        std::size_t operator()(const Key& key) const noexcept { return std::hash<std::uint64_t>{}(key.bits) ^ key.v6; }
    };

public:
    // Held by a connection for as long as it is open; releases its count when destroyed.
    class Slot {
    public:
        Slot() = default;
        Slot(Slot&& other) noexcept
            : limiter_(std::exchange(other.limiter_, nullptr)), key_(other.key_) {}
        Slot& operator=(Slot&& other) noexcept {
            if (this != &other) {
                release();
                limiter_ = std::exchange(other.limiter_, nullptr);
                key_ = other.key_;
            }
            return *this;
        }
        ~Slot() { release(); }

    private:
        friend class ConnectionLimiter;
        Slot(ConnectionLimiter* limiter, Key key) : limiter_(limiter), key_(key) {}
        void release();

        ConnectionLimiter* limiter_ = nullptr;
        Key key_;
    };

    // max_total 0: no global cap. The limiter must outlive every slot it hands out.
    ConnectionLimiter(std::size_t maxTotal, std::size_t maxPerAddress)
        : maxTotal_(maxTotal), maxPerAddress_(maxPerAddress) {}

    // New caps (SIGHUP) for the connections admitted from now on; open ones keep their slots,
    // even when they are more than a lowered cap allows.
    void setCaps(std::size_t maxTotal, std::size_t maxPerAddress) {
        maxTotal_ = maxTotal;
        maxPerAddress_ = maxPerAddress;
    }

    // A slot for a new connection from `address`, or why it must be closed at once.
    std::optional<ConnectionRefusal> admit(const boost::asio::ip::address& address, Slot& slot);

private:
    static Key keyOf(const boost::asio::ip::address& address);
    void release(Key key);

    std::size_t maxTotal_;
    std::size_t maxPerAddress_;
    std::size_t total_ = 0;
    std::unordered_map<Key, std::size_t, KeyHash> perAddress_;
};

} // namespace natter::server
