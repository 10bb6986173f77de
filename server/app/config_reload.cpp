#include "app/config_reload.h"

#include <spdlog/fmt/fmt.h>

#include <array>
#include <chrono>
#include <filesystem>
#include <vector>

namespace natter::server {
namespace {

// One option: its name, its value as text (compared to find a change) and, for a limit that
// can change while serving, how it is copied.
struct Option {
    const char* name;
    std::string (*value)(const ServerConfig&);
    void (*take)(ServerConfig& running, const ServerConfig& next) = nullptr;
};

template <class T>
std::string text(const T& v) {
    return fmt::format("{}", v);
}
template <class Rep, class Period>
std::string text(const std::chrono::duration<Rep, Period>& d) {
    return text(d.count());
}
std::string text(const std::filesystem::path& p) { return p.string(); }
std::string text(const std::vector<std::filesystem::path>& paths) {
    std::string out;
    for (const auto& p : paths) out += p.string() + "\n";
    return out;
}

// A limit the services read on every request, frame or upload: taken while serving.
template <auto Member>
Option live(const char* name) {
    return {name, [](const ServerConfig& c) { return text(c.*Member); },
            [](ServerConfig& r, const ServerConfig& n) { r.*Member = n.*Member; }};
}
// An option built into services, the store's jobs or the transport at start: a restart applies it.
template <auto Member>
Option atStart(const char* name) {
    return {name, [](const ServerConfig& c) { return text(c.*Member); }};
}
// A connection cap: the listener checks it at every accept, so it is taken while serving.
template <auto Member>
Option transportLive(const char* name) {
    return {name, [](const ServerConfig& c) { return text(c.transport.*Member); },
            [](ServerConfig& r, const ServerConfig& n) { r.transport.*Member = n.transport.*Member; }};
}
template <auto Member>
Option transportAtStart(const char* name) {
    return {name, [](const ServerConfig& c) { return text(c.transport.*Member); }};
}

using C = ServerConfig;
using Net = TransportConfig;
const std::array kOptions{
    live<&C::message_rate>("message-rate"),
    live<&C::typing_rate>("typing-rate"),
    live<&C::sync_window>("sync-window"),
    live<&C::group_message_rate>("group-message-rate"),
    live<&C::account_request_rate>("account-request-rate"),
    live<&C::account_request_burst>("account-request-burst"),
    live<&C::media_max_bytes>("media-max-bytes"),
    transportAtStart<&Net::host>("listen"),
    transportAtStart<&Net::port>("listen"),
    atStart<&C::data_dir>("data-dir"),
    atStart<&C::sqlite_file>("store"),
    atStart<&C::postgres_uri>("store"),
    atStart<&C::store_connections>("store-connections"),
    atStart<&C::media_dir>("media-dir"),
    atStart<&C::jwt_key>("jwt-key"),
    atStart<&C::jwt_previous_keys>("jwt-previous-key"),
    atStart<&C::verification_key>("verification-key"),
    atStart<&C::redis>("redis"),
    atStart<&C::redis_timeout>("redis-timeout"),
    atStart<&C::node_id>("node-id"),
    atStart<&C::verification>("verification"),
    atStart<&C::push>("push"),
    Option{"push-allow-network",
           [](const ServerConfig& c) {
               std::string out;
               for (const auto& n : c.push_addresses.allowedNetworks()) out += n.toString() + "\n";
               return out;
           }},
    Option{"push-allow-loopback", [](const ServerConfig& c) { return text(c.push_addresses.allowsLoopback()); }},
    transportAtStart<&Net::tls_cert_file>("tls-cert"),
    transportAtStart<&Net::tls_key_file>("tls-key"),
    atStart<&C::log_target>("log-target"),
    atStart<&C::access_token_ttl>("access-token-ttl"),
    atStart<&C::presence_timeout>("presence-timeout"),
    atStart<&C::heartbeat_interval>("heartbeat-interval"),
    atStart<&C::max_group_size>("max-group-size"),
    atStart<&C::prekey_low_threshold>("prekey-low-threshold"),
    transportAtStart<&Net::max_body_bytes>("max-body"),
    atStart<&C::media_retention>("media-retention"),
    live<&C::media_quota_bytes>("media-quota"),
    atStart<&C::media_concurrent_uploads>("media-concurrent-uploads"),
    live<&C::lookups_per_account>("lookups-per-account"),
    live<&C::lookups_per_address>("lookups-per-address"),
    live<&C::codes_per_address>("codes-per-address"),
    live<&C::codes_global>("codes-global"),
    atStart<&C::prekeys_per_requester>("prekeys-per-requester"),
    live<&C::max_devices>("max-devices"),
    live<&C::max_link_codes>("max-link-codes"),
    atStart<&C::revocation_check_interval>("revocation-check-interval"),
    atStart<&C::queue_retention>("queue-retention"),
    transportLive<&Net::max_connections>("max-connections"),
    transportLive<&Net::max_connections_per_address>("max-connections-per-address"),
    transportAtStart<&Net::preauth_timeout>("preauth-timeout"),
    transportAtStart<&Net::max_outbound_bytes>("max-outbound-bytes"),
};

} // namespace

ConfigChanges takeReloadableLimits(ServerConfig& running, const ServerConfig& next) {
    ConfigChanges changes;
    for (const Option& option : kOptions) {
        const std::string now = option.value(next);
        if (option.value(running) == now) continue;
        if (!option.take) {
            if (changes.restart.empty() || changes.restart.back() != option.name) changes.restart.emplace_back(option.name);
            continue;
        }
        option.take(running, next);
        changes.taken.push_back(std::string(option.name) + " " + now);
    }
    return changes;
}

} // namespace natter::server
