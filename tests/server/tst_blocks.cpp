// Blocking, enforced by natterd: a blocked user's 1:1 messages are acknowledged but never reach
// the blocker, they see none of the blocker's presence or typing and get none of their keys;
// the list is shared by the blocker's devices, bounded, and bad requests change nothing.
#include "natterd_process.h"
#include "server_world.h"
#include "test_client.h"

#include "store/postgres/pg_connection.h"
#include "store/sqlite/sqlite_connection.h"

#include <QTest>

using namespace natter::test;

namespace {
QString blockPath(qint64 user) { return QStringLiteral("/api/blocks/%1").arg(user); }
QList<qint64> blockedBy(TestClient& c) {
    QList<qint64> out;
    const HttpResult r = c.request("GET", "/api/blocks");
    for (const auto& id : r.object().value("user_ids").toArray()) out.append(id.toInteger());
    return out;
}
FramePredicate from(const TestClient& sender) {
    const qint64 id = sender.userId();
    return [id](const QJsonObject& f) { return intField(f, "sender_id") == id; };
}
FramePredicate about(const TestClient& who) {
    const qint64 id = who.userId();
    return [id](const QJsonObject& f) { return intField(f, "user_id") == id; };
}
QJsonObject keysUpload() {
    return {{"registration_id", 4242},
            {"identity_key", b64("identity-A")},
            {"signed_prekey", QJsonObject{{"key_id", 7}, {"public_key", b64("spk")}, {"signature", b64("sig")}}},
            {"one_time_prekeys", QJsonArray{QJsonObject{{"key_id", 1}, {"public_key", b64("otk-1")}}}}};
}
} // namespace

class TstBlocks : public QObject {
    Q_OBJECT
private slots:
    void blockedSendersMessageIsAckedButReachesNoDeviceOfTheBlocker();
    void afterUnblockingLaterMessagesArriveAndWithheldOnesStayOutOfTheBlockersHistory();
    void blockedUserSeesNeitherPresenceNorTypingOfTheBlocker();
    void blockedUserGetsNoKeysOfTheBlockerAndTakesNoneOfItsPreKeys();
    void blockMadeOnOneDeviceIsAnnouncedToAndReadByTheOthers();
    void badBlockRequestsAreRefusedAndChangeNothing();
    void fullBlockListRefusesOneMoreAndKeepsItsEntries();
};

void TstBlocks::blockedSendersMessageIsAckedButReachesNoDeviceOfTheBlocker() {
    ServerWorld world;
    NATTER_WORLD(world, {"Ann", "Bob"}, ServerWorld::Sessions::None);
    TestClient &a1 = world.user("Ann"), &b1 = world.user("Bob");
    TestClient a2(world.server()), b2(world.server());
    QVERIFY2(a2.addDevice(phoneNumber(1)), qPrintable(a2.lastError())); // offline while B writes
    QVERIFY2(b2.addDevice(phoneNumber(2)), qPrintable(b2.lastError()));
    for (TestClient* c : {&a1, &b1, &b2}) NATTER_SESSION(*c);

    NATTER_HTTP(a1.request("PUT", blockPath(b1.userId())), 200);
    const auto sent = b1.sendTo(a1, "c-1", "hello?");
    NATTER_ACKED(sent, b1);
    QCOMPARE(sent->value("status").toString(), QStringLiteral("sent"));
    NATTER_TAKE(copy, b2, "message", from(b1)); // the sender's own devices keep their copy
    QCOMPARE(copy.value("client_msg_id").toString(), QStringLiteral("c-1"));
    NATTER_QUIET(a1, "message");

    QVERIFY2(a2.connectWs(), qPrintable(a2.lastError()));
    const auto sync = a2.readSync(true);
    QVERIFY2(sync.ok, qPrintable(sync.error));
    QCOMPARE(sync.queued.size(), 0);
    // The blocker's chat list shows nothing unread from them.
    const HttpResult chats = a1.request("GET", "/api/chats");
    for (const auto& chat : chats.object().value("chats").toArray())
        QCOMPARE(intField(chat.toObject(), "unread_count"), 0);
}

