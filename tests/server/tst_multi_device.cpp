// Multi-device fan-out: copies for the sender's other devices, one envelope per device,
// one receipt per recipient user, device_mismatch, idempotency per device, new devices, and
// the account's own chat (account sync) that reaches only the sender's other devices.
#include "natterd_process.h"
#include "server_world.h"
#include "test_client.h"

#include <QSet>
#include <QTest>

using namespace natter::test;

namespace {
QSet<QPair<qint64, qint64>> addrSet(const QJsonArray& arr) {
    QSet<QPair<qint64, qint64>> out;
    for (const QJsonValue& v : arr) out.insert({v.toObject().value("user_id").toInteger(), v.toObject().value("device_id").toInteger()});
    return out;
}
} // namespace

class TstMultiDevice : public QObject {
    Q_OBJECT
private slots:
    void sendersOtherDeviceGetsCopyAndEachRecipientDeviceItsOwnEnvelope();
    void firstDeliveryPerRecipientUserGivesOneReceiptOnEverySenderDevice();
    void deviceMismatchListsMissingAndExtraDevicesAndStoresNothing();
    void sameClientMsgIdFromTwoDevicesMakesTwoMessages();
    void deviceAddedLaterGetsOnlyMessagesAddressedToIt();
    void theAccountsOwnChatReachesOnlyItsOtherDevicesAndIsNotListed();
};

void TstMultiDevice::sendersOtherDeviceGetsCopyAndEachRecipientDeviceItsOwnEnvelope() {
    ServerWorld world;
    NATTER_WORLD(world, {"Ann", "Bob"}, ServerWorld::Sessions::None);
    TestClient &a1 = world.user("Ann"), &b1 = world.user("Bob");
    TestClient a2(world.server()), b2(world.server());
    QVERIFY2(a2.addDevice(phoneNumber(1)), qPrintable(a2.lastError()));
    QVERIFY2(b2.addDevice(phoneNumber(2)), qPrintable(b2.lastError()));
    for (TestClient* c : {&a1, &a2, &b1, &b2}) NATTER_SESSION(*c);

    const auto to = a1.recipientsFor(b1.userId());
    QCOMPARE(to.size(), 3); // B1, B2, A2
    const auto contentFor = [](DeviceAddr d) { return QStringLiteral("for %1/%2").arg(d.userId).arg(d.deviceId).toUtf8(); };
    a1.send(TestClient::messageFrame(a1.chatWith(b1), "multi", TestClient::envelopes(to, contentFor)));
    const auto ack = a1.waitForSendResult("multi");
    QVERIFY2(ack && ack->value("type") == "ack", qPrintable(ack ? compact(*ack) : a1.describePending()));

    for (TestClient* c : {&b1, &b2, &a2}) {
        NATTER_TAKE(m, *c, "message");
        QCOMPARE(intField(m, "message_id"), intField(*ack, "message_id"));
        QCOMPARE(m.value("content").toString(), b64(contentFor(c->address())));
        QCOMPARE(intField(m, "sender_id"), a1.userId());
        QCOMPARE(intField(m, "sender_device"), 1);
        QCOMPARE(m.value("client_msg_id").toString(), QStringLiteral("multi"));
        QCOMPARE(intField(m, "seq"), 1);
    }
    QVERIFY2(a1.expectNo("message", 500), qPrintable(a1.describePending()));
}

void TstMultiDevice::firstDeliveryPerRecipientUserGivesOneReceiptOnEverySenderDevice() {
    ServerWorld world;
    NATTER_WORLD(world, {"Ann", "Bob"}, ServerWorld::Sessions::None);
    TestClient &a1 = world.user("Ann"), &b1 = world.user("Bob");
    TestClient a2(world.server()), b2(world.server());
    QVERIFY2(a2.addDevice(phoneNumber(1)), qPrintable(a2.lastError()));
    QVERIFY2(b2.addDevice(phoneNumber(2)), qPrintable(b2.lastError()));
    for (TestClient* c : {&a1, &a2, &b1, &b2}) NATTER_SESSION(*c);
    const auto ack = a1.sendTo(b1, "c1", "hi");
    QVERIFY2(ack && ack->value("type") == "ack", qPrintable(ack ? compact(*ack) : a1.describePending()));
    const qint64 id = intField(*ack, "message_id");
    for (TestClient* c : {&b1, &b2, &a2}) QVERIFY2(c->waitFor("message", byMessageId(id)), qPrintable(c->describePending()));

    b1.ackDelivered(id);
    for (TestClient* sender : {&a1, &a2}) {
        NATTER_TAKE(r, *sender, "receipt");
        QCOMPARE(r.value("status").toString(), QStringLiteral("delivered"));
        QCOMPARE(intField(r, "user_id"), b1.userId());
        QCOMPARE(intField(r, "device_id"), 1);
    }
    b2.ackDelivered(id); // second device of the same recipient user: no new receipt
    QVERIFY(b2.pingPong());
    a2.ackDelivered(id); // the sender's own copy: no receipt at all
    QVERIFY(a2.pingPong());
    b2.ackRead(id);
    for (TestClient* sender : {&a1, &a2}) {
        NATTER_TAKE(r, *sender, "receipt");
        QVERIFY2(r.value("status").toString() == QLatin1String("read"), qPrintable("expected the read receipt next, got " + compact(r)));
        QCOMPARE(intField(r, "device_id"), 2);
        QVERIFY2(sender->expectNo("receipt", 500), qPrintable(sender->describePending()));
    }
}

