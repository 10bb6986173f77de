// 1:1 message delivery, ordering, idempotency, receipts and offline queues (multi-device: tst_multi_device).
#include "natterd_process.h"
#include "server_world.h"
#include "test_client.h"

#include <QSet>
#include <QTest>

using namespace natter::test;

namespace {
QString seqList(const QList<qint64>& seqs) {
    QStringList s;
    for (qint64 v : seqs) s << QString::number(v);
    return s.join(',');
}
} // namespace

class TstDelivery : public QObject {
    Q_OBJECT
private slots:
    void oneToOneMessageGoesThroughSentDeliveredAndRead();
    void receiptsOfAMessageAreOnlyForItsSender();
    void concurrentSendersGetGaplessSeqInTheirSendOrder();
    void resendWithSameClientMsgIdReturnsOriginalAckAndStoresNothing();
    void offlineRecipientGetsMessagesInOrderAfterReconnect();
    void unacknowledgedMessageIsRedeliveredOnEveryReconnect();
    void syncWindowLimitsUnacknowledgedMessages();
    void droppedSyncResumesAfterLastAcknowledgedMessage();
    void readAckAloneAlsoMarksMessageDelivered();
    void receiptsForOfflineSenderArriveOnReconnectUntilConfirmed();
    void sendingIntoOthersChatIsForbiddenAndToUnknownUserNotFound();
    void ackOfUnknownOrForeignMessageIsNotFound();
    void messagesOfEverySizeUpToTheFrameLimitArriveIntact();
    void disabledReadReceiptsSuppressReadReceipt_data();
    void disabledReadReceiptsSuppressReadReceipt();
    void senderWithReadReceiptsOffSeesNoReadsOverRest();
};

