#include "gateway/hub.h"

#include "app/clock.h"
#include "gateway/device_session.h"
#include "gateway/frame_text.h"
#include "logging/loggers.h"
#include "protocol/frame_codec.h"
#include "store/store_worker.h"

#include <algorithm>

namespace natter::server {

Hub::Hub(boost::asio::io_context& io, StoreWorker& worker, PresenceService& presence, ClusterBus& bus,
         std::chrono::seconds presenceTimeout)
    : worker_(worker), presence_(presence), bus_(bus), presenceTimeout_(presenceTimeout), sweepTimer_(io) {}

void Hub::attach(const std::shared_ptr<DeviceSession>& session) {
    const DeviceKey key = session->key();
    auto& devices = byUser_[key.user_id];
    const auto same = std::find_if(devices.begin(), devices.end(), [&](const auto& s) { return s->key() == key; });
    if (same != devices.end()) {
        log::net()->info("device {}.{} reconnected; closing its older connection", key.user_id, key.device_id);
        auto older = std::exchange(*same, session);
        older->close(CloseCode::Replaced, "replaced by a newer connection of this device");
        return;
    }
    devices.push_back(session);
    bus_.deviceAttached(key, devices.size() == 1, [this, user = key.user_id](bool cameOnline) {
        if (cameOnline && !stopped_) announcePresence(user, true);
    });
}

void Hub::detach(const DeviceSession* session) {
    const auto it = byUser_.find(session->key().user_id);
    if (it == byUser_.end()) return;
    auto& devices = it->second;
    const auto pos = std::find_if(devices.begin(), devices.end(), [&](const auto& s) { return s.get() == session; });
    if (pos == devices.end()) return;
    const DeviceKey key = session->key();
    devices.erase(pos);
    const bool lastHere = devices.empty();
    if (lastHere) byUser_.erase(it);
    bus_.deviceDetached(key, lastHere, [this, user = key.user_id](bool wentOffline) {
        if (wentOffline && !stopped_) announcePresence(user, false);
    });
}

DeviceSession* Hub::find(DeviceKey key) const {
    const auto it = byUser_.find(key.user_id);
    if (it == byUser_.end()) return nullptr;
    for (const auto& s : it->second)
        if (s->key() == key) return s.get();
    return nullptr;
}

namespace {
// The chat an entry wakes its offline device for: messages and receipts only.
const std::string* wakingChat(const QueueEntry& entry) {
    if (const auto* m = std::get_if<protocol::MessageDelivery>(&entry.frame)) return &m->chat_id;
    if (const auto* r = std::get_if<protocol::ReceiptEvent>(&entry.frame)) return &r->chat_id;
    return nullptr;
}
} // namespace

void Hub::deliver(const std::vector<QueueEntry>& entries) {
    for (const auto& entry : entries) {
        if (auto* session = find(entry.target)) session->offer(entry);
        else bus_.routeEntry(entry, wakingChat(entry));
    }
}

void Hub::sendToUser(UserId user, const std::shared_ptr<const std::string>& frame, std::optional<DeviceKey> except) {
    sendToLocalUser(user, frame, except);
    bus_.sendToUser(user, frame, except);
}

void Hub::sendToLocalUser(UserId user, const std::shared_ptr<const std::string>& frame,
                          std::optional<DeviceKey> except) {
    const auto it = byUser_.find(user);
    if (it == byUser_.end()) return;
    for (const auto& session : it->second)
        if (session->key() != except) session->sendFrame(frame);
}

void Hub::sendToDevice(DeviceKey device, const std::shared_ptr<const std::string>& frame) {
    if (auto* session = find(device)) session->sendFrame(frame);
    else bus_.sendToDevice(device, frame);
}

void Hub::closeDevice(DeviceKey device, CloseCode code, std::string_view reason) {
    closeLocal(device, code, reason);
    bus_.closeDevice(device, code, reason);
}

void Hub::deviceRevoked(DeviceKey device, protocol::RevocationReason reason) {
    closeDevice(device, CloseCode::PolicyViolation, protocol::toString(reason));
    bus_.revoked(device, reason);
}

void Hub::remoteEntry(const QueueEntry& entry) {
    if (auto* session = find(entry.target)) session->offer(entry);
}

void Hub::remoteFrameToDevice(DeviceKey device, std::shared_ptr<const std::string> frame) {
    if (auto* session = find(device)) session->sendFrame(std::move(frame));
}

void Hub::remoteFrameToUser(UserId user, std::optional<DeviceKey> except, std::shared_ptr<const std::string> frame) {
    sendToLocalUser(user, frame, except);
}

void Hub::resyncLocal() {
    for (const auto& [user, devices] : byUser_)
        for (const auto& session : devices) session->resync();
}

std::vector<DeviceKey> Hub::localDevices() const {
    std::vector<DeviceKey> out;
    for (const auto& [user, devices] : byUser_)
        for (const auto& session : devices) out.push_back(session->key());
    return out;
}

void Hub::closeLocal(DeviceKey device, CloseCode code, std::string_view reason) {
    const auto it = byUser_.find(device.user_id);
    if (it == byUser_.end()) return;
    for (const auto& s : it->second)
        if (s->key() == device) {
            auto session = s; // keep it alive while detaching
            session->close(code, reason);
            detach(session.get());
            return;
        }
}

void Hub::announcePresence(UserId user, bool online) {
    worker_.submit(
        [this, user, online, now = nowMs()](Store& store) { return presence_.announce(store, user, online, now); },
        [this](protocol::Result<std::vector<PresenceNotice>> notices) {
            if (!notices) return;
            for (const auto& n : *notices)
                sendToUser(n.observer, frameText(n.event));
        });
}

void Hub::isOnline(UserId user, std::function<void(bool)> done) const {
    bus_.isOnline(user, byUser_.contains(user), std::move(done));
}

void Hub::startHeartbeatSweep() {
    const auto period = std::max<std::chrono::milliseconds>(std::chrono::milliseconds(250), presenceTimeout_ / 4);
    sweepTimer_.expires_after(period);
    sweepTimer_.async_wait([this](boost::system::error_code ec) {
        if (ec || stopped_) return;
        sweep();
        bus_.refreshPresence();
        startHeartbeatSweep();
    });
}

void Hub::sweep() {
    const auto deadline = std::chrono::steady_clock::now() - presenceTimeout_;
    std::vector<std::shared_ptr<DeviceSession>> silent;
    for (const auto& [user, devices] : byUser_)
        for (const auto& session : devices)
            if (session->lastActivity() < deadline) silent.push_back(session);
    for (const auto& session : silent) {
        log::presence()->debug("device {}.{} silent for {}s; closing", session->key().user_id,
                               session->key().device_id, presenceTimeout_.count());
        session->close(CloseCode::HeartbeatTimeout, "no heartbeat");
        detach(session.get());
    }
}

void Hub::stop() {
    stopped_ = true;
    sweepTimer_.cancel();
    auto all = std::move(byUser_);
    byUser_.clear();
    // In a cluster the user may stay online on other nodes: this node's presence entries
    // run out and the reaper of a live node records last_seen and tells the observers.
    const bool elsewhere = bus_.shared();
    for (const auto& [user, devices] : all) {
        if (!elsewhere) announcePresence(user, false); // records last_seen before the store closes
        for (const auto& session : devices) session->close(CloseCode::GoingAway, "server shutting down");
    }
}

} // namespace natter::server
