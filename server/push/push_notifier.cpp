#include "push/push_notifier.h"

#include "logging/loggers.h"
#include "metrics/metrics.h"
#include "push/push_endpoint.h"
#include "store/store_worker.h"

#include <boost/asio/steady_timer.hpp>

namespace natter::server {

struct PushNotifier::Device {
    explicit Device(boost::asio::io_context& io) : timer(io) {}
    boost::asio::steady_timer timer;
    std::string chatId;       // chat of the latest wake-up
    bool pending = false;     // a wake-up arrived that no request sent so far covers
    bool busy = false;        // a lookup or request is in flight, or the timer runs
    int retries = 0;          // failed attempts of the current wake-up
    std::uint64_t ticket = 0; // identifies the current step; stale completions are ignored
    // The last wake-up delivered in this burst: one that would say the same is not sent again.
    std::optional<protocol::rest::PushWakeUp> lastDelivered;
};

PushNotifier::PushNotifier(boost::asio::io_context& io, StoreWorker& worker, PushProvider& provider,
                           Metrics& metrics, PushPolicy policy)
    : io_(io), worker_(worker), provider_(provider), metrics_(metrics), policy_(policy) {}

PushNotifier::~PushNotifier() = default;

void PushNotifier::wake(DeviceKey key, const std::string& chatId) {
    if (stopped_) return;
    auto& slot = devices_[key];
    if (!slot) slot = std::make_unique<Device>(io_);
    slot->chatId = chatId;
    slot->pending = true;
    if (!slot->busy) send(key, *slot);
}

void PushNotifier::stop() {
    stopped_ = true;
    provider_.stop();
    devices_.clear(); // destroying the timers cancels them
}

PushNotifier::Device* PushNotifier::current(DeviceKey key, std::uint64_t ticket) {
    if (stopped_) return nullptr;
    const auto it = devices_.find(key);
    return it != devices_.end() && it->second->ticket == ticket ? it->second.get() : nullptr;
}

void PushNotifier::send(DeviceKey key, Device& device) {
    device.busy = true;
    device.pending = false;
    device.ticket = nextTicket_++;
    worker_.submit(
        [key](Store& store) -> protocol::Result<std::optional<Target>> {
            auto endpoint = store.findPushEndpoint(key);
            if (!endpoint) return std::optional<Target>{};
            return std::optional<Target>{Target{std::move(*endpoint), store.countQueued(key)}};
        },
        [this, key, ticket = device.ticket](protocol::Result<std::optional<Target>> target) {
            onTarget(key, ticket, std::move(target));
        });
}

void PushNotifier::onTarget(DeviceKey key, std::uint64_t ticket, protocol::Result<std::optional<Target>> target) {
    Device* device = current(key, ticket);
    if (!device) return;
    if (!target) return retryLater(key, *device, "(store)", target.error().message);
    // No endpoint, or nothing waiting any more (the device came back and synced): nothing to send.
    if (!*target || (*target)->badge == 0) return coolDown(key, *device);
    protocol::rest::PushWakeUp wake{device->chatId, (*target)->badge};
    if (device->lastDelivered && device->lastDelivered->chat_id == wake.chat_id &&
        device->lastDelivered->badge == wake.badge)
        return coolDown(key, *device);
    provider_.deliver(key, (*target)->endpoint, wake,
                      [this, key, ticket, endpoint = (*target)->endpoint, wake](PushResult result) {
                          onResult(key, ticket, endpoint, wake, result);
                      });
}

void PushNotifier::onResult(DeviceKey key, std::uint64_t ticket, const std::string& endpoint,
                            const protocol::rest::PushWakeUp& wake, const PushResult& result) {
    Device* device = current(key, ticket);
    if (!device) return;
    const std::string host = endpointHost(endpoint);
    switch (result.outcome) {
    case PushOutcome::delivered:
        log::push()->debug("woke device {}.{} via {} ({})", key.user_id, key.device_id, host, result.detail);
        metrics_.pushDelivered();
        device->retries = 0;
        device->lastDelivered = wake;
        return coolDown(key, *device);
    case PushOutcome::gone:
    case PushOutcome::refused:
        metrics_.pushFailed(result.outcome == PushOutcome::gone ? PushFailure::endpoint_gone
                                                                : PushFailure::address_refused);
        if (result.outcome == PushOutcome::gone)
            log::push()->info("push endpoint of device {}.{} at {} is gone ({}); dropping it", key.user_id,
                              key.device_id, host, result.detail);
        else
            log::push()->warn("push endpoint of device {}.{} refused: {}; dropping it without contacting it",
                              key.user_id, key.device_id, result.detail);
        devices_.erase(key);
        // Only that URL: the device may have registered a new endpoint meanwhile.
        worker_.submit(
            [key, endpoint](Store& store) { return protocol::Result<bool>(store.deletePushEndpoint(key, endpoint)); },
            [key](protocol::Result<bool> removed) {
                if (!removed)
                    log::push()->warn("could not drop the push endpoint of device {}.{}: {}", key.user_id,
                                      key.device_id, removed.error().message);
            });
        return;
    case PushOutcome::retry:
        metrics_.pushFailed(PushFailure::attempt_failed);
        return retryLater(key, *device, host, result.detail);
    }
}

void PushNotifier::retryLater(DeviceKey key, Device& device, const std::string& host, const std::string& why) {
    if (device.retries >= policy_.maxRetries) {
        metrics_.pushFailed(PushFailure::gave_up);
        log::push()->warn("giving up waking device {}.{} via {} after {} attempts: {}", key.user_id, key.device_id,
                          host, device.retries + 1, why);
        devices_.erase(key);
        return;
    }
    const auto delay = policy_.firstRetry * (1 << device.retries);
    ++device.retries;
    log::push()->info("wake-up for device {}.{} via {} failed ({}); retry {} in {} ms", key.user_id, key.device_id,
                      host, why, device.retries, delay.count());
    arm(key, device, delay, &PushNotifier::afterBackoff);
}

void PushNotifier::coolDown(DeviceKey key, Device& device) {
    arm(key, device, policy_.coalesce, &PushNotifier::afterCoolDown);
}

void PushNotifier::arm(DeviceKey key, Device& device, std::chrono::milliseconds after,
                       void (PushNotifier::*then)(DeviceKey)) {
    device.ticket = nextTicket_++;
    device.timer.expires_after(after);
    device.timer.async_wait([this, key, ticket = device.ticket, then](boost::system::error_code ec) {
        if (ec || !current(key, ticket)) return;
        (this->*then)(key);
    });
}

void PushNotifier::afterCoolDown(DeviceKey key) {
    auto& device = *devices_.at(key);
    if (device.pending) return send(key, device);
    // The end of the device's burst: nothing more is sent until the next wake-up.
    log::push()->debug("wake-ups for device {}.{} went quiet", key.user_id, key.device_id);
    devices_.erase(key);
}

void PushNotifier::afterBackoff(DeviceKey key) { send(key, *devices_.at(key)); }

} // namespace natter::server