void TstDelivery::oneToOneMessageGoesThroughSentDeliveredAndRead() {
    ServerWorld world;
    NATTER_WORLD(world, {"Ann", "Bob"});
    TestClient &a = world.user("Ann"), &b = world.user("Bob");
    const QString chat = a.chatWith(b);
    QCOMPARE(chat, QStringLiteral("dm:%1:%2").arg(std::min(a.userId(), b.userId())).arg(std::max(a.userId(), b.userId())));

    const qint64 before = QDateTime::currentMSecsSinceEpoch();
    const auto ack = a.sendTo(b, "c1", "hello");
    QVERIFY2(ack && ack->value("type") == "ack", qPrintable(ack ? compact(*ack) : a.describePending()));
    QCOMPARE(ack->value("status").toString(), QStringLiteral("sent"));
    QCOMPARE(ack->value("client_msg_id").toString(), QStringLiteral("c1"));
    QCOMPARE(ack->value("chat_id").toString(), chat);
    QCOMPARE(intField(*ack, "seq"), 1);
    const qint64 id = intField(*ack, "message_id");
    QVERIFY(id > 0);
    QVERIFY(intField(*ack, "timestamp") >= before - 60000);

    NATTER_TAKE(msg, b, "message");
    QCOMPARE(intField(msg, "message_id"), id);
    QCOMPARE(msg.value("chat_id").toString(), chat);
    QCOMPARE(intField(msg, "seq"), 1);
    QCOMPARE(intField(msg, "sender_id"), a.userId());
    QCOMPARE(intField(msg, "sender_device"), a.deviceId());
    QCOMPARE(msg.value("content").toString(), b64("hello"));
    QCOMPARE(QByteArray::fromBase64(msg.value("content").toString().toLatin1()), QByteArray("hello"));
    QCOMPARE(msg.value("client_msg_id").toString(), QStringLiteral("c1"));
    QCOMPARE(intField(msg, "timestamp"), intField(*ack, "timestamp"));

    b.ackDelivered(id);
    NATTER_TAKE(delivered, a, "receipt");
    QCOMPARE(delivered.value("status").toString(), QStringLiteral("delivered"));
    QCOMPARE(intField(delivered, "message_id"), id);
    QCOMPARE(delivered.value("chat_id").toString(), chat);
    QCOMPARE(intField(delivered, "user_id"), b.userId());
    QCOMPARE(intField(delivered, "device_id"), b.deviceId());
    QVERIFY(intField(delivered, "receipt_id") > 0);
    a.receiptAck(intField(delivered, "receipt_id"));

    b.ackRead(id);
    NATTER_TAKE(read, a, "receipt");
    QCOMPARE(read.value("status").toString(), QStringLiteral("read"));
    QCOMPARE(intField(read, "message_id"), id);
    QVERIFY(intField(read, "receipt_id") != intField(delivered, "receipt_id"));
    QVERIFY(intField(read, "timestamp") >= intField(delivered, "timestamp"));
    a.receiptAck(intField(read, "receipt_id"));
    QVERIFY(a.pingPong());

    const HttpResult r = a.request("GET", QStringLiteral("/api/messages/%1/receipts").arg(id));
    QVERIFY2(r.status == 200, qPrintable(r.describe()));
    QCOMPARE(intField(r.object(), "message_id"), id);
    QCOMPARE(r.object().value("chat_id").toString(), chat);
    const QJsonArray recipients = r.object().value("recipients").toArray();
    QCOMPARE(recipients.size(), 1);
    const QJsonObject rb = recipients.at(0).toObject();
    QCOMPARE(intField(rb, "user_id"), b.userId());
    QCOMPARE(rb.value("status").toString(), QStringLiteral("read"));
    QVERIFY2(rb.contains("delivered_at") && rb.contains("read_at"), qPrintable(r.describe()));
    QVERIFY(intField(rb, "delivered_at") <= intField(rb, "read_at"));

    // Confirmed receipts and acked messages are gone from the queues.
    a.closeWs();
    b.closeWs();
    QVERIFY2(a.connectWs(), qPrintable(a.lastError()));
    const auto syncA = a.readSync(false);
    QVERIFY2(syncA.ok, qPrintable(syncA.error));
    QVERIFY2(syncA.queued.isEmpty(), qPrintable(compact(syncA.queued.value(0))));
    QVERIFY2(b.connectWs(), qPrintable(b.lastError()));
    const auto syncB = b.readSync(false);
    QVERIFY2(syncB.ok, qPrintable(syncB.error));
    QVERIFY2(syncB.queued.isEmpty(), qPrintable(compact(syncB.queued.value(0))));
    QCOMPARE(intField(syncB.syncComplete, "delivered"), 0);
}

void TstDelivery::receiptsOfAMessageAreOnlyForItsSender() {
    ServerWorld world;
    NATTER_WORLD(world, {"Ann", "Bob", "Cid"}, ServerWorld::Sessions::None);
    TestClient &a = world.user("Ann"), &b = world.user("Bob"), &c = world.user("Cid");
    NATTER_SESSION(a);
    const auto ack = a.sendTo(b, "c1", "hello");
    QVERIFY2(ack && ack->value("type") == "ack", qPrintable(ack ? compact(*ack) : a.describePending()));
    const QString path = QStringLiteral("/api/messages/%1/receipts").arg(intField(*ack, "message_id"));

    const HttpResult own = a.request("GET", path);
    QVERIFY2(own.status == 200, qPrintable(own.describe()));
    const QJsonObject rb = own.object().value("recipients").toArray().at(0).toObject();
    QCOMPARE(rb.value("status").toString(), QStringLiteral("sent"));
    QVERIFY(!rb.contains("delivered_at"));

    for (TestClient* other : {&b, &c}) {
        const HttpResult r = other->request("GET", path);
        QVERIFY2(r.status == 403, qPrintable(r.describe()));
        QCOMPARE(r.errorCode(), QStringLiteral("forbidden"));
    }
    const HttpResult unknown = a.request("GET", QStringLiteral("/api/messages/%1/receipts").arg(intField(*ack, "message_id") + 1000));
    QVERIFY2(unknown.status == 404, qPrintable(unknown.describe()));
    QCOMPARE(unknown.errorCode(), QStringLiteral("not_found"));
}

