#include "http/rest_api.h"

#include "http/account_rate_limiter.h"
#include "http/rest_helpers.h"
#include "http/url.h"

#include "accounts/account_service.h"
#include "app/clock.h"
#include "auth/revocation_list.h"
#include "auth/authenticator.h"
#include "cluster/shared_limits.h"
#include "gateway/hub.h"
#include "limits/client_address.h"
#include "messaging/message_service.h"
#include "metrics/metrics.h"
#include "presence/presence_service.h"
#include "protocol/frame_codec.h"
#include "store/store_worker.h"

#include <charconv>
#include <limits>

namespace natter::server {

using protocol::ErrorCode;
using protocol::makeError;
namespace rest = protocol::rest;

namespace {

std::vector<std::string_view> splitPath(std::string_view target) {
    target = target.substr(0, target.find('?'));
    std::vector<std::string_view> out;
    while (!target.empty()) {
        const auto slash = target.find('/');
        const auto part = target.substr(0, slash);
        if (!part.empty()) out.push_back(part);
        if (slash == std::string_view::npos) break;
        target.remove_prefix(slash + 1);
    }
    return out;
}

std::optional<std::uint64_t> parseId(std::string_view text) {
    std::uint64_t value = 0;
    const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc{} || ptr != text.data() + text.size() || value == 0) return std::nullopt;
    return value;
}

// Matches `path` against `pattern`; on success stores the {id} and {chat} segments.
bool matches(const std::vector<std::string>& pattern, const std::vector<std::string_view>& path, RestCall& call) {
    if (pattern.size() != path.size()) return false;
    for (std::size_t i = 0; i < pattern.size(); ++i) {
        if (pattern[i] == "{id}") {
            const auto parsed = parseId(path[i]);
            if (!parsed) return false;
            call.id = *parsed;
        } else if (pattern[i] == "{chat}") {
            call.chat = url::percentDecode(path[i]);
        } else if (pattern[i] != path[i]) {
            return false;
        }
    }
    return true;
}

} // namespace

std::optional<std::string> RestCall::query(std::string_view name) const {
    return url::queryParam(request.target, name);
}

HttpResponse errorResponse(const protocol::Error& error) {
    HttpResponse r;
    r.status = protocol::httpStatus(error.code);
    r.body = protocol::serializeBody(
        rest::ErrorBody{std::string(protocol::toString(error.code)), error.message, error.revoked});
    if (error.code == ErrorCode::RateLimited) r.headers.emplace_back("Retry-After", "60");
    return r;
}

RestApi::RestApi(RestContext ctx) : ctx_(ctx) {
    add("GET", "/healthz", false, [this](const RestCall&, Respond respond) {
        ctx_.worker.submit(
            [](Store& store) {
                store.probe();
                return protocol::Result<rest::Health>(rest::Health{});
            },
                           [respond = std::move(respond)](protocol::Result<rest::Health> health) {
                               if (health) return respond(okJson(*health));
                               // The store cannot be reached: not ready, so a load balancer
                               // sends clients elsewhere and they retry.
                               HttpResponse r = okJson(rest::Health{"unavailable"});
                               r.status = 503;
                               respond(std::move(r));
                           });
    });
    add("GET", "/metrics", false, [this](const RestCall&, Respond respond) {
        respond(HttpResponse{200, "text/plain; version=0.0.4", ctx_.metrics.render(), {}});
    });
    add("GET", "/api/config", false, [this](const RestCall&, Respond respond) { respond(okJson(ctx_.policy)); });
    addAccountRoutes();
    addMessagingRoutes();
    addGroupRoutes();
    addKeyRoutes();
    addPushRoutes();
    addBlockRoutes();
}

void RestApi::add(std::string method, std::string_view path, bool authenticated,
                  std::function<void(const RestCall&, Respond)> handler) {
    std::vector<std::string> pattern;
    for (auto part : splitPath(path)) pattern.emplace_back(part);
    routes_.push_back(Route{std::move(method), std::move(pattern), authenticated, std::move(handler)});
}

HttpResponse RestApi::accountRateRefused() const {
    HttpResponse refused = errorResponse(makeError(ErrorCode::RateLimited, "too many requests from this account; slow down"));
    for (auto& [name, value] : refused.headers)
        if (name == "Retry-After") value = std::to_string(ctx_.accountRequests.retryAfterSeconds());
    return refused;
}

