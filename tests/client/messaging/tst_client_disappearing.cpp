// Disappearing messages through the client core with real clients against a real natterd and
// one hand-moved clock: a chat's timer reaches the other side (a chat event on every device) and
// applies only to what is sent after it; in a group only admins may set it; once the clock is
// past a message's timer it is gone on every device — row, file, search entries — also when the
// device was closed meanwhile, and the SQLCipher store (read with the passphrase) has none of it.
#include "client_harness.h"
#include "natterd_process.h"

#include "client/client.h"
#include "client/core/clock.h"
#include "client/messaging/group_directory.h"
#include "client/store/chat_store.h"
#include "client/store/group_store.h"
#include "client/store/message_store.h"
#include "client/store/profile_store.h"

#include <QFile>
#include <QFileInfo>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <chrono>

using namespace natter::test;
using namespace std::chrono_literals;
using natter::client::Client;
using natter::client::ManualClock;
using natter::client::MessageKind;
using natter::client::MessageRecord;

class TestClientDisappearing : public QObject {
    Q_OBJECT

private:
    std::shared_ptr<ManualClock> m_clock;
    std::unique_ptr<ClientWorld> m_world;
    Client* m_alice = nullptr;
    Client* m_bob = nullptr;
    Client* m_carol = nullptr;
    QTemporaryDir m_files;

    static quint32 timerOf(Client* c, const QString& chat) {
        auto record = c->store().chats().byId(chat);
        return record && *record ? (*record)->expireTimer : 99;
    }
    static std::optional<MessageRecord> byServerId(Client* c, quint64 messageId) {
        return ClientHarness::byServerId(c, messageId);
    }
    static quint64 sendAndWait(Client* from, Client* to, const QString& chat, const QString& text) {
        return ClientHarness::sendAndWait(from, to, chat, text);
    }

private slots:
    void init() {
        m_clock = std::make_shared<ManualClock>();
        m_world = std::make_unique<ClientWorld>(QStringList{}, m_clock);
        QVERIFY2(m_world->start({{"Alice", "+4915170000001"}, {"Bob", "+4915170000002"}, {"Carol", "+4915170000003"}}),
                 qPrintable(m_world->error()));
        m_alice = m_world->user("Alice");
        m_bob = m_world->user("Bob");
        m_carol = m_world->user("Carol");
    }

    void cleanup() {
        m_world.reset();
        m_clock.reset();
    }

    void aTimerSetInAOneToOneChatReachesTheOtherSideAndAppliesToLaterMessagesOnly() {
        const QString chat = *m_alice->resolveChat("Bob");
        const quint64 before = sendAndWait(m_alice, m_bob, chat, "sent before the timer");
        QVERIFY(before);

        auto line = m_alice->setDisappearing(chat, 3600);
        QVERIFY2(line, line ? "" : qPrintable(line.error().message));
        QCOMPARE(timerOf(m_alice, chat), quint32(3600));
        QVERIFY(ClientHarness::findMessage(m_alice, chat, "You set disappearing messages to 1 hour"));
        QTRY_COMPARE_WITH_TIMEOUT(timerOf(m_bob, chat), quint32(3600), 10000);
        const auto event = ClientHarness::findMessage(m_bob, chat, "Alice set disappearing messages to 1 hour");
        QVERIFY(event);
        QCOMPARE(event->kind, MessageKind::system);

        const quint64 after = sendAndWait(m_alice, m_bob, chat, "sent after the timer");
        QVERIFY(after);
        for (Client* device : {m_alice, m_bob}) {
            QCOMPARE(byServerId(device, before)->expireTimer, quint32(0));
            QTRY_COMPARE_WITH_TIMEOUT(byServerId(device, after)->expireTimer, quint32(3600), 10000);
        }

        // Either person of a direct chat may change it; Bob turns it off for what follows.
        QVERIFY(m_bob->setDisappearing(chat, 0));
        QTRY_COMPARE_WITH_TIMEOUT(timerOf(m_alice, chat), quint32(0), 10000);
        QVERIFY(ClientHarness::findMessage(m_alice, chat, "Bob turned off disappearing messages"));
        const quint64 last = sendAndWait(m_bob, m_alice, chat, "sent after it was turned off");
        QVERIFY(last);
        QCOMPARE(byServerId(m_alice, last)->expireTimer, quint32(0));

        // The hour passes: only the message sent while the timer was on is gone, on both sides.
        m_clock->advance(2h);
        for (Client* device : {m_alice, m_bob}) {
            QTRY_VERIFY_WITH_TIMEOUT(!byServerId(device, after), 10000);
            QVERIFY(byServerId(device, before));
            QVERIFY(byServerId(device, last));
        }
        QVERIFY(ClientHarness::findMessage(m_alice, chat, "Bob turned off disappearing messages"));
        QVERIFY(ClientHarness::findMessage(m_bob, chat, "You turned off disappearing messages"));
    }

