// The registry of connected devices on this server: routes queued entries, presence
// and typing to live sessions, tracks who is online and closes silent connections.
// Lives on the io thread.
#pragma once

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

class Hub {
public:
    Hub(boost::asio::io_context& io, StoreWorker& worker, PresenceService& presence,
        std::chrono::seconds presenceTimeout);

    // Registers a session; an older session of the same device is closed (Replaced).
    void attach(const std::shared_ptr<DeviceSession>& session);
    // Unregisters it if it is still the device's current session.
    void detach(const DeviceSession* session);

    // Offers queued entries to their target devices' sessions, if connected here; for the
    // others, messages and receipts go to the offline-wake callback (push wake-ups).
    void deliver(const std::vector<QueueEntry>& entries);
    using OfflineWake = std::function<void(DeviceKey device, const std::string& chatId)>;
    void setOfflineWake(OfflineWake wake) { offlineWake_ = std::move(wake); }
    // Sends a frame to every connected device of `user`, except `except`.
    void sendToUser(UserId user, const std::shared_ptr<const std::string>& frame,
                    std::optional<DeviceKey> except = std::nullopt);
    // Sends a frame to one device if it is connected here (live only, never queued).
    void sendToDevice(DeviceKey device, const std::shared_ptr<const std::string>& frame);
    // Closes a device's connection (e.g. it was unlinked).
    void closeDevice(DeviceKey device, CloseCode code, std::string_view reason);
    void announcePresence(UserId user, bool online);
    bool isOnline(UserId user) const;

    void startHeartbeatSweep();
    // Closes every session (server shutdown) and stops the sweep.
    void stop();

private:
    void sweep();
    DeviceSession* find(DeviceKey key) const;

    StoreWorker& worker_;
    PresenceService& presence_;
    std::chrono::seconds presenceTimeout_;
    boost::asio::steady_timer sweepTimer_;
    bool stopped_ = false;
    OfflineWake offlineWake_;
    // Connected sessions by user; a user has a handful of devices at most.
    std::unordered_map<UserId, std::vector<std::shared_ptr<DeviceSession>>> byUser_;
};

} // namespace natter::server
