// natterd's options: one table for the command line, the config file and --help.
#include "config/option_table.h"

#include <cstdint>
#include <string>
#include <vector>

namespace natter::server {
namespace po = boost::program_options;

po::options_description natterdOptions() {
    po::options_description opts("natterd options");
    // clang-format off
    opts.add_options()
        ("help,h", "print this help and exit")
        ("version,V", "print natterd's version and exit")
        ("config,c", po::value<std::string>(), "read options from FILE: one 'name = value' per line with the names below, '#' starts a comment; the command line wins over the file (installed: /etc/natter/natterd.conf)")
        ("check-config", po::value<std::string>()->value_name("FILE"), "check FILE (and the rest of the command line) as natterd would read it, name the first bad line and exit: 0 valid, 2 not")
        ("listen", po::value<std::string>()->default_value("127.0.0.1:8787"), "HOST:PORT to serve HTTP and WebSocket on (port 0: any free port)")
        ("data-dir", po::value<std::string>()->default_value("natter-data"), "directory for the database, key files and media; kept private (0700, files 0600)")
        ("store", po::value<std::string>()->default_value("sqlite:"), "where everything durable is kept: sqlite:PATH (sqlite: alone is natterd.db in --data-dir) or postgres://USER@HOST:PORT/DB (a libpq connection URI)")
        ("store-connections", po::value<std::size_t>()->default_value(8), "PostgreSQL connections this node writes through, each running one request at a time (ignored for SQLite)")
        ("media-dir", po::value<std::string>(), "directory for uploaded (encrypted) media (default: media/ in --data-dir); the nodes of a cluster share one, e.g. over NFS")
        ("jwt-key", po::value<std::string>(), "file with the 32-byte key that signs access tokens (default: jwt.key in --data-dir, created on first start); every node of a cluster uses the same file")
        ("jwt-previous-key", po::value<std::vector<std::string>>()->composing(), "key file (repeatable) whose tokens are still accepted while keys rotate; tokens are signed only with --jwt-key")
        ("verification-key", po::value<std::string>(), "file with the 32-byte key verification codes are hashed with (default: verification.key in --data-dir); shared by the nodes of a cluster")
        ("redis", po::value<std::string>(), "redis://HOST:PORT: run as one node of a cluster (routing between nodes, shared presence, revocations and limits through Redis); without it natterd is a single node")
        ("redis-timeout", po::value<unsigned>()->default_value(2000), "milliseconds Redis may take to answer a command before the connection counts as broken and is reopened (the node then runs as with Redis down)")
        ("node-id", po::value<std::string>(), "this node's name in logs, metrics and Redis (letters, digits, '.', '_', '-'; default: hostname-pid)")
        ("verification", po::value<std::string>()->default_value("log"), "how verification codes are sent: log (server log) or fixed:<code>")
        ("push", po::value<std::string>()->default_value("webhook"), "how offline devices are woken: webhook (POST to the URL each device registered) or log (server log only)")
        ("push-allow-network", po::value<std::vector<std::string>>()->composing(), "CIDR (repeatable) of a non-public network push endpoints may point into, e.g. 10.20.0.0/16; by default only public addresses are allowed")
        ("push-allow-loopback", po::bool_switch(), "allow push endpoints on loopback addresses (tests, single-machine setups)")
        ("tls-cert", po::value<std::string>(), "PEM certificate chain; with --tls-key serves https/wss")
        ("tls-key", po::value<std::string>(), "PEM private key")
        ("log-level", po::value<std::string>()->default_value("info"), "trace, debug, info, warn, error")
        ("log-target", po::value<std::string>()->default_value("auto"), "where log records go: stderr; journal (the systemd journal, with PRIORITY and NATTER_SUBSYSTEM, NATTER_USER, NATTER_DEVICE, NATTER_CHAT fields); journal:SOCKET (the journal's socket at that path); auto: journal when stderr is connected to it (a systemd service), else stderr")
        ("access-token-ttl", po::value<unsigned>()->default_value(900), "access token lifetime in seconds")
        ("presence-timeout", po::value<unsigned>()->default_value(30), "seconds of silence before a connection is closed and its user goes offline")
        ("heartbeat-interval", po::value<unsigned>()->default_value(15), "seconds between client pings, announced in the welcome frame; must be below --presence-timeout")
        ("message-rate", po::value<double>()->default_value(1000), "messages (and malformed frames) per second allowed per connection")
        ("typing-rate", po::value<double>()->default_value(5), "typing notices per second allowed per connection")
        ("sync-window", po::value<unsigned>()->default_value(256), "queued entries in flight per device before acks are awaited")
        ("max-group-size", po::value<std::size_t>()->default_value(256), "members per group")
        ("group-message-rate", po::value<double>()->default_value(50), "messages per second allowed into one group")
        ("prekey-low-threshold", po::value<std::uint64_t>()->default_value(10), "warn a device (prekeys_low) below this many one-time pre-keys")
        ("max-body", po::value<std::size_t>()->default_value(64 * 1024), "largest REST body in bytes")
        ("media-max-bytes", po::value<std::uint64_t>()->default_value(100 * 1024 * 1024), "largest media upload in bytes")
        ("media-retention", po::value<std::uint64_t>()->default_value(30 * 24 * 3600), "seconds media is kept after its upload, then deleted")
        ("media-quota", po::value<std::uint64_t>()->default_value(1024ULL * 1024 * 1024), "bytes of media one account may keep stored (uploads not yet expired or deleted)")
        ("media-concurrent-uploads", po::value<std::uint64_t>()->default_value(4), "media uploads one account may have in progress at once")
        ("lookups-per-account", po::value<std::uint64_t>()->default_value(1000), "phone numbers one account may look up per day (POST /api/contacts/lookup)")
        ("lookups-per-address", po::value<std::uint64_t>()->default_value(5000), "phone numbers one client address may look up per day, all its accounts together")
        ("codes-per-address", po::value<std::uint64_t>()->default_value(20), "verification codes one client address may request per hour")
        ("codes-global", po::value<std::uint64_t>()->default_value(500), "verification codes the whole server sends per hour")
        ("prekeys-per-requester", po::value<std::uint64_t>()->default_value(10), "one-time pre-keys one account may take of one device per hour; further bundles come without one")
        ("max-devices", po::value<std::size_t>()->default_value(6), "active devices per account; linking one more is refused (409)")
        ("max-link-codes", po::value<std::size_t>()->default_value(3), "unexpired link codes per account; one more is refused (429)")
        ("account-request-rate", po::value<double>()->default_value(50), "authenticated REST calls per second per account (token bucket)")
        ("account-request-burst", po::value<double>()->default_value(500), "authenticated REST calls an account may make in one burst")
        ("revocation-check-interval", po::value<unsigned>()->default_value(30), "seconds between re-reads of the revoked devices in the store: sessions of devices revoked by 'natterd admin revoke-device' or 'delete-account' (or on another node) are closed then (1 to 3600)")
        ("queue-retention", po::value<std::uint64_t>()->default_value(30 * 24 * 3600), "seconds after which an entry queued for a device that has not connected since is deleted")
        ("max-connections", po::value<std::size_t>()->default_value(0), "open TCP connections in all; 0: three quarters of the descriptor limit")
        ("max-connections-per-address", po::value<std::size_t>()->default_value(256), "open TCP connections per client IPv4 address or IPv6 /64; more are closed at once")
        ("preauth-timeout", po::value<unsigned>()->default_value(10), "seconds a connection may take to send a complete request (also idle keep-alive connections)")
        ("max-outbound-bytes", po::value<std::size_t>()->default_value(4 * 1024 * 1024), "bytes of frames a WebSocket's peer may leave unread (at least 1048576); queued messages wait from half of it on, and past it the connection is closed as a slow consumer (4002)");
    // clang-format on
    return opts;
}

} // namespace natter::server
