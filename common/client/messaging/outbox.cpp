#include "client/messaging/outbox.h"

#include "client/core/bytes.h"
#include "client/crypto/group_cipher.h"
#include "client/crypto/pairwise_cipher.h"
#include "client/messaging/device_directory.h"
#include "client/messaging/profile_names.h"
#include "client/net/connection.h"
#include "client/store/chat_store.h"
#include "client/store/database.h"
#include "client/store/group_store.h"
#include "client/store/message_store.h"
#include "client/store/outbox_store.h"
#include "client/store/profile_store.h"
#include "protocol/e2e_codec.h"
#include "protocol/error.h"
#include "protocol/device_list.h"
#include "protocol/identifiers.h"

#include <QDateTime>
#include <QLoggingCategory>
#include <QTimer>
#include <QUuid>

Q_LOGGING_CATEGORY(lcOutbox, "natter.outbox")

namespace natter::client {

namespace e2e = protocol::e2e;

namespace {

QString newClientMsgId() { return QUuid::createUuid().toString(QUuid::WithoutBraces); }

QByteArray contentBytes(const e2e::Content& content) { return QByteArray::fromStdString(e2e::serializeContent(content)); }

} // namespace

Outbox::Outbox(store::ProfileStore& store, net::Connection& connection, DeviceDirectory& devices,
               crypto::PairwiseCipher& pairwise, crypto::GroupCipher& group, Identity self, QObject* parent)
    : QObject(parent), m_store(store), m_connection(connection), m_devices(devices), m_pairwise(pairwise),
      m_group(group), m_self(self) {}

Expected<qint64> Outbox::send(MessageRecord message, const e2e::Content& content) {
    if (m_halted) return makeClientError(ErrorKind::Revoked, *m_halted);
    message.clientMsgId = newClientMsgId();
    message.senderId = m_self.user;
    message.senderDevice = m_self.device;
    message.direction = MessageDirection::outgoing;
    message.state = MessageState::pending;
    if (message.timestamp == 0) message.timestamp = QDateTime::currentMSecsSinceEpoch();
    e2e::Content sent = content;
    qint64 localId = 0;
    auto stored = m_store.database().transaction([&]() -> Expected<void> {
        // Disappearing messages: a text or file carries the chat's timer as it is now.
        const bool shown = message.kind == MessageKind::text || message.kind == MessageKind::media;
        if (shown) {
            auto chat = m_store.chats().byId(message.chatId);
            if (!chat) return chat.error();
            message.expireTimer = *chat ? (*chat)->expireTimer : 0;
            sent.expire_timer = message.expireTimer ? std::optional<std::uint32_t>(message.expireTimer) : std::nullopt;
        }
        // Profile names: the own name goes with the first text or file since it last changed.
        std::optional<e2e::SenderProfile> profile = shown ? ownProfile(m_store) : std::nullopt;
        if (profile) {
            auto already = m_store.chats().profileSent(message.chatId);
            if (!already) return already.error();
            if (*already == profile->version) profile.reset();
            sent.profile = profile;
        }
        auto inserted = m_store.messages().insert(message);
        if (!inserted) return inserted.error();
        localId = inserted->localId;
        OutboxEntry entry;
        entry.chatId = message.chatId;
        entry.clientMsgId = message.clientMsgId;
        entry.content = contentBytes(sent);
        entry.localMessageId = localId;
        if (auto r = m_store.outbox().enqueue(entry); !r) return r.error();
        const QString preview = message.media ? QStringLiteral("📎 ") + message.media->fileName : message.text;
        if (auto r = m_store.chats().touch(message.chatId, message.timestamp, preview, false); !r) return r;
        if (profile) return m_store.chats().setProfileSent(message.chatId, profile->version);
        return {};
    });
    if (!stored) return stored.error();
    QTimer::singleShot(0, this, &Outbox::pump);
    return localId;
}

Expected<void> Outbox::sendControl(UserId to, const e2e::Content& content) {
    return sendInChat(QString::fromStdString(protocol::directChatId(m_self.user, to)), content);
}

Expected<void> Outbox::sendInChat(const QString& chatId, const e2e::Content& content) {
    if (m_halted) return makeClientError(ErrorKind::Revoked, *m_halted);
    OutboxEntry entry;
    entry.chatId = chatId;
    entry.clientMsgId = newClientMsgId();
    entry.content = contentBytes(content);
    if (auto r = m_store.outbox().enqueue(entry); !r) return r.error();
    QTimer::singleShot(0, this, &Outbox::pump);
    return {};
}

void Outbox::senderKeyRotated(const QString& chatId) {
    if (auto r = m_store.groups().clearSenderKeyShares(chatId); !r) {
        qCWarning(lcOutbox) << "cannot forget who held the old sender key of" << chatId << "(" << r.error().message
                            << "); the new key goes to every member device";
        m_staleShares.insert(chatId);
    }
}

std::vector<qint64> Outbox::halt(const QString& reason) {
    m_halted = reason;
    m_inFlight.clear();
    m_handled.clear();
    std::vector<qint64> failed;
    auto pending = m_store.outbox().pending();
    if (!pending) {
        qCWarning(lcOutbox) << "cannot read the outbox:" << pending.error().message;
        return failed;
    }
    for (const OutboxEntry& entry : *pending) {
        InFlight item;
        item.chatId = entry.chatId;
        item.clientMsgId = entry.clientMsgId;
        item.outboxId = entry.id;
        item.localId = entry.localMessageId;
        fail(item, reason);
        if (item.localId) failed.push_back(item.localId);
    }
    return failed;
}

void Outbox::onConnected() { pump(); }

void Outbox::onDisconnected() {
    // Everything unacknowledged goes again, in order, with the same client_msg_id.
    m_inFlight.clear();
    m_handled.clear();
}

void Outbox::pump() {
    if (m_preparing || m_halted || !m_connection.isConnected()) return;
    // Only the head of the queue can go out now: what is in flight or being prepared, plus a
    // window's worth (so a long offline backlog is not re-read for every ack).
    auto pending = m_store.outbox().pending(int(m_handled.size()) + kWindow);
    if (!pending) {
        qCWarning(lcOutbox) << "cannot read the outbox:" << pending.error().message;
        return;
    }
    for (const OutboxEntry& entry : *pending) {
        if (m_inFlight.size() >= kWindow) return;
        if (m_handled.contains(entry.id)) continue;
        m_handled.insert(entry.id);
        InFlight item;
        item.chatId = entry.chatId;
        item.clientMsgId = entry.clientMsgId;
        item.content = entry.content;
        item.outboxId = entry.id;
        item.localId = entry.localMessageId;
        item.attempts = entry.attempts;
        transmit(std::move(item));
        // A preparation that waits for the network (pre-key bundles) holds the queue, so
        // messages leave in the order they were written.
        if (m_preparing) return;
    }
}

void Outbox::transmit(InFlight item) {
    if (m_halted) return;
    m_preparing = true;
    auto shared = std::make_shared<InFlight>(std::move(item));
    build(*shared, [this, shared](Expected<protocol::SendMessage> frame) {
        m_preparing = false;
        if (m_halted) return; // failed by halt() meanwhile
        if (!frame) {
            if (frame.error().kind == ErrorKind::Network) {
                m_handled.remove(shared->outboxId); // try again after the next connect
                return;
            }
            if (frame.error().kind == ErrorKind::InvalidArgument && shared->localId == 0) {
                // Nothing to deliver. Left in the outbox it is only tried (and dropped) again.
                if (auto r = m_store.outbox().remove(shared->outboxId); !r)
                    qCWarning(lcOutbox) << "cannot drop an undeliverable outbox entry:" << r.error().message;
                m_handled.remove(shared->outboxId);
                emitIfEmpty();
            } else {
                fail(*shared, frame.error().message);
            }
            QTimer::singleShot(0, this, &Outbox::pump);
            return;
        }
        if (!m_connection.send(*frame)) {
            m_handled.remove(shared->outboxId);
            return;
        }
        m_inFlight.insert(shared->clientMsgId, *shared);
        QTimer::singleShot(0, this, &Outbox::pump);
    });
}

void Outbox::build(InFlight& item, Built done) {
    if (protocol::isGroupChatId(item.chatId.toStdString())) buildGroup(item, std::move(done));
    else buildDirect(item, std::move(done));
}

void Outbox::buildDirect(const InFlight& item, Built done) {
    const auto pair = protocol::parseDirectChatId(item.chatId.toStdString());
    const bool own = protocol::parseOwnChatId(item.chatId.toStdString()) == m_self.user;
    if (!pair && !own) {
        done(makeClientError(ErrorKind::InvalidArgument, QStringLiteral("not a chat id: %1").arg(item.chatId)));
        return;
    }
    // The account's own chat (account sync) addresses only this account's other devices.
    const UserId peer = own ? m_self.user : pair->first == m_self.user ? pair->second : pair->first;
    m_devices.ensureSessions({peer, m_self.user}, [this, peer, item, done](Expected<void> ready) {
        if (!ready) {
            done(ready.error());
            return;
        }
        protocol::SendMessage frame;
        frame.chat_id = item.chatId.toStdString();
        frame.client_msg_id = item.clientMsgId.toStdString();
        for (UserId user : {peer, m_self.user}) {
            if (user == m_self.user && peer == m_self.user && !frame.envelopes.empty()) break;
            for (DeviceId device : m_devices.devicesOf(user)) {
                auto wire = m_pairwise.encrypt(user, device, item.content);
                if (!wire) {
                    done(wire.error());
                    return;
                }
                frame.envelopes.push_back({user, device, toBase64(*wire)});
            }
        }
        if (frame.envelopes.empty() && peer == m_self.user) {
            // Control content for our own other devices, and there are none: nothing to send.
            done(makeClientError(ErrorKind::InvalidArgument, QStringLiteral("no other device of this account")));
            return;
        }
        if (frame.envelopes.empty()) {
            done(makeClientError(ErrorKind::NotFound,
                                 QStringLiteral("user %1 has no device that can receive messages yet").arg(peer)));
            return;
        }
        done(std::move(frame));
    });
}

std::vector<UserId> Outbox::groupMembers(const QString& chatId) {
    std::vector<UserId> members;
    if (auto group = m_store.groups().byId(chatId); group && *group)
        for (const auto& m : (*group)->members) members.push_back(m.userId);
    return members;
}

void Outbox::buildGroup(const InFlight& item, Built done) {
    auto group = m_store.groups().byId(item.chatId);
    if (!group || !*group) {
        done(makeClientError(ErrorKind::NotFound, QStringLiteral("unknown group %1").arg(item.chatId)));
        return;
    }
    std::vector<UserId> members;
    bool isMember = false;
    for (const auto& m : (*group)->members) {
        if (m.userId == m_self.user) isMember = true;
        members.push_back(m.userId);
    }
    if (!isMember) {
        done(makeClientError(ErrorKind::Server, QStringLiteral("you are no longer a member of this group")));
        return;
    }
    m_devices.ensureSessions(members, [this, item, members, done](Expected<void> ready) {
        if (!ready) {
            done(ready.error());
            return;
        }
        if (auto shared = distributeSenderKey(item.chatId, members); !shared) {
            done(shared.error());
            return;
        }
        auto ciphertext = m_group.encrypt(item.chatId, m_self.user, m_self.device, item.content);
        if (!ciphertext) {
            done(ciphertext.error());
            return;
        }
        protocol::SendMessage frame;
        frame.chat_id = item.chatId.toStdString();
        frame.client_msg_id = item.clientMsgId.toStdString();
        frame.content = toBase64(*ciphertext);
        // The devices our key reached: the server refuses the message if the group has others.
        std::vector<protocol::DeviceAddress> reached;
        for (UserId user : members)
            for (DeviceId device : m_devices.devicesOf(user)) reached.push_back({user, device});
        frame.devices_hash = protocol::devicesHash(std::move(reached));
        done(std::move(frame));
    });
}

Expected<void> Outbox::distributeSenderKey(const QString& chatId, const std::vector<UserId>& members) {
    auto& groups = m_store.groups();
    if (m_staleShares.contains(chatId) && groups.clearSenderKeyShares(chatId)) m_staleShares.remove(chatId);
    const bool unsure = m_staleShares.contains(chatId);
    const auto lacks = [&](UserId user, DeviceId device) {
        return unsure || !valueOr(groups.senderKeyShared(chatId, user, device), false);
    };
    // Our other devices get the key inside every direct message we send (each one carries
    // envelopes for them too), so whichever member's message goes first reaches them.
    std::vector<protocol::DeviceAddress> ownLacking;
    for (DeviceId d : m_devices.devicesOf(m_self.user))
        if (lacks(m_self.user, d)) ownLacking.push_back({m_self.user, d});
    std::vector<std::pair<UserId, std::vector<protocol::DeviceAddress>>> targets;
    for (UserId user : members) {
        if (user == m_self.user) continue;
        std::vector<protocol::DeviceAddress> lacking;
        for (DeviceId d : m_devices.devicesOf(user))
            if (lacks(user, d)) lacking.push_back({user, d});
        if (!lacking.empty()) targets.emplace_back(user, std::move(lacking));
    }
    // Only our own new device lacks it: any member's direct chat carries it there.
    if (targets.empty() && !ownLacking.empty())
        for (UserId user : members)
            if (user != m_self.user) {
                targets.emplace_back(user, std::vector<protocol::DeviceAddress>{});
                break;
            }
    if (targets.empty()) return {};
    auto skdm = m_group.distributionMessage(chatId, m_self.user, m_self.device);
    if (!skdm) return skdm.error();
    e2e::Content content;
    content.sender_key = e2e::SenderKeyDistribution{chatId.toStdString(), toBase64(*skdm)};
    for (auto& [user, lacking] : targets) {
        InFlight control;
        control.chatId = QString::fromStdString(protocol::directChatId(m_self.user, user));
        control.clientMsgId = newClientMsgId();
        control.content = contentBytes(content);
        control.groupId = chatId;
        control.shares = lacking;
        control.shares.insert(control.shares.end(), ownLacking.begin(), ownLacking.end());
        // Sessions exist (ensured above): this builds and sends synchronously, before the
        // group message, so every member device's queue holds the key first.
        buildDirect(control, [this, control](Expected<protocol::SendMessage> frame) {
            if (frame && m_connection.send(*frame)) m_inFlight.insert(control.clientMsgId, control);
            else qCWarning(lcOutbox) << "sender key distribution not sent; it goes again before the next message";
        });
    }
    return {};
}

void Outbox::onSentAck(const protocol::SentAck& ack) {
    const QString clientMsgId = QString::fromStdString(ack.client_msg_id);
    auto it = m_inFlight.find(clientMsgId);
    if (it == m_inFlight.end()) {
        // An ack for something sent before a reconnect: finish its outbox entry all the same.
        auto entry = m_store.outbox().byClientMsgId(clientMsgId);
        if (!entry || !*entry) return;
        InFlight item;
        item.chatId = (*entry)->chatId;
        item.clientMsgId = clientMsgId;
        item.outboxId = (*entry)->id;
        item.localId = (*entry)->localMessageId;
        complete(item, ack);
        return;
    }
    const InFlight item = *it;
    m_inFlight.erase(it);
    complete(item, ack);
    pump();
}

void Outbox::complete(const InFlight& item, const protocol::SentAck& ack) {
    auto done = m_store.database().transaction([&]() -> Expected<void> {
        if (item.localId)
            if (auto r = m_store.messages().markSent(item.localId, ack.message_id, ack.seq, ack.timestamp); !r) return r;
        if (!item.localId)
            if (auto r = m_store.messages().recordSeq(item.chatId, ack.seq); !r) return r;
        for (const auto& a : item.shares)
            if (auto r = m_store.groups().markSenderKeyShared(item.groupId, a.user_id, a.device_id); !r) return r;
        if (item.outboxId)
            if (auto r = m_store.outbox().remove(item.outboxId); !r) return r;
        return {};
    });
    if (!done) {
        qCWarning(lcOutbox) << "cannot record a sent ack:" << done.error().message;
        return;
    }
    m_handled.remove(item.outboxId);
    if (item.localId) emit messageUpdated(item.localId, item.chatId);
    emit seqFilled(item.chatId);
    emitIfEmpty();
}

void Outbox::emitIfEmpty() {
    if (valueOr(m_store.outbox().count(), 1) == 0) emit emptied();
}

void Outbox::onError(const protocol::ErrorFrame& error) {
    if (!error.ref) return;
    auto it = m_inFlight.find(QString::fromStdString(*error.ref));
    if (it == m_inFlight.end()) return;
    InFlight item = *it;
    m_inFlight.erase(it);
    if (++item.attempts > kMaxAttempts) {
        fail(item, QString::fromStdString(error.message));
        return;
    }
    if (item.outboxId)
        if (auto r = m_store.outbox().bumpAttempts(item.outboxId); !r)
            qCWarning(lcOutbox) << "cannot count a failed attempt of message" << item.clientMsgId << ":" << r.error().message;
    if (error.code == "device_mismatch" && protocol::isGroupChatId(item.chatId.toStdString())) {
        // A member linked or removed a device: learn every member's current devices, then
        // send our sender key to the new ones (buildGroup) and the message again.
        m_devices.refreshLists(groupMembers(item.chatId), [this, item](Expected<void> fixed) {
            if (!fixed) {
                fail(item, fixed.error().message);
                return;
            }
            transmit(item);
        });
        return;
    }
    if (error.code == "device_mismatch") {
        // Someone linked or removed a device: fix the list, then encrypt again.
        m_devices.applyMismatch(error.missing_devices.value_or(std::vector<protocol::DeviceAddress>{}),
                                error.extra_devices.value_or(std::vector<protocol::DeviceAddress>{}),
                                [this, item](Expected<void> fixed) {
                                    if (!fixed) {
                                        fail(item, fixed.error().message);
                                        return;
                                    }
                                    transmit(item);
                                });
        return;
    }
    if (error.code == "rate_limited" || error.code == "internal") {
        QTimer::singleShot(1000 * item.attempts, this, [this, item] { transmit(item); });
        return;
    }
    fail(item, QString::fromStdString(error.message));
}

void Outbox::fail(const InFlight& item, const QString& reason) {
    if (m_halted) qCInfo(lcOutbox) << "message" << item.clientMsgId << "not sent:" << reason;
    else qCWarning(lcOutbox) << "message" << item.clientMsgId << "failed:" << reason;
    if (item.outboxId)
        if (auto r = m_store.outbox().remove(item.outboxId); !r)
            qCWarning(lcOutbox) << "cannot drop failed message" << item.clientMsgId << "from the outbox:" << r.error().message;
    m_handled.remove(item.outboxId);
    if (item.localId) {
        // messageFailed still tells the user; only the stored state may lag behind.
        if (auto r = m_store.messages().advanceState(item.localId, MessageState::failed); !r)
            qCWarning(lcOutbox) << "cannot mark message" << item.clientMsgId << "failed:" << r.error().message;
        emit messageFailed(item.localId, item.chatId, reason);
    }
    emitIfEmpty();
}

} // namespace natter::client
