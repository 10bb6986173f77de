#include "gateway/hub.h"

#include "app/clock.h"
#include "gateway/device_session.h"
#include "gateway/frame_text.h"
#include "logging/loggers.h"
#include "protocol/frame_codec.h"
#include "store/store_worker.h"

#include <algorithm>

namespace natter::server {

Hub::Hub(boost::asio::io_context& io, StoreWorker& worker, PresenceService& presence,
         std::chrono::seconds presenceTimeout)
    : worker_(worker), presence_(presence), presenceTimeout_(presenceTimeout), sweepTimer_(io) {}

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
    if (devices.size() == 1) announcePresence(key.user_id, true);
}

void Hub::detach(const DeviceSession* session) {
    const auto it = byUser_.find(session->key().user_id);
    if (it == byUser_.end()) return;
    auto& devices = it->second;
    const auto pos = std::find_if(devices.begin(), devices.end(), [&](const auto& s) { return s.get() == session; });
    if (pos == devices.end()) return;
    devices.erase(pos);
    if (devices.empty()) {
        const UserId user = it->first;
        byUser_.erase(it);
        announcePresence(user, false);
    }
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
        else if (const auto* chat = wakingChat(entry); chat && offlineWake_) offlineWake_(entry.target, *chat);
    }
}

void Hub::sendToUser(UserId user, const std::shared_ptr<const std::string>& frame, std::optional<DeviceKey> except) {
    const auto it = byUser_.find(user);
    if (it == byUser_.end()) return;
    for (const auto& session : it->second)
        if (session->key() != except) session->sendFrame(frame);
}

void Hub::sendToDevice(DeviceKey device, const std::shared_ptr<const std::string>& frame) {
    if (auto* session = find(device)) session->sendFrame(frame);
}

void Hub::closeDevice(DeviceKey device, CloseCode code, std::string_view reason) {
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

bool Hub::isOnline(UserId user) const { return byUser_.contains(user); }

void Hub::startHeartbeatSweep() {
    const auto period = std::max<std::chrono::milliseconds>(std::chrono::milliseconds(250), presenceTimeout_ / 4);
    sweepTimer_.expires_after(period);
    sweepTimer_.async_wait([this](boost::system::error_code ec) {
        if (ec || stopped_) return;
        sweep();
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
    for (const auto& [user, devices] : all) {
        announcePresence(user, false); // records last_seen before the store closes
        for (const auto& session : devices) session->close(CloseCode::GoingAway, "server shutting down");
    }
}

} // namespace natter::server
