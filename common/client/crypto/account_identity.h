// The account identity every device of an account shares as its Signal identity key (as
// Signal does): it signs the account's device list, which peers verify before encrypting to
// any device, and it travels to a device being linked sealed under a secret that only the
// link code shown to the user carries (docs/protocol.md section 14).
#pragma once

#include "client/core/result.h"
#include "client/crypto/key_store.h"
#include "protocol/rest.h"

#include <QByteArray>
#include <QString>

namespace natter::client::crypto {

class SignalAccount;

// Fills list.signature: this device's identity key over deviceListSigningText(list).
Expected<void> signDeviceList(SignalAccount& account, protocol::rest::SignedDeviceList& list);
// True when the list's signature verifies under its own identity_key (well-formed lists only).
Expected<bool> verifyDeviceList(SignalAccount& account, const protocol::rest::SignedDeviceList& list);

// The identity key pair sealed (AES-256-GCM) under a fresh 32-byte secret, for a link code.
struct SealedIdentity {
    QString provision;  // base64, goes to the server with the link code request
    QByteArray secret;  // goes only into the code the user carries to the new device
};
Expected<SealedIdentity> sealIdentity(const LocalIdentity& identity);
// The public and private key from a provision; a wrong secret or any change is refused.
Expected<LocalIdentity> openIdentity(const QString& provision, const QByteArray& secret);

// The code a user carries to the new device: the server's link code, ".", the secret in
// base64url without padding. splitLinkCode undoes it (InvalidArgument for anything else).
QString joinLinkCode(const QString& serverCode, const QByteArray& secret);
Expected<std::pair<QString, QByteArray>> splitLinkCode(const QString& code);

} // namespace natter::client::crypto
