// Accounts with several devices, against a real natterd: both sides see the same safety number
// whatever they cached, a number registered again signs its old devices out and shows contacts a
// changed safety number before their next message, messages (1:1 and group) decrypt on devices
// linked later, and a device the account did not sign never gets an envelope.
#include "client_harness.h"
#include "natterd_process.h"
#include "reinstalled_device.h"
#include "test_client.h"

#include "client/client.h"
#include "client/messaging/group_directory.h"
#include "client/store/contact_store.h"
#include "client/store/message_store.h"
#include "client/store/profile_store.h"

#include <QJsonArray>
#include <QSignalSpy>
#include <QTest>

using namespace natter::test;
using natter::client::Client;
using natter::client::MessageKind;
using natter::client::MessageState;

namespace {
bool hasText(Client* c, const QString& chat, const QString& text) {
    const auto m = ClientHarness::findMessage(c, chat, text);
    return m && m->kind == MessageKind::text;
}

// Position of the first message of the chat matching pred, -1 when none.
int indexOf(Client* c, const QString& chat, const std::function<bool(const natter::client::MessageRecord&)>& pred) {
    const auto all = ClientHarness::messagesOf(c, chat);
    for (int i = 0; i < all.size(); ++i)
        if (pred(all[i])) return i;
    return -1;
}
} // namespace

class TestClientDevices : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<ClientWorld> m_world;
    Client* m_alice = nullptr;
    Client* m_bob = nullptr;
    QString m_chat;

    QString safetyNumber(Client* from, Client* to) {
        auto n = await<Client::SafetyNumberView>([&](auto done) { from->safetyNumber(to->account().userId, done); });
        if (!n) qWarning() << "safety number:" << n.error().message;
        return n ? n->digits : QString();
    }

    // Alice sends, waits for natterd to store it, and goes offline: nobody would answer a
    // request to send it again, so every device must decrypt it as first delivered.
    void sendAndLeave(const QString& chat, const QString& text) {
        const auto sent = m_alice->sendText(chat, text);
        QVERIFY(sent);
        QTRY_VERIFY_WITH_TIMEOUT(m_alice->messageInfo(*sent)->state != MessageState::pending, 15000);
        m_world->clients().close("alice");
        m_alice = nullptr;
    }

