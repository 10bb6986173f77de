// A device its account unlinked (or signed out because its number was registered again on
// another device), seen through the client core against a real natterd: it learns it online
// (close 1008) and offline (at its next connect), says why once, stops connecting, fails what
// waited in its outbox with the reason, remembers it in the profile, and starts over as a new
// device, history kept, when it is linked again.
#include "client_harness.h"
#include "natterd_process.h"

#include "client/client.h"
#include "client/store/database.h"
#include "client/store/message_store.h"
#include "client/store/outbox_store.h"
#include "client/store/profile_store.h"
#include "protocol/error.h"

#include <QSignalSpy>
#include <QTest>

using namespace natter::test;
using natter::client::Client;
using natter::client::ErrorKind;
using natter::client::MessageState;
using natter::client::net::Connection;
using natter::protocol::RevocationReason;

namespace {
constexpr int kTimeoutMs = 15000;

QByteArray identityKeyOf(Client* c) {
    auto stmt = c->store().database().prepare("SELECT public_key FROM local_identity WHERE id = 1");
    return stmt && *stmt->step() ? stmt->blob(0) : QByteArray();
}
} // namespace

class TestClientRevocation : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<ClientWorld> m_world;
    Client* m_phone = nullptr;  // Alice's first device
    Client* m_laptop = nullptr; // linked to it; the one that gets unlinked
    Client* m_bob = nullptr;
    QString m_chat;             // Alice and Bob

    void unlinkLaptop() {
        const auto unlinked = await<void>([&](auto done) { m_phone->unlinkDevice(m_laptop->account().deviceId, done); });
        QVERIFY2(unlinked, qPrintable(unlinked ? QString() : unlinked.error().message));
    }