void TstDelivery::concurrentSendersGetGaplessSeqInTheirSendOrder() {
    ServerWorld world;
    NATTER_WORLD(world, {"Ann", "Bob"});
    TestClient &a = world.user("Ann"), &b = world.user("Bob");
    const QString chat = a.chatWith(b);
    const auto toB = a.recipientsFor(b.userId());
    const auto toA = b.recipientsFor(a.userId());
    constexpr int kEach = 200;
    for (int i = 0; i < kEach; ++i) { // both connections stream at the same time
        a.send(TestClient::messageFrame(chat, QStringLiteral("a%1").arg(i), TestClient::envelopes(toB, "from a " + QByteArray::number(i))));
        b.send(TestClient::messageFrame(chat, QStringLiteral("b%1").arg(i), TestClient::envelopes(toA, "from b " + QByteArray::number(i))));
    }

    QList<qint64> all, seqA, seqB;
    for (auto [client, prefix, seqs] : {std::tuple{&a, 'a', &seqA}, std::tuple{&b, 'b', &seqB}}) {
        for (int i = 0; i < kEach; ++i) {
            const QString cmid = QStringLiteral("%1%2").arg(prefix).arg(i);
            const auto res = client->waitForSendResult(cmid, 30000);
            QVERIFY2(res && res->value("type") == "ack", qPrintable(cmid + ": " + (res ? compact(*res) : client->describePending())));
            seqs->append(intField(*res, "seq"));
            all.append(intField(*res, "seq"));
        }
    }
    // Each sender's messages are ordered as sent.
    QVERIFY2(std::is_sorted(seqA.begin(), seqA.end()) && std::adjacent_find(seqA.begin(), seqA.end()) == seqA.end(), qPrintable(seqList(seqA)));
    QVERIFY2(std::is_sorted(seqB.begin(), seqB.end()) && std::adjacent_find(seqB.begin(), seqB.end()) == seqB.end(), qPrintable(seqList(seqB)));
    // Together they are exactly 1..400.
    std::sort(all.begin(), all.end());
    QCOMPARE(all, range(1, 2 * kEach));

    // Each side receives the other's messages live, in seq order, with the matching content.
    for (auto [receiver, prefix, expected] : {std::tuple{&b, QByteArray("from a "), &seqA}, std::tuple{&a, QByteArray("from b "), &seqB}}) {
        const auto msgs = receiver->waitForCount("message", kEach, 30000);
        QVERIFY2(msgs, qPrintable(receiver->describePending()));
        QList<qint64> got;
        for (int i = 0; i < kEach; ++i) {
            got << intField(msgs->at(i), "seq");
            QCOMPARE(QByteArray::fromBase64(msgs->at(i).value("content").toString().toLatin1()), prefix + QByteArray::number(i));
        }
        QCOMPARE(got, *expected);
    }
}

void TstDelivery::resendWithSameClientMsgIdReturnsOriginalAckAndStoresNothing() {
    ServerWorld world;
    NATTER_WORLD(world, {"Ann", "Bob"});
    TestClient &a = world.user("Ann"), &b = world.user("Bob");

    const auto first = a.sendTo(b, "same", "hello");
    QVERIFY2(first && first->value("type") == "ack", qPrintable(first ? compact(*first) : a.describePending()));
    const auto second = a.sendTo(b, "same", "hello again");
    QVERIFY2(second && second->value("type") == "ack", qPrintable(second ? compact(*second) : a.describePending()));
    for (const char* key : {"message_id", "seq", "chat_id", "timestamp", "status", "client_msg_id"})
        QVERIFY2(first->value(key) == second->value(key), qPrintable(compact(*first) + " vs " + compact(*second)));

    // The resend survives a reconnect of the same device too.
    a.closeWs();
    NATTER_SESSION(a);
    const auto third = a.sendTo(b, "same", "hello");
    QVERIFY2(third && intField(*third, "message_id") == intField(*first, "message_id"), qPrintable(third ? compact(*third) : a.describePending()));

    // Nothing was stored by the resends: the next message is seq 2 and B saw the first one once.
    const auto next = a.sendTo(b, "other", "next");
    QVERIFY2(next && intField(*next, "seq") == 2, qPrintable(next ? compact(*next) : a.describePending()));
    const auto msgs = b.waitForCount("message", 2);
    QVERIFY2(msgs, qPrintable(b.describePending()));
    QCOMPARE(intField(msgs->at(0), "message_id"), intField(*first, "message_id"));
    QCOMPARE(msgs->at(0).value("content").toString(), b64("hello"));
    QCOMPARE(msgs->at(1).value("client_msg_id").toString(), QStringLiteral("other"));
}

