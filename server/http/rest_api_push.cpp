// REST routes for the calling device's push endpoint (PUT, GET, DELETE /api/push).
#include "http/rest_api.h"

#include "http/rest_helpers.h"
#include "logging/loggers.h"
#include "push/push_endpoint.h"
#include "push/push_target_resolver.h"
#include "store/store_worker.h"

namespace natter::server {

namespace rest = protocol::rest;
using protocol::ErrorCode;
using protocol::makeError;

void RestApi::addPushRoutes() {
    add("PUT", "/api/push", true, [this](const RestCall& call, Respond respond) {
        auto body = bodyOf<rest::PushRegistration>(call, respond);
        if (!body) return;
        auto parsed = parsePushEndpoint(body->endpoint);
        if (!parsed) return respond(errorResponse(parsed.error()));
        const DeviceKey me{call.caller, call.device};
        // Judged by what the host resolves to now (and again before every wake-up). A host that
        // does not resolve at the moment is accepted: it cannot be judged, and nothing is sent
        // to it unless it later resolves to a permitted address.
        ctx_.pushTargets.resolve(*parsed, [this, me, b = std::move(*body), host = parsed->host,
                                           respond = std::move(respond)](PushTarget target) mutable {
            if (target.refused) {
                log::push()->info("device {}.{}: push endpoint refused ({})", me.user_id, me.device_id, target.problem);
                return respond(errorResponse(makeError(
                    ErrorCode::InvalidField, "endpoint: " + host + " resolves to a non-public address (" +
                                                 target.refusedKind + "); natterd sends wake-ups only to public addresses")));
            }
            log::push()->info("device {}.{} registered a push endpoint at {}", me.user_id, me.device_id, host);
            answer(std::move(respond), [me, b = std::move(b)](Store& s) {
                s.savePushEndpoint(me, b.endpoint);
                return protocol::Result<rest::PushRegistration>(b);
            });
        });
    });
    add("GET", "/api/push", true, [this](const RestCall& call, Respond respond) {
        answer(std::move(respond),
               [me = DeviceKey{call.caller, call.device}](Store& s) -> protocol::Result<rest::PushRegistration> {
                   auto endpoint = s.findPushEndpoint(me);
                   if (!endpoint) return makeError(ErrorCode::NotFound, "this device has no push endpoint");
                   return rest::PushRegistration{std::move(*endpoint)};
               });
    });
    add("DELETE", "/api/push", true, [this](const RestCall& call, Respond respond) {
        ctx_.worker.submit(
            [me = DeviceKey{call.caller, call.device}](Store& s) {
                return protocol::Result<bool>(s.deletePushEndpoint(me, std::nullopt));
            },
            [respond = std::move(respond)](protocol::Result<bool> removed) {
                respond(removed ? noContent() : errorResponse(removed.error()));
            });
    });
}

} // namespace natter::server
