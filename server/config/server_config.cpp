#include "config/server_config.h"

#include "cluster/redis_connection.h"
#include "config/config_file.h"
#include "config/option_table.h"
#include "protocol/limits.h"

#include <unistd.h>

#include <cctype>
#include <cstdio>

#include <boost/program_options.hpp>
#include <spdlog/common.h>

#include <initializer_list>
#include <limits>
#include <sstream>

namespace natter::server {
namespace po = boost::program_options;

namespace {

// A value natterd refuses: the options at fault (the first one the config file set names its
// line), the message, and the bad value when several lines may set the option.
struct ConfigError {
    std::vector<std::string> options;
    std::string message;
    std::string value;
};

ConfigError bad(std::string option, std::string message, std::string value = {}) {
    return ConfigError{{std::move(option)}, std::move(message), std::move(value)};
}

std::optional<ConfigError> parseListen(const std::string& listen, TransportConfig& out) {
    const auto colon = listen.rfind(':');
    if (colon == std::string::npos || colon == 0) return bad("listen", "--listen must be HOST:PORT, got '" + listen + "'");
    const std::string portText = listen.substr(colon + 1);
    try {
        const unsigned long port = std::stoul(portText);
        if (port > 65535 || std::to_string(port) != portText) throw std::out_of_range("port");
        out.port = static_cast<unsigned short>(port);
    } catch (const std::exception&) {
        return bad("listen", "--listen port must be 0-65535, got '" + portText + "'");
    }
    out.host = listen.substr(0, colon);
    if (out.host.size() > 2 && out.host.front() == '[' && out.host.back() == ']')
        out.host = out.host.substr(1, out.host.size() - 2);
    return std::nullopt;
}

std::optional<ConfigError> parsePushPolicy(const po::variables_map& vm, AddressPolicy& out) {
    std::vector<IpNetwork> allowed;
    if (vm.count("push-allow-network")) {
        for (const auto& text : vm["push-allow-network"].as<std::vector<std::string>>()) {
            auto network = parseNetwork(text);
            if (!network) return bad("push-allow-network", "--push-allow-network: " + network.error().message, text);
            allowed.push_back(*network);
        }
    }
    out = AddressPolicy(vm["push-allow-loopback"].as<bool>(), std::move(allowed));
    return std::nullopt;
}

// --store: "sqlite:" or "sqlite:PATH", or a postgres:// or postgresql:// URI.
std::optional<ConfigError> parseStore(const std::string& store, ServerConfig& config) {
    if (store.starts_with("sqlite:")) {
        const std::string path = store.substr(7);
        config.sqlite_file = path.empty() ? config.data_dir / "natterd.db" : std::filesystem::path(path);
        return std::nullopt;
    }
    for (const char* scheme : {"postgres://", "postgresql://"})
        if (store.starts_with(scheme) && store.size() > std::string_view(scheme).size()) {
            config.postgres_uri = store;
            return std::nullopt;
        }
    return bad("store", "--store must be sqlite:PATH or postgres://USER@HOST:PORT/DB, got '" + store.substr(0, 80) + "'");
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

std::optional<ConfigError> validateVerification(const std::string& v) {
    if (v == "log") return std::nullopt;
    if (v.starts_with("fixed:") && v.size() > 6 && v.size() <= 6 + 32) return std::nullopt;
    return bad("verification", "--verification must be 'log' or 'fixed:<code>', got '" + v + "'");
}

// The first of `names` (options of type T) whose value is not above `floor`.
template <class T>
std::optional<ConfigError> atLeast(const po::variables_map& vm, std::initializer_list<const char*> names, T floor,
                                   const char* requirement = "must be positive") {
    for (const char* name : names)
        if (!(vm[name].as<T>() >= floor)) {
            std::ostringstream message;
            message << "--" << name << ' ' << requirement << ", got " << vm[name].as<T>();
            return bad(name, message.str());
        }
    return std::nullopt;
}

std::optional<ConfigError> checkPositiveLimits(const po::variables_map& vm) {
    using u64 = std::uint64_t;
    if (auto e = atLeast<u64>(vm, {"media-max-bytes", "media-retention", "media-quota", "media-concurrent-uploads",
                                   "lookups-per-account", "lookups-per-address", "codes-per-address", "codes-global",
                                   "prekeys-per-requester", "queue-retention"}, 1)) return e;
    if (auto e = atLeast<std::size_t>(vm, {"max-devices", "max-link-codes", "max-connections-per-address"}, 1)) return e;
    if (auto e = atLeast<unsigned>(vm, {"preauth-timeout", "sync-window", "presence-timeout", "access-token-ttl"}, 1)) return e;
    if (auto e = atLeast<double>(vm, {"account-request-rate", "message-rate", "typing-rate", "group-message-rate"},
                                 std::numeric_limits<double>::min())) return e;
    if (auto e = atLeast<double>(vm, {"account-request-burst"}, 1.0, "must be at least 1")) return e;
    return atLeast<std::size_t>(vm, {"max-group-size"}, 2, "must be at least 2");
}

// Everything that is not a plain number: addresses, the store, keys, the cluster, providers.
std::optional<ConfigError> applyWiring(const po::variables_map& vm, ServerConfig& config) {
    if (auto e = parseListen(vm["listen"].as<std::string>(), config.transport)) return e;
    config.data_dir = vm["data-dir"].as<std::string>();
    config.store_connections = vm["store-connections"].as<std::size_t>();
    if (auto e = parseStore(vm["store"].as<std::string>(), config)) return e;
    if (config.store_connections == 0 || config.store_connections > 256)
        return bad("store-connections", "--store-connections must be 1-256");
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
        if (!parseRedisUrl(config.redis)) return bad("redis", "--redis must be redis://HOST:PORT, got '" + config.redis + "'");
    }
    config.redis_timeout = std::chrono::milliseconds(vm["redis-timeout"].as<unsigned>());
    if (config.redis_timeout.count() < 10 || config.redis_timeout.count() > 600000)
        return bad("redis-timeout", "--redis-timeout must be 10-600000 milliseconds");
    config.node_id = vm.count("node-id") ? vm["node-id"].as<std::string>() : defaultNodeId();
    if (config.node_id.empty() || config.node_id.size() > 64 ||
        config.node_id.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-") !=
            std::string::npos)
        return bad("node-id", "--node-id must be 1-64 letters, digits, '.', '_' or '-', got '" + config.node_id + "'");
    config.verification = vm["verification"].as<std::string>();
    if (auto e = validateVerification(config.verification)) return e;
    config.push = vm["push"].as<std::string>();
    if (config.push != "webhook" && config.push != "log")
        return bad("push", "--push must be 'webhook' or 'log', got '" + config.push + "'");
    if (vm.count("tls-cert") != vm.count("tls-key"))
        return ConfigError{{"tls-cert", "tls-key"}, "--tls-cert and --tls-key must be given together", {}};
    if (vm.count("tls-cert")) {
        config.transport.tls_cert_file = vm["tls-cert"].as<std::string>();
        config.transport.tls_key_file = vm["tls-key"].as<std::string>();
    }
    config.log_target = vm["log-target"].as<std::string>();
    if (config.log_target != "auto" && config.log_target != "stderr" && config.log_target != "journal" &&
        !(config.log_target.starts_with("journal:") && config.log_target.size() > 8 && config.log_target[8] == '/'))
        return bad("log-target", "--log-target must be auto, stderr, journal or journal:/PATH, got '" + config.log_target + "'");
    config.log_level = vm["log-level"].as<std::string>();
    if (spdlog::level::from_str(config.log_level) == spdlog::level::off && config.log_level != "off")
        return bad("log-level", "--log-level must be trace, debug, info, warn, error or off, got '" + config.log_level + "'");
    return parsePushPolicy(vm, config.push_addresses);
}

std::optional<ConfigError> buildConfig(const po::variables_map& vm, ServerConfig& config) {
    if (auto e = applyWiring(vm, config)) return e;
    if (auto e = checkPositiveLimits(vm)) return e;
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
    config.media_quota_bytes = vm["media-quota"].as<std::uint64_t>();
    config.media_concurrent_uploads = vm["media-concurrent-uploads"].as<std::uint64_t>();
    config.lookups_per_account = vm["lookups-per-account"].as<std::uint64_t>();
    config.lookups_per_address = vm["lookups-per-address"].as<std::uint64_t>();
    config.codes_per_address = vm["codes-per-address"].as<std::uint64_t>();
    config.codes_global = vm["codes-global"].as<std::uint64_t>();
    config.prekeys_per_requester = vm["prekeys-per-requester"].as<std::uint64_t>();
    config.max_devices = vm["max-devices"].as<std::size_t>();
    config.max_link_codes = vm["max-link-codes"].as<std::size_t>();
    config.account_request_rate = vm["account-request-rate"].as<double>();
    config.account_request_burst = vm["account-request-burst"].as<double>();
    config.queue_retention = std::chrono::seconds(vm["queue-retention"].as<std::uint64_t>());
    config.revocation_check_interval = std::chrono::seconds(vm["revocation-check-interval"].as<unsigned>());
    config.transport.max_connections = vm["max-connections"].as<std::size_t>();
    config.transport.max_connections_per_address = vm["max-connections-per-address"].as<std::size_t>();
    config.transport.preauth_timeout = std::chrono::seconds(vm["preauth-timeout"].as<unsigned>());
    config.transport.max_outbound_bytes = vm["max-outbound-bytes"].as<std::size_t>();
    // Room for the largest frame above the half where queued messages stop, and for answers.
    if (config.transport.max_outbound_bytes < 4 * protocol::limits::kMaxFrameBytes)
        return bad("max-outbound-bytes",
                   "--max-outbound-bytes must be at least " + std::to_string(4 * protocol::limits::kMaxFrameBytes));
    if (config.revocation_check_interval.count() < 1 || config.revocation_check_interval.count() > 3600)
        return bad("revocation-check-interval", "--revocation-check-interval must be between 1 and 3600 seconds");
    // Clients ping once per heartbeat interval: a timeout at or below it closes live connections.
    if (config.heartbeat_interval.count() == 0 || config.heartbeat_interval >= config.presence_timeout)
        return ConfigError{{"heartbeat-interval", "presence-timeout"},
                           "--heartbeat-interval (" + std::to_string(config.heartbeat_interval.count()) +
                               " s) must be positive and below --presence-timeout (" +
                               std::to_string(config.presence_timeout.count()) +
                               " s): clients ping at the heartbeat interval, so a shorter timeout takes live users offline",
                           {}};
    return std::nullopt;
}

ParsedCommandLine refuse(std::string message) {
    ParsedCommandLine result;
    result.output = "natterd: " + std::move(message) + "\n";
    result.exit_code = 2;
    return result;
}

} // namespace

ParsedCommandLine parseCommandLine(int argc, const char* const argv[]) {
    const auto opts = natterdOptions();
    po::variables_map vm;
    ConfigFileOrigins origins;
    try {
        po::store(po::parse_command_line(argc, argv, opts), vm);
    } catch (const po::error& e) {
        return refuse(std::string(e.what()) + "\nTry 'natterd --help'.");
    }
    if (vm.count("help")) {
        std::ostringstream out;
        out << "natterd - the Natter messaging server\n\nUsage: natterd [options]\n       natterd --check-config FILE\n"
               "       natterd backup --data-dir DIR --out FILE     (online copy of a SQLite installation)\n"
               "       natterd restore FILE --data-dir DIR          (into an empty data dir)\n"
               "       natterd admin --data-dir DIR users|devices|queues|revoke-device|delete-account|rotate-jwt-key ...\n"
               "       natterd migrate --from sqlite:PATH --to postgres://...\n"
               "       (each subcommand has --help)\n\n"
            << opts << "\nExample: natterd --listen 127.0.0.1:8787 --data-dir ./natter-data --verification fixed:123456\n";
        return ParsedCommandLine{std::nullopt, out.str(), 0};
    }
    if (vm.count("version")) return ParsedCommandLine{std::nullopt, {}, 0, true};
    if (vm.count("config") && vm.count("check-config"))
        return refuse("give --config (run) or --check-config (check and exit), not both");
    for (const char* fileOption : {"config", "check-config"})
        if (vm.count(fileOption))
            if (auto error = storeConfigFile(vm[fileOption].as<std::string>(), opts, vm, origins)) return refuse(*error);
    try {
        po::notify(vm);
    } catch (const po::error& e) {
        return refuse(e.what());
    }

    ServerConfig config;
    if (auto error = buildConfig(vm, config)) {
        std::string where;
        for (const auto& option : error->options)
            if (where.empty()) where = origins.locate(option, error->value);
        return refuse(where + error->message);
    }
    if (vm.count("check-config"))
        return ParsedCommandLine{std::nullopt, vm["check-config"].as<std::string>() + ": valid\n", 0};
    ParsedCommandLine result;
    result.config = std::move(config);
    return result;
}

} // namespace natter::server