void TstDelivery::offlineRecipientGetsMessagesInOrderAfterReconnect() {
    ServerWorld world;
    NATTER_WORLD(world, {"Ann", "Bob"}, ServerWorld::Sessions::None);
    TestClient &a = world.user("Ann"), &b = world.user("Bob");
    NATTER_SESSION(b);
    b.closeWs(); // B has been online once and is offline now
    NATTER_SESSION(a);
    QList<qint64> ids;
    for (int i = 1; i <= 20; ++i) {
        const auto ack = a.sendTo(b, QStringLiteral("m%1").arg(i), "offline " + QByteArray::number(i));
        QVERIFY2(ack && ack->value("type") == "ack", qPrintable(ack ? compact(*ack) : a.describePending()));
        ids << intField(*ack, "message_id");
    }

    QVERIFY2(b.connectWs(), qPrintable(b.lastError()));
    const auto sync = b.readSync(false);
    QVERIFY2(sync.ok, qPrintable(sync.error));
    QCOMPARE(intField(sync.welcome, "user_id"), b.userId());
    QCOMPARE(sync.seqs(), range(1, 20));
    QCOMPARE(sync.queued.size(), 20);
    for (int i = 0; i < 20; ++i) {
        QCOMPARE(intField(sync.queued.at(i), "message_id"), ids.at(i));
        QCOMPARE(sync.queued.at(i).value("content").toString(), b64("offline " + QByteArray::number(i + 1)));
    }
    QCOMPARE(intField(sync.syncComplete, "delivered"), 20);

    // Live traffic follows the sync.
    const auto live = a.sendTo(b, "live", "now");
    QVERIFY(live);
    NATTER_TAKE(liveMsg, b, "message");
    QCOMPARE(intField(liveMsg, "seq"), 21);
}

void TstDelivery::unacknowledgedMessageIsRedeliveredOnEveryReconnect() {
    ServerWorld world;
    NATTER_WORLD(world, {"Ann", "Bob"});
    TestClient &a = world.user("Ann"), &b = world.user("Bob");
    const auto ack = a.sendTo(b, "c1", "hello");
    QVERIFY(ack);
    NATTER_TAKE(live, b, "message");
    const qint64 id = intField(live, "message_id");

    for (int round = 0; round < 2; ++round) { // not acked: comes back each time
        b.closeWs();
        QVERIFY2(b.connectWs(), qPrintable(b.lastError()));
        const auto sync = b.readSync(false);
        QVERIFY2(sync.ok, qPrintable(sync.error));
        QCOMPARE(sync.queued.size(), 1);
        QCOMPARE(intField(sync.queued.at(0), "message_id"), id);
        QCOMPARE(sync.queued.at(0).value("content").toString(), b64("hello"));
    }
    b.ackDelivered(id);
    QVERIFY(b.pingPong());
    b.closeWs();
    QVERIFY2(b.connectWs(), qPrintable(b.lastError()));
    const auto sync = b.readSync(false);
    QVERIFY2(sync.ok, qPrintable(sync.error));
    QVERIFY2(sync.queued.isEmpty(), qPrintable(compact(sync.queued.value(0))));
}

