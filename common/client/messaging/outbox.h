// The sending pipeline: messages wait in the persistent outbox until the server's "sent"
// ack, are encrypted for every current device (1:1: pairwise sessions; groups: our sender
// key, distributed first to member devices that lack it), sent in order with a bounded
// window, and re-sent with the same client_msg_id after a reconnect so the server dedups.
#pragma once

#include "client/core/result.h"
#include "client/store/records.h"
#include "protocol/e2e.h"
#include "protocol/frames.h"

#include <QHash>
#include <QObject>
#include <QSet>

#include <deque>
#include <functional>
#include <optional>

namespace natter::client {
namespace net { class Connection; }
namespace store { class ProfileStore; }
namespace crypto { class PairwiseCipher; class GroupCipher; }
class DeviceDirectory;

class Outbox : public QObject {
    Q_OBJECT
public:
    struct Identity {
        UserId user = 0;
        DeviceId device = 0;
    };

    Outbox(store::ProfileStore& store, net::Connection& connection, DeviceDirectory& devices,
           crypto::PairwiseCipher& pairwise, crypto::GroupCipher& group, Identity self, QObject* parent = nullptr);

    // Stores `message` (a text or attachment the user sends, state pending) and queues its
    // content. Returns the new message's local id.
    Expected<qint64> send(MessageRecord message, const protocol::e2e::Content& content);
    // Queues control content for another user (all their devices and our other devices),
    // in our direct chat with them; never shown as a message.
    Expected<void> sendControl(UserId to, const protocol::e2e::Content& content);
    // Queues content for everyone in a chat that is not a message row of its own (a reaction,
    // an edit, a delete for everyone): it takes a seq there, as a message would.
    Expected<void> sendInChat(const QString& chatId, const protocol::e2e::Content& content);
    // Forgets which member devices hold our sender key for a group (after someone left):
    // the next group message distributes a new key first.
    void senderKeyRotated(const QString& chatId);
    // The server revoked this device: nothing is sent any more. Every message still in the
    // outbox is marked failed with `reason` (messageFailed) and later sends are refused
    // (ErrorKind::Revoked). Returns the local ids of the messages it failed.
    std::vector<qint64> halt(const QString& reason);

    // Wiring from the connection.
    void onConnected();
    void onDisconnected();
    void onSentAck(const protocol::SentAck& ack);
    void onError(const protocol::ErrorFrame& error);

    int inFlightCount() const { return int(m_inFlight.size()); }

signals:
    // A message's ticks changed (pending -> sent) or it failed for good.
    void messageUpdated(qint64 localId, const QString& chatId);
    void messageFailed(qint64 localId, const QString& chatId, const QString& reason);
    // The last entry waiting in the outbox was acknowledged (or failed): nothing waits now.
    void emptied();
    // A `sent` ack gave one of our entries (a message or control content) its seq in a chat:
    // messages held behind that seq may now be shown.
    void seqFilled(const QString& chatId);

private:
    struct InFlight {
        QString chatId;
        QString clientMsgId;
        QByteArray content;      // plaintext Content JSON
        qint64 outboxId = 0;     // 0: a sender-key distribution sent on the way (not persisted)
        qint64 localId = 0;      // the message row, 0 for control content
        int attempts = 0;
        QString groupId;         // sender-key distribution: the group it shares our key for
        std::vector<protocol::DeviceAddress> shares; // ...and the devices it reaches
    };
    using Built = std::function<void(Expected<protocol::SendMessage>)>;

    void pump();
    void transmit(InFlight item);
    void build(InFlight& item, Built done);
    void buildDirect(const InFlight& item, Built done);
    void buildGroup(const InFlight& item, Built done);
    std::vector<UserId> groupMembers(const QString& chatId);
    // Sends our sender key to member devices that lack it; calls done when they are on the wire.
    Expected<void> distributeSenderKey(const QString& chatId, const std::vector<UserId>& members);
    void fail(const InFlight& item, const QString& reason);
    void complete(const InFlight& item, const protocol::SentAck& ack);
    void emitIfEmpty();

    store::ProfileStore& m_store;
    net::Connection& m_connection;
    DeviceDirectory& m_devices;
    crypto::PairwiseCipher& m_pairwise;
    crypto::GroupCipher& m_group;
    Identity m_self;

    static constexpr int kWindow = 32;      // sent, not yet acknowledged
    static constexpr int kMaxAttempts = 5;  // device_mismatch / rate limit retries per message
    QHash<QString, InFlight> m_inFlight;    // by client_msg_id
    QSet<qint64> m_handled;                 // outbox ids in flight or being prepared
    // Groups whose old sender-key shares could not be forgotten after a rotation: until that
    // succeeds, every member device counts as lacking the key (a share too many is harmless).
    QSet<QString> m_staleShares;
    bool m_preparing = false;
    std::optional<QString> m_halted;        // why nothing is sent any more (the device was revoked)
};

} // namespace natter::client
