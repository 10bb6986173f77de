#include "app/server_app.h"

#include "app/clock.h"
#include "app/config_reload.h"
#include "app/data_dir.h"
#include "app/descriptor_limit.h"
#include "http/url.h"
#include "auth/secrets.h"
#include "auth/retired_keys.h"
#include "auth/signing_keys.h"
#include "cluster/local_bus.h"
#include "gateway/device_session.h"
#include "logging/loggers.h"
#include "media/fs_blob_store.h"
#include "push/log_push_provider.h"
#include "push/webhook_push_provider.h"
#include "store/postgres/pg_store.h"
#include "store/sqlite/sqlite_store.h"

#include <csignal>
#include <cstdio>
#include <filesystem>
#include <iostream>

namespace natter::server {

namespace {
// The access token of an upgrade request: Authorization header, else ?access_token=.
std::string upgradeToken(const HttpRequest& request) {
    if (!request.authorization.empty()) return request.authorization;
    return url::queryParam(request.target, "access_token").value_or(std::string{});
}

std::unique_ptr<PushProvider> makePushProvider(const std::string& name, boost::asio::io_context& io,
                                               const PushTargetResolver& targets) {
    if (name == "log") return std::make_unique<LogPushProvider>(io);
    return std::make_unique<WebhookPushProvider>(io, targets);
}

// Raises the descriptor limit and sets the global connection cap from it; returns the soft limit.
std::size_t applyDescriptorLimit(TransportConfig& transport) {
    auto appLog = log::app();
    const DescriptorLimit fds = raiseDescriptorLimit();
    if (!fds.error.empty())
        appLog->warn("cannot raise the descriptor limit from {} to {}: {}", fds.before, fds.hard, fds.error);
    else if (fds.soft > fds.before)
        appLog->info("descriptor limit raised from {} to {} (the hard limit)", fds.before, fds.soft);
    else
        appLog->info("descriptor limit {} (the hard limit)", fds.soft);
    const std::size_t cap = connectionCap(transport.max_connections, fds.soft);
    if (transport.max_connections != 0 && cap < transport.max_connections)
        appLog->warn("--max-connections {} exceeds what {} descriptors allow; using {}", transport.max_connections,
                     fds.soft, cap);
    transport.max_connections = cap;
    appLog->info("connection caps: {} in all, {} per client address", transport.max_connections,
                 transport.max_connections_per_address);
    return fds.soft;
}
} // namespace

ServerApp::ServerApp(ServerConfig config, ConfigSource reread)
    : config_(std::move(config)),
      reread_(std::move(reread)),
      messages_(config_.group_message_rate),
      groups_(config_.max_group_size),
      keys_(config_.prekey_low_threshold, config_.prekeys_per_requester) {}

ServerApp::~ServerApp() {
    transport_.reset();
    if (worker_) worker_->shutdown();
}

int ServerApp::run() {
    auto appLog = log::app();
    // config_ stays as read (SIGHUP compares with it); the transport gets the derived cap.
    TransportConfig transport = config_.transport;
    descriptorLimit_ = applyDescriptorLimit(transport);
    metrics_.setConnectionLimits(transport.max_connections, descriptorLimit_);
    if (auto prepared = prepareDataDir(config_.data_dir); !prepared) {
        appLog->error("{}", prepared.error().message);
        return 1;
    }
    if (const auto media = config_.media_dir.lexically_relative(config_.data_dir);
        media.empty() || *media.begin() == "..")
        if (auto prepared = prepareDataDir(config_.media_dir); !prepared) {
            appLog->error("{}", prepared.error().message);
            return 1;
        }
    // Keys retired by `natterd admin rotate-jwt-key` verify the tokens they signed until those expire.
    auto retired = retiredKeysInUse(config_.data_dir, config_.access_token_ttl, nowMs() / 1000);
    if (!retired) {
        appLog->error("{}", retired.error().message);
        return 1;
    }
    auto previousKeys = config_.jwt_previous_keys;
    previousKeys.insert(previousKeys.end(), retired->begin(), retired->end());
    auto signingKeys = loadSigningKeys(config_.jwt_key, previousKeys);
    if (!signingKeys) {
        appLog->error("{}", signingKeys.error().message);
        return 1;
    }
    auto codeKey = secrets::loadOrCreateKey(config_.verification_key);
    if (!codeKey) {
        appLog->error("{}", codeKey.error().message);
        return 1;
    }
    try {
        if (config_.postgres_uri.empty()) {
            stores_.push_back(std::make_unique<SqliteStore>(config_.sqlite_file));
        } else {
            for (std::size_t i = 0; i < config_.store_connections; ++i)
                stores_.push_back(std::make_unique<PgStore>(config_.postgres_uri, "natterd"));
        }
    } catch (const StoreError& e) {
        appLog->error("cannot open the store: {}", e.what());
        return 1;
    }
    Store& store = *stores_.front();
    metrics_.setQueueDepth(store.queueDepth());
    revocations_.load(store.revokedDevices());
    appLog->info("store open ({}): {} messages, {} queued entries",
                 config_.postgres_uri.empty() ? "SQLite " + config_.sqlite_file.string()
                                              : "PostgreSQL, " + std::to_string(stores_.size()) + " connections",
                 store.messageCount(), store.queueDepth());

    metrics_.setStoreEngine(config_.postgres_uri.empty() ? "sqlite" : "postgres");
    if (config_.postgres_uri.empty()) {
        worker_ = std::make_unique<StoreWorker>(store, io_, 1024, &metrics_);
    } else {
        std::vector<Store*> lanes;
        for (auto& s : stores_) lanes.push_back(s.get());
        worker_ = std::make_unique<StoreWorker>(lanes, io_, &metrics_);
    }
    verification_ = makeVerificationProvider(config_.verification);
    codes_ = std::make_unique<CodeHasher>(*codeKey);
    tokens_ = std::make_unique<TokenIssuer>(std::move(*signingKeys), config_.access_token_ttl);
    const AccountLimits accountLimits{{config_.codes_per_address, config_.codes_global},
                                      config_.lookups_per_account,
                                      config_.lookups_per_address};
    accounts_ = std::make_unique<AccountService>(*verification_, *tokens_, *codes_, accountLimits);
    links_ = std::make_unique<DeviceLinks>(*tokens_, DeviceLinkLimits{config_.max_devices, config_.max_link_codes});
    auth_ = std::make_unique<Authenticator>(*tokens_, revocations_);
    GatewaySettings settings{config_.sync_window, config_.message_rate, config_.typing_rate,
                             static_cast<int>(config_.heartbeat_interval.count())};
    settings.fetch_on_offer = !config_.redis.empty();
    settings.group_message_rate = config_.group_message_rate;
    pushTargets_ = std::make_unique<PushTargetResolver>(io_, config_.push_addresses);
    pushProvider_ = makePushProvider(config_.push, io_, *pushTargets_);
    push_ = std::make_unique<PushNotifier>(io_, *worker_, *pushProvider_, metrics_);
    appLog->info("push wake-ups via {}{}{}", config_.push,
                 config_.push_addresses.allowsLoopback() ? ", loopback endpoints allowed" : "",
                 config_.push_addresses.allowedNetworks().empty() ? "" : ", extra networks allowed");
    if (config_.redis.empty()) {
        bus_ = std::make_unique<LocalBus>();
    } else {
        auto bus = std::make_unique<RedisBus>(
            io_,
            RedisBusSettings{*parseRedisUrl(config_.redis), config_.node_id,
                             std::chrono::duration_cast<std::chrono::milliseconds>(config_.presence_timeout),
                             PushPolicy{}.coalesce, std::chrono::milliseconds(1000), config_.redis_timeout},
            revocations_);
        redisBus_ = bus.get();
        bus_ = std::move(bus);
        appLog->info("node {}: cluster features through {}", config_.node_id, config_.redis);
    }
    sharedLimits_ = std::make_unique<SharedLimits>(redisBus_ ? &redisBus_->commands() : nullptr);
    if (redisBus_)
        metrics_.setNode(config_.node_id, [bus = redisBus_] {
            return ClusterStats{bus->shared(), bus->commands().commandsSent() + bus->subscriber().commandsSent(),
                                bus->commands().reconnects() + bus->subscriber().reconnects(),
                                bus->commands().timeouts() + bus->subscriber().timeouts()};
        });
    else metrics_.setNode(config_.node_id);
    hub_ = std::make_unique<Hub>(io_, *worker_, presence_, *bus_, config_.presence_timeout);
    bus_->start(*hub_, [this](DeviceKey device, const std::string& chatId) { push_->wake(device, chatId); });
    gateway_ = std::unique_ptr<GatewayContext>(new GatewayContext{io_, *worker_, *hub_, messages_, presence_, keys_,
                                                                  metrics_, *sharedLimits_, settings});
    accountRequests_ = std::make_unique<AccountRateLimiter>(config_.account_request_rate, config_.account_request_burst);
    rest_ = std::make_unique<RestApi>(RestContext{*worker_, *accounts_, messages_, presence_, *hub_, *auth_, metrics_,
                                                  groups_, keys_, *links_, revocations_, *pushTargets_,
                                                  *accountRequests_, *sharedLimits_, accountLimits.verification,
                                                  policy()});
    queueSweeper_ = std::make_unique<QueueSweeper>(io_, *worker_, metrics_, config_.queue_retention);
    auto blobs = FsBlobStore::open(config_.media_dir);
    if (!blobs) {
        appLog->error("{}", blobs.error().message);
        return 1;
    }
    blobs_ = std::move(*blobs);
    const MediaLimits mediaLimits{config_.media_quota_bytes, config_.media_concurrent_uploads, config_.media_retention};
    mediaQuota_ = std::make_unique<MediaQuota>(mediaLimits);
    auto stored = blobs_->list();
    if (!stored) {
        appLog->error("{}", stored.error().message);
        return 1;
    }
    mediaQuota_->load(*stored);
    mediaWorker_ = std::make_unique<MediaWorker>(io_);
    if (redisBus_) {
        clusterMediaQuota_ = std::make_unique<ClusterMediaQuota>(io_, redisBus_->commands(), *blobs_, *mediaWorker_,
                                                                 mediaLimits, config_.node_id);
        redisBus_->whenShared([quota = clusterMediaQuota_.get()] { quota->seedIfUnclaimed(); });
    }
    media_ = std::make_unique<MediaApi>(*blobs_, *mediaWorker_, *auth_, *mediaQuota_,
                                        MediaSettings{config_.media_max_bytes, config_.media_retention},
                                        clusterMediaQuota_.get());
    mediaSweeper_ = std::make_unique<MediaSweeper>(io_, *mediaWorker_, *blobs_, SweepLock(config_.media_dir / "sweep.lock"),
                                                   config_.media_retention);
    transport_ = std::make_unique<Transport>(io_, transport, *this);

    // Before the listening line: whoever saw it may signal at once.
    signals_.add(SIGINT);
    signals_.add(SIGTERM);
    signals_.async_wait([this](boost::system::error_code error, int signal) {
        if (error) return;
        log::app()->info("signal {} received: shutting down", signal);
        shutdown();
    });
    hangup_.add(SIGHUP);
    waitForHangup();
    auto port = transport_->start();
    if (!port) {
        appLog->error("{}", port.error().message);
        return 1;
    }
    const std::string scheme = transport_->tlsEnabled() ? "https" : "http";
    std::cout << "natterd: listening on " << scheme << "://" << config_.transport.host << ":" << *port << std::endl;
    appLog->info("serving {}://{}:{} (WebSocket at /ws), data dir {}", scheme, config_.transport.host, *port,
                 config_.data_dir.string());

    hub_->startHeartbeatSweep();
    reloadRevocationsLater();
    mediaSweeper_->start();
    if (clusterMediaQuota_) clusterMediaQuota_->start();
    queueSweeper_->start();
    io_.run();
    // Let close handshakes and the last completions finish, but not forever.
    io_.restart();
    io_.run_for(std::chrono::seconds(2));
    appLog->info("stopped");
    return 0;
}

protocol::rest::ServerPolicy ServerApp::policy() const {
    protocol::rest::ServerPolicy p;
    p.max_group_size = config_.max_group_size;
    p.message_rate = config_.message_rate;
    p.typing_rate = config_.typing_rate;
    p.group_message_rate = config_.group_message_rate;
    p.sync_window = config_.sync_window;
    p.heartbeat_interval_s = static_cast<int>(config_.heartbeat_interval.count());
    p.prekey_low_threshold = config_.prekey_low_threshold;
    p.max_media_bytes = config_.media_max_bytes;
    p.media_retention_s = static_cast<std::uint64_t>(config_.media_retention.count());
    p.media_quota_bytes = config_.media_quota_bytes;
    p.media_concurrent_uploads = config_.media_concurrent_uploads;
    p.lookups_per_day = config_.lookups_per_account;
    p.max_devices = config_.max_devices;
    p.account_request_rate = config_.account_request_rate;
    p.account_request_burst = config_.account_request_burst;
    p.queue_retention_s = static_cast<std::uint64_t>(config_.queue_retention.count());
    return p;
}

void ServerApp::shutdown() {
    boost::system::error_code ignored; // nothing to do if the signal set is already closed
    hangup_.cancel(ignored);
    transport_->stop();
    hub_->stop();
    bus_->stop();
    revocationReload_.cancel();
    mediaSweeper_->stop();
    if (clusterMediaQuota_) clusterMediaQuota_->stop();
    queueSweeper_->stop();
    mediaWorker_->shutdown(); // uploads already received are stored before exit
    push_->stop();
    // Commits everything already submitted before returning.
    worker_->shutdown();
    io_.stop();
}

void ServerApp::waitForHangup() {
    hangup_.async_wait([this](boost::system::error_code error, int) {
        if (error) return;
        reload();
        waitForHangup();
    });
}

// The log says what was reloaded, and names the changed options that take effect at the next start.
void ServerApp::reload() {
    const auto appLog = log::app();
    std::vector<std::string> reloaded;
    if (reread_) {
        auto parsed = reread_();
        if (!parsed.config) {
            appLog->error("SIGHUP: the configuration has an error, nothing reloaded: {}", parsed.output);
            return;
        }
        if (parsed.config->log_level != config_.log_level && log::configure(parsed.config->log_level)) {
            config_.log_level = parsed.config->log_level;
            reloaded.push_back("log level " + config_.log_level);
        }
        const ConfigChanges changes = takeReloadableLimits(config_, *parsed.config);
        if (!changes.taken.empty()) applyLimits();
        reloaded.insert(reloaded.end(), changes.taken.begin(), changes.taken.end());
        std::string later;
        for (const auto& option : changes.restart) later += (later.empty() ? "" : ", ") + option;
        if (!later.empty()) appLog->warn("SIGHUP: changed in the configuration, needs a restart: {}", later);
    }
    if (transport_->tlsEnabled()) {
        if (auto tls = transport_->reloadTls(); !tls)
            appLog->error("SIGHUP: kept the TLS certificate in use: {}", tls.error().message);
        else
            reloaded.push_back("TLS certificate");
    }
    std::string what;
    for (const auto& item : reloaded) what += (what.empty() ? "" : ", ") + item;
    appLog->info("SIGHUP: reloaded {}", what.empty() ? "nothing (no change)" : what);
}

void ServerApp::applyLimits() {
    gateway_->settings.message_rate = config_.message_rate;
    gateway_->settings.typing_rate = config_.typing_rate;
    gateway_->settings.sync_window = config_.sync_window;
    gateway_->settings.group_message_rate = config_.group_message_rate;
    messages_.setGroupRate(config_.group_message_rate);
    accountRequests_->setLimits(config_.account_request_rate, config_.account_request_burst);
    media_->setMaxBytes(config_.media_max_bytes);
    mediaQuota_->setQuota(config_.media_quota_bytes);
    if (clusterMediaQuota_) clusterMediaQuota_->setQuota(config_.media_quota_bytes);
    links_->setLimits(DeviceLinkLimits{config_.max_devices, config_.max_link_codes});
    const AccountLimits accountLimits{{config_.codes_per_address, config_.codes_global},
                                      config_.lookups_per_account,
                                      config_.lookups_per_address};
    worker_->submit(
        [accounts = accounts_.get(), accountLimits](Store&) {
            accounts->setLimits(accountLimits);
            return protocol::Result<bool>(true);
        },
        [](protocol::Result<bool>) {});
    rest_->setCodeLimits(accountLimits.verification);
    const std::size_t maxConnections = connectionCap(config_.transport.max_connections, descriptorLimit_);
    transport_->setConnectionCaps(maxConnections, config_.transport.max_connections_per_address);
    metrics_.setConnectionLimits(maxConnections, descriptorLimit_);
    rest_->setPolicy(policy());
}

void ServerApp::reloadRevocationsLater() {
    revocationReload_.expires_after(config_.revocation_check_interval);
    revocationReload_.async_wait([this](boost::system::error_code ec) {
        if (ec) return;
        worker_->submit([](Store& store) -> protocol::Result<std::vector<RevokedDevice>> { return store.revokedDevices(); },
                        [this](protocol::Result<std::vector<RevokedDevice>> revoked) {
                            if (!revoked) return;
                            for (const auto& r : *revoked)
                                if (!revocations_.reasonFor(r.key)) hub_->closeLocal(r.key, CloseCode::PolicyViolation, protocol::toString(r.reason));
                            revocations_.load(*revoked);
                        },
                        OnError::nothingWritten);
        reloadRevocationsLater();
    });
}

BodyPlan ServerApp::planBody(const HttpRequest& head) { return media_->planBody(head); }

void ServerApp::handleHttp(HttpRequest request, Respond respond) {
    if (MediaApi::isMediaPath(request.target)) media_->handle(std::move(request), std::move(respond));
    else rest_->handle(std::move(request), std::move(respond));
}

void ServerApp::authenticateUpgrade(const HttpRequest& request,
                                    std::function<void(protocol::Result<DeviceIdentity>)> done) {
    auto claims = auth_->check(upgradeToken(request), nowMs());
    if (!claims) {
        done(claims.error());
        return;
    }
    const DeviceKey key{claims->user_id, claims->device_id};
    worker_->submit(
        key,
        [this, key, now = nowMs()](Store& store) {
            auto device = accounts_->checkDevice(store, key);
            if (device) store.recordConnection(key, now); // the device is back: its queue does not expire
            return device;
        },
        [done = std::move(done)](protocol::Result<DeviceKey> device) {
            if (!device) done(device.error());
            else done(DeviceIdentity{device->user_id, device->device_id});
        },
        OnError::nothingWritten); // an unknown or revoked device is refused before the UPDATE
}

void ServerApp::connectionRefused(ConnectionRefusal why) {
    metrics_.connectionRefused(why == ConnectionRefusal::per_address);
}

void ServerApp::acceptFailed() { metrics_.acceptFailed(); }

std::shared_ptr<ConnectionHandler> ServerApp::openConnection(const DeviceIdentity& identity,
                                                             std::shared_ptr<Connection> connection) {
    auto session = std::make_shared<DeviceSession>(*gateway_, DeviceKey{identity.user_id, identity.device_id},
                                                   std::move(connection));
    session->start();
    return session;
}

} // namespace natter::server