void TstDelivery::syncWindowLimitsUnacknowledgedMessages() {
    ServerWorld world({"--sync-window", "10"});
    NATTER_WORLD(world, {"Ann", "Bob"}, ServerWorld::Sessions::None);
    TestClient &a = world.user("Ann"), &b = world.user("Bob");
    NATTER_SESSION(a);
    for (int i = 1; i <= 30; ++i) QVERIFY(a.sendTo(b, QStringLiteral("m%1").arg(i), "x"));

    QVERIFY2(b.connectWs(), qPrintable(b.lastError()));
    QVERIFY(b.waitFor("welcome"));
    QList<qint64> seen;
    for (int batch = 0; batch < 3; ++batch) {
        // The server fills the window and then waits for acks.
        const auto msgs = b.waitForCount("message", 10, 10000);
        QVERIFY2(msgs, qPrintable(QStringLiteral("batch %1: %2").arg(batch).arg(b.describePending())));
        QVERIFY2(b.expectNo("message", 1000), qPrintable(QStringLiteral("more than 10 unacknowledged: %1").arg(b.describePending())));
        QVERIFY2(batch == 2 || b.expectNo("sync_complete", 0), "sync_complete before the queue was handed over");
        for (const QJsonObject& m : *msgs) {
            seen << intField(m, "seq");
            b.ackDelivered(intField(m, "message_id"));
        }
    }
    QCOMPARE(seen, range(1, 30));
    NATTER_TAKE(done, b, "sync_complete");
    QCOMPARE(intField(done, "delivered"), 30);
}

void TstDelivery::droppedSyncResumesAfterLastAcknowledgedMessage() {
    ServerWorld world({"--sync-window", "10"});
    NATTER_WORLD(world, {"Ann", "Bob"}, ServerWorld::Sessions::None);
    TestClient &a = world.user("Ann"), &b = world.user("Bob");
    NATTER_SESSION(a);
    const auto toB = a.recipientsFor(b.userId());
    for (int i = 1; i <= 100; ++i)
        a.send(TestClient::messageFrame(a.chatWith(b), QStringLiteral("m%1").arg(i), TestClient::envelopes(toB, "n" + QByteArray::number(i))));
    for (int i = 1; i <= 100; ++i) {
        const auto res = a.waitForSendResult(QStringLiteral("m%1").arg(i), 30000);
        QVERIFY2(res && res->value("type") == "ack", qPrintable(res ? compact(*res) : a.describePending()));
    }

    QVERIFY2(b.connectWs(), qPrintable(b.lastError()));
    QVERIFY(b.waitFor("welcome"));
    for (int i = 1; i <= 25; ++i) {
        NATTER_TAKE(m, b, "message");
        QCOMPARE(intField(m, "seq"), i);
        b.ackDelivered(intField(m, "message_id"));
    }
    QVERIFY(b.pingPong()); // the 25 acks were read before the ping
    b.abortWs();

    QVERIFY2(b.connectWs(), qPrintable(b.lastError()));
    const auto sync = b.readSync(true);
    QVERIFY2(sync.ok, qPrintable(sync.error));
    QCOMPARE(seqList(sync.seqs()), seqList(range(26, 100)));
    for (const QJsonObject& m : sync.queued)
        QCOMPARE(m.value("content").toString(), b64("n" + QByteArray::number(intField(m, "seq"))));
    QCOMPARE(intField(sync.syncComplete, "delivered"), 75);
}

void TstDelivery::readAckAloneAlsoMarksMessageDelivered() {
    ServerWorld world;
    NATTER_WORLD(world, {"Ann", "Bob"});
    TestClient &a = world.user("Ann"), &b = world.user("Bob");
    const auto ack = a.sendTo(b, "c1", "hello");
    QVERIFY(ack);
    const qint64 id = intField(*ack, "message_id");
    QVERIFY(b.waitFor("message", byMessageId(id)));
    b.ackRead(id); // the client showed it at once, without a separate "delivered"

    NATTER_TAKE(read, a, "receipt", byStatus("read"));
    QCOMPARE(intField(read, "message_id"), id);
    const HttpResult r = a.request("GET", QStringLiteral("/api/messages/%1/receipts").arg(id));
    const QJsonObject rb = r.object().value("recipients").toArray().at(0).toObject();
    QCOMPARE(rb.value("status").toString(), QStringLiteral("read"));
    QVERIFY2(rb.contains("delivered_at") && rb.contains("read_at"), qPrintable(r.describe()));

    // Read implies delivered: it is out of B's queue.
    b.closeWs();
    QVERIFY2(b.connectWs(), qPrintable(b.lastError()));
    const auto sync = b.readSync(false);
    QVERIFY2(sync.ok, qPrintable(sync.error));
    QVERIFY2(sync.queued.isEmpty(), qPrintable("redelivered after a read ack: " + compact(sync.queued.value(0))));
}

