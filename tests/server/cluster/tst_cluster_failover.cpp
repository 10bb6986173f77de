// A cluster under failure and shared limits: Redis killed and restarted, or hung and resumed,
// under load loses nothing, nodes killed under load lose nothing acknowledged, a killed node's
// users go offline within the presence timeout, and the group and verification-code limits hold
// for all nodes together rather than once per node.
#include "cluster_fixture.h"
#include "test_client.h"

#include <QDeadlineTimer>
#include <QHash>
#include <QSet>
#include <QTest>

#include <algorithm>

using namespace natter::test;

namespace {
// Sends n 1:1 messages a -> b with client ids prefix0..; false if one is not acked.
bool sendMany(TestClient& a, TestClient& b, const QString& prefix, int n) {
    const auto to = a.recipientsFor(b.userId());
    for (int i = 0; i < n; ++i)
        a.send(TestClient::messageFrame(a.chatWith(b), prefix + QString::number(i),
                                        TestClient::envelopes(to, (prefix + QString::number(i)).toUtf8())));
    for (int i = 0; i < n; ++i) {
        const auto r = a.waitForSendResult(prefix + QString::number(i), 10000);
        if (!r || r->value("type") != "ack") return false;
    }
    return true;
}
// Takes n messages at b, acking each; records ids and checks seq increases.
bool receiveMany(TestClient& b, int n, QSet<qint64>& ids, qint64& lastSeq, int timeoutMs) {
    for (int i = 0; i < n; ++i) {
        const auto m = b.waitFor("message", {}, timeoutMs);
        if (!m) return false;
        const qint64 id = intField(*m, "message_id");
        if (ids.contains(id) || intField(*m, "seq") <= lastSeq) return false; // a duplicate, or out of order
        ids.insert(id);
        lastSeq = intField(*m, "seq");
        b.ackDelivered(id);
    }
    return true;
}
bool redisUpOn(TestClient& c, const QString& node) {
    const HttpResult m = c.rawRequest("GET", "/metrics", {}, false);
    return m.body.contains(QStringLiteral("natterd_redis_up{node=\"%1\"} 1").arg(node).toUtf8());
}
} // namespace

class TstClusterFailover : public QObject {
    Q_OBJECT
private slots:
    void redisKilledAndRestartedUnderLoadLosesNothingAndRoutingResumes();
    void aHungRedisStopsNeitherAcksNorDeliveryAndRoutingResumesWhenItContinues();
    void aKilledNodesUsersGoOfflineWithLastSeenWithinThePresenceTimeout();
    void nodesKilledUnderLoadLoseNothingAcknowledgedAndShowNothingTwice();
    void aGroupsMessageRateHoldsForAllNodesTogether();
    void verificationCodesPerAddressHoldForAllNodesTogether();
};

void TstClusterFailover::redisKilledAndRestartedUnderLoadLosesNothingAndRoutingResumes() {
    Cluster cluster;
    NATTER_CLUSTER(cluster, 2);
    TestClient a(cluster.node(0)), b(cluster.node(1));
    NATTER_SIGNUP(a, phoneNumber(1), "Ann");
    NATTER_SIGNUP(b, phoneNumber(2), "Bob");
    QVERIFY(a.addContacts({&b}));
    QVERIFY(b.addContacts({&a}));
    NATTER_SESSION(a);
    NATTER_SESSION(b);
    QVERIFY(redisUpOn(a, "n0"));
    QVERIFY(a.rawRequest("GET", "/metrics", {}, false).body.contains("natterd_node_info{node=\"n0\"} 1"));

    QSet<qint64> ids;
    qint64 lastSeq = 0;
    QVERIFY(sendMany(a, b, "before", 20));
    cluster.redis().kill9();
    QVERIFY(sendMany(a, b, "during", 20)); // stored and acknowledged without Redis
    QVERIFY2(receiveMany(b, 40, ids, lastSeq, 10000), qPrintable(b.describePending()));

    QVERIFY2(cluster.redis().start(), qPrintable(cluster.redis().errorString()));
    QVERIFY(QTest::qWaitFor([&] { return redisUpOn(a, "n0") && redisUpOn(b, "n1"); }, 10000));
    QVERIFY(sendMany(a, b, "after", 20));
    QVERIFY2(receiveMany(b, 20, ids, lastSeq, 10000), qPrintable(b.describePending()));
    QCOMPARE(ids.size(), 60);
    NATTER_QUIET(b, "message");
    // Routing (not only the store) is back: a live-only typing notice crosses nodes again.
    QVERIFY(QTest::qWaitFor([&] {
        a.send(QJsonObject{{"type", "typing"}, {"chat_id", a.chatWith(b)}, {"state", "start"}});
        return b.waitFor("typing", inChat(a.chatWith(b)), 300).has_value();
    }, 5000));
}

