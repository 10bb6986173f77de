// Several natterd nodes behind one Redis behave as one server: messages, receipts, group
// events, typing, presence, replacement and revocation reach a device on whichever node it
// is connected to; a device connected nowhere is woken once.
#include "cluster_fixture.h"
#include "test_client.h"
#include "../push_receiver.h"

#include <QDeadlineTimer>
#include <QTest>

using namespace natter::test;

namespace {
FramePredicate presenceOf(const TestClient& who, const QString& status) {
    const qint64 id = who.userId();
    return [id, status](const QJsonObject& f) {
        return f.value("user_id").toInteger() == id && f.value("status").toString() == status;
    };
}
FramePredicate receiptFor(qint64 messageId, const QString& status) {
    return [messageId, status](const QJsonObject& f) {
        return f.value("message_id").toInteger() == messageId && f.value("status").toString() == status;
    };
}
} // namespace

class TstClusterRouting : public QObject {
    Q_OBJECT
private slots:
    void oneToOneMessageAndEveryReceiptCrossNodes();
    void groupMembersOnThreeNodesGetEveryMessageInOrder();
    void oneUsersDevicesOnTwoNodesBothReceive();
    void aConnectionOnAnotherNodeReplacesTheOlderOne();
    void anUnlinkedDeviceIsClosedAndRefusedOnEveryNode();
    void typingAndPresenceReachObserversOnOtherNodes();
    void aDeviceConnectedNowhereIsWokenOnceAcrossNodes();
};

void TstClusterRouting::oneToOneMessageAndEveryReceiptCrossNodes() {
    Cluster cluster;
    NATTER_CLUSTER(cluster, 2);
    TestClient a(cluster.node(0)), b(cluster.node(1));
    NATTER_SIGNUP(a, phoneNumber(1), "Ann");
    NATTER_SIGNUP(b, phoneNumber(2), "Bob");
    NATTER_SESSION(a);
    NATTER_SESSION(b);

    const auto ack = a.sendTo(b, "x1", "across nodes");
    NATTER_ACKED(ack, a);
    const qint64 id = intField(*ack, "message_id");
    NATTER_TAKE(m, b, "message", byMessageId(id));
    QCOMPARE(QByteArray::fromBase64(m.value("content").toString().toLatin1()), QByteArray("across nodes"));
    b.ackDelivered(id);
    NATTER_TAKE(delivered, a, "receipt", receiptFor(id, "delivered"));
    a.receiptAck(intField(delivered, "receipt_id"));
    b.ackRead(id);
    NATTER_TAKE(read, a, "receipt", receiptFor(id, "read"));
    a.receiptAck(intField(read, "receipt_id"));

    // And back the other way.
    const auto reply = b.sendTo(a, "y1", "reply");
    NATTER_ACKED(reply, b);
    NATTER_TAKE(r, a, "message", byMessageId(intField(*reply, "message_id")));
    NATTER_QUIET(b, "message");
}

void TstClusterRouting::groupMembersOnThreeNodesGetEveryMessageInOrder() {
    Cluster cluster;
    NATTER_CLUSTER(cluster, 3);
    TestClient a(cluster.node(0)), b(cluster.node(1)), c(cluster.node(2));
    NATTER_SIGNUP(a, phoneNumber(1), "Ann");
    NATTER_SIGNUP(b, phoneNumber(2), "Bob");
    NATTER_SIGNUP(c, phoneNumber(3), "Cat");
    NATTER_SESSION(a);
    NATTER_SESSION(b);
    NATTER_SESSION(c);
    NATTER_GROUP(chat, a, "trio", {b.userId(), c.userId()});
    NATTER_TAKE(createdB, b, "group_event", groupEvent(chat, "created"));
    NATTER_TAKE(createdC, c, "group_event", groupEvent(chat, "created"));
    b.eventAck(intField(createdB, "event_id"));
    c.eventAck(intField(createdC, "event_id"));

    constexpr int kEach = 5;
    TestClient* members[] = {&a, &b, &c};
    for (int i = 0; i < kEach; ++i)
        for (TestClient* sender : members)
            NATTER_ACKED(sender->sendToGroup(chat, QStringLiteral("g%1-%2").arg(sender->userId()).arg(i), "hi"), *sender);
    for (TestClient* member : members) {
        const auto got = member->waitForCount("message", 2 * kEach, 10000, inChat(chat));
        QVERIFY2(got, qPrintable(member->describePending()));
        qint64 last = 0;
        for (const QJsonObject& m : *got) {
            QVERIFY2(intField(m, "seq") > last, qPrintable(compact(m)));
            QVERIFY(intField(m, "sender_id") != member->userId());
            last = intField(m, "seq");
            member->ackDelivered(intField(m, "message_id"));
        }
    }
}