void TstDelivery::receiptsForOfflineSenderArriveOnReconnectUntilConfirmed() {
    ServerWorld world;
    NATTER_WORLD(world, {"Ann", "Bob"});
    TestClient &a = world.user("Ann"), &b = world.user("Bob");
    const auto ack = a.sendTo(b, "c1", "hello");
    QVERIFY(ack);
    const qint64 id = intField(*ack, "message_id");
    a.closeWs();
    QVERIFY(b.waitFor("message", byMessageId(id)));
    b.ackDelivered(id);
    b.ackRead(id);
    // Stored, with both receipts queued for A: B's acks and A's reconnect may run on different
    // store lanes (PostgreSQL), so a ping is no barrier; the stored status is.
    const auto status = [&] {
        const HttpResult r = a.request("GET", QStringLiteral("/api/messages/%1/receipts").arg(id));
        return r.object().value("recipients").toArray().at(0).toObject().value("status").toString();
    };
    QTRY_COMPARE_WITH_TIMEOUT(status(), QStringLiteral("read"), 10000);

    QVERIFY2(a.connectWs(), qPrintable(a.lastError()));
    const auto sync = a.readSync(false);
    QVERIFY2(sync.ok, qPrintable(sync.error));
    QCOMPARE(sync.queued.size(), 2);
    QCOMPARE(sync.queued.at(0).value("type").toString(), QStringLiteral("receipt"));
    QCOMPARE(sync.queued.at(0).value("status").toString(), QStringLiteral("delivered"));
    QCOMPARE(sync.queued.at(1).value("status").toString(), QStringLiteral("read"));
    for (const QJsonObject& r : sync.queued) QCOMPARE(intField(r, "message_id"), id);

    // Unconfirmed receipts come again; confirmed ones do not.
    a.receiptAck(intField(sync.queued.at(0), "receipt_id"));
    QVERIFY(a.pingPong());
    a.closeWs();
    QVERIFY2(a.connectWs(), qPrintable(a.lastError()));
    const auto again = a.readSync(false);
    QVERIFY2(again.ok, qPrintable(again.error));
    QCOMPARE(again.queued.size(), 1);
    QCOMPARE(again.queued.at(0).value("status").toString(), QStringLiteral("read"));
    a.receiptAck(intField(again.queued.at(0), "receipt_id"));
    QVERIFY(a.pingPong());
    a.closeWs();
    QVERIFY2(a.connectWs(), qPrintable(a.lastError()));
    const auto last = a.readSync(false);
    QVERIFY2(last.ok && last.queued.isEmpty(), qPrintable(last.error + compact(last.queued.value(0))));
}

