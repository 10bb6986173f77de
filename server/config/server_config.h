// natterd's configuration: command-line flags and an optional INI-style config file
// (same option names), parsed with Boost.Program_options.
#pragma once

#include "net/transport.h"
#include "push/address_policy.h"

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace natter::server {

struct ServerConfig {
    TransportConfig transport;
    std::filesystem::path data_dir = "natter-data";
    // --store: SQLite in a file (default natterd.db in data_dir) or PostgreSQL at a libpq URI.
    std::filesystem::path sqlite_file;          // when postgres_uri is empty
    std::string postgres_uri;                   // postgres://USER@HOST:PORT/DB
    std::size_t store_connections = 8;          // PostgreSQL connections (store lanes) of this node
    std::filesystem::path media_dir;                      // encrypted uploads (data_dir/media)
    std::filesystem::path jwt_key;                        // signs access tokens (data_dir/jwt.key)
    std::vector<std::filesystem::path> jwt_previous_keys; // still verify, during a rotation
    std::filesystem::path verification_key;               // hashes codes (data_dir/verification.key)
    std::string redis;                        // redis://HOST:PORT turns the cluster features on ("" = single node)
    std::string node_id;                      // names the node in logs, metrics and Redis
    std::chrono::milliseconds redis_timeout{2000}; // a Redis command unanswered this long drops the connection
    std::string verification = "log";         // "log" or "fixed:<code>"
    std::string push = "webhook";             // wake-up provider: "webhook" or "log"
    std::string log_level = "info";
    std::string log_target = "auto";          // "auto", "stderr", "journal" or "journal:SOCKET"
    std::chrono::seconds access_token_ttl{900};
    std::chrono::seconds presence_timeout{30};  // silence after which a connection is closed
    std::chrono::seconds heartbeat_interval{15};
    double message_rate = 1000;                 // frames per second per connection
    double typing_rate = 5;                     // typing notices per second per connection
    std::size_t sync_window = 256;              // unacknowledged queue entries per device
    std::uint64_t media_max_bytes = 100 * 1024 * 1024;   // largest media upload
    std::chrono::seconds media_retention{30 * 24 * 3600}; // media is deleted this long after upload
    std::size_t max_group_size = 256;           // members per group
    double group_message_rate = 50;             // messages per second per group
    std::uint64_t prekey_low_threshold = 10;    // prekeys_low below this many one-time keys
    // Abuse limits (docs/protocol.md section 9, "Rate limits").
    std::uint64_t lookups_per_account = 1000;   // phone numbers looked up per account per day
    std::uint64_t lookups_per_address = 5000;   // ... per client address per day
    std::uint64_t codes_per_address = 20;       // verification codes requested per client address per hour
    std::uint64_t codes_global = 500;           // verification codes the server sends per hour
    std::uint64_t prekeys_per_requester = 10;   // one-time pre-keys one account takes of one device per hour
    std::uint64_t media_quota_bytes = 1024ULL * 1024 * 1024; // live media one account keeps stored
    std::uint64_t media_concurrent_uploads = 4; // uploads one account may have in progress
    AddressPolicy push_addresses;               // where push wake-ups may be sent
    std::size_t max_devices = 6;                // active devices per account (linking refuses more)
    std::size_t max_link_codes = 3;             // unexpired link codes per account
    double account_request_rate = 50;           // authenticated REST calls per second per account
    double account_request_burst = 500;         // ... in bursts of up to this many
    std::chrono::seconds queue_retention{30 * 24 * 3600}; // queued entries of absent devices expire
    std::chrono::seconds revocation_check_interval{30};    // re-read revoked devices (natterd admin, other nodes)
};

// What the command line asked for: run with a config, or print text and exit.
struct ParsedCommandLine {
    std::optional<ServerConfig> config; // set when the server should run
    std::string output;                 // help or error text
    int exit_code = 0;                  // when config is empty
    bool print_version = false;         // --version: main prints natter::kVersion
};

ParsedCommandLine parseCommandLine(int argc, const char* const argv[]);

} // namespace natter::server