void TstMultiDevice::deviceMismatchListsMissingAndExtraDevicesAndStoresNothing() {
    ServerWorld world;
    NATTER_WORLD(world, {"Ann", "Bob"}, ServerWorld::Sessions::None);
    TestClient &a1 = world.user("Ann"), &b1 = world.user("Bob");
    TestClient a2(world.server()), b2(world.server());
    QVERIFY2(a2.addDevice(phoneNumber(1)), qPrintable(a2.lastError()));
    QVERIFY2(b2.addDevice(phoneNumber(2)), qPrintable(b2.lastError()));
    for (TestClient* c : {&a1, &a2, &b1, &b2}) NATTER_SESSION(*c);
    const qint64 A = a1.userId(), B = b1.userId();

    // Missing B/2 and A/2; extra B/3 (no such device) and A/1 (the sending device itself).
    a1.send(TestClient::messageFrame(a1.chatWith(b1), "bad", TestClient::envelopes({{B, 1}, {B, 3}, {A, 1}}, "x")));
    const auto res = a1.waitForSendResult("bad");
    QVERIFY2(res, qPrintable(a1.describePending()));
    QCOMPARE(res->value("type").toString(), QStringLiteral("error"));
    QCOMPARE(res->value("code").toString(), QStringLiteral("device_mismatch"));
    QCOMPARE(res->value("ref").toString(), QStringLiteral("bad"));
    QCOMPARE(addrSet(res->value("missing_devices").toArray()), (QSet<QPair<qint64, qint64>>{{B, 2}, {A, 2}}));
    QCOMPARE(addrSet(res->value("extra_devices").toArray()), (QSet<QPair<qint64, qint64>>{{B, 3}, {A, 1}}));

    // Only missing ones.
    a1.send(TestClient::messageFrame(a1.chatWith(b1), "bad2", TestClient::envelopes({{B, 1}}, "x")));
    const auto res2 = a1.waitForSendResult("bad2");
    QVERIFY2(res2 && res2->value("code") == "device_mismatch", qPrintable(res2 ? compact(*res2) : a1.describePending()));
    QCOMPARE(addrSet(res2->value("missing_devices").toArray()), (QSet<QPair<qint64, qint64>>{{B, 2}, {A, 2}}));
    QVERIFY(res2->value("extra_devices").toArray().isEmpty());

    // Nothing was stored: the correct resend is seq 1 and is the first thing anyone receives.
    const auto ok = a1.sendTo(b1, "bad", "good");
    QVERIFY2(ok && ok->value("type") == "ack", qPrintable(ok ? compact(*ok) : a1.describePending()));
    QCOMPARE(intField(*ok, "seq"), 1);
    for (TestClient* c : {&b1, &b2, &a2}) {
        NATTER_TAKE(m, *c, "message");
        QCOMPARE(intField(m, "message_id"), intField(*ok, "message_id"));
        QCOMPARE(m.value("content").toString(), b64("good"));
    }
}

void TstMultiDevice::sameClientMsgIdFromTwoDevicesMakesTwoMessages() {
    ServerWorld world;
    NATTER_WORLD(world, {"Ann", "Bob"}, ServerWorld::Sessions::None);
    TestClient &a1 = world.user("Ann"), &b = world.user("Bob");
    TestClient a2(world.server());
    QVERIFY2(a2.addDevice(phoneNumber(1)), qPrintable(a2.lastError()));
    for (TestClient* c : {&a1, &a2, &b}) NATTER_SESSION(*c);

    // client_msg_id is unique per sending device, not per user.
    const auto first = a1.sendTo(b, "x", "from phone");
    QVERIFY2(first && first->value("type") == "ack", qPrintable(first ? compact(*first) : a1.describePending()));
    const auto second = a2.sendTo(b, "x", "from laptop");
    QVERIFY2(second && second->value("type") == "ack", qPrintable(second ? compact(*second) : a2.describePending()));
    QVERIFY(intField(*first, "message_id") != intField(*second, "message_id"));
    QCOMPARE(intField(*first, "seq"), 1);
    QCOMPARE(intField(*second, "seq"), 2);
    const auto got = b.waitForCount("message", 2);
    QVERIFY2(got, qPrintable(b.describePending()));
    QCOMPARE(got->at(0).value("content").toString(), b64("from phone"));
    QCOMPARE(intField(got->at(0), "sender_device"), 1);
    QCOMPARE(got->at(1).value("content").toString(), b64("from laptop"));
    QCOMPARE(intField(got->at(1), "sender_device"), 2);
}

