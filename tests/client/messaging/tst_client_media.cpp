// Attachments through the client core against a real natterd: a file arrives byte for
// byte, images carry a thumbnail and can be read into memory for viewing (no plaintext file),
// a tampered blob is refused with nothing written or returned, and a media id that is a path
// (chosen by a hostile peer) is refused before any file or download.
#include "client_harness.h"
#include "natterd_process.h"

#include "client/client.h"
#include "client/store/account_store.h"
#include "client/store/chat_store.h"
#include "client/store/message_store.h"
#include "client/store/outbox_store.h"
#include "client/store/database.h"
#include "client/store/profile_store.h"
#include "protocol/base64.h"
#include "protocol/e2e_codec.h"

#include <QDirIterator>
#include <QFile>
#include <QImage>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

using namespace natter::test;
using natter::client::Client;
using natter::client::ErrorKind;
using natter::client::MessageKind;

class TestClientMedia : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<ClientWorld> m_world;
    Client* m_alice = nullptr;
    Client* m_bob = nullptr;
    QString m_chat;
    QTemporaryDir m_files;

    QString writeFile(const QString& name, const QByteArray& bytes) {
        const QString path = m_files.filePath(name);
        QFile f(path);
        if (!f.open(QIODevice::WriteOnly) || f.write(bytes) != bytes.size()) return {};
        return path;
    }
    static QByteArray randomBytes(int n) {
        QByteArray out(n, Qt::Uninitialized);
        for (int i = 0; i < n; ++i) out[i] = char(QRandomGenerator::global()->bounded(256));
        return out;
    }
    static QByteArray readAll(const QString& path) {
        QFile f(path);
        return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
    }
    // Every file under the test's data root that is not a profile's store or lock, or in a
    // profile's media folder: where an escaping media id would have written.
    QStringList filesOutsideMedia() const {
        QStringList out;
        QDirIterator it(m_world->clients().dataRoot(), QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
        static const QRegularExpression allowed(QStringLiteral("/natter/profiles/[^/]+/(media/[^/]+|store\\.db(-wal|-shm|-journal)?|store\\.lock)$"));
        while (it.hasNext()) {
            const QString path = it.next();
            if (!allowed.match(path).hasMatch()) out << path;
        }
        return out;
    }
    std::optional<natter::client::MessageRecord> receivedFile(const QString& fileName) {
        for (const auto& m : ClientHarness::messagesOf(m_bob, m_chat))
            if (m.media && m.media->fileName == fileName) return m;
        return std::nullopt;
    }

private slots:
    void init() {
        m_world = std::make_unique<ClientWorld>();
        QVERIFY2(m_world->start({{"Alice", "+4915130000001"}, {"Bob", "+4915130000002"}}), qPrintable(m_world->error()));
        m_alice = m_world->user("Alice");
        m_bob = m_world->user("Bob");
        m_chat = *m_alice->resolveChat("Bob");
    }

    void cleanup() { m_world.reset(); }

    void fileArrivesByteIdenticalWithCaptionAndProgress() {
        const QByteArray bytes = randomBytes(3 * 1024 * 1024 + 17);
        const QString path = writeFile("quarterly report.pdf", bytes);
        qint64 lastDone = 0, lastTotal = 0;
        auto sent = await<qint64>([&](auto done) {
            m_alice->sendFile(m_chat, path, "the numbers", [&](qint64 d, qint64 t) { lastDone = d; lastTotal = t; }, done);
        });
        QVERIFY2(sent, qPrintable(sent ? QString() : sent.error().message));
        QCOMPARE(lastDone, lastTotal);
        QCOMPARE(lastTotal, qint64(bytes.size()));

        QTRY_VERIFY_WITH_TIMEOUT(receivedFile("quarterly report.pdf").has_value(), 10000);
        const auto message = *receivedFile("quarterly report.pdf");
        QCOMPARE(message.kind, MessageKind::media);
        QCOMPARE(message.text, QStringLiteral("the numbers"));
        QCOMPARE(message.media->size, qint64(bytes.size()));
        const QString target = m_files.filePath("saved.pdf");
        auto saved = await<QString>([&](auto done) { m_bob->saveAttachment(message.localId, target, {}, done); });
        QVERIFY2(saved, qPrintable(saved ? QString() : saved.error().message));
        QVERIFY(readAll(target) == bytes);
        // At rest in Bob's profile the file stays encrypted.
        QCOMPARE(filesContaining(m_world->clients().profileDir("bob"), bytes.left(64)), QStringList());
        QCOMPARE(filesContaining(m_world->server().dataDir(), bytes.left(64)), QStringList());
        QCOMPARE(filesContaining(m_world->server().dataDir(), "quarterly report"), QStringList());
    }

    void imageCarriesAThumbnailAndIsFetchedOnArrival() {
        QImage image(640, 480, QImage::Format_RGB32);
        image.fill(QColor(30, 120, 200));
        const QString path = m_files.filePath("sunset.png");
        QVERIFY(image.save(path));
        QVERIFY(await<qint64>([&](auto done) { m_alice->sendFile(m_chat, path, {}, {}, done); }));
        QTRY_VERIFY_WITH_TIMEOUT(receivedFile("sunset.png").has_value(), 10000);
        const auto message = *receivedFile("sunset.png");
        QCOMPARE(message.media->mime, QStringLiteral("image/png"));
        QImage thumbnail;
        QVERIFY(thumbnail.loadFromData(message.media->thumbnail, "JPEG"));
        QVERIFY(thumbnail.width() <= 96 && thumbnail.height() <= 96);
        QTRY_VERIFY_WITH_TIMEOUT(!m_bob->store().messages().byLocalId(message.localId).value()->media->localBlobPath.isEmpty(),
                                 10000);
    }

    // Delete for everyone: the recipient's downloaded (encrypted) file, its key and thumbnail go.
    void aPictureDeletedForEveryoneLeavesNoFileKeyOrThumbnailOnTheRecipient() {
        QImage image(640, 480, QImage::Format_RGB32);
        image.fill(QColor(90, 20, 160));
        const QString path = m_files.filePath("private.png");
        QVERIFY(image.save(path));
        auto sent = await<qint64>([&](auto done) { m_alice->sendFile(m_chat, path, "just for you", {}, done); });
        QVERIFY(sent);
        QTRY_VERIFY_WITH_TIMEOUT(receivedFile("private.png").has_value(), 10000);
        const qint64 bobsId = receivedFile("private.png")->localId;
        QString blob;
        QTRY_VERIFY_WITH_TIMEOUT(!(blob = m_bob->store().messages().byLocalId(bobsId).value()->media->localBlobPath).isEmpty(),
                                 10000);
        QVERIFY(QFileInfo::exists(blob));
        QTRY_VERIFY_WITH_TIMEOUT(m_alice->store().messages().byLocalId(*sent).value()->messageId != 0, 10000);

        QVERIFY(m_alice->deleteMessage(*sent, true));
        QTRY_VERIFY_WITH_TIMEOUT(m_bob->store().messages().byLocalId(bobsId).value()->deleted(), 10000);
        const auto gone = *m_bob->store().messages().byLocalId(bobsId).value();
        QVERIFY(!gone.media);
        QVERIFY(gone.text.isEmpty());
        QVERIFY(!QFileInfo::exists(blob));
        QCOMPARE(QDir(m_bob->profileDir() + "/media").entryList(QDir::Files), QStringList());
        QCOMPARE(m_bob->search("just").value().size(), std::size_t(0));
    }

    // What the in-app viewer uses: the picture decrypted into memory, no plaintext copy on disk.
    void pictureIsReadIntoMemoryWithoutAPlaintextFile() {
        QImage image(320, 200, QImage::Format_RGB32);
        image.fill(QColor(200, 60, 20));
        const QString path = m_files.filePath("kiln.png");
        QVERIFY(image.save(path));
        const QByteArray original = readAll(path);
        QVERIFY(await<qint64>([&](auto done) { m_alice->sendFile(m_chat, path, {}, {}, done); }));
        QTRY_VERIFY_WITH_TIMEOUT(receivedFile("kiln.png").has_value(), 10000);
        qint64 lastDone = 0, lastTotal = 0;
        auto read = await<QByteArray>([&](auto done) {
            m_bob->readAttachment(receivedFile("kiln.png")->localId, [&](qint64 d, qint64 t) { lastDone = d; lastTotal = t; }, done);
        });
        QVERIFY2(read, qPrintable(read ? QString() : read.error().message));
        QCOMPARE(*read, original);
        QVERIFY(lastTotal > 0 && lastDone == lastTotal);
        QDirIterator it(m_world->clients().dataRoot(), QDir::Files, QDirIterator::Subdirectories);
        while (it.hasNext()) {
            const QString file = it.next();
            QVERIFY2(!readAll(file).contains(original.mid(8, 64)), qPrintable(file + " holds the picture in clear"));
        }
    }

    void tamperedBlobIsRefusedAndNothingIsWritten() {
        const QByteArray bytes = randomBytes(200000);
        const QString path = writeFile("contract.odt", bytes);
        QVERIFY(await<qint64>([&](auto done) { m_alice->sendFile(m_chat, path, {}, {}, done); }));
        QTRY_VERIFY_WITH_TIMEOUT(receivedFile("contract.odt").has_value(), 10000);
        // Someone with access to the server flips one byte of the stored blob.
        QStringList blobs;
        QDirIterator it(m_world->server().dataDir() + "/media", QDir::Files, QDirIterator::Subdirectories);
        while (it.hasNext()) {
            const QString p = it.next();
            if (QFileInfo(p).size() > 190000) blobs << p;
        }
        QCOMPARE(blobs.size(), 1);
        QFile blob(blobs.front());
        QVERIFY(blob.open(QIODevice::ReadWrite));
        blob.seek(1000);
        char c = 0;
        blob.getChar(&c);
        blob.seek(1000);
        blob.putChar(char(c ^ 0x01));
        blob.close();

        const QString target = m_files.filePath("contract-saved.odt");
        auto saved = await<QString>([&](auto done) {
            m_bob->saveAttachment(receivedFile("contract.odt")->localId, target, {}, done);
        });
        QVERIFY(!saved);
        QVERIFY(saved.error().kind == ErrorKind::Corrupted);
        QVERIFY(!QFile::exists(target));
        auto read = await<QByteArray>([&](auto done) { m_bob->readAttachment(receivedFile("contract.odt")->localId, {}, done); });
        QVERIFY(!read);
        QVERIFY(read.error().kind == ErrorKind::Corrupted);
    }

    void aPeersAttachmentWhoseMediaIdIsAPathIsRefusedAndWritesNothing() {
        // Alice's client plays the hostile peer: the plaintext it queued is swapped, before it
        // goes out, for an image attachment whose media id climbs out of the media folder.
        // It is encrypted, sent, delivered and decrypted for real.
        m_alice->disconnectFromServer();
        QVERIFY(m_alice->sendText(m_chat, "innocent"));
        natter::protocol::e2e::Content hostile;
        hostile.attachment = natter::protocol::e2e::Attachment{
            "../../../../escape", natter::protocol::base64::encode(std::string(64, 'k')),
            natter::protocol::base64::encode(std::string(32, 'd')), "image/png", 10, "escape.png", std::nullopt};
        auto swap = m_alice->store().database().prepare("UPDATE outbox SET content = ?");
        QVERIFY(swap);
        swap->bind(1, QByteArray::fromStdString(natter::protocol::e2e::serializeContent(hostile)));
        QVERIFY(swap->run());
        m_alice->connectToServer();

        // A later message from Alice is the barrier: by then Bob handled the hostile one.
        QVERIFY(m_world->clients().waitSynced(m_alice));
        QVERIFY(m_alice->sendText(m_chat, "after the attack"));
        QTRY_VERIFY_WITH_TIMEOUT(ClientHarness::findMessage(m_bob, m_chat, "after the attack").has_value(), 10000);
        for (const auto& m : ClientHarness::messagesOf(m_bob, m_chat))
            if (m.media) QFAIL(qPrintable("Bob took a hostile attachment for a file: " + m.media->mediaId));
        QCOMPARE(filesOutsideMedia(), QStringList());
    }

    void aStoredAttachmentWithABadMediaIdIsNeitherFetchedNorWritten() {
        // As a client before this check stored it: the sender's id, unchecked.
        natter::client::MessageRecord m;
        m.chatId = m_chat;
        m.messageId = 4242;
        m.clientMsgId = QStringLiteral("stored-before");
        m.senderId = m_alice->account().userId;
        m.senderDevice = 1;
        m.timestamp = 1700000000000;
        m.kind = MessageKind::media;
        m.state = natter::client::MessageState::delivered;
        m.media = natter::client::MediaRecord{QStringLiteral("../../../../escape"), QByteArray(64, 'k'), QByteArray(32, 'd'),
                                              QStringLiteral("application/pdf"), 3, QStringLiteral("escape.pdf"), {}, {}};
        const auto inserted = m_bob->store().messages().insert(m);
        QVERIFY(inserted);
        const QString target = m_files.filePath("escape.pdf");
        auto saved = await<QString>([&](auto done) { m_bob->saveAttachment(inserted->localId, target, {}, done); });
        QVERIFY(!saved);
        QCOMPARE(natter::client::toString(saved.error().kind), natter::client::toString(ErrorKind::InvalidArgument));
        QVERIFY(!QFile::exists(target));
        QCOMPARE(filesOutsideMedia(), QStringList());
        // A genuine attachment lands in the media folder under a name of Bob's own making.
        const QString path = writeFile("notes.txt", "three");
        QVERIFY(await<qint64>([&](auto done) { m_alice->sendFile(m_chat, path, {}, {}, done); }));
        QTRY_VERIFY_WITH_TIMEOUT(receivedFile("notes.txt").has_value(), 10000);
        QVERIFY(await<QString>([&](auto done) { m_bob->saveAttachment(receivedFile("notes.txt")->localId, m_files.filePath("n.txt"), {}, done); }));
        const auto received = *receivedFile("notes.txt");
        const QFileInfo blob(m_bob->store().messages().byLocalId(received.localId).value()->media->localBlobPath);
        QCOMPARE(blob.absolutePath(), QFileInfo(m_bob->store().mediaDirectory()).absoluteFilePath());
        QVERIFY2(!blob.fileName().contains(received.media->mediaId), qPrintable(blob.fileName()));
    }
};

QTEST_GUILESS_MAIN(TestClientMedia)
#include "tst_client_media.moc"
