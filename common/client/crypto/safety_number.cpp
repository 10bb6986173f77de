#include "client/crypto/safety_number.h"

#include "client/crypto/signal_errors.h"

#include <curve.h>

namespace natter::client::crypto {

namespace {

// A key list owning its keys: ec_public_key_list_push_back takes its own reference.
Expected<PublicKeyListHandle> keyList(const std::vector<QByteArray>& keys, signal_context* context) {
    if (keys.empty()) return makeClientError(ErrorKind::InvalidArgument, QStringLiteral("no identity keys"));
    PublicKeyListHandle list(ec_public_key_list_alloc());
    if (!list) return makeClientError(ErrorKind::Crypto, QStringLiteral("out of memory"));
    for (const QByteArray& bytes : keys) {
        SignalRef<ec_public_key> key;
        if (int rc = curve_decode_point(key.out(), reinterpret_cast<const std::uint8_t*>(bytes.constData()),
                                        std::size_t(bytes.size()), context);
            rc < 0)
            return signalError(rc, QStringLiteral("decoding an identity key"));
        if (int rc = ec_public_key_list_push_back(list.get(), key.get()); rc < 0)
            return signalError(rc, QStringLiteral("collecting identity keys"));
    }
    return list;
}

Expected<SignalRef<scannable_fingerprint>> readScannable(const QByteArray& payload, signal_context* context) {
    SignalRef<scannable_fingerprint> scannable;
    if (int rc = scannable_fingerprint_deserialize(scannable.out(),
                                                   reinterpret_cast<const std::uint8_t*>(payload.constData()),
                                                   std::size_t(payload.size()), context);
        rc < 0)
        return signalError(rc, QStringLiteral("reading a safety number code"));
    return scannable;
}

} // namespace

Expected<SafetyNumber> SafetyNumbers::compute(const QString& localPhone, const std::vector<QByteArray>& localIdentityKeys,
                                              const QString& remotePhone,
                                              const std::vector<QByteArray>& remoteIdentityKeys) {
    auto guard = m_account.lock();
    signal_context* context = m_account.context();
    auto local = keyList(localIdentityKeys, context);
    if (!local) return local.error();
    auto remote = keyList(remoteIdentityKeys, context);
    if (!remote) return remote.error();

    fingerprint_generator* rawGenerator = nullptr;
    if (int rc = fingerprint_generator_create(&rawGenerator, kIterations, kScannableVersion, context); rc < 0)
        return signalError(rc, QStringLiteral("creating the safety number generator"));
    FingerprintGeneratorHandle generator(rawGenerator);
    const QByteArray localId = localPhone.toUtf8();
    const QByteArray remoteId = remotePhone.toUtf8();
    SignalRef<fingerprint> result;
    if (int rc = fingerprint_generator_create_for_list(generator.get(), localId.constData(), local->get(),
                                                       remoteId.constData(), remote->get(), result.out());
        rc < 0)
        return signalError(rc, QStringLiteral("computing the safety number"));

    SafetyNumber number;
    number.digits = QString::fromLatin1(displayable_fingerprint_text(fingerprint_get_displayable(result.get())));
    for (qsizetype i = 0; i < number.digits.size(); i += 5) {
        if (i) number.grouped += QLatin1Char(' ');
        number.grouped += number.digits.mid(i, 5);
    }
    Buffer scannable;
    if (int rc = scannable_fingerprint_serialize(scannable.out(), fingerprint_get_scannable(result.get())); rc < 0)
        return signalError(rc, QStringLiteral("serializing the safety number code"));
    number.scannable = scannable.toByteArray();
    return number;
}

Expected<ScanComparison> SafetyNumbers::compareScanned(const QByteArray& ourScannable, const QByteArray& scannedPayload) {
    auto guard = m_account.lock();
    auto ours = readScannable(ourScannable, m_account.context());
    if (!ours) return ours.error();
    auto theirs = readScannable(scannedPayload, m_account.context());
    if (!theirs) return theirs.error();
    const int rc = scannable_fingerprint_compare(ours->get(), theirs->get());
    if (rc == 1) return ScanComparison::Match;
    if (rc == 0) return ScanComparison::Mismatch;
    if (rc == SG_ERR_FP_IDENT_MISMATCH) return ScanComparison::Mismatch; // version 0 codes only
    if (rc == SG_ERR_FP_VERSION_MISMATCH) return ScanComparison::DifferentVersion;
    return signalError(rc, QStringLiteral("comparing safety numbers"));
}

} // namespace natter::client::crypto
