// natterd's network front: one listening port serving HTTP and WebSocket (/ws), plain or
// TLS, built on Boost.Beast. The only Beast-facing API; everything else sees connection.h.
#pragma once

#include "net/connection.h"

#include <boost/asio/io_context.hpp>

#include <cstddef>
#include <chrono>
#include <memory>
#include <string>

namespace natter::server {

struct TransportConfig {
    std::string host = "127.0.0.1";
    unsigned short port = 8787;            // 0 picks an ephemeral port
    std::string tls_cert_file;             // PEM; TLS (https/wss) when both files are set
    std::string tls_key_file;              // PEM
    std::size_t max_body_bytes = 64 * 1024;       // larger HTTP bodies get 413
    std::size_t max_ws_message_bytes = 1024 * 1024; // hard limit: larger frames close with 1009
    // A WebSocket's write queue: frames its peer has not read yet, the one being written
    // included. Passing either cap closes the connection as a slow consumer (4002).
    std::size_t max_outbound_frames = 4096;
    std::size_t max_outbound_bytes = 4 * 1024 * 1024;
    std::chrono::seconds handshake_timeout{10};   // each read or write once a request is under way
    // From accepting a connection (or answering its previous request) to having the next
    // request: TLS handshake, headers and an in-memory body. Idle keep-alive connections close then.
    std::chrono::seconds preauth_timeout{10};
    std::size_t max_connections = 0;               // open TCP connections in all; 0: unlimited
    std::size_t max_connections_per_address = 256; // per client IPv4 address or IPv6 /64
};

class Transport {
public:
    Transport(boost::asio::io_context& io, TransportConfig config, TransportHandler& handler);
    ~Transport();
    Transport(const Transport&) = delete;
    Transport& operator=(const Transport&) = delete;

    // Binds and starts accepting. Returns the bound port, or an error (e.g. address in use,
    // unreadable TLS files).
    protocol::Result<unsigned short> start();
    // Stops accepting and closes every open WebSocket with GoingAway.
    void stop();
    bool tlsEnabled() const;
    // Reads the certificate and key files again (a renewed certificate): new connections get
    // it, open ones keep theirs. On an error the current certificate stays in use.
    protocol::Result<void> reloadTls();
    // New connection caps (max_connections already bounded by the descriptors): the next
    // connections are held to them; open connections stay.
    void setConnectionCaps(std::size_t maxConnections, std::size_t maxPerAddress);

private:
    class Impl; // defined in transport.cpp, with the Beast code
    std::unique_ptr<Impl> impl_;
};

} // namespace natter::server
