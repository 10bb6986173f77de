#include "gateway/device_session.h"

#include "app/clock.h"
#include "cluster/shared_limits.h"
#include "gateway/frame_text.h"
#include "gateway/hub.h"
#include "keys/key_directory.h"
#include "logging/loggers.h"
#include "messaging/message_service.h"
#include "metrics/metrics.h"
#include "protocol/frame_codec.h"
#include "protocol/identifiers.h"
#include "store/store_worker.h"

#include <algorithm>
#include <utility>

namespace natter::server {

using protocol::ErrorCode;
using protocol::makeError;

DeviceSession::DeviceSession(GatewayContext& ctx, DeviceKey key, std::shared_ptr<Connection> connection)
    : ctx_(ctx),
      key_(key),
      connection_(std::move(connection)),
      lastActivity_(std::chrono::steady_clock::now()),
      messageRate_(ctx.settings.message_rate, ctx.settings.message_rate * 2),
      typingRate_(ctx.settings.typing_rate, ctx.settings.typing_rate * 2) {}

void DeviceSession::start() {
    ctx_.metrics.connectionOpened();
    sendFrame(frameText(protocol::Welcome{protocol::kProtocolVersion, key_.user_id, key_.device_id, nowMs(),
                                       ctx_.settings.heartbeat_interval_s}));
    ctx_.hub.attach(shared_from_this());
    pump();
    warnIfPrekeysLow();
}

void DeviceSession::warnIfPrekeysLow() {
    auto self = shared_from_this();
    ctx_.worker.submit([this](Store& store) { return ctx_.keys.warningFor(store, key_); },
                       [self](protocol::Result<std::optional<protocol::PrekeysLow>> warning) {
                           if (warning && *warning) self->sendFrame(frameText(**warning));
                       });
}

void DeviceSession::onActivity() { lastActivity_ = std::chrono::steady_clock::now(); }

void DeviceSession::onDrained() {
    congested_ = false;
    pump(); // entries held back are still in the queue: read on from the cursor
}

void DeviceSession::onClosed() {
    if (ended_) return;
    ended_ = true;
    closed_ = true;
    connection_.reset();
    ctx_.metrics.connectionClosed();
    ctx_.hub.detach(this);
}

void DeviceSession::close(CloseCode code, std::string_view reason) {
    if (closed_) return;
    closed_ = true;
    if (connection_) connection_->close(code, reason);
}

void DeviceSession::sendFrame(std::shared_ptr<const std::string> frame) {
    if (closed_ || !connection_) return;
    switch (connection_->send(std::move(frame))) {
    case SendResult::queued:
        return;
    case SendResult::overflow: // the transport closes the connection; the queue keeps what was unacked
        log::net()->warn("device {}.{} closed as a slow consumer: its unread frames passed the outbound queue's cap",
                         key_.user_id, key_.device_id);
        ctx_.metrics.slowConsumerClosed();
        break;
    case SendResult::closing:
        break;
    }
    closed_ = true;
}

void DeviceSession::sendError(const protocol::Error& error, const std::string& ref) {
    protocol::ErrorFrame frame;
    frame.code = std::string(protocol::toString(error.code));
    frame.message = error.message;
    if (!ref.empty()) frame.ref = ref;
    if (error.code == ErrorCode::DeviceMismatch) {
        frame.missing_devices = error.missing_devices;
        frame.extra_devices = error.extra_devices;
    }
    ctx_.metrics.errorSent();
    sendFrame(frameText(frame));
}

void DeviceSession::onBinary(std::string_view) {
    sendError(makeError(ErrorCode::InvalidField, "binary frames are not part of the protocol; send JSON text frames"),
              {});
}

void DeviceSession::onText(std::string_view text) {
    if (closed_) return;
    std::string ref;
    auto frame = protocol::parseClientFrame(text, ref);
    // Sends and garbage cost a token; acks and pings are bounded by what the server sent.
    const bool limited = !frame || std::holds_alternative<protocol::SendMessage>(*frame);
    // The limits may have been reloaded (SIGHUP) since this session started.
    messageRate_.retune(ctx_.settings.message_rate, ctx_.settings.message_rate * 2);
    if (limited && !messageRate_.tryTake()) {
        sendError(makeError(ErrorCode::RateLimited, "too many messages; slow down"), ref);
        return;
    }
    if (!frame) {
        sendError(frame.error(), ref);
        return;
    }
    std::visit([&](const auto& f) { handle(f, ref); }, *frame);
}

void DeviceSession::handle(const protocol::SendMessage& m, const std::string& ref) {
    if (protocol::parseDirectChatId(m.chat_id) || protocol::parseOwnChatId(m.chat_id) || !ctx_.limits.shared())
        return store(m, ref);
    // A group's message rate holds for all nodes together (MessageService keeps the local one).
    const double rate = ctx_.settings.group_message_rate;
    ctx_.limits.take("g:" + m.chat_id, rate, rate * 2, [self = shared_from_this(), m, ref](bool admitted) {
        if (self->closed_) return;
        if (!admitted)
            return self->sendError(makeError(ErrorCode::RateLimited, "too many messages in this group; slow down"), ref);
        self->store(m, ref);
    });
}

void DeviceSession::store(const protocol::SendMessage& m, const std::string& ref) {
    auto self = shared_from_this();
    ctx_.worker.submit(
        key_,
        [this, m, now = nowMs()](Store& store) { return ctx_.messages.send(store, key_, m, now); },
        [self, ref](protocol::Result<SendOutcome> outcome) {
            if (!outcome) {
                self->sendError(outcome.error(), ref);
                return;
            }
            self->sendFrame(frameText(outcome->ack));
            if (outcome->duplicate) return;
            self->ctx_.metrics.messageStored(outcome->queued.size());
            self->ctx_.hub.deliver(outcome->queued);
        },
        OnError::nothingWritten);
}

void DeviceSession::handle(const protocol::AckMessage& m, const std::string& ref) {
    auto self = shared_from_this();
    ctx_.worker.submit(
        key_,
        [this, m, now = nowMs()](Store& store) { return ctx_.messages.acknowledge(store, key_, m, now); },
        [self, ref](protocol::Result<AckOutcome> outcome) {
            if (!outcome) {
                self->sendError(outcome.error(), ref);
                return;
            }
            auto& metrics = self->ctx_.metrics;
            if (outcome->removed_qid) {
                metrics.entryDequeued();
                if (outcome->message_created_at) metrics.messageDelivered(nowMs() - *outcome->message_created_at);
            }
            metrics.entriesEnqueued(outcome->receipts.size());
            self->ctx_.hub.deliver(outcome->receipts);
            if (outcome->removed_qid) self->entryDone(*outcome->removed_qid);
        },
        OnError::nothingWritten);
}

void DeviceSession::handle(const protocol::ReceiptAck& m, const std::string& ref) {
    auto self = shared_from_this();
    ctx_.worker.submit(
        key_,
        [this, m](Store& store) { return ctx_.messages.acknowledgeReceipt(store, key_, m.receipt_id); },
        [self, ref, qid = m.receipt_id](protocol::Result<bool> removed) {
            if (!removed) {
                self->sendError(removed.error(), ref);
                return;
            }
            if (*removed) {
                self->ctx_.metrics.entryDequeued();
                self->entryDone(qid);
            }
        },
        OnError::nothingWritten, RowLocks::uncontended); // one DELETE of its own queue entry
}

void DeviceSession::handle(const protocol::EventAck& m, const std::string& ref) {
    auto self = shared_from_this();
    ctx_.worker.submit(
        key_,
        [this, m](Store& store) { return ctx_.messages.acknowledgeEvent(store, key_, m.event_id); },
        [self, ref, qid = m.event_id](protocol::Result<bool> removed) {
            if (!removed) {
                self->sendError(removed.error(), ref);
                return;
            }
            if (*removed) {
                self->ctx_.metrics.entryDequeued();
                self->entryDone(qid);
            }
        },
        OnError::nothingWritten, RowLocks::uncontended); // one DELETE of its own queue entry
}

void DeviceSession::handle(const protocol::TypingNotice& m, const std::string& ref) {
    typingRate_.retune(ctx_.settings.typing_rate, ctx_.settings.typing_rate * 2);
    if (!typingRate_.tryTake()) {
        sendError(makeError(ErrorCode::RateLimited, "too many typing notices"), ref);
        return;
    }
    const auto frame = frameText(protocol::TypingEvent{m.chat_id, key_.user_id, key_.device_id, m.state});
    const auto pair = protocol::parseDirectChatId(m.chat_id);
    if (!pair) { // a group: its members come from the store
        auto self = shared_from_this();
        ctx_.worker.submit(
            key_,
            [this, chat = m.chat_id](Store& store) -> protocol::Result<std::vector<UserId>> {
                if (!store.findChat(chat)) return makeError(ErrorCode::NotFound, "no chat " + chat);
                if (!store.isChatMember(chat, key_.user_id))
                    return makeError(ErrorCode::Forbidden, "you are not a member of " + chat);
                return store.chatMembers(chat);
            },
            [self, ref, frame](protocol::Result<std::vector<UserId>> members) {
                if (!members) return self->sendError(members.error(), ref);
                for (UserId u : *members)
                    if (u != self->key_.user_id) self->ctx_.hub.sendToUser(u, frame);
            },
            OnError::nothingWritten, RowLocks::uncontended); // reads only
        return;
    }
    if (pair->first != key_.user_id && pair->second != key_.user_id) {
        sendError(makeError(ErrorCode::Forbidden, "you are not a participant of " + m.chat_id), ref);
        return;
    }
    // No typing between two people when either blocked the other (dropped without a word).
    const UserId other = pair->first == key_.user_id ? pair->second : pair->first;
    auto self = shared_from_this();
    ctx_.worker.submit(
        key_,
        [this, other](Store& store) {
            return protocol::Result<bool>(store.hasBlocked(other, key_.user_id) || store.hasBlocked(key_.user_id, other));
        },
        [self, other, frame](protocol::Result<bool> blocked) {
            if (blocked && !*blocked) self->ctx_.hub.sendToUser(other, frame);
        },
        OnError::nothingWritten, RowLocks::uncontended); // reads only
}

void DeviceSession::handle(const protocol::Ping&, const std::string&) { sendFrame(frameText(protocol::Pong{nowMs()})); }

void DeviceSession::offer(const QueueEntry& entry) {
    if (closed_ || entry.qid <= cursor_) return;
    // Dense ids (PostgreSQL): an id above cursor_ + 1 means an entry before it is not here yet
    // (another lane or node committed it, or its offer is still on the way), so pushing this one
    // would skip that entry. Without dense ids, offers committed by several nodes
    // (fetch_on_offer) may arrive out of queue order too. Either way: read the queue in order.
    const bool inOrder =
        ctx_.worker.denseQueueIds() ? entry.qid == cursor_ + 1 : !ctx_.settings.fetch_on_offer;
    if (!inOrder) {
        resync();
        return;
    }
    if (mode_ == Mode::live && inflight_.size() < ctx_.settings.sync_window && mayPush()) {
        push(entry);
        return;
    }
    // Window full, connection congested or still syncing: the entry is committed, so a later
    // fetch finds it; with dense ids the fetch under way may have read before this commit, so
    // one more follows.
    if (ctx_.worker.denseQueueIds()) resync();
    else mode_ = Mode::syncing;
}

void DeviceSession::resync() {
    if (closed_) return;
    mode_ = Mode::syncing;
    if (fetching_) refetch_ = true;
    else pump();
}

// Queue entries wait in the store while the connection has too much unread; the transport
// calls onDrained once it has written enough of it.
bool DeviceSession::mayPush() {
    if (!congested_ && connection_ && connection_->congested()) congested_ = true;
    return !congested_;
}

void DeviceSession::push(const QueueEntry& entry) {
    cursor_ = entry.qid;
    inflight_.push_back(entry.qid); // callers push only ids above cursor_: the vector stays sorted
    if (entry.text) sendFrame(entry.text);
    else std::visit([this](const auto& frame) { sendFrame(frameText(frame)); }, entry.frame);
}

void DeviceSession::entryDone(std::uint64_t qid) {
    if (const auto it = std::lower_bound(inflight_.begin(), inflight_.end(), qid); it != inflight_.end() && *it == qid)
        inflight_.erase(it);
    pump();
}

void DeviceSession::pump() {
    const std::size_t window = ctx_.settings.sync_window;
    if (closed_ || mode_ != Mode::syncing || fetching_ || congested_ || inflight_.size() > window / 2) return;
    const std::size_t want = window - inflight_.size();
    fetching_ = true;
    auto self = shared_from_this();
    ctx_.worker.submit(
        key_,
        [this, after = cursor_, want](Store& store) { return ctx_.messages.fetch(store, key_, after, want); },
        [self, want](protocol::Result<std::vector<QueueEntry>> entries) {
            self->fetching_ = false;
            if (self->closed_) return;
            if (!entries) {
                log::delivery()->error("queue fetch for {}.{} failed: {}", self->key_.user_id, self->key_.device_id,
                                       entries.error().message);
                self->close(CloseCode::GoingAway, "temporary server error");
                return;
            }
            for (const auto& entry : *entries) {
                if (entry.qid <= self->cursor_) continue;
                if (!self->mayPush()) return; // still syncing: onDrained fetches on from the cursor
                self->push(entry);
                if (!self->syncAnnounced_) ++self->syncDelivered_;
            }
            if (entries->size() < want && !std::exchange(self->refetch_, false)) {
                self->mode_ = Mode::live;
                if (!self->syncAnnounced_) {
                    self->syncAnnounced_ = true;
                    self->sendFrame(frameText(protocol::SyncComplete{self->syncDelivered_}));
                }
                return;
            }
            self->pump();
        },
        OnError::nothingWritten, RowLocks::uncontended); // reads only
}

} // namespace natter::server
