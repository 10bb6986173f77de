#include "cluster/redis_bus.h"

#include "cluster/bus_message.h"
#include "cluster/media_quota_scripts.h"
#include "cluster/presence_scripts.h"
#include "cluster/shared_limits.h"
#include "protocol/frame_codec.h"
#include "logging/loggers.h"

#include <charconv>

namespace natter::server {

namespace {
constexpr std::size_t kRefreshChunk = 256;
constexpr int kReapBatch = 200;
constexpr std::string_view kReplaced = "replaced by a newer connection of this device";

template <class T>
bool parseNumber(std::string_view text, T& out) {
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
    return ec == std::errc{} && end == text.data() + text.size();
}
std::optional<DeviceKey> deviceOfChannel(std::string_view channel) {
    if (!channel.starts_with("nd:")) return std::nullopt;
    channel.remove_prefix(3);
    const auto dot = channel.find('.');
    DeviceKey key;
    if (dot == std::string_view::npos || !parseNumber(channel.substr(0, dot), key.user_id) ||
        !parseNumber(channel.substr(dot + 1), key.device_id))
        return std::nullopt;
    return key;
}
std::optional<UserId> userOfChannel(std::string_view channel) {
    UserId user = 0;
    if (!channel.starts_with("nu:") || !parseNumber(channel.substr(3), user)) return std::nullopt;
    return user;
}
std::string entryText(const QueueEntry& entry) {
    if (entry.text) return *entry.text;
    return std::visit([](const auto& frame) { return protocol::serializeFrame(frame); }, entry.frame);
}
} // namespace

RedisBus::RedisBus(boost::asio::io_context& io, RedisBusSettings settings, RevocationList& revocations)
    : io_(io),
      settings_(std::move(settings)),
      revocations_(revocations),
      commands_(io, settings_.endpoint, "commands", settings_.command_timeout),
      subscriber_(io, settings_.endpoint, "subscriber", settings_.command_timeout),
      resyncTimer_(io) {}

void RedisBus::start(ClusterInbound& inbound, Wake wake) {
    inbound_ = &inbound;
    wake_ = std::move(wake);
    subscriber_.setMessageHandler([this](std::string_view channel, std::string_view payload) { onMessage(channel, payload); });
    subscriber_.subscribe(std::string(kBroadcastChannel));
    commands_.onUp([this] {
        // Loaded before anything else is sent, so EVALSHA finds them and script calls keep their order.
        for (const char* script : {presence_scripts::kUp, presence_scripts::kDown, presence_scripts::kRefresh,
                                   presence_scripts::kReap, presence_scripts::kOnline, SharedLimits::script(),
                                   media_quota_scripts::kReserve, media_quota_scripts::kStored})
            commands_.command({"SCRIPT", "LOAD", script});
        connectionChanged();
    });
    commands_.onDown([this] { connectionChanged(); });
    subscriber_.onUp([this] { connectionChanged(); });
    subscriber_.onDown([this] { connectionChanged(); });
    commands_.start();
    subscriber_.start();
    resyncWhileDown(); // until Redis answers, other nodes' messages come from the store
}

void RedisBus::stop() {
    stopped_ = true;
    resyncTimer_.cancel();
    commands_.stop();
    subscriber_.stop();
}

std::string RedisBus::member(DeviceKey device) const {
    return std::to_string(device.device_id) + "@" + settings_.node_id;
}

void RedisBus::connectionChanged() {
    const bool now = shared();
    if (now == wasShared_) return;
    wasShared_ = now;
    if (!now) {
        log::cluster()->warn("node {}: Redis unavailable; local delivery continues, queues re-read every {} ms",
                             settings_.node_id, settings_.resync_period.count());
        resyncWhileDown();
        return;
    }
    log::cluster()->info("node {}: Redis available; routing across nodes", settings_.node_id);
    resyncTimer_.cancel();
    refreshPresence();
    inbound_->resyncLocal(); // whatever was published while this node was not subscribed
    for (const auto& listener : sharedListeners_) listener();
}

void RedisBus::resyncWhileDown() {
    resyncTimer_.expires_after(settings_.resync_period);
    resyncTimer_.async_wait([this](boost::system::error_code ec) {
        if (ec || stopped_ || shared()) return;
        inbound_->resyncLocal();
        resyncWhileDown();
    });
}

void RedisBus::publish(const std::string& channel, std::string text, RedisConnection::ReplyHandler done) {
    commands_.command({"PUBLISH", channel, std::move(text)}, std::move(done));
}

void RedisBus::deviceAttached(DeviceKey device, bool firstHere, Answer done) {
    const std::string channel = deviceChannel(device.user_id, device.device_id);
    // Displacement: an older connection of this device on another node closes.
    publish(channel, BusMessage{BusMessage::Kind::kick, settings_.node_id, ++serial_, 0, {}}.encode());
    subscriber_.subscribe(channel);
    if (firstHere) subscriber_.subscribe(userChannel(device.user_id));
    commands_.eval(presence_scripts::kUp, {"0", std::to_string(settings_.presence_ttl.count()),
                       std::to_string(device.user_id), member(device)},
                      [done = std::move(done), firstHere](std::optional<RedisReply> reply) {
                          if (!reply || reply->type != RedisReply::Type::integer) return done(firstHere);
                          done(reply->integer == 1);
                      });
}

void RedisBus::deviceDetached(DeviceKey device, bool lastHere, Answer done) {
    subscriber_.unsubscribe(deviceChannel(device.user_id, device.device_id));
    if (lastHere) subscriber_.unsubscribe(userChannel(device.user_id));
    commands_.eval(presence_scripts::kDown, {"0", std::to_string(device.user_id), member(device)},
                      [done = std::move(done), lastHere](std::optional<RedisReply> reply) {
                          if (!reply || reply->type != RedisReply::Type::integer) return done(lastHere);
                          done(reply->integer == 1);
                      });
}

void RedisBus::refreshPresence() {
    if (!commands_.up()) return;
    const auto devices = inbound_->localDevices();
    for (std::size_t i = 0; i < devices.size(); i += kRefreshChunk) {
        std::vector<std::string> args{"0", std::to_string(settings_.presence_ttl.count())};
        for (std::size_t j = i; j < std::min(devices.size(), i + kRefreshChunk); ++j) {
            args.push_back(std::to_string(devices[j].user_id));
            args.push_back(member(devices[j]));
        }
        commands_.eval(presence_scripts::kRefresh, std::move(args));
    }
    reap();
}

void RedisBus::reap() {
    // One node at a time: the lock lives as long as a refresh period.
    const auto period = std::max<std::chrono::milliseconds>(std::chrono::milliseconds(250), settings_.presence_ttl / 4);
    commands_.command({"SET", "natter:reaper", settings_.node_id, "NX", "PX", std::to_string(period.count())},
                      [this](std::optional<RedisReply> locked) {
                          if (!locked || !locked->isOk()) return;
                          commands_.eval(presence_scripts::kReap, {"0", std::to_string(kReapBatch)},
                                            [this](std::optional<RedisReply> offline) {
                                                if (!offline || offline->type != RedisReply::Type::array) return;
                                                for (const auto& u : offline->elements) {
                                                    UserId user = 0;
                                                    if (parseNumber(u.str, user)) inbound_->userExpired(user);
                                                }
                                            });
                      });
}

void RedisBus::isOnline(UserId user, bool onlineHere, Answer done) {
    if (onlineHere || !commands_.up()) return done(onlineHere);
    commands_.eval(presence_scripts::kOnline, {"0", std::to_string(user)},
                      [done = std::move(done)](std::optional<RedisReply> reply) {
                          done(reply && reply->type == RedisReply::Type::integer && reply->integer > 0);
                      });
}

void RedisBus::routeEntry(const QueueEntry& entry, const std::string* wakeChat) {
    std::optional<std::string> chat;
    if (wakeChat) chat = *wakeChat;
    if (!commands_.up()) {
        if (chat && wake_) wake_(entry.target, *chat);
        return;
    }
    const std::string text = entryText(entry);
    publish(deviceChannel(entry.target.user_id, entry.target.device_id),
            BusMessage{BusMessage::Kind::entry, settings_.node_id, entry.qid, 0, text}.encode(),
            [this, target = entry.target, chat = std::move(chat)](std::optional<RedisReply> receivers) {
                if (!chat) return;
                if (!receivers) {
                    if (wake_) wake_(target, *chat); // Redis failed: better a wake too many than none
                    return;
                }
                if (receivers->type == RedisReply::Type::integer && receivers->integer == 0) wakeOnce(target, *chat);
            });
}

void RedisBus::wakeOnce(DeviceKey device, const std::string& chatId) {
    commands_.command({"SET", "wake:" + std::to_string(device.user_id) + "." + std::to_string(device.device_id),
                       settings_.node_id, "NX", "PX", std::to_string(settings_.wake_window.count())},
                      [this, device, chatId](std::optional<RedisReply> set) {
                          if (!wake_) return;
                          if (!set || set->isOk()) wake_(device, chatId); // another node woke it otherwise
                      });
}

void RedisBus::sendToDevice(DeviceKey device, const std::shared_ptr<const std::string>& frame) {
    if (!commands_.up()) return;
    publish(deviceChannel(device.user_id, device.device_id),
            BusMessage{BusMessage::Kind::frame, settings_.node_id, 0, 0, *frame}.encode());
}

void RedisBus::sendToUser(UserId user, const std::shared_ptr<const std::string>& frame, std::optional<DeviceKey> except) {
    if (!commands_.up()) return;
    const std::uint64_t skip = except && except->user_id == user ? std::uint64_t(except->device_id) + 1 : 0;
    publish(userChannel(user), BusMessage{BusMessage::Kind::frame, settings_.node_id, skip, 0, *frame}.encode());
}

void RedisBus::closeDevice(DeviceKey device, CloseCode code, std::string_view reason) {
    if (!commands_.up()) return;
    publish(deviceChannel(device.user_id, device.device_id),
            BusMessage{BusMessage::Kind::close, settings_.node_id, static_cast<std::uint64_t>(code), 0, reason}.encode());
}

void RedisBus::revoked(DeviceKey device, protocol::RevocationReason reason) {
    if (!commands_.up()) return; // the other nodes reload revocations from the store periodically
    publish(std::string(kBroadcastChannel), BusMessage{BusMessage::Kind::revoke, settings_.node_id, device.user_id,
                                                       device.device_id, protocol::toString(reason)}
                                                .encode());
}

void RedisBus::onMessage(std::string_view channel, std::string_view payload) {
    const auto message = BusMessage::parse(payload);
    if (!message) {
        log::cluster()->warn("node {}: malformed message on {}", settings_.node_id, channel);
        return;
    }
    if (message->origin == settings_.node_id) return; // served locally before it was published
    const auto text = [&] { return std::make_shared<const std::string>(message->payload); };
    if (message->kind == BusMessage::Kind::revoke) {
        protocol::RevocationReason reason{};
        if (!protocol::fromString(message->payload, reason)) return;
        const DeviceKey device{message->a, static_cast<DeviceId>(message->b)};
        revocations_.revoke(device, reason);
        inbound_->closeLocal(device, CloseCode::PolicyViolation, protocol::toString(reason));
        return;
    }
    if (const auto user = userOfChannel(channel)) {
        std::optional<DeviceKey> except;
        if (message->a > 0) except = DeviceKey{*user, static_cast<DeviceId>(message->a - 1)};
        inbound_->remoteFrameToUser(*user, except, text());
        return;
    }
    const auto device = deviceOfChannel(channel);
    if (!device) return;
    switch (message->kind) {
    case BusMessage::Kind::entry: {
        QueueEntry entry;
        entry.qid = message->a;
        entry.target = *device;
        entry.text = text();
        inbound_->remoteEntry(entry);
        break;
    }
    case BusMessage::Kind::frame: inbound_->remoteFrameToDevice(*device, text()); break;
    case BusMessage::Kind::kick:
        log::cluster()->info("device {}.{} connected on node {}; closing its connection here", device->user_id,
                             device->device_id, message->origin);
        inbound_->closeLocal(*device, CloseCode::Replaced, kReplaced);
        break;
    case BusMessage::Kind::close: {
        inbound_->closeLocal(*device, static_cast<CloseCode>(message->a), message->payload);
        break;
    }
    case BusMessage::Kind::revoke: break;
    }
}

} // namespace natter::server