void TstBlocks::afterUnblockingLaterMessagesArriveAndWithheldOnesStayOutOfTheBlockersHistory() {
    ServerWorld world;
    NATTER_WORLD(world, {"Ann", "Bob"});
    TestClient &a = world.user("Ann"), &b = world.user("Bob");
    NATTER_HTTP(a.request("PUT", blockPath(b.userId())), 200);
    NATTER_ACKED(b.sendTo(a, "while-blocked", "one"), b);
    NATTER_HTTP(a.request("DELETE", blockPath(b.userId())), 204);
    NATTER_ACKED(b.sendTo(a, "after", "two"), b);
    NATTER_TAKE(arrived, a, "message", from(b));
    QCOMPARE(arrived.value("client_msg_id").toString(), QStringLiteral("after"));
    NATTER_QUIET(a, "message");
    // What was withheld stays out of the blocker's history, also after the unblock; the
    // sender's history keeps both.
    const QString path = "/api/chats/" + arrived.value("chat_id").toString() + "/messages";
    const auto idsIn = [](const HttpResult& r) {
        QStringList ids;
        for (const auto& m : r.object().value("messages").toArray()) ids << m.toObject().value("client_msg_id").toString();
        return ids;
    };
    QCOMPARE(idsIn(a.request("GET", path)), QStringList{"after"});
    QCOMPARE(idsIn(b.request("GET", path)), (QStringList{"while-blocked", "after"}));
}

void TstBlocks::blockedUserSeesNeitherPresenceNorTypingOfTheBlocker() {
    ServerWorld world;
    NATTER_WORLD(world, {"Ann", "Bob", "Cat"}, ServerWorld::Sessions::None);
    TestClient &a = world.user("Ann"), &b = world.user("Bob"), &c = world.user("Cat");
    QVERIFY(a.addContacts({&b, &c}));
    NATTER_SESSION(b);
    NATTER_SESSION(c);
    NATTER_HTTP(a.request("PUT", blockPath(b.userId())), 200);

    NATTER_SESSION(a);
    NATTER_TAKE(seenByOther, c, "presence", about(a)); // someone not blocked still sees it
    QCOMPARE(seenByOther.value("status").toString(), QStringLiteral("online"));
    NATTER_QUIET(b, "presence", about(a));
    const HttpResult asked = b.request("GET", QStringLiteral("/api/users/%1/presence").arg(a.userId()));
    NATTER_HTTP(asked, 200);
    QVERIFY2(!asked.object().contains("status") && !asked.object().contains("last_seen"), qPrintable(asked.describe()));

    a.send({{"type", "typing"}, {"chat_id", a.chatWith(c)}, {"state", "start"}});
    NATTER_TAKE(typing, c, "typing");
    a.send({{"type", "typing"}, {"chat_id", a.chatWith(b)}, {"state", "start"}});
    QVERIFY(a.pingPong()); // the typing notice was handled
    NATTER_QUIET(b, "typing");

    a.closeWs();
    NATTER_TAKE(offline, c, "presence", about(a));
    NATTER_QUIET(b, "presence", about(a));
}

void TstBlocks::blockedUserGetsNoKeysOfTheBlockerAndTakesNoneOfItsPreKeys() {
    ServerWorld world;
    NATTER_WORLD(world, {"Ann", "Bob", "Cat"}, ServerWorld::Sessions::None);
    TestClient &a = world.user("Ann"), &b = world.user("Bob"), &c = world.user("Cat");
    NATTER_HTTP(a.request("PUT", "/api/keys", keysUpload()), 200);
    NATTER_HTTP(a.request("PUT", blockPath(b.userId())), 200);

    const QString keys = QStringLiteral("/api/users/%1/keys").arg(a.userId());
    const HttpResult refused = b.request("GET", keys);
    NATTER_HTTP(refused, 200);
    QVERIFY2(refused.object().value("devices").toArray().isEmpty(), qPrintable(refused.describe()));
    NATTER_REFUSED(b.request("GET", keys + "?device_id=1"), 404, "not_found");
    // The one one-time pre-key is still there for someone who is not blocked.
    const HttpResult served = c.request("GET", keys);
    NATTER_HTTP(served, 200);
    const QJsonArray devices = served.object().value("devices").toArray();
    QCOMPARE(devices.size(), 1);
    QCOMPARE(intField(devices[0].toObject().value("one_time_prekey").toObject(), "key_id"), 1);
}