// SIGSTOP keeps Redis's sockets open: only the command timeout (--redis-timeout, default 2 s)
// tells the nodes that it no longer answers. Meanwhile sends are acknowledged and delivered from
// the store; after SIGCONT the nodes route through Redis again by themselves.
void TstClusterFailover::aHungRedisStopsNeitherAcksNorDeliveryAndRoutingResumesWhenItContinues() {
    Cluster cluster;
    NATTER_CLUSTER(cluster, 2);
    TestClient a(cluster.node(0)), b(cluster.node(1));
    NATTER_SIGNUP(a, phoneNumber(1), "Ann");
    NATTER_SIGNUP(b, phoneNumber(2), "Bob");
    QVERIFY(a.addContacts({&b}));
    QVERIFY(b.addContacts({&a}));
    NATTER_SESSION(a);
    NATTER_SESSION(b);
    QSet<qint64> ids;
    qint64 lastSeq = 0;
    QVERIFY(sendMany(a, b, "before", 10));
    QVERIFY2(receiveMany(b, 10, ids, lastSeq, 10000), qPrintable(b.describePending()));

    cluster.redis().pause();
    QVERIFY(sendMany(a, b, "during", 20)); // acknowledged while Redis hangs
    QVERIFY2(receiveMany(b, 20, ids, lastSeq, 15000), qPrintable(b.describePending()));
    QVERIFY(QTest::qWaitFor([&] { return !redisUpOn(a, "n0") && !redisUpOn(b, "n1"); }, 10000));

    cluster.redis().resume();
    QVERIFY(QTest::qWaitFor([&] { return redisUpOn(a, "n0") && redisUpOn(b, "n1"); }, 15000));
    QVERIFY(sendMany(a, b, "after", 10));
    QVERIFY2(receiveMany(b, 10, ids, lastSeq, 10000), qPrintable(b.describePending()));
    QCOMPARE(ids.size(), 40);
    NATTER_QUIET(b, "message");
    // Routing, not only the store: a live-only typing notice crosses nodes again.
    QVERIFY(QTest::qWaitFor([&] {
        a.send(QJsonObject{{"type", "typing"}, {"chat_id", a.chatWith(b)}, {"state", "start"}});
        return b.waitFor("typing", inChat(a.chatWith(b)), 300).has_value();
    }, 5000));
}

// kill -9 of both ends' nodes in the middle of a stream: the clients come back through a third
// node, the sender resends what was not acknowledged (as a client's outbox does), and the
// recipient ends with every message exactly once, in seq order, with no gap.
void TstClusterFailover::nodesKilledUnderLoadLoseNothingAcknowledgedAndShowNothingTwice() {
    Cluster cluster;
    NATTER_CLUSTER(cluster, 3);
    TestClient a(cluster.node(0)), b(cluster.node(1));
    NATTER_SIGNUP(a, phoneNumber(1), "Ann");
    NATTER_SIGNUP(b, phoneNumber(2), "Bob");
    NATTER_SESSION(a);
    NATTER_SESSION(b);
    constexpr int kCount = 300;
    const auto to = a.recipientsFor(b.userId());
    const auto frame = [&](int i) {
        return TestClient::messageFrame(a.chatWith(b), QStringLiteral("k%1").arg(i),
                                        TestClient::envelopes(to, QByteArray::number(i)));
    };
    for (int i = 0; i < kCount; ++i) a.send(frame(i));

    // Bob takes what arrives live until a third of the stream is acknowledged to Ann, then both
    // nodes die at once.
    QHash<qint64, qint64> shown; // message id -> seq, as a client deduplicates
    QSet<QString> acked;
    QDeadlineTimer load(20000);
    while (acked.size() < kCount / 3 && !load.hasExpired()) {
        while (const auto ack = a.waitFor("ack", {}, 0)) acked.insert(ack->value("client_msg_id").toString());
        if (const auto m = b.waitFor("message", {}, 20)) {
            shown.insert(intField(*m, "message_id"), intField(*m, "seq"));
            b.ackDelivered(intField(*m, "message_id"));
        }
    }
    QVERIFY2(acked.size() >= kCount / 3, qPrintable(a.describePending()));
    cluster.node(0).kill9();
    cluster.node(1).kill9();
    while (const auto ack = a.waitFor("ack", {}, 0)) acked.insert(ack->value("client_msg_id").toString());

    qInfo("killed with %lld of %d acknowledged and %lld shown", qint64(acked.size()), kCount, qint64(shown.size()));
    TestClient a2(cluster.node(2)), b2(cluster.node(2));
    a2.adoptCredentials(a);
    b2.adoptCredentials(b);
    NATTER_SESSION(a2);
    for (int i = 0; i < kCount; ++i)
        if (!acked.contains(QStringLiteral("k%1").arg(i))) a2.send(frame(i));
    for (int i = 0; i < kCount; ++i)
        if (!acked.contains(QStringLiteral("k%1").arg(i))) {
            const auto r = a2.waitForSendResult(QStringLiteral("k%1").arg(i), 20000);
            QVERIFY2(r && r->value("type") == "ack", qPrintable(a2.describePending()));
        }
    QVERIFY(b2.connectWs());
    const auto sync = b2.readSync(true, 60000);
    QVERIFY2(sync.ok, qPrintable(sync.error));
    for (const auto& m : sync.queued)
        if (m.value("type") == "message") shown.insert(intField(m, "message_id"), intField(m, "seq"));
    QCOMPARE(shown.size(), kCount);
    QList<qint64> seqs = shown.values();
    std::sort(seqs.begin(), seqs.end());
    QCOMPARE(seqs.front(), qint64(1));
    QCOMPARE(seqs.back(), qint64(kCount)); // kCount distinct seqs from 1 to kCount: no gap, none twice
}