void RestApi::handle(HttpRequest request, Respond respond) {
    const auto path = splitPath(request.target);
    bool pathExists = false;
    for (const auto& route : routes_) {
        RestCall call{request, 0, 0, 0, {}};
        if (!matches(route.pattern, path, call)) continue;
        pathExists = true;
        if (route.method != request.method) continue;
        if (route.authenticated) {
            auto claims = ctx_.auth.check(request.authorization, nowMs());
            if (!claims) {
                respond(errorResponse(claims.error()));
                return;
            }
            call.caller = claims->user_id;
            call.device = claims->device_id;
            // This node's count always applies (it is what is left while Redis is down) ...
            if (!ctx_.accountRequests.allow(call.caller)) return respond(accountRateRefused());
            if (ctx_.sharedLimits.shared()) {
                // ... and in a cluster the rate holds for all nodes together.
                auto held = std::make_shared<HttpRequest>(std::move(request));
                ctx_.sharedLimits.take(
                    "rq:" + std::to_string(call.caller), ctx_.policy.account_request_rate,
                    ctx_.policy.account_request_burst,
                    [this, &route, held, caller = call.caller, device = call.device, id = call.id,
                     chat = std::move(call.chat), respond = std::move(respond)](bool admitted) mutable {
                        if (!admitted) return respond(accountRateRefused());
                        route.handler(RestCall{*held, caller, device, id, std::move(chat)}, std::move(respond));
                    });
                return;
            }
        }
        route.handler(call, std::move(respond));
        return;
    }
    respond(pathExists ? errorResponse(makeError(ErrorCode::MethodNotAllowed, request.method + " is not allowed here"))
                       : errorResponse(makeError(ErrorCode::NotFound, "no such endpoint")));
}

void RestApi::addAccountRoutes() {
    auto& accounts = ctx_.accounts;
    add("POST", "/api/register", false, [this, &accounts](const RestCall& call, Respond respond) {
        auto body = bodyOf<rest::RegisterRequest>(call, respond);
        if (!body) return;
        const std::string address = clientAddress(call.request.remote);
        auto issue = [this, &accounts, b = *body, address](Respond respond) {
            answer(std::move(respond), [&accounts, b, address, now = nowMs()](Store& s) {
                return accounts.requestCode(s, b, address, now);
            });
        };
        if (!ctx_.sharedLimits.shared()) return issue(std::move(respond));
        // In a cluster the per-address and global code limits hold for all nodes together.
        const auto& limits = ctx_.codeLimits;
        ctx_.sharedLimits.take(
            "codes:a:" + address, static_cast<double>(limits.codes_per_address) / 3600.0,
            static_cast<double>(limits.codes_per_address),
            [this, issue, respond = std::move(respond)](bool admitted) mutable {
                if (!admitted)
                    return respond(errorResponse(protocol::makeError(
                        protocol::ErrorCode::RateLimited,
                        "too many verification codes requested from your address; try again later")));
                const auto& limits = ctx_.codeLimits;
                ctx_.sharedLimits.take("codes:global", static_cast<double>(limits.codes_global) / 3600.0,
                                       static_cast<double>(limits.codes_global),
                                       [issue, respond = std::move(respond)](bool admitted) mutable {
                                           if (!admitted)
                                               return respond(errorResponse(protocol::makeError(
                                                   protocol::ErrorCode::RateLimited,
                                                   "the server is sending too many verification codes; try again "
                                                   "later")));
                                           issue(std::move(respond));
                                       });
            });
    });
    add("POST", "/api/verify", false, [this, &accounts](const RestCall& call, Respond respond) {
        if (auto body = bodyOf<rest::VerifyRequest>(call, respond))
            ctx_.worker.submit(
                [&accounts, b = *body, address = clientAddress(call.request.remote), now = nowMs()](Store& s) {
                    return accounts.verify(s, b, address, now);
                },
                [this, respond = std::move(respond)](protocol::Result<Verified> verified) {
                    if (!verified) return respond(errorResponse(verified.error()));
                    for (const DeviceKey& device : verified->signedOut)
                        revoked(device, protocol::RevocationReason::reregistered);
                    respond(okJson(verified->response));
                });
    });
    add("POST", "/api/token", false, [this, &accounts](const RestCall& call, Respond respond) {
        if (auto body = bodyOf<rest::TokenRequest>(call, respond))
            answer(std::move(respond), [&accounts, b = *body, now = nowMs()](Store& s) {
                return accounts.refreshToken(s, b, now);
            });
    });
    add("GET", "/api/profile", true, [this, &accounts](const RestCall& call, Respond respond) {
        answer(std::move(respond), [&accounts, caller = call.caller](Store& s) { return accounts.ownProfile(s, caller); });
    });
    add("PUT", "/api/profile", true, [this, &accounts](const RestCall& call, Respond respond) {
        if (auto body = bodyOf<rest::ProfileUpdate>(call, respond))
            answer(std::move(respond), [&accounts, caller = call.caller, b = *body](Store& s) {
                return accounts.updateProfile(s, caller, b);
            });
    });
    add("GET", "/api/users/{id}", true, [this, &accounts](const RestCall& call, Respond respond) {
        answer(std::move(respond), [&accounts, caller = call.caller, id = call.id](Store& s) {
            return accounts.profileOf(s, caller, id);
        });
    });
    add("GET", "/api/users/{id}/devices", true, [this, &accounts](const RestCall& call, Respond respond) {
        answer(std::move(respond), [&accounts, caller = call.caller, id = call.id](Store& s) {
            return accounts.devicesOf(s, caller, id);
        });
    });
    add("GET", "/api/users/{id}/presence", true, [this](const RestCall& call, Respond respond) {
        ctx_.hub.isOnline(call.id, [this, caller = call.caller, id = call.id,
                                     respond = std::move(respond)](bool online) mutable {
            answer(std::move(respond),
                   [this, caller, id, online](Store& s) { return ctx_.presence.query(s, caller, id, online); });
        });
    });
    add("POST", "/api/contacts/lookup", true, [this, &accounts](const RestCall& call, Respond respond) {
        auto body = bodyOf<rest::ContactsLookupRequest>(call, respond);
        if (!body) return;
        const std::string address = clientAddress(call.request.remote);
        const auto cost = static_cast<double>(AccountService::lookupCost(*body));
        auto run = [this, &accounts, caller = call.caller, address, b = *body](Respond respond) {
            answer(std::move(respond), [&accounts, caller, address, b, now = nowMs()](Store& s) {
                return accounts.lookup(s, caller, address, b, now);
            });
        };
        if (!ctx_.sharedLimits.shared() || cost == 0) return run(std::move(respond));
        // In a cluster the daily budgets hold for all nodes together (this node's apply too).
        constexpr double kDay = 86400;
        ctx_.sharedLimits.takeAll(
            {SharedBucket{"lk:u:" + std::to_string(call.caller), accounts.lookupsPerAccount() / kDay,
                          accounts.lookupsPerAccount()},
             SharedBucket{"lk:a:" + address, accounts.lookupsPerAddress() / kDay, accounts.lookupsPerAddress()}},
            cost, [&accounts, run = std::move(run), respond = std::move(respond)](bool admitted) mutable {
                if (!admitted) return respond(errorResponse(accounts.lookupRefused()));
                run(std::move(respond));
            });
    });
    add("PUT", "/api/contacts", true, [this, &accounts](const RestCall& call, Respond respond) {
        if (auto body = bodyOf<rest::ContactsAddRequest>(call, respond))
            answer(std::move(respond), [&accounts, caller = call.caller, b = *body](Store& s) {
                return accounts.addContacts(s, caller, b);
            });
    });
    add("GET", "/api/contacts", true, [this, &accounts](const RestCall& call, Respond respond) {
        answer(std::move(respond), [&accounts, caller = call.caller](Store& s) { return accounts.contacts(s, caller); });
    });
    add("DELETE", "/api/contacts/{id}", true, [this, &accounts](const RestCall& call, Respond respond) {
        ctx_.worker.submit(
            [&accounts, caller = call.caller, id = call.id](Store& s) { return accounts.removeContact(s, caller, id); },
            [respond = std::move(respond)](protocol::Result<bool> removed) {
                respond(removed ? HttpResponse{204, "application/json", "", {}} : errorResponse(removed.error()));
            });
    });
    add("GET", "/api/settings/privacy", true, [this, &accounts](const RestCall& call, Respond respond) {
        answer(std::move(respond), [&accounts, caller = call.caller](Store& s) { return accounts.privacy(s, caller); });
    });
    add("PUT", "/api/settings/privacy", true, [this, &accounts](const RestCall& call, Respond respond) {
        if (auto body = bodyOf<rest::PrivacySettings>(call, respond))
            answer(std::move(respond), [&accounts, caller = call.caller, b = *body](Store& s) {
                return accounts.updatePrivacy(s, caller, b);
            });
    });
}

