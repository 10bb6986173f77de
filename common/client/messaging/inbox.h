// The receiving pipeline: each delivered message is deduplicated by server id before any
// decryption, decrypted (pairwise or sender key), validated, stored, and only then
// acknowledged "delivered". Control content (sender keys, group secrets, resend requests)
// is applied, never shown. A message that cannot be decrypted becomes a visible
// placeholder and a resend request, never a silent loss.
#pragma once

#include "client/core/result.h"
#include "client/messaging/follow_ups.h"
#include "client/messaging/outbox.h"
#include "client/messaging/seq_gate.h"
#include "client/store/records.h"
#include "protocol/e2e.h"
#include "protocol/frames.h"

#include <QObject>
#include <QSet>

namespace natter::client {
namespace net { class Connection; }
namespace store { class ProfileStore; }
namespace crypto { class PairwiseCipher; class GroupCipher; }
class DeviceDirectory;
class MessageActions;
class ChatTimers;
class AccountSync;

class Inbox : public QObject {
    Q_OBJECT
public:
    Inbox(store::ProfileStore& store, net::Connection& connection, DeviceDirectory& devices,
          crypto::PairwiseCipher& pairwise, crypto::GroupCipher& group, Outbox& outbox, FollowUps& followUps,
          MessageActions& actions, ChatTimers& timers, AccountSync& accountSync,
          Outbox::Identity self, QObject* parent = nullptr);

    void onMessage(const protocol::MessageDelivery& delivery);
    // Orders what this device announces (messageAdded) by seq; others fill seqs too.
    SeqGate& gate() { return m_gate; }
    // The server says a partner's identity changed: forget their devices and check their list.
    void onIdentityChanged(const protocol::IdentityChanged& event);
    // A system line in the direct chat with `user` (once per lineId): a changed safety number,
    // a linked or removed device. Announced like any message.
    void announce(UserId user, const QString& lineId, const QString& text, qint64 timestamp);

signals:
    void messageAdded(qint64 localId, const QString& chatId);
    void messageUpdated(qint64 localId, const QString& chatId);
    // A group's secret arrived: its name can now be decrypted.
    void groupSecretReceived(const QString& chatId);
    // A message arrived in a group this device has not heard of (e.g. a device linked
    // later): its members and name should be fetched.
    void unknownGroup(const QString& chatId);
    // A new sender key was applied (a message of that group may now be re-requested).
    void senderKeyReceived(const QString& chatId, protocol::UserId sender);

private:
    // The stored form of a delivery's envelope fields (content filled in by the caller).
    MessageRecord recordOf(const protocol::MessageDelivery& d) const;
    Expected<QByteArray> decrypt(const protocol::MessageDelivery& d);
    void storeUndecryptable(const protocol::MessageDelivery& d, const QString& reason);
    Expected<void> apply(const protocol::MessageDelivery& d, const protocol::e2e::Content& content);
    Expected<void> storeMessage(const protocol::MessageDelivery& d, const protocol::e2e::Content& content);
    Expected<void> storeTimerChange(const protocol::MessageDelivery& d, const protocol::e2e::DisappearingTimer& timer);
    // Stores a row of a delivery (once), in its chat (created when new) whose list entry shows
    // `preview` (counted unread when `unread`); `chatTimer` is the chat's new disappearing timer.
    Expected<void> storeRow(const MessageRecord& message, const QString& preview, bool unread,
                            std::optional<quint32> chatTimer);
    Expected<void> applyResend(const protocol::MessageDelivery& d, const protocol::e2e::Content& content);
    void answerResendRequest(UserId requester, const protocol::e2e::ResendRequest& request);
    // fromPeer: a message of the other user's (not this account's own) starts the chat, so
    // a stranger's is a message request.
    Expected<void> ensureChat(const QString& chatId, UserId peer, bool fromPeer);
    void ack(MessageId id);

    store::ProfileStore& m_store;
    net::Connection& m_connection;
    DeviceDirectory& m_devices;
    crypto::PairwiseCipher& m_pairwise;
    crypto::GroupCipher& m_group;
    Outbox& m_outbox;
    FollowUps& m_followUps; // the session resets and device lists this inbox starts
    MessageActions& m_actions;
    ChatTimers& m_timers;
    AccountSync& m_accountSync;
    Outbox::Identity m_self;
    QSet<MessageId> m_resendAsked; // failed messages already asked for once this run
    SeqGate m_gate;
};

// The attachment of decrypted content as the store keeps it (key and digest decoded).
std::optional<MediaRecord> mediaFromContent(const protocol::e2e::Content& content);
// The attachment of a stored message as content to send (for re-sends and forwards).
protocol::e2e::Content contentFromMessage(const MessageRecord& message);

} // namespace natter::client
