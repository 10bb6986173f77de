#include "app/config_reload.h"

#include <spdlog/fmt/fmt.h>

#include <array>

namespace natter::server {
namespace {

// One option: its name, its value as text (compared to find a change) and, for a limit that
// can change while serving, how it is copied.
struct Option {
    const char* name;
    std::string (*value)(const ServerConfig&);
    void (*take)(ServerConfig& running, const ServerConfig& next) = nullptr;
};

std::string joined(const std::vector<std::filesystem::path>& paths) {
    std::string out;
    for (const auto& p : paths) out += p.string() + "\n";
    return out;
}

std::string networks(const AddressPolicy& policy) {
    std::string out;
    for (const auto& n : policy.allowedNetworks()) out += n.toString() + "\n";
    return out;
}

template <class T>
std::string text(const T& v) {
    return fmt::format("{}", v);
}

// clang-format off
const std::array kOptions{
    // Taken while serving: read on the io thread for every request, frame or upload.
    Option{"message-rate", [](const ServerConfig& c) { return text(c.message_rate); },
           [](ServerConfig& r, const ServerConfig& n) { r.message_rate = n.message_rate; }},
    Option{"typing-rate", [](const ServerConfig& c) { return text(c.typing_rate); },
           [](ServerConfig& r, const ServerConfig& n) { r.typing_rate = n.typing_rate; }},
    Option{"sync-window", [](const ServerConfig& c) { return text(c.sync_window); },
           [](ServerConfig& r, const ServerConfig& n) { r.sync_window = n.sync_window; }},
    Option{"group-message-rate", [](const ServerConfig& c) { return text(c.group_message_rate); },
           [](ServerConfig& r, const ServerConfig& n) { r.group_message_rate = n.group_message_rate; }},
    Option{"account-request-rate", [](const ServerConfig& c) { return text(c.account_request_rate); },
           [](ServerConfig& r, const ServerConfig& n) { r.account_request_rate = n.account_request_rate; }},
    Option{"account-request-burst", [](const ServerConfig& c) { return text(c.account_request_burst); },
           [](ServerConfig& r, const ServerConfig& n) { r.account_request_burst = n.account_request_burst; }},
    Option{"media-max-bytes", [](const ServerConfig& c) { return text(c.media_max_bytes); },
           [](ServerConfig& r, const ServerConfig& n) { r.media_max_bytes = n.media_max_bytes; }},
    // Built into services, the store's jobs or the transport at start: a restart applies them.
    Option{"listen", [](const ServerConfig& c) { return c.transport.host + ":" + text(c.transport.port); }},
    Option{"data-dir", [](const ServerConfig& c) { return c.data_dir.string(); }},
    Option{"store", [](const ServerConfig& c) { return c.sqlite_file.string() + "|" + c.postgres_uri; }},
    Option{"store-connections", [](const ServerConfig& c) { return text(c.store_connections); }},
    Option{"media-dir", [](const ServerConfig& c) { return c.media_dir.string(); }},
    Option{"jwt-key", [](const ServerConfig& c) { return c.jwt_key.string(); }},
    Option{"jwt-previous-key", [](const ServerConfig& c) { return joined(c.jwt_previous_keys); }},
    Option{"verification-key", [](const ServerConfig& c) { return c.verification_key.string(); }},
    Option{"redis", [](const ServerConfig& c) { return c.redis; }},
    Option{"redis-timeout", [](const ServerConfig& c) { return text(c.redis_timeout.count()); }},
    Option{"node-id", [](const ServerConfig& c) { return c.node_id; }},
    Option{"verification", [](const ServerConfig& c) { return c.verification; }},
    Option{"push", [](const ServerConfig& c) { return c.push; }},
    Option{"push-allow-network", [](const ServerConfig& c) { return networks(c.push_addresses); }},
    Option{"push-allow-loopback", [](const ServerConfig& c) { return text(c.push_addresses.allowsLoopback()); }},
    Option{"tls-cert", [](const ServerConfig& c) { return c.transport.tls_cert_file + "|" + c.transport.tls_key_file; }},
    Option{"log-target", [](const ServerConfig& c) { return c.log_target; }},
    Option{"access-token-ttl", [](const ServerConfig& c) { return text(c.access_token_ttl.count()); }},
    Option{"presence-timeout", [](const ServerConfig& c) { return text(c.presence_timeout.count()); }},
    Option{"heartbeat-interval", [](const ServerConfig& c) { return text(c.heartbeat_interval.count()); }},
    Option{"max-group-size", [](const ServerConfig& c) { return text(c.max_group_size); }},
    Option{"prekey-low-threshold", [](const ServerConfig& c) { return text(c.prekey_low_threshold); }},
    Option{"max-body", [](const ServerConfig& c) { return text(c.transport.max_body_bytes); }},
    Option{"media-retention", [](const ServerConfig& c) { return text(c.media_retention.count()); }},
    Option{"media-quota", [](const ServerConfig& c) { return text(c.media_quota_bytes); }},
    Option{"media-concurrent-uploads", [](const ServerConfig& c) { return text(c.media_concurrent_uploads); }},
    Option{"lookups-per-account", [](const ServerConfig& c) { return text(c.lookups_per_account); }},
    Option{"lookups-per-address", [](const ServerConfig& c) { return text(c.lookups_per_address); }},
    Option{"codes-per-address", [](const ServerConfig& c) { return text(c.codes_per_address); }},
    Option{"codes-global", [](const ServerConfig& c) { return text(c.codes_global); }},
    Option{"prekeys-per-requester", [](const ServerConfig& c) { return text(c.prekeys_per_requester); }},
    Option{"max-devices", [](const ServerConfig& c) { return text(c.max_devices); }},
    Option{"max-link-codes", [](const ServerConfig& c) { return text(c.max_link_codes); }},
    Option{"revocation-check-interval", [](const ServerConfig& c) { return text(c.revocation_check_interval.count()); }},
    Option{"queue-retention", [](const ServerConfig& c) { return text(c.queue_retention.count()); }},
    Option{"max-connections", [](const ServerConfig& c) { return text(c.transport.max_connections); }},
    Option{"max-connections-per-address", [](const ServerConfig& c) { return text(c.transport.max_connections_per_address); }},
    Option{"preauth-timeout", [](const ServerConfig& c) { return text(c.transport.preauth_timeout.count()); }},
    Option{"max-outbound-bytes", [](const ServerConfig& c) { return text(c.transport.max_outbound_bytes); }},
};
// clang-format on

} // namespace

ConfigChanges takeReloadableLimits(ServerConfig& running, const ServerConfig& next) {
    ConfigChanges changes;
    for (const Option& option : kOptions) {
        const std::string now = option.value(next);
        if (option.value(running) == now) continue;
        if (!option.take) {
            changes.restart.emplace_back(option.name);
            continue;
        }
        option.take(running, next);
        changes.taken.push_back(std::string(option.name) + " " + now);
    }
    return changes;
}

} // namespace natter::server