    void inAGroupOnlyAnAdminMayChangeTheTimer() {
        auto group = await<QString>([&](auto done) {
            m_alice->groups().create("Hiking", {m_bob->account().userId, m_carol->account().userId}, done);
        });
        QVERIFY2(group, group ? "" : qPrintable(group.error().message));
        QTRY_VERIFY_WITH_TIMEOUT(m_bob->groupInfo(*group).has_value() && m_bob->groupInfo(*group)->members.size() == 3,
                                 10000);

        auto refused = m_bob->setDisappearing(*group, 300);
        QVERIFY(!refused);
        QVERIFY(refused.error().kind == natter::client::ErrorKind::InvalidArgument);
        QVERIFY2(refused.error().message.contains("only an admin"), qPrintable(refused.error().message));
        QCOMPARE(timerOf(m_bob, *group), quint32(0));
        QVERIFY(!ClientHarness::findMessage(m_bob, *group, "You set disappearing messages to 5 minutes"));

        QVERIFY(m_alice->setDisappearing(*group, 300));
        for (Client* member : {m_bob, m_carol}) {
            QTRY_COMPARE_WITH_TIMEOUT(timerOf(member, *group), quint32(300), 10000);
            QVERIFY(ClientHarness::findMessage(member, *group, "Alice set disappearing messages to 5 minutes"));
        }
        const auto odd = m_alice->setDisappearing(*group, 301);
        QVERIFY(!odd && odd.error().kind == natter::client::ErrorKind::InvalidArgument);
        QCOMPARE(timerOf(m_alice, *group), quint32(300));
    }

    // A modified client that believes itself an admin can send a timer change; the other
    // members check the sender's role themselves and ignore it.
    void aTimerChangeFromANonAdminIsIgnoredByTheOtherMembers() {
        auto group = await<QString>([&](auto done) {
            m_alice->groups().create("Climbing", {m_bob->account().userId, m_carol->account().userId}, done);
        });
        QVERIFY2(group, group ? "" : qPrintable(group.error().message));
        QTRY_VERIFY_WITH_TIMEOUT(m_bob->groupInfo(*group).has_value() && m_bob->groupInfo(*group)->members.size() == 3,
                                 10000);
        auto forged = m_bob->store().groups().byId(*group);
        QVERIFY(forged && *forged);
        for (auto& member : (*forged)->members)
            if (member.userId == m_bob->account().userId) member.role = natter::client::GroupRole::admin;
        QVERIFY(m_bob->store().groups().save(**forged));
        QVERIFY(m_bob->setDisappearing(*group, 3600)); // Bob's own client lets him

        // Bob's next message comes after the forged change: once it is there, the change was seen.
        sendAndWait(m_bob, m_alice, *group, "after the forged timer");
        QTRY_VERIFY_WITH_TIMEOUT(ClientHarness::findMessage(m_carol, *group, "after the forged timer"), 10000);
        for (Client* member : {m_alice, m_carol}) {
            QCOMPARE(timerOf(member, *group), quint32(0));
            QVERIFY(!ClientHarness::findMessage(member, *group, "Bob set disappearing messages to 1 hour"));
            const auto message = ClientHarness::findMessage(member, *group, "after the forged timer");
            QVERIFY(message);
            QCOMPARE(message->expireTimer, quint32(3600)); // carried, as sent; the chat's own timer is untouched
        }
    }