void TstDelivery::sendingIntoOthersChatIsForbiddenAndToUnknownUserNotFound() {
    ServerWorld world;
    NATTER_WORLD(world, {"Ann", "Bob", "Cid"});
    TestClient &a = world.user("Ann"), &b = world.user("Bob"), &c = world.user("Cid");

    c.send(TestClient::messageFrame(a.chatWith(b), "intrude", TestClient::envelopes({a.address(), b.address()}, "x")));
    const auto forbidden = c.waitForSendResult("intrude");
    QVERIFY2(forbidden && forbidden->value("type") == "error", qPrintable(forbidden ? compact(*forbidden) : c.describePending()));
    QCOMPARE(forbidden->value("code").toString(), QStringLiteral("forbidden"));

    const qint64 ghost = c.userId() + 1000;
    a.send(TestClient::messageFrame(TestClient::directChatId(a.userId(), ghost), "ghost", TestClient::envelopes({{ghost, 1}}, "x")));
    const auto notFound = a.waitForSendResult("ghost");
    QVERIFY2(notFound && notFound->value("type") == "error", qPrintable(notFound ? compact(*notFound) : a.describePending()));
    QCOMPARE(notFound->value("code").toString(), QStringLiteral("not_found"));

    // Nothing reached A or B and nothing was stored in A-B.
    const auto ok = a.sendTo(b, "real", "real");
    QVERIFY(ok && intField(*ok, "seq") == 1);
    NATTER_TAKE(m, b, "message");
    QCOMPARE(m.value("client_msg_id").toString(), QStringLiteral("real"));
    QVERIFY2(a.expectNo("message", 300), qPrintable(a.describePending()));
}

void TstDelivery::ackOfUnknownOrForeignMessageIsNotFound() {
    ServerWorld world;
    NATTER_WORLD(world, {"Ann", "Bob", "Cid"});
    TestClient &a = world.user("Ann"), &b = world.user("Bob"), &c = world.user("Cid");
    const auto ack = a.sendTo(b, "c1", "hello");
    QVERIFY(ack);
    const qint64 id = intField(*ack, "message_id");

    const auto expectNotFound = [](TestClient& who, qint64 messageId, const QString& ref) {
        who.send(QJsonObject{{"type", "ack"}, {"id", ref}, {"message_id", messageId}, {"status", "delivered"}});
        const auto e = who.waitFor("error", [&](const QJsonObject& f) { return f.value("ref").toString() == ref; });
        return e ? e->value("code").toString() : QStringLiteral("<no error frame> ") + who.describePending();
    };
    QCOMPARE(expectNotFound(b, id + 1000, "unknown"), QStringLiteral("not_found"));
    QCOMPARE(expectNotFound(c, id, "stranger"), QStringLiteral("not_found"));
    QCOMPARE(expectNotFound(a, id, "own sending device"), QStringLiteral("not_found"));
    QVERIFY2(a.expectNo("receipt", 300), qPrintable(a.describePending()));

    // Duplicate acks are harmless: no error, one receipt.
    QVERIFY(b.waitFor("message", byMessageId(id)));
    b.ackDelivered(id);
    b.ackDelivered(id);
    QVERIFY(b.pingPong());
    QVERIFY2(b.expectNo("error", 0), qPrintable(b.describePending()));
    NATTER_TAKE(r, a, "receipt", byStatus("delivered"));
    b.ackRead(id);
    NATTER_TAKE(r2, a, "receipt");
    QVERIFY2(r2.value("status").toString() == QLatin1String("read"), qPrintable("duplicate receipt: " + compact(r2)));
}

void TstDelivery::disabledReadReceiptsSuppressReadReceipt_data() {
    QTest::addColumn<bool>("readerDisables");
    QTest::newRow("reader has read_receipts=false") << true;
    QTest::newRow("sender has read_receipts=false") << false;
}

