// REST routes for groups: create, read, update, members and roles.
#include "http/rest_api.h"

#include "app/clock.h"
#include "gateway/hub.h"
#include "groups/group_service.h"
#include "http/rest_helpers.h"
#include "metrics/metrics.h"
#include "store/store_worker.h"

namespace natter::server {

namespace {
// Answers with the group and pushes its membership events to connected devices.
auto deliverThenAnswer(Hub& hub, Metrics& metrics, Respond respond) {
    return [&hub, &metrics, respond = std::move(respond)](protocol::Result<GroupChange> change) {
        if (!change) return respond(errorResponse(change.error()));
        metrics.entriesEnqueued(change->queued.size());
        hub.deliver(change->queued);
        respond(okJson(change->info));
    };
}
} // namespace

void RestApi::addGroupRoutes() {
    auto& groups = ctx_.groups;
    add("POST", "/api/groups", true, [this, &groups](const RestCall& call, Respond respond) {
        if (auto body = bodyOf<rest::CreateGroupRequest>(call, respond))
            ctx_.worker.submit([&groups, me = DeviceKey{call.caller, call.device}, b = *body,
                                now = nowMs()](Store& s) { return groups.create(s, me, b, now); },
                               deliverThenAnswer(ctx_.hub, ctx_.metrics, std::move(respond)));
    });
    add("GET", "/api/groups/{chat}", true, [this, &groups](const RestCall& call, Respond respond) {
        answer(std::move(respond),
               [&groups, caller = call.caller, chat = call.chat](Store& s) { return groups.info(s, caller, chat); });
    });
    add("PUT", "/api/groups/{chat}", true, [this, &groups](const RestCall& call, Respond respond) {
        if (auto body = bodyOf<rest::GroupUpdate>(call, respond))
            ctx_.worker.submit([&groups, me = DeviceKey{call.caller, call.device}, chat = call.chat, b = *body,
                                now = nowMs()](Store& s) { return groups.update(s, me, chat, b, now); },
                               deliverThenAnswer(ctx_.hub, ctx_.metrics, std::move(respond)));
    });
    add("POST", "/api/groups/{chat}/members", true, [this, &groups](const RestCall& call, Respond respond) {
        if (auto body = bodyOf<rest::AddMembersRequest>(call, respond))
            ctx_.worker.submit([&groups, me = DeviceKey{call.caller, call.device}, chat = call.chat, b = *body,
                                now = nowMs()](Store& s) { return groups.addMembers(s, me, chat, b, now); },
                               deliverThenAnswer(ctx_.hub, ctx_.metrics, std::move(respond)));
    });
    add("DELETE", "/api/groups/{chat}/members/{id}", true, [this, &groups](const RestCall& call, Respond respond) {
        ctx_.worker.submit([&groups, me = DeviceKey{call.caller, call.device}, chat = call.chat, user = call.id,
                            now = nowMs()](Store& s) { return groups.removeMember(s, me, chat, user, now); },
                           deliverThenAnswer(ctx_.hub, ctx_.metrics, std::move(respond)));
    });
    add("PUT", "/api/groups/{chat}/members/{id}", true, [this, &groups](const RestCall& call, Respond respond) {
        if (auto body = bodyOf<rest::RoleUpdate>(call, respond))
            ctx_.worker.submit([&groups, me = DeviceKey{call.caller, call.device}, chat = call.chat, user = call.id,
                                role = body->role,
                                now = nowMs()](Store& s) { return groups.setRole(s, me, chat, user, role, now); },
                               deliverThenAnswer(ctx_.hub, ctx_.metrics, std::move(respond)));
    });
}

} // namespace natter::server
