// The OpenSSL X25519 that replaces libsignal-protocol-c's curve25519-donna: RFC 7748's
// vectors, libsignal's own agreements going through it, and the library's result where
// OpenSSL declines (small-order points).
#include "client/crypto/crypto_provider.h"
#include "client/crypto/openssl_x25519.h"

#include <curve.h>
#include <signal_protocol.h>

#include <QByteArray>
#include <QtTest>

extern "C" int curve25519_donna(std::uint8_t* out, const std::uint8_t* scalar, const std::uint8_t* point);

using namespace natter::client::crypto;

namespace {
constexpr char kDjbType = 0x05; // the type byte libsignal puts before a Curve25519 public key
const QByteArray kAlicePrivate =
    QByteArray::fromHex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a");
const QByteArray kAlicePublic = QByteArray::fromHex("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a");
const QByteArray kBobPrivate = QByteArray::fromHex("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb");
const QByteArray kBobPublic = QByteArray::fromHex("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f");
const QByteArray kShared = QByteArray::fromHex("4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742");

QByteArray x25519(const QByteArray& scalar, const QByteArray& point) {
    QByteArray out(32, '\0');
    const int rc = curve25519_donna(reinterpret_cast<std::uint8_t*>(out.data()),
                                    reinterpret_cast<const std::uint8_t*>(scalar.constData()),
                                    reinterpret_cast<const std::uint8_t*>(point.constData()));
    return rc == 0 ? out : QByteArray();
}

const auto u8 = [](const QByteArray& b) { return reinterpret_cast<const std::uint8_t*>(b.constData()); };
} // namespace

class TestOpenSslX25519 : public QObject {
    Q_OBJECT
private slots:
    void rfc7748VectorsComeOutExactly() {
        const auto before = openSslX25519Operations();
        // RFC 7748 section 5.2, first vector.
        QCOMPARE(x25519(QByteArray::fromHex("a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4"),
                        QByteArray::fromHex("e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c"))
                     .toHex(),
                 QByteArray("c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552"));
        // Section 6.1: public keys from the base point, then the shared secret both ways.
        const QByteArray basePoint = QByteArray::fromHex("09") + QByteArray(31, '\0');
        QCOMPARE(x25519(kAlicePrivate, basePoint), kAlicePublic);
        QCOMPARE(x25519(kBobPrivate, basePoint), kBobPublic);
        QCOMPARE(x25519(kAlicePrivate, kBobPublic), kShared);
        QCOMPARE(x25519(kBobPrivate, kAlicePublic), kShared);
        QCOMPARE(openSslX25519Operations() - before, 5u);
    }

    void libsignalAgreementsGoThroughOpenSsl() {
        auto provider = OpenSslCryptoProvider::create();
        QVERIFY(provider);
        signal_context* context = nullptr;
        QCOMPARE(signal_context_create(&context, nullptr), 0);
        auto cryptoProvider = (*provider)->provider();
        QCOMPARE(signal_context_set_crypto_provider(context, &cryptoProvider), 0);
        const QByteArray bobPoint = QByteArray(1, kDjbType) + kBobPublic;
        ec_public_key* bob = nullptr;
        ec_private_key* alice = nullptr;
        QCOMPARE(curve_decode_point(&bob, u8(bobPoint), bobPoint.size(), context), 0);
        QCOMPARE(curve_decode_private_point(&alice, u8(kAlicePrivate), kAlicePrivate.size(), context), 0);
        const auto before = openSslX25519Operations();
        std::uint8_t* shared = nullptr;
        const int length = curve_calculate_agreement(&shared, bob, alice);
        QCOMPARE(length, 32);
        QCOMPARE(QByteArray(reinterpret_cast<const char*>(shared), length), kShared);
        QCOMPARE(openSslX25519Operations() - before, 1u);
        free(shared);
        SIGNAL_UNREF(bob);
        SIGNAL_UNREF(alice);
        signal_context_destroy(context);
    }

    // OpenSSL refuses a small-order point (the result would be all zeros); the library's own
    // code then answers, as it did before the replacement.
    void smallOrderPointGetsTheLibrarysOwnResult() {
        const auto before = openSslX25519Operations();
        QCOMPARE(x25519(kAlicePrivate, QByteArray(32, '\0')), QByteArray(32, '\0'));
        QCOMPARE(openSslX25519Operations(), before);
    }
};

QTEST_GUILESS_MAIN(TestOpenSslX25519)
#include "tst_openssl_x25519.moc"
