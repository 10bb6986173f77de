// The REST API under /api/ plus /healthz and /metrics: routes each request, checks its
// access token and body, and runs the matching service call on the store worker.
#pragma once

#include "accounts/verification_guard.h"
#include "net/connection.h"
#include "store/store.h"
#include "protocol/rest_chats.h"

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace natter::server {

class AccountRateLimiter;
class AccountService;
class DeviceLinks;
class GroupService;
class Hub;
class KeyDirectory;
class RevocationList;
class SharedLimits;
class MessageService;
class Metrics;
class PresenceService;
class PushTargetResolver;
class StoreWorker;
class Authenticator;

struct RestContext {
    StoreWorker& worker;
    AccountService& accounts;
    MessageService& messages;
    PresenceService& presence;
    Hub& hub;
    const Authenticator& auth;
    Metrics& metrics;
    GroupService& groups;
    KeyDirectory& keys;
    DeviceLinks& links;
    RevocationList& revocations;
    const PushTargetResolver& pushTargets;
    AccountRateLimiter& accountRequests; // authenticated calls per account (this node's count)
    SharedLimits& sharedLimits;          // cluster-wide buckets (codes, lookups, pre-keys, calls)
    VerificationLimits codeLimits;
    protocol::rest::ServerPolicy policy; // published at GET /api/config
};

// Who is calling and what the path captured.
struct RestCall {
    const HttpRequest& request;
    protocol::UserId caller = 0;     // 0 on public routes
    protocol::DeviceId device = 0;
    std::uint64_t id = 0;            // the numeric {id} segment, if the route has one
    std::string chat;                // the {chat} segment (a chat id), percent-decoded
    // The value of a query parameter, if present.
    std::optional<std::string> query(std::string_view name) const;
};

class RestApi {
public:
    explicit RestApi(RestContext ctx);
    void handle(HttpRequest request, Respond respond);
    // A reloaded policy (SIGHUP): published at GET /api/config and used by the calls from now on.
    void setPolicy(protocol::rest::ServerPolicy policy) { ctx_.policy = std::move(policy); }
    // The cluster-wide code limits (SIGHUP), checked before AccountService's own.
    void setCodeLimits(VerificationLimits limits) { ctx_.codeLimits = limits; }

private:
    struct Route {
        std::string method;
        std::vector<std::string> pattern; // path segments; "{id}" matches a positive integer
        bool authenticated;
        std::function<void(const RestCall&, Respond)> handler;
    };
    void add(std::string method, std::string_view path, bool authenticated,
             std::function<void(const RestCall&, Respond)> handler);
    void addAccountRoutes();
    void addMessagingRoutes();
    void addGroupRoutes();  // rest_api_groups.cpp
    void addKeyRoutes();    // rest_api_keys.cpp
    void addPushRoutes();   // rest_api_push.cpp
    void addBlockRoutes();  // rest_api_blocks.cpp
    // Tells the account's other connected devices that its block list changed.
    void blocksChanged(DeviceKey by);
    // Runs fn(Store&) -> Result<T> on the worker and answers 200 with T as JSON.
    template <class Fn>
    void answer(Respond respond, Fn fn);
    // After the store revoked a device (io thread): its tokens get device_revoked from now on
    // and its WebSocket is closed with 1008 and the reason's wire text.
    void revoked(DeviceKey device, protocol::RevocationReason reason);
    // 429 for an account over its REST call rate.
    HttpResponse accountRateRefused() const;

    RestContext ctx_;
    std::vector<Route> routes_;
};

// An HTTP response carrying a protocol error as {"code","message"} (and "reason" for
// device_revoked).
HttpResponse errorResponse(const protocol::Error& error);

} // namespace natter::server