void TstClusterRouting::oneUsersDevicesOnTwoNodesBothReceive() {
    Cluster cluster;
    NATTER_CLUSTER(cluster, 3);
    TestClient a(cluster.node(0)), phone(cluster.node(1)), linker(cluster.node(1)), laptop(cluster.node(2));
    NATTER_SIGNUP(a, phoneNumber(1), "Ann");
    NATTER_SIGNUP(phone, phoneNumber(2), "Bob");
    QVERIFY2(linker.addDevice(phone.phone(), "laptop"), qPrintable(linker.lastError()));
    laptop.adoptCredentials(linker); // the laptop connects through another node
    NATTER_SESSION(a);
    NATTER_SESSION(phone);
    NATTER_SESSION(laptop);

    const auto ack = a.sendTo(phone, "d1", "to both");
    NATTER_ACKED(ack, a);
    NATTER_TAKE(onPhone, phone, "message", byMessageId(intField(*ack, "message_id")));
    NATTER_TAKE(onLaptop, laptop, "message", byMessageId(intField(*ack, "message_id")));

    // The phone's own message reaches the laptop (its other device) on another node.
    const auto own = phone.sendTo(a, "d2", "from the phone");
    NATTER_ACKED(own, phone);
    NATTER_TAKE(copy, laptop, "message", byMessageId(intField(*own, "message_id")));
    NATTER_TAKE(toA, a, "message", byMessageId(intField(*own, "message_id")));
}

void TstClusterRouting::aConnectionOnAnotherNodeReplacesTheOlderOne() {
    Cluster cluster;
    NATTER_CLUSTER(cluster, 2);
    TestClient a(cluster.node(0)), first(cluster.node(0)), second(cluster.node(1));
    NATTER_SIGNUP(a, phoneNumber(1), "Ann");
    NATTER_SIGNUP(first, phoneNumber(2), "Bob");
    second.adoptCredentials(first);
    NATTER_SESSION(a);
    NATTER_SESSION(first);
    NATTER_SESSION(second);

    QVERIFY2(first.waitDisconnected(), "the older connection on the other node stayed open");
    QCOMPARE(first.closeCode(), 4000);
    QCOMPARE(first.closeReason(), QStringLiteral("replaced by a newer connection of this device"));
    const auto ack = a.sendTo(second, "r1", "to the new one");
    NATTER_ACKED(ack, a);
    NATTER_TAKE(m, second, "message", byMessageId(intField(*ack, "message_id")));
    QVERIFY(second.isConnected());
}

void TstClusterRouting::anUnlinkedDeviceIsClosedAndRefusedOnEveryNode() {
    Cluster cluster;
    NATTER_CLUSTER(cluster, 3);
    TestClient primary(cluster.node(0)), linker(cluster.node(0)), laptop(cluster.node(1)), laptopViaThird(cluster.node(2));
    NATTER_SIGNUP(primary, phoneNumber(1), "Ann");
    QVERIFY2(linker.addDevice(primary.phone(), "laptop"), qPrintable(linker.lastError()));
    laptop.adoptCredentials(linker);
    laptopViaThird.adoptCredentials(linker);
    NATTER_SESSION(laptop);
    // The third node has checked the laptop's token before: it knows the device as valid.
    NATTER_HTTP(laptopViaThird.request("GET", "/api/profile"), 200);

    NATTER_HTTP(primary.request("DELETE", QStringLiteral("/api/devices/%1").arg(laptop.deviceId())), 204);
    QVERIFY2(laptop.waitDisconnected(), "the unlinked device's connection on another node stayed open");
    QCOMPARE(laptop.closeCode(), 1008);
    QCOMPARE(laptop.closeReason(), QStringLiteral("unlinked"));
    // Its still unexpired access token is refused at once on a third node.
    const HttpResult refused = laptopViaThird.request("GET", "/api/profile");
    QVERIFY2(refused.status == 401 && refused.errorCode() == "device_revoked", qPrintable(refused.describe()));
}