private slots:
    void init() {
        m_world = std::make_unique<ClientWorld>();
        QVERIFY2(m_world->start({{"Alice", "+4915150000001"}, {"Bob", "+4915150000002"}}), qPrintable(m_world->error()));
        m_alice = m_world->user("Alice");
        m_bob = m_world->user("Bob");
        m_chat = *m_alice->resolveChat("Bob");
    }

    void cleanup() { m_world.reset(); }

    void bothSidesSeeTheSameSafetyNumberAfterALinkAndAnUnlink() {
        const QString before = safetyNumber(m_alice, m_bob);
        QVERIFY(!before.isEmpty());
        QCOMPARE(safetyNumber(m_bob, m_alice), before);

        Client* laptop = m_world->clients().link(m_alice, "alice-laptop");
        QVERIFY2(laptop, qPrintable(m_world->clients().lastError()));
        QVERIFY(await<natter::client::ContactRecord>([&](auto done) { laptop->addContact(m_bob->account().phone, "Bob", done); }));
        // One account identity: linking changes no number, on any side, cached or not.
        QCOMPARE(safetyNumber(m_bob, m_alice), before);
        QCOMPARE(safetyNumber(m_alice, m_bob), before);
        QCOMPARE(safetyNumber(laptop, m_bob), before);

        QVERIFY(await<void>([&](auto done) { m_alice->unlinkDevice(laptop->account().deviceId, done); }));
        QCOMPARE(safetyNumber(m_alice, m_bob), before);
        QCOMPARE(safetyNumber(m_bob, m_alice), before);
        QVERIFY(!m_bob->store().contacts().byId(m_alice->account().userId).value()->identityChanged);
    }

    void contactsAreToldWhenADeviceIsLinkedOrRemoved() {
        QVERIFY(m_alice->sendText(m_chat, "hi Bob"));
        QTRY_VERIFY_WITH_TIMEOUT(hasText(m_bob, m_chat, "hi Bob"), 10000);
        Client* laptop = m_world->clients().link(m_bob, "bob-laptop");
        QVERIFY2(laptop, qPrintable(m_world->clients().lastError()));
        QVERIFY(m_alice->sendText(m_chat, "who is reading?"));
        QTRY_VERIFY_WITH_TIMEOUT(hasText(laptop, m_chat, "who is reading?"), 15000);
        const auto linkedLine = [](const natter::client::MessageRecord& m) {
            return m.kind == MessageKind::system && m.text.contains("linked a new device");
        };
        QVERIFY(indexOf(m_alice, m_chat, linkedLine) >= 0);

        QVERIFY(await<void>([&](auto done) { m_bob->unlinkDevice(laptop->account().deviceId, done); }));
        QVERIFY(m_alice->sendText(m_chat, "just you now?"));
        QTRY_VERIFY_WITH_TIMEOUT(hasText(m_bob, m_chat, "just you now?"), 15000);
        QTRY_VERIFY_WITH_TIMEOUT(indexOf(m_alice, m_chat, [](const auto& m) {
                                     return m.kind == MessageKind::system && m.text.contains("removed a device");
                                 }) >= 0,
                                 10000);
        QVERIFY(!hasText(laptop, m_chat, "just you now?"));
    }

    void registeringTheNumberAgainSignsOutItsDevicesAndWarnsContactsBeforeTheirNextMessage() {
        QVERIFY(m_alice->sendText(m_chat, "hello"));
        QTRY_VERIFY_WITH_TIMEOUT(hasText(m_bob, m_chat, "hello"), 10000);
        const QString before = safetyNumber(m_alice, m_bob);
        QSignalSpy ended(m_bob, &Client::sessionEnded);
        QSignalSpy warned(m_alice, &Client::identityWarning);

        // Someone with Bob's SMS code registers his number on a new profile.
        Client* taken = m_world->clients().signUp("bob-again", m_bob->account().phone, "Bob");
        QVERIFY2(taken, qPrintable(m_world->clients().lastError()));
        QCOMPARE(taken->account().userId, m_bob->account().userId);
        QVERIFY(taken->account().deviceId != m_bob->account().deviceId);
        QTRY_VERIFY_WITH_TIMEOUT(ended.count() >= 1, 10000); // the old device is told and stops

        // Alice sees the change before she writes again, and her next message is for the new identity only.
        QTRY_VERIFY_WITH_TIMEOUT(warned.count() >= 1, 10000);
        QVERIFY(m_alice->store().contacts().byId(m_bob->account().userId).value()->identityChanged);
        const int line = indexOf(m_alice, m_chat, [](const auto& m) {
            return m.kind == MessageKind::system && m.text.contains("security code");
        });
        QVERIFY(line >= 0);
        const qint64 lineId = ClientHarness::messagesOf(m_alice, m_chat).at(line).localId;
        const auto sent = m_alice->sendText(m_chat, "is this still you?");
        QVERIFY(sent);
        QVERIFY(lineId < *sent); // shown before the message was written
        QTRY_VERIFY_WITH_TIMEOUT(hasText(taken, m_chat, "is this still you?"), 15000);
        QVERIFY(!hasText(m_bob, m_chat, "is this still you?"));
        QVERIFY(await<natter::client::ContactRecord>([&](auto done) { taken->addContact(m_alice->account().phone, "Alice", done); }));
        const QString after = safetyNumber(m_alice, taken);
        QVERIFY(!after.isEmpty() && after != before);
        QCOMPARE(safetyNumber(taken, m_alice), after);
    }

    // Alice only ever received from Carol (she never fetched Carol's device list) and was offline
    // while Carol's number got a new identity: the first list she fetches already carries the new
    // key, and the key her sessions were built with must still show the change.
    void anIdentityChangedWhileOfflineIsShownAlthoughTheFirstListFetchedIsAlreadyNew() {
        Client* carol = m_world->clients().signUp("carol", "+4915150000003", "Carol");
        QVERIFY2(carol, qPrintable(m_world->clients().lastError()));
        QVERIFY(await<natter::client::ContactRecord>([&](auto done) { carol->addContact(m_alice->account().phone, "Alice", done); }));
        const QString chat = *carol->resolveChat("Alice");
        QVERIFY(carol->sendText(chat, "hi, it's Carol"));
        QTRY_VERIFY_WITH_TIMEOUT(hasText(m_alice, chat, "hi, it's Carol"), 10000);
        m_world->clients().close("alice");
        m_alice = nullptr;

        Client* again = m_world->clients().signUp("carol-again", carol->account().phone, "Carol");
        QVERIFY2(again, qPrintable(m_world->clients().lastError()));
        QCOMPARE(again->account().userId, carol->account().userId);

        m_alice = m_world->clients().reopen("alice");
        QVERIFY2(m_alice, qPrintable(m_world->clients().lastError()));
        QTRY_VERIFY_WITH_TIMEOUT(indexOf(m_alice, chat, [](const auto& m) {
                                     return m.kind == MessageKind::system && m.text.contains("security code");
                                 }) >= 0,
                                 10000);
    }

    // While Alice is offline Carol's phone is reinstalled with its old device id and writes at
    // once: Alice, who never fetched Carol's device list, sees the changed security code before
    // that message (her first look at Carol's list already finds the new key).
    void aReinstalledDevicesFirstMessageShowsTheChangeBeforeTheMessage() {
        Client* carol = m_world->clients().signUp("carol", "+4915150000003", "Carol");
        QVERIFY2(carol, qPrintable(m_world->clients().lastError()));
        QVERIFY(await<natter::client::ContactRecord>([&](auto done) { carol->addContact(m_alice->account().phone, "Alice", done); }));
        const QString chat = *carol->resolveChat("Alice");
        QVERIFY(carol->sendText(chat, "hi, it's Carol"));
        QTRY_VERIFY_WITH_TIMEOUT(hasText(m_alice, chat, "hi, it's Carol"), 10000);

        const auto alice = m_alice->account();
        m_world->clients().close("alice"); // she reads it all when she is back
        m_alice = nullptr;

        auto reinstalled = ReinstalledDevice::publish(m_world->server(), carol);
        QVERIFY(reinstalled);
        m_world->clients().close("carol"); // the old install is gone
        QString why;
        QVERIFY2(reinstalled->sendText(chat, alice.userId, alice.deviceId, "new phone, same me", &why), qPrintable(why));
        m_alice = m_world->clients().reopen("alice");
        QVERIFY2(m_alice, qPrintable(m_world->clients().lastError()));
        QTRY_VERIFY_WITH_TIMEOUT(hasText(m_alice, chat, "new phone, same me"), 10000);
        const auto isChangeLine = [](const natter::client::MessageRecord& m) {
            return m.kind == MessageKind::system && m.text.contains("security code");
        };
        QTRY_VERIFY_WITH_TIMEOUT(indexOf(m_alice, chat, isChangeLine) >= 0, 10000);
        const int line = indexOf(m_alice, chat, isChangeLine);
        const int message = indexOf(m_alice, chat, [](const auto& m) { return m.text == "new phone, same me"; });
        const auto all = ClientHarness::messagesOf(m_alice, chat);
        QVERIFY2(all.at(line).localId < all.at(message).localId, "the change line was stored after the message");
    }

    void directMessagesDecryptOnEveryDeviceAfterALinkAndAnUnlink() {
        QVERIFY(m_alice->sendText(m_chat, "before the laptop"));
        QTRY_VERIFY_WITH_TIMEOUT(hasText(m_bob, m_chat, "before the laptop"), 10000);
        Client* laptop = m_world->clients().link(m_alice, "alice-laptop");
        QVERIFY2(laptop, qPrintable(m_world->clients().lastError()));
        QCOMPARE(*m_bob->resolveChat("Alice"), m_chat);
        QVERIFY(m_bob->sendText(m_chat, "to both of your devices"));
        QTRY_VERIFY_WITH_TIMEOUT(hasText(laptop, m_chat, "to both of your devices"), 15000);
        QTRY_VERIFY_WITH_TIMEOUT(hasText(m_alice, m_chat, "to both of your devices"), 15000);
        QVERIFY(await<natter::client::ContactRecord>([&](auto done) { laptop->addContact(m_bob->account().phone, "Bob", done); }));
        QVERIFY(laptop->sendText(m_chat, "from the laptop"));
        QTRY_VERIFY_WITH_TIMEOUT(hasText(m_bob, m_chat, "from the laptop"), 15000);

        QVERIFY(await<void>([&](auto done) { m_alice->unlinkDevice(laptop->account().deviceId, done); }));
        QVERIFY(m_bob->sendText(m_chat, "after the unlink"));
        QTRY_VERIFY_WITH_TIMEOUT(hasText(m_alice, m_chat, "after the unlink"), 15000);
        QVERIFY(m_alice->sendText(m_chat, "phone only now"));
        QTRY_VERIFY_WITH_TIMEOUT(hasText(m_bob, m_chat, "phone only now"), 15000);
        for (Client* c : {m_alice, m_bob})
            QCOMPARE(indexOf(c, m_chat, [](const auto& m) { return m.kind == MessageKind::undecryptable; }), -1);
    }

    void firstGroupMessageDecryptsOnDevicesLinkedLaterAlsoWhenOffline() {
        // Alice knows Bob's devices from talking to him before he links more.
        QVERIFY(m_alice->sendText(m_chat, "hi Bob"));
        QTRY_VERIFY_WITH_TIMEOUT(hasText(m_bob, m_chat, "hi Bob"), 10000);
        Client* laptop = m_world->clients().link(m_bob, "bob-laptop");
        QVERIFY2(laptop, qPrintable(m_world->clients().lastError()));
        Client* tablet = m_world->clients().link(m_bob, "bob-tablet");
        QVERIFY2(tablet, qPrintable(m_world->clients().lastError()));
        m_world->clients().close("bob-tablet"); // offline while the group starts

        auto group = await<QString>([&](auto done) { m_alice->groups().create("Trip", {m_bob->account().userId}, done); });
        QVERIFY(group);
        sendAndLeave(*group, "first group message");
        QTRY_VERIFY_WITH_TIMEOUT(hasText(m_bob, *group, "first group message"), 15000);
        QTRY_VERIFY_WITH_TIMEOUT(hasText(laptop, *group, "first group message"), 15000);
        tablet = m_world->clients().reopen("bob-tablet");
        QVERIFY2(tablet, qPrintable(m_world->clients().lastError()));
        QTRY_VERIFY_WITH_TIMEOUT(hasText(tablet, *group, "first group message"), 15000);

        // A device linked after the group exists gets the sender key before the next message.
        m_alice = m_world->clients().reopen("alice");
        QVERIFY2(m_alice, qPrintable(m_world->clients().lastError()));
        Client* desktop = m_world->clients().link(m_bob, "bob-desktop");
        QVERIFY2(desktop, qPrintable(m_world->clients().lastError()));
        sendAndLeave(*group, "second group message");
        QTRY_VERIFY_WITH_TIMEOUT(hasText(desktop, *group, "second group message"), 15000);
        for (Client* c : {m_bob, laptop, tablet, desktop})
            QCOMPARE(indexOf(c, *group, [](const auto& m) { return m.kind == MessageKind::undecryptable; }), -1);
    }

    void aDeviceTheAccountDidNotSignNeverGetsAnEnvelope() {
        QVERIFY(m_alice->sendText(m_chat, "before"));
        QTRY_VERIFY_WITH_TIMEOUT(hasText(m_bob, m_chat, "before"), 10000);
        // natterd (or whoever controls it) adds a device to Bob's account and lists it, without
        // Bob's identity key to sign the list with.
        auto bob = actAs(m_world->server(), m_bob);
        QVERIFY(bob);
        const auto code = bob->request("POST", "/api/devices/link-code", QJsonObject{{"provision", "AA=="}});
        QCOMPARE(code.status, 200);
        TestClient rogue(m_world->server());
        const auto linked = rogue.rawRequest(
            "POST", "/api/devices/link",
            QJsonDocument(QJsonObject{{"code", code.object().value("code")}}).toJson(QJsonDocument::Compact), false);
        QCOMPARE(linked.status, 200);
        QVERIFY(rogue.useVerifyResponse(linked.object()));
        const QJsonObject list = bob->request("GET", "/api/devices").object().value("device_list").toObject();
        const QString identity = list.value("identity_key").toString();
        QVERIFY(!identity.isEmpty());
        const QString junk = QByteArray(64, 'x').toBase64();
        QCOMPARE(rogue.request("PUT", "/api/keys",
                               QJsonObject{{"registration_id", 7},
                                           {"identity_key", identity},
                                           {"signed_prekey", QJsonObject{{"key_id", 1}, {"public_key", identity}, {"signature", junk}}},
                                           {"one_time_prekeys", QJsonArray{}}})
                     .status,
                 200);
        QJsonObject forged{{"user_id", list.value("user_id")},
                           {"version", list.value("version").toInt() + 1},
                           {"identity_key", identity},
                           {"devices", QJsonArray{qint64(m_bob->account().deviceId), rogue.deviceId()}},
                           {"signature", junk}};
        QCOMPARE(rogue.request("PUT", "/api/devices/list", forged).status, 200);

        QSignalSpy failed(m_alice, &Client::messageFailed);
        QVERIFY(m_alice->sendText(m_chat, "not for the rogue"));
        QTRY_VERIFY_WITH_TIMEOUT(failed.count() >= 1, 15000);
        QVERIFY2(failed.front().at(2).toString().contains("not signed"), qPrintable(failed.front().at(2).toString()));
        // Nothing waits for the rogue device.
        QVERIFY(rogue.connectWs());
        const auto sync = rogue.readSync(false);
        QVERIFY2(sync.ok, qPrintable(sync.error));
        for (const auto& frame : sync.queued) QVERIFY(frame.value("type").toString() != "message");
    }
};

QTEST_GUILESS_MAIN(TestClientDevices)
#include "tst_client_devices.moc"
