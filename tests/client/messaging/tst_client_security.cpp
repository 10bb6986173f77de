// What users trust Natter with, checked against a real natterd: a wrong passphrase opens
// nothing and changes nothing, no plaintext lands in the profile or on the server, every
// file of a profile is its owner's only, one-time pre-keys drained by someone else are topped
// up with a warning, and a device linked later gets new messages (its own sent copies
// included). Changed identities and device lists: tst_client_devices.
#include "client_harness.h"
#include "natterd_process.h"
#include "test_client.h"

#include "client/client.h"
#include "client/messaging/key_maintenance.h"
#include "client/store/contact_store.h"
#include "client/store/account_store.h"
#include "client/store/chat_store.h"
#include "client/store/message_store.h"
#include "client/store/outbox_store.h"
#include "client/rpc/rpc_server.h"
#include "client/store/profile_store.h"
#include "protocol/frame_codec.h"

#include <QCryptographicHash>
#include <QDirIterator>
#include <QFile>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>

using namespace natter::test;
using natter::client::Client;
using natter::client::ErrorKind;
using natter::client::MessageKind;

namespace {
QByteArray digestOfDir(const QString& dir) {
    QCryptographicHash hash(QCryptographicHash::Sha256);
    QDirIterator it(dir, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    QStringList files;
    while (it.hasNext()) files << it.next();
    files.sort();
    for (const auto& path : files) {
        QFile f(path);
        if (f.open(QIODevice::ReadOnly)) hash.addData(path.toUtf8() + f.readAll());
    }
    return hash.result();
}
// "path 0644" for every entry under dir (dir included) whose mode is not 0700 (folders) or
// 0600 (anything else: files, the socket).
QStringList notOwnerOnly(const QString& dir) {
    QStringList out;
    QStringList paths{dir};
    QDirIterator it(dir, QDir::AllEntries | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot, QDirIterator::Subdirectories);
    while (it.hasNext()) paths << it.next();
    for (const QString& path : paths) {
        struct stat st {};
        if (::lstat(path.toLocal8Bit().constData(), &st) != 0) continue;
        const unsigned mode = st.st_mode & 07777;
        if (mode != (S_ISDIR(st.st_mode) ? 0700u : 0600u)) out << QStringLiteral("%1 %2").arg(path).arg(mode, 4, 8, QLatin1Char('0'));
    }
    return out;
}
} // namespace


class TestClientSecurity : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<ClientWorld> m_world;
    Client* m_alice = nullptr;
    Client* m_bob = nullptr;
    QString m_chat;

private slots:
    void init() {
        m_world = std::make_unique<ClientWorld>();
        QVERIFY2(m_world->start({{"Alice", "+4915140000001"}, {"Bob", "+4915140000002"}}), qPrintable(m_world->error()));
        m_alice = m_world->user("Alice");
        m_bob = m_world->user("Bob");
        m_chat = *m_alice->resolveChat("Bob");
    }

    void cleanup() { m_world.reset(); }

    void wrongPassphraseIsRefusedAndTheStoreStaysIntact() {
        QVERIFY(m_alice->sendText(m_chat, "keep me safe"));
        QTRY_VERIFY_WITH_TIMEOUT(ClientHarness::findMessage(m_bob, m_chat, "keep me safe").has_value(), 10000);
        m_world->clients().close("bob");
        const QByteArray before = digestOfDir(m_world->clients().profileDir("bob"));
        qputenv("NATTER_PASSPHRASE", "not the passphrase");
        QVERIFY(!m_world->clients().reopen("bob", false));
        QVERIFY2(m_world->clients().lastError().contains("wrong passphrase"), qPrintable(m_world->clients().lastError()));
        QCOMPARE(digestOfDir(m_world->clients().profileDir("bob")), before);
        qputenv("NATTER_PASSPHRASE", "correct horse battery staple");
        m_bob = m_world->clients().reopen("bob", false);
        QVERIFY2(m_bob, qPrintable(m_world->clients().lastError()));
        QVERIFY(ClientHarness::findMessage(m_bob, m_chat, "keep me safe").has_value());
    }