    void anExpiredMessageIsGoneOnEveryDeviceWithItsFileAndSearchEntries() {
        Client* laptop = m_world->clients().link(m_alice, "alice-laptop");
        QVERIFY2(laptop, qPrintable(m_world->clients().lastError()));
        const QString chat = *m_alice->resolveChat("Bob");
        QVERIFY(m_alice->setDisappearing(chat, 3600));
        QTRY_COMPARE_WITH_TIMEOUT(timerOf(m_bob, chat), quint32(3600), 10000);
        QTRY_COMPARE_WITH_TIMEOUT(timerOf(laptop, chat), quint32(3600), 10000);

        const quint64 text = sendAndWait(m_alice, m_bob, chat, "the wombatquasar meets at noon");
        QVERIFY(text);
        const QString path = m_files.filePath("route.txt");
        {
            QFile f(path);
            QVERIFY(f.open(QIODevice::WriteOnly) && f.write(QByteArray("secret route\n").repeated(100)) > 0);
        }
        QVERIFY(await<qint64>([&](auto done) { m_alice->sendFile(chat, path, "numbatcaption", {}, done); }));
        QTRY_VERIFY_WITH_TIMEOUT(ClientHarness::findMessage(m_bob, chat, "numbatcaption").has_value(), 10000);
        const MessageRecord file = *ClientHarness::findMessage(m_bob, chat, "numbatcaption");
        QVERIFY(await<QByteArray>([&](auto done) { m_bob->readAttachment(file.localId, {}, done); }));
        const QString blob = byServerId(m_bob, file.messageId)->media->localBlobPath;
        QVERIFY(QFileInfo::exists(blob));
        for (Client* device : {m_alice, laptop, m_bob}) {
            QTRY_VERIFY_WITH_TIMEOUT(byServerId(device, text).has_value(), 10000);
            QTRY_VERIFY_WITH_TIMEOUT(byServerId(device, file.messageId).has_value(), 10000);
            QCOMPARE(device->search("wombatquasar").value().size(), std::size_t(1));
        }

        // 50 minutes: nothing expires early.
        m_clock->advance(50min);
        QCoreApplication::processEvents();
        for (Client* device : {m_alice, laptop, m_bob}) QVERIFY(byServerId(device, text).has_value());

        QSignalSpy removed(m_bob, &Client::messageRemoved);
        m_clock->advance(20min);
        for (Client* device : {m_alice, laptop, m_bob}) {
            QTRY_VERIFY_WITH_TIMEOUT(!byServerId(device, text).has_value(), 10000);
            QTRY_VERIFY_WITH_TIMEOUT(!byServerId(device, file.messageId).has_value(), 10000);
            QCOMPARE(device->search("wombatquasar").value().size(), std::size_t(0));
            QCOMPARE(device->search("numbatcaption").value().size(), std::size_t(0));
            const QString setter = device == m_bob ? QStringLiteral("Alice") : QStringLiteral("You");
            QCOMPARE(device->chatInfo(chat)->lastPreview, setter + " set disappearing messages to 1 hour");
        }
        QCOMPARE(removed.size(), 2);
        QVERIFY(!QFileInfo::exists(blob));

        // Read with the passphrase, no table of any device's store (search index included) holds them.
        for (const QString profile : {"alice", "alice-laptop", "bob"}) {
            QCOMPARE(m_world->clients().storeValuesContaining(profile, "batquas"), QStringList());
            QCOMPARE(m_world->clients().storeValuesContaining(profile, "batcapt"), QStringList());
            QCOMPARE(m_world->clients().storeValuesContaining(profile, "route.txt"), QStringList());
        }
    }

    void aMessageThatExpiredWhileTheDeviceWasClosedIsGoneAtStartUp() {
        const QString chat = *m_alice->resolveChat("Bob");
        QVERIFY(m_alice->setDisappearing(chat, 300));
        QTRY_COMPARE_WITH_TIMEOUT(timerOf(m_bob, chat), quint32(300), 10000);
        const quint64 id = sendAndWait(m_alice, m_bob, chat, "read me before you go");
        QVERIFY(id);
        QTRY_COMPARE_WITH_TIMEOUT(byServerId(m_bob, id)->expireTimer, quint32(300), 10000);

        m_world->clients().close("bob");
        m_clock->advance(1h);
        m_bob = m_world->clients().reopen("bob", false);
        QVERIFY2(m_bob, qPrintable(m_world->clients().lastError()));
        QVERIFY(!byServerId(m_bob, id).has_value());
        QCOMPARE(m_bob->search("before").value().size(), std::size_t(0));
    }
};

QTEST_GUILESS_MAIN(TestClientDisappearing)
#include "tst_client_disappearing.moc"
