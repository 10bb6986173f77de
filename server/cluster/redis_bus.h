// The cluster bus over Redis (Signal-style routing): a channel per device ("nd:U.D"), and per
// user ("nu:U"), SUBSCRIBEd while the device / one of the user's devices is connected here;
// "natter:all" for revocations. A PUBLISH answering 0 means the device is connected nowhere:
// it is woken, once per coalescing window across nodes (SET wake:U.D NX PX). Presence is the
// ZSETs of presence_scripts.h. While Redis is down every local session re-reads its queue
// from the store each second, so messages committed by other nodes still arrive; when it
// returns, subscriptions and presence are restored without a restart.
#pragma once

#include "auth/revocation_list.h"
#include "cluster/cluster_bus.h"
#include "cluster/redis_connection.h"

#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <functional>
#include <string>
#include <vector>

namespace natter::server {

struct RedisBusSettings {
    RedisEndpoint endpoint;
    std::string node_id;
    std::chrono::milliseconds presence_ttl{30000};
    std::chrono::milliseconds wake_window{1000}; // PushPolicy::coalesce
    std::chrono::milliseconds resync_period{1000};
    std::chrono::milliseconds command_timeout = RedisConnection::kDefaultTimeout; // --redis-timeout
};

class RedisBus final : public ClusterBus {
public:
    RedisBus(boost::asio::io_context& io, RedisBusSettings settings, RevocationList& revocations);

    void start(ClusterInbound& inbound, Wake wake) override;
    void stop() override;
    void deviceAttached(DeviceKey device, bool firstHere, Answer done) override;
    void deviceDetached(DeviceKey device, bool lastHere, Answer done) override;
    void refreshPresence() override;
    void isOnline(UserId user, bool onlineHere, Answer done) override;
    void routeEntry(const QueueEntry& entry, const std::string* wakeChat) override;
    void sendToDevice(DeviceKey device, const std::shared_ptr<const std::string>& frame) override;
    void sendToUser(UserId user, const std::shared_ptr<const std::string>& frame,
                    std::optional<DeviceKey> except) override;
    void closeDevice(DeviceKey device, CloseCode code, std::string_view reason) override;
    void revoked(DeviceKey device, protocol::RevocationReason reason) override;
    bool shared() const override { return commands_.up() && subscriber_.up(); }

    // Runs each time Redis becomes available to this node again (after start too).
    void whenShared(std::function<void()> f) { sharedListeners_.push_back(std::move(f)); }

    RedisConnection& commands() { return commands_; }
    const RedisConnection& subscriber() const { return subscriber_; }

private:
    void onMessage(std::string_view channel, std::string_view payload);
    void publish(const std::string& channel, std::string text, RedisConnection::ReplyHandler done = {});
    void wakeOnce(DeviceKey device, const std::string& chatId);
    void reap();
    void connectionChanged();
    void resyncWhileDown();
    std::string member(DeviceKey device) const;

    boost::asio::io_context& io_;
    RedisBusSettings settings_;
    RevocationList& revocations_;
    RedisConnection commands_;
    RedisConnection subscriber_;
    boost::asio::steady_timer resyncTimer_;
    ClusterInbound* inbound_ = nullptr;
    Wake wake_;
    std::vector<std::function<void()>> sharedListeners_;
    bool wasShared_ = false;
    bool stopped_ = false;
    std::uint64_t serial_ = 0;
};

} // namespace natter::server