    void neitherProfileNorServerHoldsAnyPlaintext() {
        QVERIFY(m_alice->sendText(m_chat, "the vault code is 4711"));
        QTRY_VERIFY_WITH_TIMEOUT(ClientHarness::findMessage(m_bob, m_chat, "the vault code is 4711").has_value(), 10000);
        QVERIFY(m_bob->sendText(m_chat, "noted, burning this message"));
        QTRY_VERIFY_WITH_TIMEOUT(ClientHarness::findMessage(m_alice, m_chat, "noted, burning this message").has_value(), 10000);
        m_world->clients().close("alice");
        m_world->clients().close("bob");
        m_world->server().terminate();
        for (const QByteArray& secret : {QByteArray("vault code"), QByteArray("burning this")}) {
            QCOMPARE(filesContaining(m_world->clients().dataRoot(), secret), QStringList());
            QCOMPARE(filesContaining(m_world->server().dataDir(), secret), QStringList());
        }
        // Contact names are profile data too.
        QCOMPARE(filesContaining(m_world->clients().profileDir("alice"), "Bob"), QStringList());
    }

    void everyFileOfAProfileIsItsOwnersOnly() {
        // Texts both ways, a file sent, received and saved, and Bob's profile socket open.
        QVERIFY(m_alice->sendText(m_chat, "hello"));
        QTRY_VERIFY_WITH_TIMEOUT(ClientHarness::findMessage(m_bob, m_chat, "hello").has_value(), 10000);
        QVERIFY(m_bob->sendText(m_chat, "hello back"));
        QTRY_VERIFY_WITH_TIMEOUT(ClientHarness::findMessage(m_alice, m_chat, "hello back").has_value(), 10000);
        QTemporaryDir outside;
        QFile file(outside.filePath("minutes.txt"));
        QVERIFY(file.open(QIODevice::WriteOnly) && file.write("the minutes") > 0);
        file.close();
        QVERIFY(await<qint64>([&](auto done) { m_alice->sendFile(m_chat, file.fileName(), {}, {}, done); }));
        std::optional<natter::client::MessageRecord> received;
        QTRY_VERIFY_WITH_TIMEOUT((received = [&]() -> std::optional<natter::client::MessageRecord> {
                                     for (const auto& m : ClientHarness::messagesOf(m_bob, m_chat))
                                         if (m.media) return m;
                                     return std::nullopt;
                                 }()).has_value(),
                                 10000);
        QVERIFY(await<QString>([&](auto done) { m_bob->saveAttachment(received->localId, outside.filePath("saved.txt"), {}, done); }));
        natter::client::rpc::RpcServer socket(*m_bob);
        QVERIFY(socket.listen());

        for (const char* profile : {"alice", "bob"}) {
            const QString dir = m_world->clients().profileDir(profile);
            QVERIFY(QFile::exists(dir + "/store.db") && QFile::exists(dir + "/store.db-wal") && QFile::exists(dir + "/store.lock"));
            QVERIFY2(!QDir(dir + "/media").isEmpty(QDir::Files), profile);
            QCOMPARE(notOwnerOnly(dir), QStringList());
        }
        QVERIFY(QFile::exists(m_world->clients().profileDir("bob") + "/rpc.sock"));
    }

    void oneTimePreKeysAreToppedUpWhenTheServerSaysTheyRunLow() {
        // natterd warns below 150 keys; a client publishes 100 at registration.
        ClientWorld world({"--prekey-low-threshold", "150"});
        QVERIFY2(world.start({{"Dave", "+4915140000004"}}), qPrintable(world.error()));
        Client* dave = world.user("Dave");
        auto rawDevice = actAs(world.server(), dave);
        QVERIFY(rawDevice);
        TestClient& raw = *rawDevice;
        const auto keysLeft = [&] { return raw.request("GET", "/api/keys/status").object().value("one_time_prekeys").toInt(); };
        QTRY_VERIFY_WITH_TIMEOUT(keysLeft() >= 150, 10000);
    }

