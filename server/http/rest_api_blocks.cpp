// REST routes for the caller's block list (GET /api/blocks, PUT and DELETE /api/blocks/{id}).
// A change is announced to the account's other connected devices (blocks_changed).
#include "http/rest_api.h"

#include "accounts/block_list.h"
#include "app/clock.h"
#include "gateway/frame_text.h"
#include "gateway/hub.h"
#include "http/rest_helpers.h"

namespace natter::server {

namespace rest = protocol::rest;

void RestApi::blocksChanged(DeviceKey by) {
    ctx_.hub.sendToUser(by.user_id, frameText(protocol::BlocksChanged{}), by);
}

void RestApi::addBlockRoutes() {
    add("GET", "/api/blocks", true, [this](const RestCall& call, Respond respond) {
        answer(std::move(respond), [caller = call.caller](Store& s) { return BlockList::list(s, caller); });
    });
    add("PUT", "/api/blocks/{id}", true, [this](const RestCall& call, Respond respond) {
        const DeviceKey me{call.caller, call.device};
        ctx_.worker.submit(
            [me, target = call.id, now = nowMs()](Store& s) { return BlockList::block(s, me.user_id, target, now); },
            [this, me, respond = std::move(respond)](protocol::Result<rest::BlockList> blocked) {
                if (!blocked) return respond(errorResponse(blocked.error()));
                blocksChanged(me);
                respond(okJson(*blocked));
            });
    });
    add("DELETE", "/api/blocks/{id}", true, [this](const RestCall& call, Respond respond) {
        const DeviceKey me{call.caller, call.device};
        ctx_.worker.submit(
            [me, target = call.id](Store& s) { return BlockList::unblock(s, me.user_id, target); },
            [this, me, respond = std::move(respond)](protocol::Result<bool> removed) {
                if (!removed) return respond(errorResponse(removed.error()));
                blocksChanged(me);
                respond(noContent());
            });
    });
}

} // namespace natter::server