private slots:
    void init() {
        m_world = std::make_unique<ClientWorld>();
        QVERIFY2(m_world->start({{"Alice", "+4915150000001"}, {"Bob", "+4915150000002"}}), qPrintable(m_world->error()));
        m_phone = m_world->user("Alice");
        m_bob = m_world->user("Bob");
        m_laptop = m_world->clients().link(m_phone, "alice-laptop");
        QVERIFY2(m_laptop, qPrintable(m_world->clients().lastError()));
        QVERIFY(await<natter::client::ContactRecord>([&](auto done) { m_laptop->addContact(m_bob->account().phone, "Bob", done); }));
        m_chat = *m_laptop->resolveChat("Bob");
        QCOMPARE(*m_phone->resolveChat("Bob"), m_chat);
        QCOMPARE(*m_bob->resolveChat("Alice"), m_chat);
    }

    void cleanup() { m_world.reset(); }

    void unlinkedWhileOnlineItStopsSaysWhyOnceAndRemembersIt() {
        QSignalSpy revoked(m_laptop, &Client::deviceRevoked);
        QSignalSpy ended(m_laptop, &Client::sessionEnded);
        unlinkLaptop();
        QTRY_COMPARE_WITH_TIMEOUT(revoked.count(), 1, kTimeoutMs);
        const QString expected = QStringLiteral("This device was unlinked from the account (+4915150000001).");
        QVERIFY(revoked[0][0].value<RevocationReason>() == RevocationReason::unlinked);
        QCOMPARE(revoked[0][1].toString(), expected);
        QCOMPARE(ended.count(), 1);
        QCOMPARE(ended[0][0].toString(), expected);
        QVERIFY(m_laptop->isRevoked());
        QCOMPARE(m_laptop->connectionState(), Connection::State::Offline);

        // Every later call fails at once with the same words, and nothing reports it twice.
        const auto devices = await<natter::protocol::rest::DeviceList>([&](auto done) { m_laptop->devices(done); });
        QVERIFY(!devices);
        QCOMPARE(natter::client::toString(devices.error().kind), natter::client::toString(ErrorKind::Revoked));
        const auto sent = m_laptop->sendText(m_chat, "after the unlink");
        QVERIFY(!sent);
        QCOMPARE(sent.error().message, expected);
        m_laptop->connectToServer(); // no attempt starts (it would be Connecting now)
        QCOMPARE(m_laptop->connectionState(), Connection::State::Offline);
        QCOMPARE(revoked.count(), 1);
        QVERIFY(!ClientHarness::findMessage(m_laptop, m_chat, "after the unlink"));

        // Opened again with natterd gone, the profile knows it at once and does not connect.
        QCOMPARE(m_world->server().terminate(), 0);
        m_laptop = m_world->clients().reopen("alice-laptop", false);
        QVERIFY2(m_laptop, qPrintable(m_world->clients().lastError()));
        QVERIFY(m_laptop->revocation() == RevocationReason::unlinked);
        QCOMPARE(m_laptop->revokedError().message, expected);
        m_laptop->connectToServer();
        QCOMPARE(m_laptop->connectionState(), Connection::State::Offline);
    }

    void unlinkedWhileOfflineItFailsWhatWasQueuedWithTheReason() {
        m_laptop->disconnectFromServer();
        const auto first = m_laptop->sendText(m_chat, "written offline");
        const auto second = m_laptop->sendText(m_chat, "also written offline");
        QVERIFY(first && second);
        unlinkLaptop();

        QSignalSpy failed(m_laptop, &Client::messageFailed);
        QSignalSpy revoked(m_laptop, &Client::deviceRevoked);
        m_laptop->connectToServer();
        QTRY_COMPARE_WITH_TIMEOUT(revoked.count(), 1, kTimeoutMs);
        const QString reason = m_laptop->revokedError().message;
        QCOMPARE(failed.count(), 2);
        for (const auto& f : failed) QCOMPARE(f[2].toString(), reason);
        QCOMPARE((QList<qint64>{failed[0][0].toLongLong(), failed[1][0].toLongLong()}), (QList<qint64>{*first, *second}));
        QVERIFY(m_laptop->unsentAtRevocation() == (std::vector<qint64>{*first, *second}));
        for (qint64 id : {*first, *second}) QVERIFY(m_laptop->messageInfo(id)->state == MessageState::failed);
        QVERIFY(m_laptop->store().outbox().pending()->empty());
        QCOMPARE(m_laptop->connectionState(), Connection::State::Offline);
        m_laptop->connectToServer();
        QCOMPARE(m_laptop->connectionState(), Connection::State::Offline);
        // Bob, still online, never got them (a message from Alice's phone is the barrier).
        QVERIFY(m_phone->sendText(m_chat, "from the phone"));
        QTRY_VERIFY_WITH_TIMEOUT(ClientHarness::findMessage(m_bob, m_chat, "from the phone").has_value(), kTimeoutMs);
        QVERIFY(!ClientHarness::findMessage(m_bob, m_chat, "written offline"));
    }

    void signedOutByARegistrationElsewhereItSaysSo() {
        // Offline while Alice's number is verified again on a new profile: it learns why when it
        // comes back.
        m_laptop->disconnectFromServer();
        QVERIFY2(m_world->clients().signUp("alice-again", m_phone->account().phone, "Alice"),
                 qPrintable(m_world->clients().lastError()));
        QSignalSpy revoked(m_laptop, &Client::deviceRevoked);
        m_laptop->connectToServer();
        QTRY_COMPARE_WITH_TIMEOUT(revoked.count(), 1, kTimeoutMs);
        QVERIFY(revoked[0][0].value<RevocationReason>() == RevocationReason::reregistered);
        QCOMPARE(revoked[0][1].toString(), QStringLiteral("This device was signed out: its phone number (+4915150000001) "
                                                           "was registered again on another device."));
        m_laptop = m_world->clients().reopen("alice-laptop", false);
        QVERIFY(m_laptop && m_laptop->revocation() == RevocationReason::reregistered);
    }

    void linkedAgainItStartsOverAsANewDeviceKeepingItsHistory() {
        QVERIFY(m_bob->sendText(m_chat, "before the unlink"));
        QTRY_VERIFY_WITH_TIMEOUT(ClientHarness::findMessage(m_laptop, m_chat, "before the unlink").has_value(), kTimeoutMs);
        const QByteArray oldIdentity = identityKeyOf(m_laptop);
        const auto oldDevice = m_laptop->account().deviceId;
        QSignalSpy revoked(m_laptop, &Client::deviceRevoked);
        unlinkLaptop();
        QTRY_COMPARE_WITH_TIMEOUT(revoked.count(), 1, kTimeoutMs);

        const auto code = await<QString>([&](auto done) { m_phone->createLinkCode(done); });
        QVERIFY(code);
        const auto linked = await<void>([&](auto done) { m_laptop->linkWithCode(*code, "laptop again", done); });
        QVERIFY2(linked, qPrintable(linked ? QString() : linked.error().message));
        QVERIFY(!m_laptop->isRevoked());
        QCOMPARE(m_laptop->account().userId, m_phone->account().userId);
        QVERIFY(m_laptop->account().deviceId != oldDevice);
        // Linked to the same account again, it holds the account identity key again (every device
        // of an account shares it), not one it made up.
        QCOMPARE(identityKeyOf(m_laptop), oldIdentity);
        QCOMPARE(identityKeyOf(m_laptop), identityKeyOf(m_phone));
        QVERIFY(ClientHarness::findMessage(m_laptop, m_chat, "before the unlink").has_value());

        m_laptop->connectToServer();
        QVERIFY(m_world->clients().waitSynced(m_laptop));
        QVERIFY(m_bob->sendText(m_chat, "to the new device"));
        QTRY_VERIFY_WITH_TIMEOUT(ClientHarness::findMessage(m_laptop, m_chat, "to the new device").has_value(), kTimeoutMs);
        QVERIFY(m_laptop->sendText(m_chat, "from the new device"));
        QTRY_VERIFY_WITH_TIMEOUT(ClientHarness::findMessage(m_bob, m_chat, "from the new device").has_value(), kTimeoutMs);
        // Opened again later, it is an ordinary working device.
        m_laptop = m_world->clients().reopen("alice-laptop");
        QVERIFY2(m_laptop && !m_laptop->isRevoked(), qPrintable(m_world->clients().lastError()));
    }
};

QTEST_GUILESS_MAIN(TestClientRevocation)
#include "tst_client_revocation.moc"
