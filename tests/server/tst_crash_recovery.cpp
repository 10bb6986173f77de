// Durability: what natterd acknowledged survives kill -9; SIGTERM is clean; data persists.
#include "natterd_process.h"
#include "server_world.h"
#include "test_client.h"

#include <QTest>

using namespace natter::test;

namespace {
// Content with every byte value, so base64 round trips are checked too.
QByteArray payload(int i) {
    QByteArray out = "message " + QByteArray::number(i) + " ";
    for (int b = 0; b < 256; b += 7) out.append(char((b + i) & 0xFF));
    return out;
}
} // namespace

class TstCrashRecovery : public QObject {
    Q_OBJECT
private slots:
    void acknowledgedMessagesSurviveKill9();
    void deliveredMessageIsNotRedeliveredAfterKill9();
    void sigtermClosesSocketsWith1001ExitsZeroAndRestartServesSameData();
    void sigintShutsDownCleanlyToo();
};

void TstCrashRecovery::acknowledgedMessagesSurviveKill9() {
    ServerWorld world;
    NATTER_WORLD(world, {"Ann", "Bob"}, ServerWorld::Sessions::None);
    TestClient &a = world.user("Ann"), &b = world.user("Bob");
    NatterdProcess& server = world.server();
    NATTER_SESSION(a);
    const auto to = a.recipientsFor(b.userId());
    constexpr int kCount = 500;
    for (int i = 1; i <= kCount; ++i)
        a.send(TestClient::messageFrame(a.chatWith(b), QStringLiteral("k%1").arg(i), TestClient::envelopes(to, payload(i))));
    QList<qint64> ids;
    for (int i = 1; i <= kCount; ++i) {
        const auto res = a.waitForSendResult(QStringLiteral("k%1").arg(i), 60000);
        QVERIFY2(res && res->value("type") == "ack", qPrintable(QStringLiteral("k%1: %2").arg(i).arg(res ? compact(*res) : a.describePending())));
        QCOMPARE(intField(*res, "seq"), i);
        ids << intField(*res, "message_id");
    }
    server.kill9(); // right after the last ack
    QVERIFY(!server.isRunning());
    QVERIFY2(server.restart(), qPrintable(server.errorString()));

    QVERIFY2(b.connectWs(), qPrintable(b.lastError()));
    const auto sync = b.readSync(true, 60000);
    QVERIFY2(sync.ok, qPrintable(sync.error));
    QCOMPARE(sync.queued.size(), kCount);
    for (int i = 0; i < kCount; ++i) {
        const QJsonObject& m = sync.queued.at(i);
        QCOMPARE(intField(m, "seq"), i + 1);
        QCOMPARE(intField(m, "message_id"), ids.at(i));
        QCOMPARE(QByteArray::fromBase64(m.value("content").toString().toLatin1()), payload(i + 1));
    }
    QCOMPARE(intField(sync.syncComplete, "delivered"), kCount);
}

void TstCrashRecovery::deliveredMessageIsNotRedeliveredAfterKill9() {
    ServerWorld world;
    NATTER_WORLD(world, {"Ann", "Bob"});
    TestClient &a = world.user("Ann"), &b = world.user("Bob");
    NatterdProcess& server = world.server();
    const auto first = a.sendTo(b, "first", "first");
    const auto second = a.sendTo(b, "second", "second");
    QVERIFY(first && second);
    QVERIFY(b.waitFor("message", byClientMsgId("first")));
    QVERIFY(b.waitFor("message", byClientMsgId("second")));
    b.ackDelivered(intField(*first, "message_id"));
    // The server has recorded the delivery once it relays the (queued) receipt.
    NATTER_TAKE(receipt, a, "receipt");
    QCOMPARE(intField(receipt, "message_id"), intField(*first, "message_id"));

    server.kill9();
    QVERIFY2(server.restart(), qPrintable(server.errorString()));
    QVERIFY2(b.connectWs(), qPrintable(b.lastError()));
    const auto sync = b.readSync(false);
    QVERIFY2(sync.ok, qPrintable(sync.error));
    QCOMPARE(sync.queued.size(), 1); // only the unacknowledged one
    QCOMPARE(intField(sync.queued.at(0), "message_id"), intField(*second, "message_id"));

    // The sender's receipt was not confirmed: it comes again after the restart.
    QVERIFY2(a.connectWs(), qPrintable(a.lastError()));
    const auto syncA = a.readSync(false);
    QVERIFY2(syncA.ok, qPrintable(syncA.error));
    QCOMPARE(syncA.queued.size(), 1);
    QCOMPARE(intField(syncA.queued.at(0), "receipt_id"), intField(receipt, "receipt_id"));
}

