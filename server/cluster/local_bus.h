// The single-node bus: nothing is elsewhere, so an entry for a device not connected here
// wakes it, and a user is online while one of its devices is connected here.
#pragma once

#include "cluster/cluster_bus.h"

namespace natter::server {

class LocalBus final : public ClusterBus {
public:
    void start(ClusterInbound&, Wake wake) override { wake_ = std::move(wake); }
    void stop() override {}
    void deviceAttached(DeviceKey, bool firstHere, Answer done) override { done(firstHere); }
    void deviceDetached(DeviceKey, bool lastHere, Answer done) override { done(lastHere); }
    void refreshPresence() override {}
    void isOnline(UserId, bool onlineHere, Answer done) override { done(onlineHere); }
    void routeEntry(const QueueEntry& entry, const std::string* wakeChat) override {
        if (wakeChat && wake_) wake_(entry.target, *wakeChat);
    }
    void sendToDevice(DeviceKey, const std::shared_ptr<const std::string>&) override {}
    void sendToUser(UserId, const std::shared_ptr<const std::string>&, std::optional<DeviceKey>) override {}
    void closeDevice(DeviceKey, CloseCode, std::string_view) override {}
    void revoked(DeviceKey, protocol::RevocationReason) override {}
    bool shared() const override { return false; }

private:
    Wake wake_;
};

} // namespace natter::server
