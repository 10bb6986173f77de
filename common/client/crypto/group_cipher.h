// Group messages with Signal sender keys: each member device distributes its own sender key
// over the pairwise sessions, then encrypts once per group message for everyone.
#pragma once

#include "client/crypto/signal_account.h"

#include <QByteArray>
#include <QString>

namespace natter::client::crypto {

class GroupCipher {
public:
    explicit GroupCipher(SignalAccount& account) : m_account(account) {}

    // Our SenderKeyDistributionMessage for the group, creating our sender key if none.
    Expected<QByteArray> distributionMessage(const QString& groupId, UserId ownUser, DeviceId ownDevice);
    // Stores a member device's sender key from its distribution message.
    Expected<void> processDistribution(const QString& groupId, UserId senderUser, DeviceId senderDevice,
                                       const QByteArray& distribution);
    // Needs our sender key (distributionMessage first): serialized SenderKeyMessage.
    Expected<QByteArray> encrypt(const QString& groupId, UserId ownUser, DeviceId ownDevice, const QByteArray& plaintext);
    Expected<QByteArray> decrypt(const QString& groupId, UserId senderUser, DeviceId senderDevice,
                                 const QByteArray& ciphertext);
    // After a member left or was removed: forgets our sender key, so the next
    // distributionMessage is a new key the former member's old state cannot decrypt.
    Expected<void> resetOwnSenderKey(const QString& groupId, UserId ownUser, DeviceId ownDevice);
    // Forgets every sender key of the group (we left it).
    Expected<int> forgetGroup(const QString& groupId);

private:
    SignalAccount& m_account;
};

} // namespace natter::client::crypto