    void oneTimePreKeysDrainedByAnotherAccountAreToppedUpWithAWarning() {
        // One account may take 3 of a device's one-time pre-keys per hour; a plain low count
        // (below 1) plays no part here.
        ClientWorld world({"--prekeys-per-requester", "3", "--prekey-low-threshold", "1"});
        QVERIFY2(world.start({{"Dave", "+4915140000006"}}), qPrintable(world.error()));
        Client* dave = world.user("Dave");
        auto rawDevice = actAs(world.server(), dave);
        QVERIFY(rawDevice);
        const auto keysLeft = [&] { return rawDevice->request("GET", "/api/keys/status").object().value("one_time_prekeys").toInt(); };
        QTRY_COMPARE_WITH_TIMEOUT(keysLeft(), natter::client::KeyMaintenance::kBatch, 10000);
        TestClient mallory(world.server());
        NATTER_SIGNUP(mallory, "+4915140000099", "Mallory");

        QTest::ignoreMessage(QtWarningMsg, QRegularExpression("one-time pre-keys are being fetched faster"));
        for (int i = 0; i < 6; ++i)
            NATTER_HTTP(mallory.request("GET", QStringLiteral("/api/users/%1/keys").arg(dave->account().userId)), 200);
        // Mallory got 3; Dave's client heard of the drain and uploaded another batch.
        QTRY_COMPARE_WITH_TIMEOUT(keysLeft(), 2 * natter::client::KeyMaintenance::kBatch - 3, 10000);
    }

    void deviceLinkedLaterGetsNewMessagesAndItsOwnCopies() {
        const QString bobsChat = *m_bob->resolveChat("Alice");
        QCOMPARE(bobsChat, m_chat);
        QVERIFY(m_bob->sendText(m_chat, "before the laptop"));
        QTRY_VERIFY_WITH_TIMEOUT(ClientHarness::findMessage(m_alice, m_chat, "before the laptop").has_value(), 10000);
        Client* laptop = m_world->clients().link(m_alice, "alice-laptop");
        QVERIFY2(laptop, qPrintable(m_world->clients().lastError()));
        QCOMPARE(laptop->account().userId, m_alice->account().userId);
        QVERIFY(laptop->account().deviceId != m_alice->account().deviceId);
        QCOMPARE(laptop->account().phone, m_alice->account().phone);

        // Bob's client learns about the new device from natterd (device_mismatch) and
        // encrypts for it too.
        QVERIFY(m_bob->sendText(m_chat, "after the laptop"));
        QTRY_VERIFY_WITH_TIMEOUT(ClientHarness::findMessage(laptop, m_chat, "after the laptop").has_value(), 15000);
        QTRY_VERIFY_WITH_TIMEOUT(ClientHarness::findMessage(m_alice, m_chat, "after the laptop").has_value(), 15000);
        QVERIFY(!ClientHarness::findMessage(laptop, m_chat, "before the laptop").has_value());

        // What the laptop sends shows on the phone as sent by Alice, and reaches Bob.
        QVERIFY(await<natter::client::ContactRecord>([&](auto done) { laptop->addContact(m_bob->account().phone, "Bob", done); }));
        QVERIFY(laptop->sendText(m_chat, "typed on the laptop"));
        QTRY_VERIFY_WITH_TIMEOUT(ClientHarness::findMessage(m_bob, m_chat, "typed on the laptop").has_value(), 15000);
        QTRY_VERIFY_WITH_TIMEOUT(ClientHarness::findMessage(m_alice, m_chat, "typed on the laptop").has_value(), 15000);
        QVERIFY(ClientHarness::findMessage(m_alice, m_chat, "typed on the laptop")->direction ==
                natter::client::MessageDirection::outgoing);
    }
};

QTEST_GUILESS_MAIN(TestClientSecurity)
#include "tst_client_security.moc"
