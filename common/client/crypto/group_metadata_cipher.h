// Seals a group's name and description with the 32-byte group secret (AES-256-GCM), so the
// server stores them without reading them. Sealed text = base64(nonce || ciphertext || tag).
#pragma once

#include "client/core/result.h"

#include <QByteArray>
#include <QString>

namespace natter::client::crypto {

class GroupMetadataCipher {
public:
    static constexpr int kSecretSize = 32;
    static constexpr int kNonceSize = 12;
    static constexpr int kTagSize = 16;

    // A fresh random group secret.
    static Expected<QByteArray> generateSecret();
    static Expected<QString> seal(const QByteArray& secret, const QString& plaintext);
    // Wrong secret or any change to sealed -> ErrorKind::Corrupted; malformed -> InvalidArgument.
    static Expected<QString> open(const QByteArray& secret, const QString& sealed);
};

} // namespace natter::client::crypto
