// natterd assembled: the store and its worker, the services, the hub, the REST API and
// the transport, wired on one io_context. Runs until SIGTERM/SIGINT, then shuts down
// gracefully (stop accepting, close sockets with 1001, commit pending writes). SIGHUP reloads
// what can change without a restart: the log level, the TLS certificate and the rate and size
// limits of config_reload.h.
#pragma once

#include "accounts/account_service.h"
#include "accounts/device_links.h"
#include "auth/revocation_list.h"
#include "auth/authenticator.h"
#include "auth/code_hasher.h"
#include "auth/token_issuer.h"
#include "auth/verification_provider.h"
#include "cluster/cluster_bus.h"
#include "cluster/redis_bus.h"
#include "cluster/shared_limits.h"
#include "config/server_config.h"
#include "gateway/hub.h"
#include "groups/group_service.h"
#include "http/account_rate_limiter.h"
#include "http/media_api.h"
#include "http/rest_api.h"
#include "keys/key_directory.h"
#include "media/blob_store.h"
#include "media/cluster_media_quota.h"
#include "media/media_quota.h"
#include "media/media_sweeper.h"
#include "media/media_worker.h"
#include "messaging/message_service.h"
#include "messaging/queue_sweeper.h"
#include "metrics/metrics.h"
#include "net/transport.h"
#include "presence/presence_service.h"
#include "push/push_notifier.h"
#include "push/push_provider.h"
#include "push/push_target_resolver.h"
#include "store/store.h"
#include "store/store_worker.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>

#include <functional>
#include <memory>
#include <vector>

namespace natter::server {

class ServerApp final : public TransportHandler {
public:
    // What SIGHUP reads again: the command line with its --config file.
    using ConfigSource = std::function<ParsedCommandLine()>;
    explicit ServerApp(ServerConfig config, ConfigSource reread = {});
    ~ServerApp() override;

    // Opens the store, binds, prints the listening line and serves until a signal.
    // Returns the process exit code.
    int run();

    BodyPlan planBody(const HttpRequest& head) override;
    void handleHttp(HttpRequest request, Respond respond) override;
    void authenticateUpgrade(const HttpRequest& request,
                             std::function<void(protocol::Result<DeviceIdentity>)> done) override;
    std::shared_ptr<ConnectionHandler> openConnection(const DeviceIdentity& identity,
                                                      std::shared_ptr<Connection> connection) override;
    void connectionRefused(ConnectionRefusal why) override;
    void acceptFailed() override;

private:
    void shutdown();
    void waitForHangup();
    void reload();
    // Hands the limits in config_ that a reload may change to the services enforcing them.
    void applyLimits();
    // Re-reads revoked devices from the store every --revocation-check-interval and closes their
    // sessions: devices revoked by `natterd admin` (another process writing the store), and in a
    // cluster revocations whose broadcast was missed (Redis down when it was made).
    void reloadRevocationsLater();
    protocol::rest::ServerPolicy policy() const;

    ServerConfig config_;
    std::size_t descriptorLimit_ = 0; // the soft limit at start: bounds max-connections on SIGHUP too
    boost::asio::io_context io_{1};
    boost::asio::signal_set signals_{io_};
    boost::asio::signal_set hangup_{io_};
    ConfigSource reread_;
    Metrics metrics_;
    MessageService messages_;
    PresenceService presence_;
    GroupService groups_;
    KeyDirectory keys_;
    RevocationList revocations_;
    std::vector<std::unique_ptr<Store>> stores_; // one per store lane (SQLite: one)
    std::unique_ptr<StoreWorker> worker_;
    std::unique_ptr<PushTargetResolver> pushTargets_; // before pushProvider_, which uses it
    std::unique_ptr<PushProvider> pushProvider_;
    std::unique_ptr<PushNotifier> push_;
    std::unique_ptr<VerificationProvider> verification_;
    std::unique_ptr<CodeHasher> codes_;
    std::unique_ptr<TokenIssuer> tokens_;
    std::unique_ptr<Authenticator> auth_;
    std::unique_ptr<AccountService> accounts_;
    std::unique_ptr<DeviceLinks> links_;
    std::unique_ptr<GatewayContext> gateway_;
    std::unique_ptr<ClusterBus> bus_;  // before hub_: outlives it
    RedisBus* redisBus_ = nullptr;     // bus_ when natterd runs with --redis
    std::unique_ptr<SharedLimits> sharedLimits_;
    boost::asio::steady_timer revocationReload_{io_};
    std::unique_ptr<Hub> hub_;
    std::unique_ptr<AccountRateLimiter> accountRequests_;
    std::unique_ptr<RestApi> rest_;
    std::unique_ptr<QueueSweeper> queueSweeper_;
    std::unique_ptr<BlobStore> blobs_;
    std::unique_ptr<MediaQuota> mediaQuota_;
    std::unique_ptr<MediaWorker> mediaWorker_; // declared after blobs_: joined before the store goes
    std::unique_ptr<ClusterMediaQuota> clusterMediaQuota_; // with --redis
    std::unique_ptr<MediaApi> media_;
    std::unique_ptr<MediaSweeper> mediaSweeper_;
    std::unique_ptr<Transport> transport_;
};

} // namespace natter::server
