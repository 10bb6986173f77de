// REST routes for the key directory and linked devices.
#include "http/rest_api.h"

#include "accounts/account_service.h"
#include "accounts/device_links.h"
#include "app/clock.h"
#include "auth/revocation_list.h"
#include "cluster/shared_limits.h"
#include "gateway/frame_text.h"
#include "gateway/hub.h"
#include "http/rest_helpers.h"
#include "keys/key_directory.h"
#include "metrics/metrics.h"
#include "protocol/frame_codec.h"
#include "store/store_worker.h"

#include <charconv>

namespace natter::server {

void RestApi::revoked(DeviceKey device, protocol::RevocationReason reason) {
    ctx_.revocations.revoke(device, reason);
    ctx_.hub.deviceRevoked(device, reason);
}

void RestApi::addKeyRoutes() {
    auto& keys = ctx_.keys;
    auto& links = ctx_.links;
    add("PUT", "/api/keys", true, [this, &keys](const RestCall& call, Respond respond) {
        if (auto body = bodyOf<rest::KeysUpload>(call, respond))
            ctx_.worker.submit(
                [&keys, me = DeviceKey{call.caller, call.device}, b = *body, now = nowMs()](Store& s) {
                    return keys.upload(s, me, b, now);
                },
                [this, respond = std::move(respond)](protocol::Result<KeysUploaded> up) {
                    if (!up) return respond(errorResponse(up.error()));
                    ctx_.metrics.entriesEnqueued(up->queued.size());
                    ctx_.hub.deliver(up->queued);
                    respond(okJson(up->status));
                });
    });
    add("PUT", "/api/keys/signed", true, [this, &keys](const RestCall& call, Respond respond) {
        if (auto body = bodyOf<rest::SignedPreKey>(call, respond))
            answer(std::move(respond), [&keys, me = DeviceKey{call.caller, call.device}, b = *body](Store& s) {
                return keys.rotateSignedPreKey(s, me, b);
            });
    });
    add("POST", "/api/keys/one-time", true, [this, &keys](const RestCall& call, Respond respond) {
        if (auto body = bodyOf<rest::OneTimePreKeysUpload>(call, respond))
            answer(std::move(respond), [&keys, me = DeviceKey{call.caller, call.device}, b = *body](Store& s) {
                return keys.addOneTimePreKeys(s, me, b);
            });
    });
    add("GET", "/api/keys/status", true, [this, &keys](const RestCall& call, Respond respond) {
        answer(std::move(respond),
               [&keys, me = DeviceKey{call.caller, call.device}](Store& s) { return keys.status(s, me); });
    });
    add("GET", "/api/users/{id}/keys", true, [this, &keys](const RestCall& call, Respond respond) {
        std::optional<DeviceId> only;
        if (auto d = call.query("device_id")) {
            DeviceId id = 0;
            const auto [end, ec] = std::from_chars(d->data(), d->data() + d->size(), id);
            if (ec != std::errc{} || end != d->data() + d->size() || id == 0)
                return respond(errorResponse(protocol::makeError(protocol::ErrorCode::InvalidField,
                                                                 "'device_id' must be a device number")));
            only = id;
        }
        auto serve = [this, &keys, requester = call.caller, user = call.id, only](
                         std::optional<std::vector<DeviceKey>> granted, Respond respond) {
            ctx_.worker.submit(
                [&keys, requester, user, only, granted = std::move(granted), now = nowMs()](Store& s) {
                    return keys.bundles(s, requester, user, only, now, granted);
                },
                [this, respond = std::move(respond)](protocol::Result<BundlesServed> served) {
                    if (!served) return respond(errorResponse(served.error()));
                    for (const auto& w : served->warnings) ctx_.hub.sendToDevice(w.device, frameText(w.frame));
                    respond(okJson(served->bundles));
                });
        };
        if (!ctx_.sharedLimits.shared()) return serve(std::nullopt, std::move(respond));
        // In a cluster the one-time pre-keys a requester takes of a device hold for all nodes
        // together: ask the shared budgets about the devices that still have some, then fetch.
        ctx_.worker.submit(
            [&keys, user = call.id, only](Store& s) { return keys.devicesWithOneTimeKeys(s, user, only); },
            [this, &keys, serve = std::move(serve), requester = call.caller,
             respond = std::move(respond)](protocol::Result<std::vector<DeviceKey>> devices) mutable {
                if (!devices || devices->empty()) return serve(std::vector<DeviceKey>{}, std::move(respond));
                const double perHour = static_cast<double>(keys.prekeysPerRequester());
                std::vector<SharedBucket> buckets;
                for (const auto& d : *devices)
                    buckets.push_back({"pk:" + std::to_string(requester) + ":" + std::to_string(d.user_id) + "." +
                                           std::to_string(d.device_id),
                                       perHour / 3600, perHour});
                ctx_.sharedLimits.takeEach(buckets, [serve = std::move(serve), devices = std::move(*devices),
                                                     respond = std::move(respond)](std::vector<bool> taken) mutable {
                    std::vector<DeviceKey> granted;
                    for (std::size_t i = 0; i < devices.size(); ++i)
                        if (taken[i]) granted.push_back(devices[i]);
                    serve(std::move(granted), std::move(respond));
                });
            },
            OnError::nothingWritten);
    });

    add("POST", "/api/devices/link-code", true, [this, &links](const RestCall& call, Respond respond) {
        if (auto body = bodyOf<rest::LinkCodeRequest>(call, respond))
            answer(std::move(respond), [&links, user = call.caller, b = *body, now = nowMs()](Store& s) {
                return links.createCode(s, user, b, now);
            });
    });
    add("PUT", "/api/devices/list", true, [this, &links](const RestCall& call, Respond respond) {
        if (auto body = bodyOf<rest::SignedDeviceList>(call, respond))
            ctx_.worker.submit(
                [&links, me = DeviceKey{call.caller, call.device}, b = *body, now = nowMs()](Store& s) {
                    return links.publishList(s, me, b, now);
                },
                [this, respond = std::move(respond)](protocol::Result<ListPublished> published) {
                    if (!published) return respond(errorResponse(published.error()));
                    ctx_.metrics.entriesEnqueued(published->notices.size());
                    ctx_.hub.deliver(published->notices);
                    respond(okJson(published->list));
                });
    });
    add("POST", "/api/devices/link", false, [this, &links](const RestCall& call, Respond respond) {
        if (auto body = bodyOf<rest::LinkRequest>(call, respond))
            answer(std::move(respond), [&links, b = *body, now = nowMs()](Store& s) { return links.link(s, b, now); });
    });
    add("GET", "/api/devices", true, [this](const RestCall& call, Respond respond) {
        answer(std::move(respond),
               [this, user = call.caller](Store& s) { return ctx_.accounts.devicesOf(s, user, user); });
    });
    add("DELETE", "/api/devices/{id}", true, [this](const RestCall& call, Respond respond) {
        ctx_.worker.submit(
            [user = call.caller, device = static_cast<DeviceId>(call.id), now = nowMs()](Store& s) {
                return unlinkDevice(s, user, device, now);
            },
            [this, respond = std::move(respond)](protocol::Result<DeviceKey> unlinked) {
                if (!unlinked) return respond(errorResponse(unlinked.error()));
                revoked(*unlinked, protocol::RevocationReason::unlinked);
                respond(noContent());
            });
    });
}

} // namespace natter::server
