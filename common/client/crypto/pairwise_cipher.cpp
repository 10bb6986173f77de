#include "client/crypto/pairwise_cipher.h"

#include "client/crypto/signal_errors.h"

#include <curve.h>
#include <protocol.h>
#include <session_pre_key.h>


namespace natter::client::crypto {

namespace {

Expected<SignalRef<ec_public_key>> decodePublicKey(const std::string& base64, signal_context* context,
                                                   const QString& what) {
    auto bytes = fromBase64(base64);
    if (!bytes || bytes->isEmpty())
        return makeClientError(ErrorKind::InvalidArgument, QStringLiteral("%1 is not valid base64").arg(what));
    SignalRef<ec_public_key> key;
    if (int rc = curve_decode_point(key.out(), reinterpret_cast<const std::uint8_t*>(bytes->constData()),
                                    std::size_t(bytes->size()), context);
        rc < 0)
        return signalError(rc, QStringLiteral("decoding the %1").arg(what));
    return key;
}

} // namespace

Expected<bool> PairwiseCipher::hasSession(UserId user, DeviceId device) {
    auto guard = m_account.lock();
    return m_account.keyStore().containsSession(QString::number(user), device);
}

Expected<SessionBuildResult> PairwiseCipher::buildSession(UserId user, const protocol::rest::PreKeyBundle& bundle) {
    auto guard = m_account.lock();
    signal_context* context = m_account.context();
    auto identity = decodePublicKey(bundle.identity_key, context, QStringLiteral("identity key"));
    if (!identity) return identity.error();
    auto signedKey = decodePublicKey(bundle.signed_prekey.public_key, context, QStringLiteral("signed pre-key"));
    if (!signedKey) return signedKey.error();
    auto signature = fromBase64(bundle.signed_prekey.signature);
    if (!signature)
        return makeClientError(ErrorKind::InvalidArgument, QStringLiteral("signed pre-key signature is not base64"));
    SignalRef<ec_public_key> oneTimeKey;
    std::uint32_t oneTimeId = 0;
    if (bundle.one_time_prekey) {
        auto key = decodePublicKey(bundle.one_time_prekey->public_key, context, QStringLiteral("one-time pre-key"));
        if (!key) return key.error();
        oneTimeKey = std::move(*key);
        oneTimeId = bundle.one_time_prekey->key_id;
    }

    SignalRef<session_pre_key_bundle> signalBundle;
    if (int rc = session_pre_key_bundle_create(signalBundle.out(), bundle.registration_id, int(bundle.device_id),
                                               oneTimeId, oneTimeKey.get(), bundle.signed_prekey.key_id,
                                               signedKey->get(),
                                               reinterpret_cast<const std::uint8_t*>(signature->constData()),
                                               std::size_t(signature->size()), identity->get());
        rc < 0)
        return signalError(rc, QStringLiteral("reading the pre-key bundle"));

    const SignalAddress address(user, bundle.device_id);
    session_builder* rawBuilder = nullptr;
    if (int rc = session_builder_create(&rawBuilder, m_account.storeContext(), address.get(), context); rc < 0)
        return signalError(rc, QStringLiteral("creating a session builder"));
    SessionBuilderHandle builder(rawBuilder);

    const std::size_t mark = m_account.identityChangeMark();
    const int rc = session_builder_process_pre_key_bundle(builder.get(), signalBundle.get());
    const bool changed = m_account.identityChangedSince(mark, address.name(), bundle.device_id);
    if (rc < 0) return signalError(rc, QStringLiteral("building a session from the bundle"));
    return SessionBuildResult{changed};
}

Expected<QByteArray> PairwiseCipher::encrypt(UserId user, DeviceId device, const QByteArray& plaintext) {
    auto guard = m_account.lock();
    const SignalAddress address(user, device);
    auto has = m_account.keyStore().containsSession(address.name(), device);
    if (!has) return has.error();
    if (!*has) return makeClientError(ErrorKind::Crypto, QStringLiteral("no session with this device"));

    session_cipher* rawCipher = nullptr;
    if (int rc = session_cipher_create(&rawCipher, m_account.storeContext(), address.get(), m_account.context()); rc < 0)
        return signalError(rc, QStringLiteral("creating a session cipher"));
    SessionCipherHandle cipher(rawCipher);
    SignalRef<ciphertext_message> message;
    if (int rc = session_cipher_encrypt(cipher.get(), reinterpret_cast<const std::uint8_t*>(plaintext.constData()),
                                        std::size_t(plaintext.size()), message.out());
        rc < 0)
        return signalError(rc, QStringLiteral("encrypting a message"));

    const int type = ciphertext_message_get_type(message.get());
    signal_buffer* serialized = ciphertext_message_get_serialized(message.get()); // borrowed
    QByteArray wire;
    wire.reserve(qsizetype(1 + signal_buffer_len(serialized)));
    wire.append(char(type));
    wire.append(reinterpret_cast<const char*>(signal_buffer_const_data(serialized)),
                qsizetype(signal_buffer_len(serialized)));
    return wire;
}

Expected<QByteArray> PairwiseCipher::decrypt(UserId user, DeviceId device, const QByteArray& wire) {
    auto guard = m_account.lock();
    if (wire.size() < 2) return makeClientError(ErrorKind::Crypto, QStringLiteral("message too short"));
    const int type = std::uint8_t(wire.at(0));
    const auto* body = reinterpret_cast<const std::uint8_t*>(wire.constData() + 1);
    const std::size_t bodyLen = std::size_t(wire.size() - 1);
    signal_context* context = m_account.context();

    const SignalAddress address(user, device);
    session_cipher* rawCipher = nullptr;
    if (int rc = session_cipher_create(&rawCipher, m_account.storeContext(), address.get(), context); rc < 0)
        return signalError(rc, QStringLiteral("creating a session cipher"));
    SessionCipherHandle cipher(rawCipher);

    SecretBuffer plaintext;
    if (type == CIPHERTEXT_PREKEY_TYPE) {
        SignalRef<pre_key_signal_message> message;
        if (int rc = pre_key_signal_message_deserialize(message.out(), body, bodyLen, context); rc < 0)
            return signalError(rc, QStringLiteral("reading a pre-key message"));
        if (int rc = session_cipher_decrypt_pre_key_signal_message(cipher.get(), message.get(), nullptr, plaintext.out());
            rc < 0)
            return signalError(rc, QStringLiteral("decrypting a pre-key message"));
    } else if (type == CIPHERTEXT_SIGNAL_TYPE) {
        SignalRef<signal_message> message;
        if (int rc = signal_message_deserialize(message.out(), body, bodyLen, context); rc < 0)
            return signalError(rc, QStringLiteral("reading a message"));
        if (int rc = session_cipher_decrypt_signal_message(cipher.get(), message.get(), nullptr, plaintext.out()); rc < 0)
            return signalError(rc, QStringLiteral("decrypting a message"));
    } else {
        return makeClientError(ErrorKind::Crypto, QStringLiteral("unknown message type %1").arg(type));
    }
    return plaintext.toByteArray();
}

Expected<bool> PairwiseCipher::deleteSession(UserId user, DeviceId device) {
    auto guard = m_account.lock();
    return m_account.keyStore().deleteSession(QString::number(user), device);
}

Expected<std::vector<QByteArray>> PairwiseCipher::knownIdentities(UserId user) {
    auto guard = m_account.lock();
    return m_account.keyStore().identitiesOf(QString::number(user));
}

Expected<std::optional<QByteArray>> PairwiseCipher::knownIdentity(UserId user, DeviceId device) {
    auto guard = m_account.lock();
    return m_account.keyStore().loadIdentity(QString::number(user), device);
}

bool PairwiseCipher::identityChangedSince(std::size_t mark, UserId user, DeviceId device) const {
    return m_account.identityChangedSince(mark, QString::number(user), device);
}

Expected<std::vector<DeviceId>> PairwiseCipher::sessionDevices(UserId user) {
    auto guard = m_account.lock();
    return m_account.keyStore().sessionDevices(QString::number(user));
}

} // namespace natter::client::crypto