void TstMultiDevice::deviceAddedLaterGetsOnlyMessagesAddressedToIt() {
    ServerWorld world;
    NATTER_WORLD(world, {"Ann", "Bob"}, ServerWorld::Sessions::None);
    TestClient &a = world.user("Ann"), &b1 = world.user("Bob");
    TestClient b2(world.server());
    NATTER_SESSION(a);
    const auto early = a.sendTo(b1, "early", "before the laptop existed");
    QVERIFY2(early && early->value("type") == "ack", qPrintable(early ? compact(*early) : a.describePending()));

    QVERIFY2(b2.addDevice(phoneNumber(2), "laptop"), qPrintable(b2.lastError()));
    QVERIFY2(b2.connectWs(), qPrintable(b2.lastError()));
    const auto fresh = b2.readSync(true);
    QVERIFY2(fresh.ok, qPrintable(fresh.error));
    QVERIFY2(fresh.queued.isEmpty(), qPrintable("new device got an old message: " + compact(fresh.queued.value(0))));

    // Senders must now address the new device as well.
    a.send(TestClient::messageFrame(a.chatWith(b1), "stale", TestClient::envelopes({b1.address()}, "x")));
    const auto stale = a.waitForSendResult("stale");
    QVERIFY2(stale && stale->value("code") == "device_mismatch", qPrintable(stale ? compact(*stale) : a.describePending()));
    QCOMPARE(addrSet(stale->value("missing_devices").toArray()), (QSet<QPair<qint64, qint64>>{{b1.userId(), 2}}));
    const auto late = a.sendTo(b1, "late", "after");
    QVERIFY2(late && late->value("type") == "ack", qPrintable(late ? compact(*late) : a.describePending()));
    NATTER_TAKE(m, b2, "message");
    QCOMPARE(m.value("client_msg_id").toString(), QStringLiteral("late"));

    QVERIFY2(b1.connectWs(), qPrintable(b1.lastError()));
    const auto old = b1.readSync(true);
    QVERIFY2(old.ok, qPrintable(old.error));
    QCOMPARE(old.seqs(), (QList<qint64>{1, 2}));
}

void TstMultiDevice::theAccountsOwnChatReachesOnlyItsOtherDevicesAndIsNotListed() {
    ServerWorld world;
    NATTER_WORLD(world, {"Ann", "Bob"}, ServerWorld::Sessions::None);
    TestClient &a1 = world.user("Ann"), &b = world.user("Bob");
    TestClient a2(world.server());
    QVERIFY2(a2.addDevice(phoneNumber(1)), qPrintable(a2.lastError()));
    for (TestClient* c : {&a1, &a2, &b}) NATTER_SESSION(*c);
    const qint64 A = a1.userId(), B = b.userId();
    const QString own = QStringLiteral("dm:%1:%1").arg(A);

    // Only A/2 is addressed: an envelope for Bob or for the sending device is a mismatch.
    a1.send(TestClient::messageFrame(own, "sync-bad", TestClient::envelopes({{A, 2}, {B, 1}}, "x")));
    const auto bad = a1.waitForSendResult("sync-bad");
    QVERIFY2(bad && bad->value("code") == "device_mismatch", qPrintable(bad ? compact(*bad) : a1.describePending()));
    QCOMPARE(addrSet(bad->value("extra_devices").toArray()), (QSet<QPair<qint64, qint64>>{{B, 1}}));

    a1.send(TestClient::messageFrame(own, "sync-1", TestClient::envelopes({{A, 2}}, "contacts")));
    const auto ack = a1.waitForSendResult("sync-1");
    QVERIFY2(ack && ack->value("type") == "ack", qPrintable(ack ? compact(*ack) : a1.describePending()));
    NATTER_TAKE(m, a2, "message");
    QCOMPARE(m.value("chat_id").toString(), own);
    QCOMPARE(m.value("content").toString(), b64("contacts"));
    QVERIFY2(b.expectNo("message", 500), qPrintable(b.describePending()));

    // Nobody else may send into it.
    b.send(TestClient::messageFrame(own, "forged", TestClient::envelopes({{A, 1}, {A, 2}}, "x")));
    const auto forged = b.waitForSendResult("forged");
    QVERIFY2(forged && forged->value("code") == "forbidden", qPrintable(forged ? compact(*forged) : b.describePending()));
    QVERIFY2(a1.expectNo("message", 500), qPrintable(a1.describePending()));

    const HttpResult chats = a1.request("GET", "/api/chats");
    QVERIFY2(chats.status == 200, qPrintable(chats.describe()));
    QVERIFY2(!chats.body.contains(own.toUtf8()), chats.body.constData());
}

QTEST_GUILESS_MAIN(TstMultiDevice)
#include "tst_multi_device.moc"
