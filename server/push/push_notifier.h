// Decides when offline devices are woken: per device at most one wake-up in flight, bursts
// merged within a window, failures retried with exponential backoff, gone endpoints dropped.
// Lives on the io thread.
#pragma once

#include "push/push_provider.h"
#include "store/store.h"

#include <boost/asio/io_context.hpp>

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>

namespace natter::server {

class Metrics;
class StoreWorker;

struct PushPolicy {
    std::chrono::milliseconds coalesce{1000};  // wake-ups this close together become one
    std::chrono::milliseconds firstRetry{1000}; // doubled for every further retry
    int maxRetries = 5;                         // 1 s, 2 s, 4 s, 8 s, 16 s, then give up
};

class PushNotifier {
public:
    // `metrics` counts what became of the wake-ups (natterd_push_*).
    PushNotifier(boost::asio::io_context& io, StoreWorker& worker, PushProvider& provider, Metrics& metrics,
                 PushPolicy policy = {});
    ~PushNotifier();
    PushNotifier(const PushNotifier&) = delete;
    PushNotifier& operator=(const PushNotifier&) = delete;

    // A message or receipt in `chatId` was queued for `device`, which is not connected here.
    void wake(DeviceKey device, const std::string& chatId);
    // Drops all pending work and abandons requests in flight (server shutdown).
    void stop();

private:
    struct Device;
    // What a wake-up is sent to, read from the store when sending.
    struct Target {
        std::string endpoint;
        std::uint64_t badge = 0;
    };

    void send(DeviceKey key, Device& device);
    void onTarget(DeviceKey key, std::uint64_t ticket, protocol::Result<std::optional<Target>> target);
    void onResult(DeviceKey key, std::uint64_t ticket, const std::string& endpoint,
                  const protocol::rest::PushWakeUp& wake, const PushResult& result);
    void retryLater(DeviceKey key, Device& device, const std::string& host, const std::string& why);
    // Holds the device quiet for the coalescing window; then sends what arrived meanwhile, or forgets it.
    void coolDown(DeviceKey key, Device& device);
    void arm(DeviceKey key, Device& device, std::chrono::milliseconds after, void (PushNotifier::*then)(DeviceKey));
    void afterCoolDown(DeviceKey key);
    void afterBackoff(DeviceKey key);
    // The device's state if `ticket` is still its current step.
    Device* current(DeviceKey key, std::uint64_t ticket);

    boost::asio::io_context& io_;
    StoreWorker& worker_;
    PushProvider& provider_;
    Metrics& metrics_;
    PushPolicy policy_;
    bool stopped_ = false;
    std::uint64_t nextTicket_ = 1;
    // Only devices with a wake-up being sent, cooling down or waiting to retry.
    std::map<DeviceKey, std::unique_ptr<Device>> devices_;
};

} // namespace natter::server
