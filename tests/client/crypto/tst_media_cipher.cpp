// Attachment encryption (IV || AES-256-CBC || HMAC-SHA256, digest over the blob) and group
// metadata sealing (AES-256-GCM): round trips, tamper detection, nothing leaked on failure.
#include "client/crypto/group_metadata_cipher.h"
#include "client/crypto/media_cipher.h"

#include <QBuffer>
#include <QCryptographicHash>
#include <QRandomGenerator>
#include <QtTest>

using namespace natter::client;
using namespace natter::client::crypto;

namespace {

QByteArray randomBytes(qsizetype size) {
    QByteArray data(size, '\0');
    QRandomGenerator generator(1234);
    for (char& c : data) c = char(generator.bounded(256));
    return data;
}

struct Encrypted {
    MediaEncryption info;
    QByteArray blob;
};

Encrypted encryptBytes(const QByteArray& plaintext, const MediaProgress& progress = {}) {
    QBuffer source;
    source.setData(plaintext);
    source.open(QIODevice::ReadOnly);
    QBuffer sink;
    sink.open(QIODevice::WriteOnly);
    auto info = MediaCipher::encrypt(source, sink, progress);
    if (!info) qFatal("encrypt failed: %s", qPrintable(info.error().message));
    return {*info, sink.data()};
}

// Decrypts into a fresh buffer; returns the result and what reached the sink.
std::pair<Expected<qint64>, QByteArray> decryptBytes(const QByteArray& blob, const QByteArray& key,
                                                     const QByteArray& digest, const MediaProgress& progress = {}) {
    QBuffer source;
    source.setData(blob);
    source.open(QIODevice::ReadOnly);
    QBuffer sink;
    sink.open(QIODevice::WriteOnly);
    auto r = MediaCipher::decrypt(source, sink, key, digest, progress);
    return {r, sink.data()};
}

// A blob that another writer changes right after it was verified (before pass 2 reads it).
class ChangingBuffer : public QBuffer {
public:
    bool seek(qint64 pos) override {
        if (pos == 0 && ++m_rewinds == 2) buffer()[100] = char(buffer()[100] ^ 0x01);
        return QBuffer::seek(pos);
    }

private:
    int m_rewinds = 0;
};

} // namespace

class TestMediaCipher : public QObject {
    Q_OBJECT

private slots:
    void roundTripIsByteIdentical_data() {
        QTest::addColumn<int>("size");
        for (int size : {0, 1, 15, 16, 17, 1024 * 1024 + 3}) QTest::newRow(qPrintable(QString::number(size))) << size;
    }
    void roundTripIsByteIdentical() {
        QFETCH(int, size);
        const QByteArray plaintext = randomBytes(size);
        const auto e = encryptBytes(plaintext);
        QCOMPARE(e.info.key.size(), 64);
        QCOMPARE(e.info.digest, QCryptographicHash::hash(e.blob, QCryptographicHash::Sha256));
        QCOMPARE(e.info.plaintextSize, qint64(size));
        QCOMPARE(e.info.blobSize, qint64(e.blob.size()));
        QCOMPARE(e.blob.size(), 16 + (size / 16 + 1) * 16 + 32);
        auto [result, out] = decryptBytes(e.blob, e.info.key, e.info.digest);
        QVERIFY2(result, result ? "" : qPrintable(result.error().message));
        QCOMPARE(*result, qint64(size));
        QVERIFY(out == plaintext);
    }

    void everyFileGetsAFreshKeyAndIv() {
        const QByteArray plaintext = randomBytes(100);
        const auto a = encryptBytes(plaintext);
        const auto b = encryptBytes(plaintext);
        QVERIFY(a.info.key != b.info.key);
        QVERIFY(a.blob.left(16) != b.blob.left(16));
        QVERIFY(a.blob != b.blob);
    }

    void aFlippedByteAnywhereIsCorruptedAndWritesNoPlaintext_data() {
        QTest::addColumn<int>("position");
        const int blobSize = 16 + (200000 / 16 + 1) * 16 + 32;
        QTest::newRow("iv") << 0;
        QTest::newRow("first ciphertext byte") << 16;
        QTest::newRow("middle") << blobSize / 2;
        QTest::newRow("last ciphertext byte") << blobSize - 33;
        QTest::newRow("mac") << blobSize - 1;
    }
    void aFlippedByteAnywhereIsCorruptedAndWritesNoPlaintext() {
        QFETCH(int, position);
        const auto e = encryptBytes(randomBytes(200000));
        QByteArray tampered = e.blob;
        tampered[position] = char(tampered[position] ^ 0x01);
        // Against the original digest (the server changed the blob)...
        auto [r1, out1] = decryptBytes(tampered, e.info.key, e.info.digest);
        QVERIFY(!r1);
        QCOMPARE(toString(r1.error().kind), toString(ErrorKind::Corrupted));
        QVERIFY(out1.isEmpty());
        // ...and with a digest matching the tampered blob (only the MAC can tell).
        auto [r2, out2] = decryptBytes(tampered, e.info.key, QCryptographicHash::hash(tampered, QCryptographicHash::Sha256));
        QVERIFY(!r2);
        QCOMPARE(toString(r2.error().kind), toString(ErrorKind::Corrupted));
        QVERIFY(out2.isEmpty());
    }