void TstBlocks::blockMadeOnOneDeviceIsAnnouncedToAndReadByTheOthers() {
    ServerWorld world;
    NATTER_WORLD(world, {"Ann", "Bob", "Cat"}, ServerWorld::Sessions::None);
    TestClient &a1 = world.user("Ann"), &b = world.user("Bob"), &c = world.user("Cat");
    TestClient a2(world.server());
    QVERIFY2(a2.addDevice(phoneNumber(1)), qPrintable(a2.lastError()));
    NATTER_SESSION(a1);
    NATTER_SESSION(a2);

    const HttpResult blocked = a1.request("PUT", blockPath(b.userId()));
    NATTER_HTTP(blocked, 200);
    QCOMPARE(blocked.object().value("user_ids").toArray(), (QJsonArray{b.userId()}));
    NATTER_TAKE(changed, a2, "blocks_changed");
    NATTER_QUIET(a1, "blocks_changed"); // the device that made the change knows
    QCOMPARE(blockedBy(a2), (QList<qint64>{b.userId()}));
    NATTER_HTTP(a2.request("PUT", blockPath(c.userId())), 200);
    NATTER_TAKE(changedAgain, a1, "blocks_changed");
    QCOMPARE(blockedBy(a1), (QList<qint64>{b.userId(), c.userId()}));
    NATTER_HTTP(a2.request("DELETE", blockPath(b.userId())), 204);
    NATTER_TAKE(unblocked, a1, "blocks_changed");
    QCOMPARE(blockedBy(a1), (QList<qint64>{c.userId()}));
}

void TstBlocks::badBlockRequestsAreRefusedAndChangeNothing() {
    ServerWorld world;
    NATTER_WORLD(world, {"Ann", "Bob"}, ServerWorld::Sessions::None);
    TestClient &a = world.user("Ann"), &b = world.user("Bob");
    NATTER_HTTP(a.request("PUT", blockPath(b.userId())), 200);

    NATTER_REFUSED(a.request("PUT", blockPath(99999)), 404, "not_found");
    NATTER_REFUSED(a.request("PUT", blockPath(a.userId())), 400, "invalid_field");
    NATTER_REFUSED(a.request("PUT", "/api/blocks/bob"), 404, "not_found");
    NATTER_REFUSED(a.request("DELETE", blockPath(99999)), 404, "not_found");
    NATTER_REFUSED(a.request("POST", "/api/blocks"), 405, "method_not_allowed");
    NATTER_REFUSED(a.rawRequest("GET", "/api/blocks", {}, false), 401, "unauthorized");
    QCOMPARE(blockedBy(a), (QList<qint64>{b.userId()}));
    QVERIFY(blockedBy(b).isEmpty());
}

void TstBlocks::fullBlockListRefusesOneMoreAndKeepsItsEntries() {
    constexpr int kMaxBlocked = 1000; // limits::kMaxBlockedUsers
    ServerWorld world;
    NATTER_WORLD(world, {"Ann", "Bob"}, ServerWorld::Sessions::None);
    TestClient &a = world.user("Ann"), &b = world.user("Bob");
    NatterdProcess& server = world.server();
    QCOMPARE(server.terminate(), 0);
    // A list filled to the limit (registering a thousand accounts would only test the
    // registration limits), on whichever engine natterd runs.
    const std::string fill = QStringLiteral("INSERT INTO blocks(owner_id, blocked_id, blocked_at) "
                                            "SELECT %1, 100000 + i, i FROM (%2) AS n")
                                 .arg(a.userId())
                                 .arg(server.store().startsWith("postgres")
                                          ? QStringLiteral("SELECT generate_series(0, %1) AS i").arg(kMaxBlocked - 1)
                                          : QStringLiteral("WITH RECURSIVE s(i) AS (SELECT 0 UNION ALL SELECT i + 1 "
                                                           "FROM s WHERE i < %1) SELECT i FROM s")
                                                .arg(kMaxBlocked - 1))
                                 .toStdString();
    if (server.store().startsWith("postgres"))
        natter::server::pg::Connection(server.store().toStdString(), "natter-test").exec(fill);
    else
        natter::server::sqlite::Connection((server.dataDir() + "/natterd.db").toStdString()).exec(fill);
    NATTER_START(server);
    const HttpResult full = a.request("PUT", blockPath(b.userId()));
    NATTER_REFUSED(full, 409, "conflict");
    QVERIFY2(full.object().value("message").toString().contains("full"), qPrintable(full.describe()));
    const QList<qint64> kept = blockedBy(a);
    QCOMPARE(kept.size(), kMaxBlocked);
    QVERIFY(!kept.contains(b.userId()));
    NATTER_HTTP(a.request("DELETE", blockPath(100000)), 204);
    NATTER_HTTP(a.request("PUT", blockPath(b.userId())), 200); // room again
}

QTEST_MAIN(TstBlocks)
#include "tst_blocks.moc"