void TstDelivery::disabledReadReceiptsSuppressReadReceipt() {
    QFETCH(bool, readerDisables);
    ServerWorld world;
    NATTER_WORLD(world, {"Ann", "Bob"}, ServerWorld::Sessions::None);
    TestClient &a = world.user("Ann"), &b = world.user("Bob");
    TestClient& who = readerDisables ? b : a;
    const HttpResult put = who.request("PUT", "/api/settings/privacy", QJsonObject{{"read_receipts", false}});
    QVERIFY2(put.status == 200, qPrintable(put.describe()));
    QCOMPARE(put.object().value("read_receipts").toBool(true), false);
    QCOMPARE(put.object().value("last_seen").toString(), QStringLiteral("everyone")); // untouched
    NATTER_SESSION(a);
    NATTER_SESSION(b);

    const auto m1 = a.sendTo(b, "m1", "one");
    QVERIFY(m1);
    QVERIFY(b.waitFor("message", byMessageId(intField(*m1, "message_id"))));
    b.ackDelivered(intField(*m1, "message_id"));
    NATTER_TAKE(d1, a, "receipt");
    QCOMPARE(d1.value("status").toString(), QStringLiteral("delivered"));
    b.ackRead(intField(*m1, "message_id"));
    QVERIFY(b.pingPong());

    // The next receipt A gets is the delivery of m2, not a read receipt for m1.
    const auto m2 = a.sendTo(b, "m2", "two");
    QVERIFY(m2);
    QVERIFY(b.waitFor("message", byMessageId(intField(*m2, "message_id"))));
    b.ackDelivered(intField(*m2, "message_id"));
    NATTER_TAKE(d2, a, "receipt");
    QVERIFY2(d2.value("status").toString() == QLatin1String("delivered") && intField(d2, "message_id") == intField(*m2, "message_id"),
             qPrintable("read receipt leaked: " + compact(d2)));
}

// Reciprocity: who does not send read receipts does not see others' reads, over REST either.
void TstDelivery::senderWithReadReceiptsOffSeesNoReadsOverRest() {
    ServerWorld world;
    NATTER_WORLD(world, {"Ann", "Bob"});
    TestClient &a = world.user("Ann"), &b = world.user("Bob");
    const auto sent = a.sendTo(b, "m1", "one");
    NATTER_ACKED(sent, a);
    const qint64 id = intField(*sent, "message_id");
    QVERIFY(b.waitFor("message", byMessageId(id)));
    b.ackRead(id);
    QVERIFY(a.waitFor("receipt", byStatus("read")));
    const QString path = QStringLiteral("/api/messages/%1/receipts").arg(id);
    const auto recipient = [&] { return a.request("GET", path).object().value("recipients").toArray().at(0).toObject(); };
    QCOMPARE(recipient().value("status").toString(), QStringLiteral("read"));

    NATTER_HTTP(a.request("PUT", "/api/settings/privacy", QJsonObject{{"read_receipts", false}}), 200);
    const QJsonObject hidden = recipient();
    QCOMPARE(hidden.value("status").toString(), QStringLiteral("delivered"));
    QVERIFY2(!hidden.contains("read_at") && hidden.contains("delivered_at"), qPrintable(compact(hidden)));
    NATTER_HTTP(a.request("PUT", "/api/settings/privacy", QJsonObject{{"read_receipts", true}}), 200);
    QVERIFY(recipient().contains("read_at"));
}

QTEST_GUILESS_MAIN(TstDelivery)
// natterd reads each WebSocket message in pieces (128 bytes first, then growing pieces):
// sizes around each boundary and near the 256 KiB frame limit must arrive byte for byte.
void TstDelivery::messagesOfEverySizeUpToTheFrameLimitArriveIntact() {
    ServerWorld world;
    NATTER_WORLD(world, {"Ann", "Bob"});
    TestClient &a = world.user("Ann"), &b = world.user("Bob");
    const QList<int> sizes{1, 60, 100, 150, 400, 800, 3 * 1024, 16 * 1024, 70 * 1024, 180 * 1024};
    for (int i = 0; i < sizes.size(); ++i) {
        QByteArray plain(sizes[i], Qt::Uninitialized);
        for (int k = 0; k < plain.size(); ++k) plain[k] = static_cast<char>((k * 131 + i) & 0xff);
        const auto ack = a.sendTo(b, QStringLiteral("size-%1").arg(i), plain);
        QVERIFY2(ack && ack->value("status") == "sent", qPrintable(ack ? compact(*ack) : a.describePending()));
        NATTER_TAKE(msg, b, "message");
        QCOMPARE(msg.value("client_msg_id").toString(), QStringLiteral("size-%1").arg(i));
        QCOMPARE(QByteArray::fromBase64(msg.value("content").toString().toLatin1()), plain);
    }
}

#include "tst_delivery.moc"