void RestApi::addMessagingRoutes() {
    add("GET", "/api/chats", true, [this](const RestCall& call, Respond respond) {
        answer(std::move(respond), [this, caller = call.caller](Store& s) { return ctx_.messages.chats(s, caller); });
    });
    add("GET", "/api/chats/{chat}/messages", true, [this](const RestCall& call, Respond respond) {
        constexpr std::size_t kDefaultLimit = 50, kMaxLimit = 200;
        std::uint64_t before = std::numeric_limits<std::int64_t>::max();
        std::uint64_t limit = kDefaultLimit;
        if (auto b = call.query("before")) {
            const auto parsed = parseId(*b);
            if (!parsed) return respond(errorResponse(makeError(ErrorCode::InvalidField, "'before' must be a seq (1 or more)")));
            before = *parsed;
        }
        if (auto l = call.query("limit")) {
            const auto parsed = parseId(*l);
            if (!parsed || *parsed > kMaxLimit)
                return respond(errorResponse(makeError(ErrorCode::InvalidField, "'limit' must be 1 to 200")));
            limit = *parsed;
        }
        answer(std::move(respond), [this, device = DeviceKey{call.caller, call.device}, chat = call.chat, before,
                                    limit](Store& s) { return ctx_.messages.history(s, device, chat, before, limit); });
    });
    add("GET", "/api/messages/{id}/receipts", true, [this](const RestCall& call, Respond respond) {
        answer(std::move(respond), [this, caller = call.caller, id = call.id](Store& s) {
            return ctx_.messages.receipts(s, caller, id);
        });
    });
}

} // namespace natter::server