void TstClusterFailover::aKilledNodesUsersGoOfflineWithLastSeenWithinThePresenceTimeout() {
    Cluster cluster;
    NATTER_CLUSTER(cluster, 2, {QStringLiteral("--presence-timeout"), QStringLiteral("2"),
                                QStringLiteral("--heartbeat-interval"), QStringLiteral("1")});
    TestClient a(cluster.node(0)), b(cluster.node(1));
    NATTER_SIGNUP(a, phoneNumber(1), "Ann");
    NATTER_SIGNUP(b, phoneNumber(2), "Bob");
    QVERIFY(a.addContacts({&b}));
    QVERIFY(b.addContacts({&a}));
    NATTER_SESSION(a);
    NATTER_SESSION(b);
    const auto online = a.waitFor("presence", [&](const QJsonObject& f) {
        return f.value("user_id").toInteger() == b.userId() && f.value("status") == "online";
    });
    QVERIFY2(online, qPrintable(a.describePending()));

    const qint64 killedAt = QDateTime::currentMSecsSinceEpoch();
    cluster.node(1).kill9();
    std::optional<QJsonObject> offline;
    QDeadlineTimer deadline(8000);
    while (!offline && !deadline.hasExpired()) {
        a.pingPong(1000); // a stays connected meanwhile
        offline = a.waitFor("presence", [&](const QJsonObject& f) {
            return f.value("user_id").toInteger() == b.userId() && f.value("status") == "offline";
        }, 250);
    }
    QVERIFY2(offline, qPrintable(a.describePending()));
    QVERIFY2(offline->contains("last_seen") && intField(*offline, "last_seen") >= killedAt, qPrintable(compact(*offline)));
    const HttpResult presence = a.request("GET", QStringLiteral("/api/users/%1/presence").arg(b.userId()));
    QCOMPARE(presence.object().value("status").toString(), QStringLiteral("offline"));
}

void TstClusterFailover::aGroupsMessageRateHoldsForAllNodesTogether() {
    Cluster cluster;
    NATTER_CLUSTER(cluster, 2, {QStringLiteral("--group-message-rate"), QStringLiteral("1")}); // burst 2
    TestClient a(cluster.node(0)), b(cluster.node(1));
    NATTER_SIGNUP(a, phoneNumber(1), "Ann");
    NATTER_SIGNUP(b, phoneNumber(2), "Bob");
    NATTER_SESSION(a);
    NATTER_SESSION(b);
    NATTER_GROUP(chat, a, "pair", {b.userId()});
    int accepted = 0, limited = 0;
    for (int i = 0; i < 3; ++i)
        for (TestClient* sender : {&a, &b}) {
            const auto r = sender->sendToGroup(chat, QStringLiteral("r%1-%2").arg(sender->userId()).arg(i), "x");
            QVERIFY2(r, qPrintable(sender->describePending()));
            if (r->value("type") == "ack") ++accepted;
            else if (r->value("code") == "rate_limited") ++limited;
        }
    // Per node that would be 2 + 2 (and more with refill); together it is 2 plus the refill.
    QVERIFY2(accepted <= 3 && limited >= 3, qPrintable(QStringLiteral("accepted %1, limited %2").arg(accepted).arg(limited)));
}

void TstClusterFailover::verificationCodesPerAddressHoldForAllNodesTogether() {
    Cluster cluster;
    NATTER_CLUSTER(cluster, 2, {QStringLiteral("--codes-per-address"), QStringLiteral("2")});
    TestClient first(cluster.node(0)), second(cluster.node(0)), third(cluster.node(1));
    NATTER_HTTP(first.registerPhone(phoneNumber(1)), 200);
    NATTER_HTTP(second.registerPhone(phoneNumber(2)), 200);
    NATTER_REFUSED(third.registerPhone(phoneNumber(3)), 429, "rate_limited");
}

QTEST_GUILESS_MAIN(TstClusterFailover)
#include "tst_cluster_failover.moc"
