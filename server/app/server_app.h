// natterd assembled: the store and its worker, the services, the hub, the REST API and
// the transport, wired on one io_context. Runs until SIGTERM/SIGINT, then shuts down
// gracefully (stop accepting, close sockets with 1001, commit pending writes).
#pragma once

#include "accounts/account_service.h"
#include "auth/token_issuer.h"
#include "auth/verification_provider.h"
#include "config/server_config.h"
#include "gateway/hub.h"
#include "http/rest_api.h"
#include "messaging/message_service.h"
#include "metrics/metrics.h"
#include "net/transport.h"
#include "presence/presence_service.h"
#include "store/store.h"
#include "store/store_worker.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>

#include <memory>

namespace natter::server {

class ServerApp final : public TransportHandler {
public:
    explicit ServerApp(ServerConfig config);
    ~ServerApp() override;

    // Opens the store, binds, prints the listening line and serves until a signal.
    // Returns the process exit code.
    int run();

    void handleHttp(HttpRequest request, Respond respond) override;
    void authenticateUpgrade(const HttpRequest& request,
                             std::function<void(protocol::Result<DeviceIdentity>)> done) override;
    std::shared_ptr<ConnectionHandler> openConnection(const DeviceIdentity& identity,
                                                      std::shared_ptr<Connection> connection) override;

private:
    void shutdown();

    ServerConfig config_;
    boost::asio::io_context io_{1};
    boost::asio::signal_set signals_{io_};
    Metrics metrics_;
    MessageService messages_;
    PresenceService presence_;
    std::unique_ptr<Store> store_;
    std::unique_ptr<StoreWorker> worker_;
    std::unique_ptr<VerificationProvider> verification_;
    std::unique_ptr<TokenIssuer> tokens_;
    std::unique_ptr<AccountService> accounts_;
    std::unique_ptr<GatewayContext> gateway_;
    std::unique_ptr<Hub> hub_;
    std::unique_ptr<RestApi> rest_;
    std::unique_ptr<Transport> transport_;
};

} // namespace natter::server
