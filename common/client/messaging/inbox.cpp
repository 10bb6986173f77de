#include "client/messaging/inbox.h"

#include "client/core/bytes.h"
#include "client/crypto/group_cipher.h"
#include "client/crypto/pairwise_cipher.h"
#include "client/messaging/account_sync.h"
#include "client/messaging/chat_timers.h"
#include "client/messaging/device_directory.h"
#include "client/messaging/message_actions.h"
#include "client/messaging/new_chat.h"
#include "client/messaging/profile_names.h"
#include "client/net/connection.h"
#include "client/store/chat_store.h"
#include "client/store/database.h"
#include "client/store/contact_store.h"
#include "client/store/group_store.h"
#include "client/store/message_store.h"
#include "client/store/profile_store.h"
#include "protocol/e2e_codec.h"
#include "protocol/identifiers.h"

#include <QDateTime>
#include <QLoggingCategory>

#include <algorithm>

Q_LOGGING_CATEGORY(lcInbox, "natter.inbox")

namespace natter::client {

namespace e2e = protocol::e2e;

std::optional<MediaRecord> mediaFromContent(const e2e::Content& content) {
    if (!content.attachment) return std::nullopt;
    const auto& a = *content.attachment;
    MediaRecord media;
    media.mediaId = QString::fromStdString(a.media_id);
    media.key = fromBase64(a.key).value_or(QByteArray());
    media.digest = fromBase64(a.digest).value_or(QByteArray());
    media.mime = QString::fromStdString(a.mime);
    media.size = qint64(a.size);
    media.fileName = QString::fromStdString(a.file_name);
    if (a.thumbnail) media.thumbnail = fromBase64(*a.thumbnail).value_or(QByteArray());
    return media;
}

e2e::Content contentFromMessage(const MessageRecord& message) {
    e2e::Content content;
    if (!message.text.isEmpty() || !message.media) content.text = message.text.toStdString();
    if (message.media) {
        const auto& m = *message.media;
        e2e::Attachment a;
        a.media_id = m.mediaId.toStdString();
        a.key = toBase64(m.key);
        a.digest = toBase64(m.digest);
        a.mime = m.mime.toStdString();
        a.size = std::uint64_t(m.size);
        a.file_name = m.fileName.toStdString();
        if (!m.thumbnail.isEmpty()) a.thumbnail = toBase64(m.thumbnail);
        content.attachment = a;
    }
    if (message.quote && !message.quote->deleted)
        content.quote = e2e::Quote{message.quote->messageId, message.quote->senderId, message.quote->snippet.toStdString()};
    if (message.forwarded) content.forwarded = true;
    if (message.expireTimer != 0) content.expire_timer = message.expireTimer;
    return content;
}

MessageRecord Inbox::recordOf(const protocol::MessageDelivery& d) const {
    MessageRecord message;
    message.chatId = QString::fromStdString(d.chat_id);
    message.messageId = d.message_id;
    message.clientMsgId = QString::fromStdString(d.client_msg_id);
    message.senderId = d.sender_id;
    message.senderDevice = d.sender_device;
    message.seq = d.seq;
    message.timestamp = d.timestamp;
    // A copy of what this user sent from another device is shown as sent by us.
    const bool mine = d.sender_id == m_self.user;
    message.direction = mine ? MessageDirection::outgoing : MessageDirection::incoming;
    message.state = mine ? MessageState::sent : MessageState::delivered;
    return message;
}

Inbox::Inbox(store::ProfileStore& store, net::Connection& connection, DeviceDirectory& devices,
             crypto::PairwiseCipher& pairwise, crypto::GroupCipher& group, Outbox& outbox, FollowUps& followUps,
             MessageActions& actions, ChatTimers& timers, AccountSync& accountSync, Outbox::Identity self,
             QObject* parent)
    : QObject(parent), m_store(store), m_connection(connection), m_devices(devices), m_pairwise(pairwise),
      m_group(group), m_outbox(outbox), m_followUps(followUps), m_actions(actions), m_timers(timers),
      m_accountSync(accountSync), m_self(self),
      m_gate(store.messages()) {
    connect(&m_gate, &SeqGate::ready, this, &Inbox::messageAdded);
}

void Inbox::ack(MessageId id) {
    m_connection.send(protocol::AckMessage{id, protocol::DeliveryStatus::delivered});
}

void Inbox::onMessage(const protocol::MessageDelivery& d) {
    // At-least-once delivery: a message seen before is acknowledged again, never decrypted
    // twice (the ratchet would refuse it) and never shown twice.
    if (auto known = m_store.messages().byMessageId(d.message_id); known && *known) {
        qCDebug(lcInbox) << "message" << d.message_id << "delivered again; acknowledged, shown once";
        ack(d.message_id);
        return;
    }
    if (auto seen = m_store.messages().hasSeq(QString::fromStdString(d.chat_id), d.seq); seen && *seen && d.seq) {
        ack(d.message_id);
        return;
    }
    const std::size_t identityMark = m_pairwise.identityMark();
    auto plaintext = decrypt(d);
    if (!plaintext) {
        storeUndecryptable(d, plaintext.error().message);
        return;
    }
    // A reinstalled device's first message: the change shows before the message does.
    if (!protocol::isGroupChatId(d.chat_id) && m_pairwise.identityChangedSince(identityMark, d.sender_id, d.sender_device))
        m_devices.identityReplaced(d.sender_id, d.sender_device,
                                   [user = d.sender_id, job = m_followUps.start(QStringLiteral("device lists"))](
                                       Expected<void> r) mutable {
                                       if (!r) qCInfo(lcInbox) << "the devices of user" << user << "are not ready yet:" << r.error().message;
                                       job.done();
                                   });
    auto content = e2e::parseContent(std::string_view(plaintext->constData(), std::size_t(plaintext->size())));
    if (!content) {
        storeUndecryptable(d, QString::fromStdString(content.error().message));
        return;
    }
    if (auto applied = apply(d, *content); !applied) {
        // Nothing acknowledged: the server delivers it again after the next connect.
        qCWarning(lcInbox) << "cannot store message" << d.message_id << ":" << applied.error().message;
        return;
    }
    ack(d.message_id);
}

Expected<QByteArray> Inbox::decrypt(const protocol::MessageDelivery& d) {
    auto bytes = fromBase64(d.content);
    if (!bytes || bytes->isEmpty()) return makeClientError(ErrorKind::Corrupted, QStringLiteral("content is not base64"));
    if (protocol::isGroupChatId(d.chat_id))
        return m_group.decrypt(QString::fromStdString(d.chat_id), d.sender_id, d.sender_device, *bytes);
    return m_pairwise.decrypt(d.sender_id, d.sender_device, *bytes);
}

void Inbox::storeUndecryptable(const protocol::MessageDelivery& d, const QString& reason) {
    qCWarning(lcInbox) << "message" << d.message_id << "from" << d.sender_id << "/" << d.sender_device
                       << "could not be decrypted:" << reason;
    const QString chatId = QString::fromStdString(d.chat_id);
    MessageRecord placeholder = recordOf(d);
    placeholder.kind = MessageKind::undecryptable;
    placeholder.text = QStringLiteral("Waiting for this message. It could not be decrypted and was asked for again.");
    qint64 localId = 0;
    auto stored = m_store.database().transaction([&]() -> Expected<void> {
        const auto pair = protocol::parseDirectChatId(d.chat_id);
        const UserId peer = pair ? (pair->first == m_self.user ? pair->second : pair->first) : 0;
        if (auto r = ensureChat(chatId, peer, placeholder.direction == MessageDirection::incoming); !r) return r;
        auto inserted = m_store.messages().insert(placeholder);
        if (!inserted) return inserted.error();
        localId = inserted->localId;
        return m_store.chats().touch(chatId, d.timestamp, placeholder.text, placeholder.direction == MessageDirection::incoming);
    });
    if (!stored) return; // not acknowledged: delivered again later
    ack(d.message_id);
    m_gate.arrived(localId, chatId, d.seq);

    if (m_resendAsked.contains(d.message_id)) return;
    m_resendAsked.insert(d.message_id);
    e2e::Content request;
    request.resend_request = e2e::ResendRequest{d.chat_id, d.message_id};
    const UserId sender = d.sender_id;
    // Counted until the request is queued (the outbox counts it from there on).
    auto job = m_followUps.start(QStringLiteral("a resend request"));
    auto askAgain = [this, sender, request, job](Expected<void>) mutable {
        if (auto r = m_outbox.sendControl(sender, request); !r)
            qCWarning(lcInbox) << "cannot queue a resend request:" << r.error().message;
        job.done();
    };
    if (protocol::isGroupChatId(d.chat_id)) askAgain({});
    else m_devices.resetSession(d.sender_id, d.sender_device, askAgain); // the session is broken: start afresh
}

Expected<void> Inbox::ensureChat(const QString& chatId, UserId peer, bool fromPeer) {
    if (auto existing = m_store.chats().byId(chatId); existing && *existing) {
        // Writing to them from another device of this account accepts their request here too.
        if ((*existing)->request && !fromPeer) return m_store.chats().setRequest(chatId, false);
        return {};
    }
    auto made = newChatRecord(m_store, chatId, m_self.user);
    if (!made) return made.error();
    ChatRecord chat = std::move(*made);
    if (chat.type == ChatType::direct) {
        chat.peerId = peer;
        auto contact = m_store.contacts().byId(peer);
        if (!contact) return contact.error();
        // A stranger's first message: the chat is a message request until the user accepts it
        // (never the account's own chat, where its devices' notices go).
        chat.request = fromPeer && !*contact && peer != m_self.user;
    } else {
        auto group = m_store.groups().byId(chatId);
        // Counted from now: whoever handles the signal starts its own work before this ends.
        if (group && !*group)
            QMetaObject::invokeMethod(
                this,
                [this, chatId, job = m_followUps.start(QStringLiteral("group details"))]() mutable {
                    emit unknownGroup(chatId);
                    job.done();
                },
                Qt::QueuedConnection);
    }
    if (auto r = m_store.chats().ensure(chat); !r) return r;
    return chat.request ? m_store.chats().setRequest(chatId, true) : Expected<void>();
}

Expected<void> Inbox::apply(const protocol::MessageDelivery& d, const e2e::Content& content) {
    const QString chatId = QString::fromStdString(d.chat_id);
    if (content.resend_of) return applyResend(d, content);
    if (content.text || content.attachment) return storeMessage(d, content);
    if (content.disappearing) return storeTimerChange(d, *content.disappearing);
    // Control content and actions on messages: the seq is recorded so the chat has no false gap.
    if (auto r = m_store.messages().recordSeq(chatId, d.seq); !r) return r;
    m_gate.recheck(chatId);
    if (content.reaction || content.edit || content.delete_for_everyone || content.delete_for_me)
        return m_actions.apply(d, content);
    // Never a message: contacts, profile and chat settings from this account's other devices.
    if (content.account_sync) return m_accountSync.apply(d, *content.account_sync);
    // Profile-only content (a member who joined a group, or one added to it): the name, no message.
    if (content.profile) return storePeerProfile(m_store, m_self.user, d.sender_id, *content.profile);
    if (content.sender_key) {
        const QString groupId = QString::fromStdString(content.sender_key->chat_id);
        auto skdm = fromBase64(content.sender_key->distribution);
        if (!skdm) return makeClientError(ErrorKind::Corrupted, QStringLiteral("sender key is not base64"));
        if (auto r = m_group.processDistribution(groupId, d.sender_id, d.sender_device, *skdm); !r) {
            qCWarning(lcInbox) << "sender key refused:" << r.error().message;
            return {}; // acknowledged: a bad key cannot become good by redelivery
        }
        emit senderKeyReceived(groupId, d.sender_id);
    } else if (content.group_secret) {
        const QString groupId = QString::fromStdString(content.group_secret->chat_id);
        auto secret = fromBase64(content.group_secret->secret);
        if (!secret) return {};
        auto group = m_store.groups().byId(groupId);
        if (!group) return group.error();
        if (!*group) {
            GroupRecord record;
            record.chatId = groupId;
            record.secret = *secret;
            if (auto r = m_store.groups().save(record); !r) return r;
        } else if (auto r = m_store.groups().setSecret(groupId, *secret); !r) {
            return r;
        }
        emit groupSecretReceived(groupId);
    } else if (content.resend_request) {
        answerResendRequest(d.sender_id, *content.resend_request);
    }
    return {};
}

Expected<void> Inbox::storeMessage(const protocol::MessageDelivery& d, const e2e::Content& content) {
    const QString chatId = QString::fromStdString(d.chat_id);
    MessageRecord message = recordOf(d);
    const bool mine = message.direction == MessageDirection::outgoing;
    message.media = mediaFromContent(content);
    message.kind = message.media ? MessageKind::media : MessageKind::text;
    message.text = QString::fromStdString(content.text.value_or(std::string()));
    if (content.quote) message.quote = m_actions.quoteToStore(chatId, *content.quote);
    message.forwarded = content.forwarded.value_or(false);
    message.expireTimer = content.expire_timer.value_or(0);
    message.mentionsMe = !mine && content.mentions &&
                         std::find(content.mentions->begin(), content.mentions->end(), m_self.user) != content.mentions->end();
    // The sender's chosen name, before the row: a chat created for it is titled with the name.
    if (content.profile && !mine)
        if (auto r = storePeerProfile(m_store, m_self.user, d.sender_id, *content.profile); !r) return r;
    const QString preview = message.media ? QStringLiteral("📎 ") + message.media->fileName : message.text;
    return storeRow(message, preview, !mine, std::nullopt);
}

Expected<void> Inbox::storeTimerChange(const protocol::MessageDelivery& d, const e2e::DisappearingTimer& timer) {
    auto text = m_timers.accept(d, timer);
    if (!text) {
        qCInfo(lcInbox) << "a disappearing-messages change from user" << d.sender_id << "was ignored";
        if (auto r = m_store.messages().recordSeq(QString::fromStdString(d.chat_id), d.seq); !r) return r;
        m_gate.recheck(QString::fromStdString(d.chat_id));
        return {};
    }
    MessageRecord line = recordOf(d);
    line.kind = MessageKind::system;
    line.text = *text;
    if (line.direction == MessageDirection::incoming) line.state = MessageState::read;
    return storeRow(line, line.text, false, timer.seconds);
}

Expected<void> Inbox::storeRow(const MessageRecord& message, const QString& preview, bool unread,
                               std::optional<quint32> chatTimer) {
    const QString chatId = message.chatId;
    qint64 localId = 0;
    bool inserted = false;
    auto stored = m_store.database().transaction([&]() -> Expected<void> {
        const auto pair = protocol::parseDirectChatId(chatId.toStdString());
        const UserId peer = pair ? (pair->first == m_self.user ? pair->second : pair->first) : 0;
        if (auto r = ensureChat(chatId, peer, message.direction == MessageDirection::incoming); !r) return r;
        auto result = m_store.messages().insert(message);
        if (!result) return result.error();
        localId = result->localId;
        inserted = result->inserted;
        if (!inserted) return {};
        if (chatTimer)
            if (auto r = m_store.chats().setExpireTimer(chatId, *chatTimer); !r) return r;
        return m_store.chats().touch(chatId, message.timestamp, preview, unread);
    });
    if (!stored) return stored.error();
    if (inserted) m_gate.arrived(localId, chatId, message.seq);
    return {};
}

Expected<void> Inbox::applyResend(const protocol::MessageDelivery& d, const e2e::Content& content) {
    if (auto r = m_store.messages().recordSeq(QString::fromStdString(d.chat_id), d.seq); !r) return r;
    m_gate.recheck(QString::fromStdString(d.chat_id));
    auto original = m_store.messages().byMessageId(*content.resend_of);
    if (!original) return original.error();
    // Only a placeholder of a message from this very sender is replaced: nobody can
    // rewrite someone else's message by claiming to re-send it.
    if (!*original || (*original)->kind != MessageKind::undecryptable || (*original)->senderId != d.sender_id)
        return {};
    if (content.profile)
        if (auto r = storePeerProfile(m_store, m_self.user, d.sender_id, *content.profile); !r) return r;
    const auto media = mediaFromContent(content);
    const QString text = QString::fromStdString(content.text.value_or(std::string()));
    if (auto r = m_store.messages().replaceContent((*original)->localId, media ? MessageKind::media : MessageKind::text,
                                                   text, media);
        !r)
        return r;
    emit messageUpdated((*original)->localId, (*original)->chatId);
    return {};
}

void Inbox::answerResendRequest(UserId requester, const e2e::ResendRequest& request) {
    auto message = m_store.messages().byMessageId(request.message_id);
    if (!message || !*message || (*message)->senderId != m_self.user ||
        (*message)->kind == MessageKind::undecryptable || (*message)->kind == MessageKind::system ||
        (*message)->deleted() ||
        (*message)->chatId.toStdString() != request.chat_id) {
        qCInfo(lcInbox) << "resend request for a message this device cannot re-send; ignored";
        return;
    }
    const MessageRecord& original = **message;
    const bool isGroup = protocol::isGroupChatId(request.chat_id);
    if (isGroup) {
        auto group = m_store.groups().byId(original.chatId);
        const bool member = group && *group &&
                            std::any_of((*group)->members.begin(), (*group)->members.end(),
                                        [&](const GroupMemberRecord& m) { return m.userId == requester; });
        if (!member) {
            qCInfo(lcInbox) << "resend request from a non-member of the group; refused";
            return;
        }
        // Our current sender key first, so the requester can read what follows too.
        if (auto skdm = m_group.distributionMessage(original.chatId, m_self.user, m_self.device)) {
            e2e::Content key;
            key.sender_key = e2e::SenderKeyDistribution{request.chat_id, toBase64(*skdm)};
            if (auto r = m_outbox.sendControl(requester, key); !r)
                qCWarning(lcInbox) << "cannot queue our sender key for a re-send:" << r.error().message;
        }
    } else {
        const auto pair = protocol::parseDirectChatId(request.chat_id);
        if (!pair || (pair->first != requester && pair->second != requester)) return;
    }
    e2e::Content again = contentFromMessage(original);
    again.resend_of = original.messageId;
    again.profile = ownProfile(m_store); // the lost original may have been the one that carried it
    if (isGroup) again.resend_chat_id = request.chat_id;
    if (auto r = m_outbox.sendControl(requester, again); !r)
        qCWarning(lcInbox) << "cannot queue a re-send:" << r.error().message;
}

void Inbox::onIdentityChanged(const protocol::IdentityChanged& event) {
    // The old sessions are useless: the next message starts over from the user's signed list,
    // whose new identity key shows the "safety number changed" line (DeviceDirectory).
    m_devices.forgetUser(event.user_id);
    m_devices.refreshLists({event.user_id}, [user = event.user_id, job = m_followUps.start(QStringLiteral("device lists"))](
                                                 Expected<void> r) mutable {
        if (!r) qCInfo(lcInbox) << "the new devices of user" << user << "are not ready yet:" << r.error().message;
        job.done();
    });
    m_connection.send(protocol::EventAck{event.event_id});
}

void Inbox::announce(UserId user, const QString& lineId, const QString& text, qint64 timestamp) {
    const QString chatId = QString::fromStdString(protocol::directChatId(m_self.user, user));
    qint64 localId = 0;
    auto stored = m_store.database().transaction([&]() -> Expected<void> {
        if (auto r = ensureChat(chatId, user, true); !r) return r;
        MessageRecord line;
        line.chatId = chatId;
        line.clientMsgId = lineId;
        line.senderId = user;
        line.timestamp = timestamp;
        line.direction = MessageDirection::incoming;
        line.kind = MessageKind::system;
        line.state = MessageState::read;
        line.text = text;
        auto inserted = m_store.messages().insert(line);
        if (!inserted) return inserted.error();
        localId = inserted->inserted ? inserted->localId : 0;
        return {};
    });
    if (!stored) {
        qCWarning(lcInbox) << "cannot store a security notice:" << stored.error().message;
        return;
    }
    if (localId) emit messageAdded(localId, chatId);
}

} // namespace natter::client
