#include "client/crypto/account_identity.h"

#include "client/core/bytes.h"
#include "client/crypto/group_metadata_cipher.h"
#include "client/crypto/signal_account.h"
#include "client/crypto/signal_errors.h"
#include "protocol/device_list.h"
#include "protocol/frame_codec.h"

#include <curve.h>

#include <QStringList>

namespace natter::client::crypto {

namespace {
constexpr auto kBase64Url = QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals;
constexpr int kPublicKeySize = 33;
constexpr int kPrivateKeySize = 32;
} // namespace

Expected<void> signDeviceList(SignalAccount& account, protocol::rest::SignedDeviceList& list) {
    auto guard = account.lock();
    auto identity = account.keyStore().loadLocalIdentity();
    if (!identity) return identity.error();
    if (!*identity) return makeClientError(ErrorKind::NotFound, QStringLiteral("no local identity"));
    SignalRef<ec_private_key> key;
    const QByteArray& raw = (*identity)->privateKey;
    if (int rc = curve_decode_private_point(key.out(), reinterpret_cast<const std::uint8_t*>(raw.constData()),
                                            std::size_t(raw.size()), account.context());
        rc < 0)
        return signalError(rc, QStringLiteral("loading the identity key"));
    const std::string text = protocol::deviceListSigningText(list);
    Buffer signature;
    if (int rc = curve_calculate_signature(account.context(), signature.out(), key.get(),
                                           reinterpret_cast<const std::uint8_t*>(text.data()), text.size());
        rc < 0)
        return signalError(rc, QStringLiteral("signing the device list"));
    list.signature = toBase64(signature.toByteArray());
    return {};
}

Expected<bool> verifyDeviceList(SignalAccount& account, const protocol::rest::SignedDeviceList& list) {
    if (protocol::validate(list)) return false;
    const auto key = fromBase64(list.identity_key);
    const auto signature = fromBase64(list.signature);
    if (!key || !signature) return false;
    auto guard = account.lock();
    SignalRef<ec_public_key> publicKey;
    if (curve_decode_point(publicKey.out(), reinterpret_cast<const std::uint8_t*>(key->constData()),
                           std::size_t(key->size()), account.context()) < 0)
        return false;
    const std::string text = protocol::deviceListSigningText(list);
    return curve_verify_signature(publicKey.get(), reinterpret_cast<const std::uint8_t*>(text.data()), text.size(),
                                  reinterpret_cast<const std::uint8_t*>(signature->constData()),
                                  std::size_t(signature->size())) == 1;
}

Expected<SealedIdentity> sealIdentity(const LocalIdentity& identity) {
    auto secret = GroupMetadataCipher::generateSecret();
    if (!secret) return secret.error();
    const QString plaintext = QString::fromLatin1(identity.publicKey.toBase64() + '\n' + identity.privateKey.toBase64());
    auto sealed = GroupMetadataCipher::seal(*secret, plaintext);
    if (!sealed) return sealed.error();
    return SealedIdentity{*sealed, *secret};
}

Expected<LocalIdentity> openIdentity(const QString& provision, const QByteArray& secret) {
    auto opened = GroupMetadataCipher::open(secret, provision);
    if (!opened) return opened.error();
    const QStringList parts = opened->split(QLatin1Char('\n'));
    LocalIdentity identity;
    if (parts.size() == 2) {
        identity.publicKey = QByteArray::fromBase64(parts[0].toLatin1());
        identity.privateKey = QByteArray::fromBase64(parts[1].toLatin1());
    }
    if (identity.publicKey.size() != kPublicKeySize || identity.privateKey.size() != kPrivateKeySize)
        return makeClientError(ErrorKind::Corrupted, QStringLiteral("the link code's identity is malformed"));
    return identity;
}

QString joinLinkCode(const QString& serverCode, const QByteArray& secret) {
    return serverCode + QLatin1Char('.') + QString::fromLatin1(secret.toBase64(kBase64Url));
}

Expected<std::pair<QString, QByteArray>> splitLinkCode(const QString& code) {
    const QString trimmed = code.trimmed();
    const qsizetype dot = trimmed.lastIndexOf(QLatin1Char('.'));
    if (dot > 0) {
        auto decoded = QByteArray::fromBase64Encoding(trimmed.mid(dot + 1).toLatin1(),
                                                      kBase64Url | QByteArray::AbortOnBase64DecodingErrors);
        if (decoded && decoded.decoded.size() == GroupMetadataCipher::kSecretSize)
            return std::pair{trimmed.left(dot), decoded.decoded};
    }
    return makeClientError(ErrorKind::InvalidArgument,
                           QStringLiteral("this is not a complete link code: copy the whole code the other device shows"));
}

} // namespace natter::client::crypto