    void aTruncatedOrExtendedBlobIsCorrupted() {
        const auto e = encryptBytes(randomBytes(1000));
        for (const QByteArray& blob : {e.blob.left(e.blob.size() - 1), e.blob.left(e.blob.size() - 16),
                                       e.blob + QByteArray(16, 'x'), QByteArray()}) {
            auto [r, out] = decryptBytes(blob, e.info.key, QCryptographicHash::hash(blob, QCryptographicHash::Sha256));
            QVERIFY(!r);
            QCOMPARE(toString(r.error().kind), toString(ErrorKind::Corrupted));
            QVERIFY(out.isEmpty());
        }
    }

    void aWrongKeyIsRefusedWithoutOutput() {
        const auto e = encryptBytes(randomBytes(5000));
        // Another file's key.
        const QByteArray otherKey = encryptBytes("other").info.key;
        auto [r1, out1] = decryptBytes(e.blob, otherKey, e.info.digest);
        QVERIFY(!r1);
        QCOMPARE(toString(r1.error().kind), toString(ErrorKind::Corrupted));
        QVERIFY(out1.isEmpty());
        // Right AES half, wrong MAC half.
        QByteArray wrongKey = e.info.key;
        wrongKey[63] = char(wrongKey[63] ^ 0xff);
        auto [r2, out2] = decryptBytes(e.blob, wrongKey, e.info.digest);
        QVERIFY(!r2);
        QCOMPARE(toString(r2.error().kind), toString(ErrorKind::Corrupted));
        QVERIFY(out2.isEmpty());
        auto [r3, out3] = decryptBytes(e.blob, e.info.key.left(32), e.info.digest);
        QVERIFY(!r3);
        QCOMPARE(toString(r3.error().kind), toString(ErrorKind::InvalidArgument));
    }

    void aBlobChangedBetweenVerificationAndDecryptionIsReportedCorrupted() {
        const auto e = encryptBytes(randomBytes(1000));
        ChangingBuffer source;
        source.setData(e.blob);
        source.open(QIODevice::ReadOnly);
        QBuffer sink;
        sink.open(QIODevice::WriteOnly);
        auto r = MediaCipher::decrypt(source, sink, e.info.key, e.info.digest);
        QVERIFY(!r);
        QCOMPARE(toString(r.error().kind), toString(ErrorKind::Corrupted));
    }

    void progressReachesTheTotalBothWays() {
        const QByteArray plaintext = randomBytes(300000);
        qint64 lastDone = -1, lastTotal = -1, calls = 0;
        bool monotonic = true;
        auto progress = [&](qint64 done, qint64 total) {
            monotonic = monotonic && done >= lastDone;
            lastDone = done;
            lastTotal = total;
            ++calls;
        };
        const auto e = encryptBytes(plaintext, progress);
        QVERIFY(calls > 1);
        QVERIFY(monotonic);
        QCOMPARE(lastTotal, qint64(plaintext.size()));
        QCOMPARE(lastDone, lastTotal);

        lastDone = -1;
        calls = 0;
        auto [r, out] = decryptBytes(e.blob, e.info.key, e.info.digest, progress);
        QVERIFY(r);
        QVERIFY(calls > 1);
        QVERIFY(monotonic);
        QCOMPARE(lastDone, lastTotal);
        QCOMPARE(lastTotal, 2 * qint64(e.blob.size()));
    }

    void groupMetadataRoundTripsUnicodeText() {
        const QByteArray secret = *GroupMetadataCipher::generateSecret();
        QCOMPARE(secret.size(), 32);
        for (const QString& text : {QString(), QStringLiteral("Book club"), QStringLiteral("Café ☕ 🎉 — Ünïcødé")}) {
            const QString sealed = *GroupMetadataCipher::seal(secret, text);
            QVERIFY(!sealed.contains(text) || text.isEmpty());
            QCOMPARE(QByteArray::fromBase64(sealed.toLatin1()).size(), 12 + text.toUtf8().size() + 16);
            auto opened = GroupMetadataCipher::open(secret, sealed);
            QVERIFY(opened);
            QCOMPARE(*opened, text);
        }
        QVERIFY(*GroupMetadataCipher::seal(secret, "same") != *GroupMetadataCipher::seal(secret, "same"));
    }

    void groupMetadataWithWrongSecretOrTamperingIsRefused() {
        const QByteArray secret = *GroupMetadataCipher::generateSecret();
        const QString sealed = *GroupMetadataCipher::seal(secret, "Secret plans");

        auto wrong = GroupMetadataCipher::open(*GroupMetadataCipher::generateSecret(), sealed);
        QVERIFY(!wrong);
        QCOMPARE(toString(wrong.error().kind), toString(ErrorKind::Corrupted));

        const QByteArray raw = QByteArray::fromBase64(sealed.toLatin1());
        for (int i = 0; i < raw.size(); ++i) {
            QByteArray tampered = raw;
            tampered[i] = char(tampered[i] ^ 0x20);
            auto r = GroupMetadataCipher::open(secret, QString::fromLatin1(tampered.toBase64()));
            QVERIFY(!r);
            QCOMPARE(toString(r.error().kind), toString(ErrorKind::Corrupted));
        }
        auto truncated = GroupMetadataCipher::open(secret, QString::fromLatin1(raw.left(20).toBase64()));
        QVERIFY(!truncated);
        QVERIFY(!GroupMetadataCipher::open(secret, QStringLiteral("not base64!")));
        QCOMPARE(toString(GroupMetadataCipher::seal(QByteArray(16, 'k'), "x").error().kind), toString(ErrorKind::InvalidArgument));
    }
};

QTEST_GUILESS_MAIN(TestMediaCipher)
#include "tst_media_cipher.moc"
