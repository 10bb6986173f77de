// 1:1 end-to-end encryption with one remote device (X3DH session set-up, then the Double
// Ratchet) over a SignalAccount. Wire bytes = 1 type byte + serialized libsignal message.
#pragma once

#include "client/crypto/signal_account.h"

#include <QByteArray>

namespace natter::client::crypto {

struct SessionBuildResult {
    bool identityChanged = false; // the device's identity key differs from the one stored before
};

class PairwiseCipher {
public:
    explicit PairwiseCipher(SignalAccount& account) : m_account(account) {}

    Expected<bool> hasSession(UserId user, DeviceId device);
    // X3DH from a fetched bundle (bundle.device_id is the device). Reports an identity change.
    Expected<SessionBuildResult> buildSession(UserId user, const protocol::rest::PreKeyBundle& bundle);
    // Needs a session; the first messages are PreKey messages until the peer answers.
    Expected<QByteArray> encrypt(UserId user, DeviceId device, const QByteArray& plaintext);
    // Either message type; a PreKey message sets up the session. Duplicates, unknown keys and
    // failed authentication are ErrorKind::Crypto.
    Expected<QByteArray> decrypt(UserId user, DeviceId device, const QByteArray& wire);
    Expected<bool> deleteSession(UserId user, DeviceId device);
    // The identity keys the user's devices had here (saved when a session was built with one,
    // or one of its PreKey messages decrypted), one per device; they outlive deleteSession.
    Expected<std::vector<QByteArray>> knownIdentities(UserId user);
    Expected<std::optional<QByteArray>> knownIdentity(UserId user, DeviceId device);
    // Whether a decrypt or session build since `mark` replaced the identity key stored for that
    // device (a PreKey message from a reinstalled device): take the mark before, ask after.
    std::size_t identityMark() const { return m_account.identityChangeMark(); }
    bool identityChangedSince(std::size_t mark, UserId user, DeviceId device) const;
    Expected<std::vector<DeviceId>> sessionDevices(UserId user);

private:
    SignalAccount& m_account;
};

} // namespace natter::client::crypto
