#include "app/server_app.h"

#include "app/clock.h"
#include "auth/secrets.h"
#include "gateway/device_session.h"
#include "logging/loggers.h"
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
    const auto query = request.target.find('?');
    if (query == std::string::npos) return {};
    std::string_view params = std::string_view(request.target).substr(query + 1);
    while (!params.empty()) {
        const auto amp = params.find('&');
        const auto param = params.substr(0, amp);
        if (param.starts_with("access_token=")) return std::string(param.substr(13));
        if (amp == std::string_view::npos) break;
        params.remove_prefix(amp + 1);
    }
    return {};
}
} // namespace

ServerApp::ServerApp(ServerConfig config) : config_(std::move(config)) {}

ServerApp::~ServerApp() {
    transport_.reset();
    if (worker_) worker_->shutdown();
}

int ServerApp::run() {
    auto appLog = log::app();
    std::error_code ec;
    std::filesystem::create_directories(config_.data_dir, ec);
    if (ec) {
        appLog->error("cannot create data dir {}: {}", config_.data_dir.string(), ec.message());
        return 1;
    }
    auto key = secrets::loadOrCreateKey(config_.data_dir / "jwt.key");
    if (!key) {
        appLog->error("{}", key.error().message);
        return 1;
    }
    try {
        store_ = std::make_unique<SqliteStore>(config_.data_dir / "natterd.db");
    } catch (const StoreError& e) {
        appLog->error("cannot open the store: {}", e.what());
        return 1;
    }
    metrics_.setQueueDepth(store_->queueDepth());
    appLog->info("store open: {} messages, {} queued entries", store_->messageCount(), store_->queueDepth());

    worker_ = std::make_unique<StoreWorker>(*store_, io_);
    verification_ = makeVerificationProvider(config_.verification);
    tokens_ = std::make_unique<TokenIssuer>(*key, config_.access_token_ttl);
    accounts_ = std::make_unique<AccountService>(*verification_, *tokens_);
    GatewaySettings settings{config_.sync_window, config_.message_rate, config_.typing_rate,
                             static_cast<int>(config_.heartbeat_interval.count())};
    hub_ = std::make_unique<Hub>(io_, *worker_, presence_, config_.presence_timeout);
    gateway_ = std::unique_ptr<GatewayContext>(
        new GatewayContext{io_, *worker_, *hub_, messages_, presence_, metrics_, settings});
    rest_ = std::make_unique<RestApi>(RestContext{*worker_, *accounts_, messages_, presence_, *hub_, *tokens_, metrics_});
    transport_ = std::make_unique<Transport>(io_, config_.transport, *this);

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
    signals_.add(SIGINT);
    signals_.add(SIGTERM);
    signals_.async_wait([this](boost::system::error_code error, int signal) {
        if (error) return;
        log::app()->info("signal {} received: shutting down", signal);
        shutdown();
    });
    io_.run();
    // Let close handshakes and the last completions finish, but not forever.
    io_.restart();
    io_.run_for(std::chrono::seconds(2));
    appLog->info("stopped");
    return 0;
}

void ServerApp::shutdown() {
    transport_->stop();
    hub_->stop();
    // Commits everything already submitted before returning.
    worker_->shutdown();
    io_.stop();
}

void ServerApp::handleHttp(HttpRequest request, Respond respond) { rest_->handle(request, std::move(respond)); }

void ServerApp::authenticateUpgrade(const HttpRequest& request,
                                    std::function<void(protocol::Result<DeviceIdentity>)> done) {
    auto claims = tokens_->check(upgradeToken(request), nowMs());
    if (!claims) {
        done(claims.error());
        return;
    }
    const DeviceKey key{claims->user_id, claims->device_id};
    worker_->submit([this, key](Store& store) { return accounts_->checkDevice(store, key); },
                    [done = std::move(done)](protocol::Result<DeviceKey> device) {
                        if (!device) done(device.error());
                        else done(DeviceIdentity{device->user_id, device->device_id});
                    });
}

std::shared_ptr<ConnectionHandler> ServerApp::openConnection(const DeviceIdentity& identity,
                                                             std::shared_ptr<Connection> connection) {
    auto session = std::make_shared<DeviceSession>(*gateway_, DeviceKey{identity.user_id, identity.device_id},
                                                   std::move(connection));
    session->start();
    return session;
}

} // namespace natter::server
