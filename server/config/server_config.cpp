#include "config/server_config.h"

#include "cluster/redis_connection.h"
#include "protocol/limits.h"

#include <unistd.h>

#include <cctype>
#include <cstdio>

#include <boost/program_options.hpp>

#include <fstream>
#include <sstream>

namespace natter::server {
namespace po = boost::program_options;

namespace {

bool parseListen(const std::string& listen, TransportConfig& out, std::string& error) {
    const auto colon = listen.rfind(':');
    if (colon == std::string::npos || colon == 0) {
        error = "--listen must be HOST:PORT, got '" + listen + "'";
        return false;
    }
    const std::string portText = listen.substr(colon + 1);
    try {
        const unsigned long port = std::stoul(portText);
        if (port > 65535 || std::to_string(port) != portText) throw std::out_of_range("port");
        out.port = static_cast<unsigned short>(port);
    } catch (const std::exception&) {
        error = "--listen port must be 0-65535, got '" + portText + "'";
        return false;
    }
    out.host = listen.substr(0, colon);
    if (out.host.size() > 2 && out.host.front() == '[' && out.host.back() == ']')
        out.host = out.host.substr(1, out.host.size() - 2);
    return true;
}

po::options_description describeOptions() {
    po::options_description opts("natterd options");
    // clang-format off
    opts.add_options()
        ("help,h", "print this help and exit")
        ("config,c", po::value<std::string>(), "read options from an INI-style file (key = value, same names)")
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
        ("queue-retention", po::value<std::uint64_t>()->default_value(30 * 24 * 3600), "seconds after which an entry queued for a device that has not connected since is deleted")
        ("max-connections", po::value<std::size_t>()->default_value(0), "open TCP connections in all; 0: three quarters of the descriptor limit")
        ("max-connections-per-address", po::value<std::size_t>()->default_value(256), "open TCP connections per client IPv4 address or IPv6 /64; more are closed at once")
        ("preauth-timeout", po::value<unsigned>()->default_value(10), "seconds a connection may take to send a complete request (also idle keep-alive connections)")
        ("max-outbound-bytes", po::value<std::size_t>()->default_value(4 * 1024 * 1024), "bytes of frames a WebSocket's peer may leave unread (at least 1048576); queued messages wait from half of it on, and past it the connection is closed as a slow consumer (4002)");
    // clang-format on
    return opts;
}

std::optional<AddressPolicy> parsePushPolicy(const po::variables_map& vm, std::string& error) {
    std::vector<IpNetwork> allowed;
    if (vm.count("push-allow-network")) {
        for (const auto& text : vm["push-allow-network"].as<std::vector<std::string>>()) {
            auto network = parseNetwork(text);
            if (!network) {
                error = "--push-allow-network: " + network.error().message;
                return std::nullopt;
            }
            allowed.push_back(*network);
        }
    }
    return AddressPolicy(vm["push-allow-loopback"].as<bool>(), std::move(allowed));
}

// --store: "sqlite:" or "sqlite:PATH", or a postgres:// or postgresql:// URI.
bool parseStore(const std::string& store, ServerConfig& config, std::string& error) {
    if (store.starts_with("sqlite:")) {
        const std::string path = store.substr(7);
        config.sqlite_file = path.empty() ? config.data_dir / "natterd.db" : std::filesystem::path(path);
        return true;
    }
    for (const char* scheme : {"postgres://", "postgresql://"})
        if (store.starts_with(scheme) && store.size() > std::string_view(scheme).size()) {
            config.postgres_uri = store;
            return true;
        }
    error = "--store must be sqlite:PATH or postgres://USER@HOST:PORT/DB, got '" + store.substr(0, 80) + "'";
    return false;
}

// "<hostname>-<pid>", with characters a node id may not contain replaced by '-'.
std::string defaultNodeId() {
    char host[256] = {};
    if (::gethostname(host, sizeof host - 1) != 0 || host[0] == '\0') std::snprintf(host, sizeof host, "natterd");
    std::string id = std::string(host).substr(0, 40) + "-" + std::to_string(::getpid());
    for (char& c : id)
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.' && c != '_' && c != '-') c = '-';
    return id;
}

std::optional<std::string> validateVerification(const std::string& v) {
    if (v == "log") return std::nullopt;
    if (v.starts_with("fixed:") && v.size() > 6 && v.size() <= 6 + 32) return std::nullopt;
    return "--verification must be 'log' or 'fixed:<code>', got '" + v + "'";
}

} // namespace

ParsedCommandLine parseCommandLine(int argc, const char* const argv[]) {
    ParsedCommandLine result;
    const auto opts = describeOptions();
    po::variables_map vm;
    try {
        po::store(po::parse_command_line(argc, argv, opts), vm);
        if (vm.count("config")) {
            const auto path = vm["config"].as<std::string>();
            std::ifstream file(path);
            if (!file) {
                result.output = "natterd: cannot read config file '" + path + "'\n";
                result.exit_code = 2;
                return result;
            }
            po::store(po::parse_config_file(file, opts), vm);
        }
        po::notify(vm);
    } catch (const po::error& e) {
        result.output = std::string("natterd: ") + e.what() + "\nTry 'natterd --help'.\n";
        result.exit_code = 2;
        return result;
    }
    if (vm.count("help")) {
        std::ostringstream out;
        out << "natterd - the Natter messaging server\n\nUsage: natterd [options]\n\n" << opts
            << "\nExample: natterd --listen 127.0.0.1:8787 --data-dir ./natter-data --verification fixed:123456\n";
        result.output = out.str();
        return result;
    }

    ServerConfig config;
    std::string error;
    if (!parseListen(vm["listen"].as<std::string>(), config.transport, error)) {
        result.output = "natterd: " + error + "\n";
        result.exit_code = 2;
        return result;
    }
    config.data_dir = vm["data-dir"].as<std::string>();
    config.store_connections = vm["store-connections"].as<std::size_t>();
    if (!parseStore(vm["store"].as<std::string>(), config, error) || config.store_connections == 0 ||
        config.store_connections > 256) {
        result.output = "natterd: " + (error.empty() ? std::string("--store-connections must be 1-256") : error) + "\n";
        result.exit_code = 2;
        return result;
    }
    config.media_dir = vm.count("media-dir") ? std::filesystem::path(vm["media-dir"].as<std::string>())
                                             : config.data_dir / "media";
    config.jwt_key = vm.count("jwt-key") ? std::filesystem::path(vm["jwt-key"].as<std::string>())
                                         : config.data_dir / "jwt.key";
    if (vm.count("jwt-previous-key"))
        for (const auto& file : vm["jwt-previous-key"].as<std::vector<std::string>>())
            config.jwt_previous_keys.emplace_back(file);
    config.verification_key = vm.count("verification-key")
                                  ? std::filesystem::path(vm["verification-key"].as<std::string>())
                                  : config.data_dir / "verification.key";
    if (vm.count("redis")) {
        config.redis = vm["redis"].as<std::string>();
        if (!parseRedisUrl(config.redis)) {
            result.output = "natterd: --redis must be redis://HOST:PORT, got '" + config.redis + "'\n";
            result.exit_code = 2;
            return result;
        }
    }
    config.redis_timeout = std::chrono::milliseconds(vm["redis-timeout"].as<unsigned>());
    if (config.redis_timeout.count() < 10 || config.redis_timeout.count() > 600000) {
        result.output = "natterd: --redis-timeout must be 10-600000 milliseconds\n";
        result.exit_code = 2;
        return result;
    }
    config.node_id = vm.count("node-id") ? vm["node-id"].as<std::string>() : defaultNodeId();
    if (config.node_id.empty() || config.node_id.size() > 64 ||
        config.node_id.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-") !=
            std::string::npos) {
        result.output = "natterd: --node-id must be 1-64 letters, digits, '.', '_' or '-', got '" + config.node_id + "'\n";
        result.exit_code = 2;
        return result;
    }
    config.verification = vm["verification"].as<std::string>();
    if (auto err = validateVerification(config.verification)) {
        result.output = "natterd: " + *err + "\n";
        result.exit_code = 2;
        return result;
    }
    config.push = vm["push"].as<std::string>();
    if (config.push != "webhook" && config.push != "log") {
        result.output = "natterd: --push must be 'webhook' or 'log', got '" + config.push + "'\n";
        result.exit_code = 2;
        return result;
    }
    if (vm.count("tls-cert") != vm.count("tls-key")) {
        result.output = "natterd: --tls-cert and --tls-key must be given together\n";
        result.exit_code = 2;
        return result;
    }
    if (vm.count("tls-cert")) {
        config.transport.tls_cert_file = vm["tls-cert"].as<std::string>();
        config.transport.tls_key_file = vm["tls-key"].as<std::string>();
    }
    config.log_level = vm["log-level"].as<std::string>();
    config.access_token_ttl = std::chrono::seconds(vm["access-token-ttl"].as<unsigned>());
    config.presence_timeout = std::chrono::seconds(vm["presence-timeout"].as<unsigned>());
    config.heartbeat_interval = std::chrono::seconds(vm["heartbeat-interval"].as<unsigned>());
    config.message_rate = vm["message-rate"].as<double>();
    config.typing_rate = vm["typing-rate"].as<double>();
    config.sync_window = vm["sync-window"].as<unsigned>();
    config.max_group_size = vm["max-group-size"].as<std::size_t>();
    config.group_message_rate = vm["group-message-rate"].as<double>();
    config.prekey_low_threshold = vm["prekey-low-threshold"].as<std::uint64_t>();
    config.transport.max_body_bytes = vm["max-body"].as<std::size_t>();
    config.media_max_bytes = vm["media-max-bytes"].as<std::uint64_t>();
    config.media_retention = std::chrono::seconds(vm["media-retention"].as<std::uint64_t>());
    if (config.media_max_bytes == 0 || config.media_retention.count() <= 0) {
        result.output = "natterd: --media-max-bytes and --media-retention must be positive\n";
        result.exit_code = 2;
        return result;
    }
    config.media_quota_bytes = vm["media-quota"].as<std::uint64_t>();
    config.media_concurrent_uploads = vm["media-concurrent-uploads"].as<std::uint64_t>();
    config.lookups_per_account = vm["lookups-per-account"].as<std::uint64_t>();
    config.lookups_per_address = vm["lookups-per-address"].as<std::uint64_t>();
    config.codes_per_address = vm["codes-per-address"].as<std::uint64_t>();
    config.codes_global = vm["codes-global"].as<std::uint64_t>();
    config.prekeys_per_requester = vm["prekeys-per-requester"].as<std::uint64_t>();
    if (config.media_quota_bytes == 0 || config.media_concurrent_uploads == 0 || config.lookups_per_account == 0 ||
        config.lookups_per_address == 0 || config.codes_per_address == 0 || config.codes_global == 0 ||
        config.prekeys_per_requester == 0) {
        result.output = "natterd: --media-quota, --media-concurrent-uploads, --lookups-per-account, "
                        "--lookups-per-address, --codes-per-address, --codes-global and --prekeys-per-requester "
                        "must be positive\n";
        result.exit_code = 2;
        return result;
    }
    if (auto policy = parsePushPolicy(vm, error); policy) {
        config.push_addresses = std::move(*policy);
    } else {
        result.output = "natterd: " + error + "\n";
        result.exit_code = 2;
        return result;
    }
    config.max_devices = vm["max-devices"].as<std::size_t>();
    config.max_link_codes = vm["max-link-codes"].as<std::size_t>();
    config.account_request_rate = vm["account-request-rate"].as<double>();
    config.account_request_burst = vm["account-request-burst"].as<double>();
    config.queue_retention = std::chrono::seconds(vm["queue-retention"].as<std::uint64_t>());
    config.transport.max_connections = vm["max-connections"].as<std::size_t>();
    config.transport.max_connections_per_address = vm["max-connections-per-address"].as<std::size_t>();
    config.transport.preauth_timeout = std::chrono::seconds(vm["preauth-timeout"].as<unsigned>());
    config.transport.max_outbound_bytes = vm["max-outbound-bytes"].as<std::size_t>();
    // Room for the largest frame above the half where queued messages stop, and for answers.
    if (config.transport.max_outbound_bytes < 4 * protocol::limits::kMaxFrameBytes) {
        result.output = "natterd: --max-outbound-bytes must be at least " +
                        std::to_string(4 * protocol::limits::kMaxFrameBytes) + "\n";
        result.exit_code = 2;
        return result;
    }
    if (config.max_devices == 0 || config.max_link_codes == 0 || config.account_request_rate <= 0 ||
        config.account_request_burst < 1 || config.queue_retention.count() <= 0 ||
        config.transport.max_connections_per_address == 0 || config.transport.preauth_timeout.count() == 0) {
        result.output = "natterd: --max-devices, --max-link-codes, --account-request-rate, --queue-retention, "
                        "--max-connections-per-address and --preauth-timeout must be positive, "
                        "--account-request-burst at least 1\n";
        result.exit_code = 2;
        return result;
    }
    if (config.sync_window == 0 || config.message_rate <= 0 || config.typing_rate <= 0 ||
        config.max_group_size < 2 || config.group_message_rate <= 0 ||
        config.presence_timeout.count() == 0 || config.access_token_ttl.count() == 0) {
        result.output = "natterd: --sync-window, --message-rate, --typing-rate, --group-message-rate, --presence-timeout and "
                        "--access-token-ttl must be positive, --max-group-size at least 2\n";
        result.exit_code = 2;
        return result;
    }
    // Clients ping once per heartbeat interval: a timeout at or below it closes live connections.
    if (config.heartbeat_interval.count() == 0 || config.heartbeat_interval >= config.presence_timeout) {
        result.output = "natterd: --heartbeat-interval (" + std::to_string(config.heartbeat_interval.count()) +
                        " s) must be positive and below --presence-timeout (" +
                        std::to_string(config.presence_timeout.count()) +
                        " s): clients ping at the heartbeat interval, so a shorter timeout takes live users offline\n";
        result.exit_code = 2;
        return result;
    }
    result.config = std::move(config);
    return result;
}

} // namespace natter::server