void TstCrashRecovery::sigtermClosesSocketsWith1001ExitsZeroAndRestartServesSameData() {
    ServerWorld world;
    NATTER_WORLD(world, {"Ann", "Bob"}, ServerWorld::Sessions::None);
    TestClient &a = world.user("Ann"), &b = world.user("Bob");
    NatterdProcess& server = world.server();
    QCOMPARE(a.request("PUT", "/api/profile", QJsonObject{{"status_text", "before restart"}}).status, 200);
    QVERIFY2(a.addContacts({&b}), qPrintable(a.lastError()));
    NATTER_SESSION(a);
    const auto sent = a.sendTo(b, "kept", "kept across restart");
    QVERIFY(sent && sent->value("type") == "ack");

    QCOMPARE(server.terminate(), 0);
    QVERIFY2(a.waitDisconnected(), "WebSocket still open after natterd exited");
    QCOMPARE(a.closeCode(), 1001);

    QVERIFY2(server.restart(), qPrintable(server.errorString()));
    // The old access token is still valid: the signing key persisted in the data dir.
    const HttpResult profile = a.request("GET", "/api/profile");
    QVERIFY2(profile.status == 200, qPrintable(profile.describe()));
    QCOMPARE(profile.object().value("status_text").toString(), QStringLiteral("before restart"));
    QCOMPARE(a.request("GET", "/api/contacts").object().value("contacts").toArray().size(), 1);
    const HttpResult tok = b.request("POST", "/api/token", QJsonObject{{"user_id", b.userId()}, {"device_id", b.deviceId()}, {"device_secret", b.deviceSecret()}});
    QVERIFY2(tok.status == 200, qPrintable(tok.describe()));

    QVERIFY2(b.connectWs(), qPrintable(b.lastError()));
    const auto sync = b.readSync(true);
    QVERIFY2(sync.ok, qPrintable(sync.error));
    QCOMPARE(sync.queued.size(), 1);
    QCOMPARE(sync.queued.at(0).value("content").toString(), b64("kept across restart"));

    // The chat continues where it was.
    NATTER_SESSION(a);
    const auto next = a.sendTo(b, "after", "after");
    QVERIFY(next && intField(*next, "seq") == 2);
    QVERIFY(intField(*next, "message_id") > intField(*sent, "message_id"));
}

void TstCrashRecovery::sigintShutsDownCleanlyToo() {
    ServerWorld world;
    NATTER_WORLD(world, {"Ann", "Bob"}, ServerWorld::Sessions::None);
    TestClient &a = world.user("Ann"), &b = world.user("Bob");
    NatterdProcess& server = world.server();
    NATTER_SESSION(a);
    QVERIFY(a.sendTo(b, "kept", "kept"));
    QCOMPARE(server.interrupt(), 0);
    QVERIFY(a.waitDisconnected());
    QCOMPARE(a.closeCode(), 1001);
    QVERIFY2(server.restart(), qPrintable(server.errorString()));
    QVERIFY2(b.connectWs(), qPrintable(b.lastError()));
    const auto sync = b.readSync(true);
    QVERIFY2(sync.ok, qPrintable(sync.error));
    QCOMPARE(sync.queued.size(), 1);
}

QTEST_GUILESS_MAIN(TstCrashRecovery)
#include "tst_crash_recovery.moc"
