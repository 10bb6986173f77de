// The registry of connected devices on this node: routes queued entries, presence and typing
// to live sessions, tracks who is online and closes silent connections. Whatever is not here
// goes through the ClusterBus (other nodes, push wakes, cluster-wide presence). io thread.
#pragma once

#include "cluster/cluster_bus.h"
#include "gateway/gateway_context.h"
#include "net/connection.h"
#include "presence/presence_service.h"
#include "store/store.h"

#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace natter::server {

class DeviceSession;

class Hub final : public ClusterInbound {
public:
    Hub(boost::asio::io_context& io, StoreWorker& worker, PresenceService& presence, ClusterBus& bus,
        std::chrono::seconds presenceTimeout);

    // Registers a session; an older session of the same device is closed (Replaced), here or
    // on another node.
    void attach(const std::shared_ptr<DeviceSession>& session);
    // Unregisters it if it is still the device's current session.
    void detach(const DeviceSession* session);

    // Offers queued entries to their target devices' sessions if connected here; the others
    // go through the bus (another node, or a push wake-up for messages and receipts).
    void deliver(const std::vector<QueueEntry>& entries);
    // Sends a frame to every connected device of `user`, except `except`.
    void sendToUser(UserId user, const std::shared_ptr<const std::string>& frame,
                    std::optional<DeviceKey> except = std::nullopt);
    // Sends a frame to one device wherever it is connected (live only, never queued).
    void sendToDevice(DeviceKey device, const std::shared_ptr<const std::string>& frame);
    // Closes a device's connection on whichever node holds it (e.g. it was unlinked).
    void closeDevice(DeviceKey device, CloseCode code, std::string_view reason);
    // The device's credentials were revoked here: every node refuses and closes it.
    void deviceRevoked(DeviceKey device, protocol::RevocationReason reason);
    void announcePresence(UserId user, bool online);
    // Whether a device of `user` is connected to any node.
    void isOnline(UserId user, std::function<void(bool)> done) const;

    void startHeartbeatSweep();
    // Closes every session (server shutdown) and stops the sweep.
    void stop();

    // ClusterInbound
    void remoteEntry(const QueueEntry& entry) override;
    void remoteFrameToDevice(DeviceKey device, std::shared_ptr<const std::string> frame) override;
    void remoteFrameToUser(UserId user, std::optional<DeviceKey> except,
                           std::shared_ptr<const std::string> frame) override;
    void closeLocal(DeviceKey device, CloseCode code, std::string_view reason) override;
    void userExpired(UserId user) override { announcePresence(user, false); }
    void resyncLocal() override;
    std::vector<DeviceKey> localDevices() const override;

private:
    void sweep();
    DeviceSession* find(DeviceKey key) const;
    void sendToLocalUser(UserId user, const std::shared_ptr<const std::string>& frame, std::optional<DeviceKey> except);

    StoreWorker& worker_;
    PresenceService& presence_;
    ClusterBus& bus_;
    std::chrono::seconds presenceTimeout_;
    boost::asio::steady_timer sweepTimer_;
    bool stopped_ = false;
    // Connected sessions by user; a user has a handful of devices at most.
    std::unordered_map<UserId, std::vector<std::shared_ptr<DeviceSession>>> byUser_;
};

} // namespace natter::server
