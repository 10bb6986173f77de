// What the Hub needs beyond its own sessions: reaching devices on other nodes, pushing wakes for
// devices connected nowhere, cluster-wide presence and revocation. LocalBus is one node (no
// Redis, today's behaviour); RedisBus routes through Redis. io thread only.
#pragma once

#include "net/connection.h"
#include "protocol/error.h"
#include "store/store.h"

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace natter::server {

// The Hub's side: what the bus hands to sessions on this node.
class ClusterInbound {
public:
    virtual ~ClusterInbound() = default;
    // A queue entry for a local device was committed on another node.
    virtual void remoteEntry(const QueueEntry& entry) = 0;
    virtual void remoteFrameToDevice(DeviceKey device, std::shared_ptr<const std::string> frame) = 0;
    virtual void remoteFrameToUser(UserId user, std::optional<DeviceKey> except,
                                   std::shared_ptr<const std::string> frame) = 0;
    // Closes the local session of `device`, if any (kick, unlink, revocation on another node).
    virtual void closeLocal(DeviceKey device, CloseCode code, std::string_view reason) = 0;
    // Presence of `user` expired cluster-wide (its node died): announce it offline.
    virtual void userExpired(UserId user) = 0;
    // Re-reads every local session's queue from the store (Redis down or just back).
    virtual void resyncLocal() = 0;
    virtual std::vector<DeviceKey> localDevices() const = 0;
};

class ClusterBus {
public:
    using Wake = std::function<void(DeviceKey device, const std::string& chatId)>;
    using Answer = std::function<void(bool)>;

    virtual ~ClusterBus() = default;
    virtual void start(ClusterInbound& inbound, Wake wake) = 0;
    virtual void stop() = 0;

    // A session of `device` opened here; firstHere: the user had no other device here.
    // `done(true)` when the user just came online cluster-wide.
    virtual void deviceAttached(DeviceKey device, bool firstHere, Answer done) = 0;
    // `done(true)` when the user just went offline cluster-wide.
    virtual void deviceDetached(DeviceKey device, bool lastHere, Answer done) = 0;
    // Heartbeat: the local devices are still connected.
    virtual void refreshPresence() = 0;
    virtual void isOnline(UserId user, bool onlineHere, Answer done) = 0;

    // A committed entry for a device not connected here. `wakeChat`: messages and receipts.
    virtual void routeEntry(const QueueEntry& entry, const std::string* wakeChat) = 0;
    virtual void sendToDevice(DeviceKey device, const std::shared_ptr<const std::string>& frame) = 0;
    virtual void sendToUser(UserId user, const std::shared_ptr<const std::string>& frame,
                            std::optional<DeviceKey> except) = 0;
    virtual void closeDevice(DeviceKey device, CloseCode code, std::string_view reason) = 0;
    // The device was revoked here: every other node refuses and closes it too.
    virtual void revoked(DeviceKey device, protocol::RevocationReason reason) = 0;
    // True when every node sees what this one does (false: single node, or Redis down).
    virtual bool shared() const = 0;
};

} // namespace natter::server