void TstClusterRouting::typingAndPresenceReachObserversOnOtherNodes() {
    Cluster cluster;
    NATTER_CLUSTER(cluster, 3);
    TestClient a(cluster.node(0)), b(cluster.node(1)), asker(cluster.node(2));
    NATTER_SIGNUP(a, phoneNumber(1), "Ann");
    NATTER_SIGNUP(b, phoneNumber(2), "Bob");
    asker.adoptCredentials(b);
    QVERIFY(b.addContacts({&a}));
    QVERIFY(a.addContacts({&b}));
    NATTER_SESSION(b);

    NATTER_SESSION(a);
    NATTER_TAKE(online, b, "presence", presenceOf(a, "online"));
    const HttpResult whileOnline = asker.request("GET", QStringLiteral("/api/users/%1/presence").arg(a.userId()));
    QCOMPARE(whileOnline.object().value("status").toString(), QStringLiteral("online"));

    a.send(QJsonObject{{"type", "typing"}, {"chat_id", a.chatWith(b)}, {"state", "start"}});
    NATTER_TAKE(typing, b, "typing", inChat(a.chatWith(b)));
    QCOMPARE(intField(typing, "user_id"), a.userId());

    a.closeWs();
    NATTER_TAKE(offline, b, "presence", presenceOf(a, "offline"));
    QVERIFY2(offline.contains("last_seen"), qPrintable(compact(offline)));
    const HttpResult after = asker.request("GET", QStringLiteral("/api/users/%1/presence").arg(a.userId()));
    QCOMPARE(after.object().value("status").toString(), QStringLiteral("offline"));
}

void TstClusterRouting::aDeviceConnectedNowhereIsWokenOnceAcrossNodes() {
    PushReceiver receiver;
    QVERIFY(receiver.listen());
    Cluster cluster;
    NATTER_CLUSTER(cluster, 2, {QStringLiteral("--push-allow-loopback")});
    TestClient a(cluster.node(0)), c(cluster.node(1)), b(cluster.node(1));
    NATTER_SIGNUP(a, phoneNumber(1), "Ann");
    NATTER_SIGNUP(c, phoneNumber(3), "Cat");
    NATTER_SIGNUP(b, phoneNumber(2), "Bob");
    NATTER_HTTP(b.request("PUT", "/api/push", QJsonObject{{"endpoint", receiver.url("/bob")}}), 200);
    NATTER_SESSION(a);
    NATTER_SESSION(c); // b stays offline

    // Two senders on two nodes within one coalescing window: one wake-up.
    a.send(TestClient::messageFrame(a.chatWith(b), "w1", TestClient::envelopes(a.recipientsFor(b.userId()), "one")));
    c.send(TestClient::messageFrame(c.chatWith(b), "w2", TestClient::envelopes(c.recipientsFor(b.userId()), "two")));
    NATTER_ACKED(a.waitForSendResult("w1"), a);
    NATTER_ACKED(c.waitForSendResult("w2"), c);
    QVERIFY(receiver.waitForCount(1, 5000));
    QVERIFY2(receiver.expectNoMore(500), "woken more than once within the coalescing window");

    // Connected on another node: no wake-up at all.
    NATTER_SESSION(b);
    const auto ack = a.sendTo(b, "w3", "online now");
    NATTER_ACKED(ack, a);
    NATTER_TAKE(m, b, "message", byMessageId(intField(*ack, "message_id")));
    QVERIFY(receiver.expectNoMore(1500));
    QCOMPARE(receiver.count(), 1);
}

QTEST_GUILESS_MAIN(TstClusterRouting)
#include "tst_cluster_routing.moc"
