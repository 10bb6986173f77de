// Safety numbers: both sides see the same 60 digits, any device key change changes them,
// and a scanned QR payload is recognised as matching, mismatching or someone else's.
#include "signal_peer.h"

#include "client/crypto/safety_number.h"

using namespace natter::client;
using namespace natter::client::crypto;
using namespace natter::client::crypto::testing;

namespace {
const QString kAlicePhone = QStringLiteral("+14155550101");
const QString kBobPhone = QStringLiteral("+14155550102");
const QString kCarolPhone = QStringLiteral("+14155550103");

QByteArray identityOf(Peer& p) { return ok(p.account->identityPublicKey()); }
} // namespace

class TestSafetyNumber : public QObject {
    Q_OBJECT

private slots:
    void bothSidesComputeTheSameSixtyDigits() {
        Peer alice(1, 1), bob(2, 1), bobPhone(2, 2);
        SafetyNumbers aliceSide(*alice.account), bobSide(*bob.account);
        const auto a = ok(aliceSide.compute(kAlicePhone, {identityOf(alice)}, kBobPhone,
                                            {identityOf(bob), identityOf(bobPhone)}));
        const auto b = ok(bobSide.compute(kBobPhone, {identityOf(bobPhone), identityOf(bob)}, kAlicePhone,
                                          {identityOf(alice)}));
        QCOMPARE(a.digits.size(), 60);
        QVERIFY(std::all_of(a.digits.begin(), a.digits.end(), [](QChar c) { return c.isDigit(); }));
        QCOMPARE(a.digits, b.digits);
        QCOMPARE(a.grouped.split(' ').size(), 12);
        QCOMPARE(QString(a.grouped).remove(' '), a.digits);
        QVERIFY(!a.scannable.isEmpty());
    }

    void theNumberChangesWhenADeviceKeyChanges() {
        Peer alice(1, 1), bob(2, 1), bobNewPhone(2, 2);
        SafetyNumbers numbers(*alice.account);
        const auto before = ok(numbers.compute(kAlicePhone, {identityOf(alice)}, kBobPhone, {identityOf(bob)}));
        const auto withDevice = ok(numbers.compute(kAlicePhone, {identityOf(alice)}, kBobPhone,
                                                   {identityOf(bob), identityOf(bobNewPhone)}));
        QVERIFY(before.digits != withDevice.digits);
        Peer bobReinstalled(2, 1);
        const auto replaced =
            ok(numbers.compute(kAlicePhone, {identityOf(alice)}, kBobPhone, {identityOf(bobReinstalled)}));
        QVERIFY(before.digits != replaced.digits);
        const auto same = ok(numbers.compute(kAlicePhone, {identityOf(alice)}, kBobPhone, {identityOf(bob)}));
        QCOMPARE(same.digits, before.digits);
    }

    void aScannedPayloadMatchesOnlyThePeersCodeForTheSameKeys() {
        Peer alice(1, 1), bob(2, 1), mallory(2, 1), carol(3, 1);
        SafetyNumbers aliceSide(*alice.account), bobSide(*bob.account);
        const auto ours = ok(aliceSide.compute(kAlicePhone, {identityOf(alice)}, kBobPhone, {identityOf(bob)}));
        const auto bobsScreen = ok(bobSide.compute(kBobPhone, {identityOf(bob)}, kAlicePhone, {identityOf(alice)}));
        QCOMPARE(ok(aliceSide.compareScanned(ours.scannable, bobsScreen.scannable)), ScanComparison::Match);

        // Someone in the middle with another key for bob's number.
        const auto mitm = ok(bobSide.compute(kBobPhone, {identityOf(mallory)}, kAlicePhone, {identityOf(alice)}));
        QCOMPARE(ok(aliceSide.compareScanned(ours.scannable, mitm.scannable)), ScanComparison::Mismatch);

        // Carol's screen for her chat with alice is not bob's.
        const auto carolsScreen =
            ok(bobSide.compute(kCarolPhone, {identityOf(carol)}, kAlicePhone, {identityOf(alice)}));
        QCOMPARE(ok(aliceSide.compareScanned(ours.scannable, carolsScreen.scannable)), ScanComparison::Mismatch);
        // Our own code scanned back (e.g. from a photo of our screen) is not the peer's.
        QCOMPARE(ok(aliceSide.compareScanned(ours.scannable, ours.scannable)), ScanComparison::Mismatch);

        auto garbage = aliceSide.compareScanned(ours.scannable, "not a safety number");
        QVERIFY(!garbage);
        QCOMPARE(toString(garbage.error().kind), toString(ErrorKind::Crypto));
    }

    void malformedIdentityKeysAreRefused() {
        Peer alice(1, 1);
        SafetyNumbers numbers(*alice.account);
        QVERIFY(!numbers.compute(kAlicePhone, {identityOf(alice)}, kBobPhone, {QByteArray(33, '\x07')}));
        QVERIFY(!numbers.compute(kAlicePhone, {identityOf(alice)}, kBobPhone, {}));
    }
};

QTEST_GUILESS_MAIN(TestSafetyNumber)
#include "tst_safety_number.moc"
