// Presence (online/offline/last seen) with privacy, heartbeats, replacement, typing.
#include "natterd_process.h"
#include "server_world.h"
#include "test_client.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QTemporaryDir>
#include <QTest>

using namespace natter::test;

namespace {
FramePredicate presenceOf(const TestClient& who, const QString& status) {
    const qint64 id = who.userId();
    return [id, status](const QJsonObject& f) {
        return f.value("user_id").toInteger() == id && f.value("status").toString() == status;
    };
}
FramePredicate anyPresenceOf(const TestClient& who) {
    const qint64 id = who.userId();
    return [id](const QJsonObject& f) { return f.value("user_id").toInteger() == id; };
}
bool setPrivacy(TestClient& c, const QJsonObject& settings) {
    const HttpResult r = c.request("PUT", "/api/settings/privacy", settings);
    return r.status == 200;
}
bool addContact(TestClient& owner, const TestClient& contact) { return owner.addContacts({&contact}); }
HttpResult presenceVia(TestClient& observer, const TestClient& subject) {
    return observer.request("GET", QStringLiteral("/api/users/%1/presence").arg(subject.userId()));
}
// Keeps `keepAlive` pinging while waiting (bounded) for `watched` to be disconnected.
bool waitDisconnectedWhilePinging(TestClient& watched, const QList<TestClient*>& keepAlive, int timeoutMs) {
    QDeadlineTimer deadline(timeoutMs);
    while (watched.isConnected() && !deadline.hasExpired()) {
        for (TestClient* c : keepAlive) c->pingPong(1000);
        watched.waitDisconnected(300); // returns as soon as it is closed; paces the pings meanwhile
    }
    return !watched.isConnected();
}
} // namespace

class TstPresence : public QObject {
    Q_OBJECT
private slots:
    void contactSeesOnlineOnConnectAndOfflineWithLastSeenOnDisconnect();
    void chatPartnerSeesPresenceWithDefaultPrivacy();
    void strangerWhoWroteFirstHearsPresenceOnlyOnceTheUserReadsTheirMessage();
    void userStaysOnlineUntilLastDeviceDisconnects();
    void lastSeenNobodyShowsStatusWithoutLastSeen();
    void onlineAndLastSeenNobodyTellsObserversNothing();
    void contactsVisibilityHidesPresenceFromPartnerWhoIsNoContact();
    void privacySettingsHaveDefaultsAndPartialUpdates();
    void silentConnectionIsClosedWith4001AndObserversSeeOffline();
    void pingKeepsConnectionAlivePastPresenceTimeout();
    void natterdRefusesToStartWithAHeartbeatIntervalNotBelowThePresenceTimeout();
    void secondConnectionOfSameDeviceReplacesFirstWith4000();
    void typingReachesPartnersOnlineDevicesOnlyAndIsNeverQueued();
    void typingFloodIsRateLimited();
};

void TstPresence::contactSeesOnlineOnConnectAndOfflineWithLastSeenOnDisconnect() {
    ServerWorld world;
    NATTER_WORLD(world, {"Ann", "Bob"}, ServerWorld::Sessions::None);
    TestClient &a = world.user("Ann"), &b = world.user("Bob");
    QVERIFY(addContact(a, b));
    NATTER_SESSION(b);

    const qint64 connectedAt = QDateTime::currentMSecsSinceEpoch();
    NATTER_SESSION(a);
    NATTER_TAKE(online, b, "presence", anyPresenceOf(a));
    QCOMPARE(online.value("status").toString(), QStringLiteral("online"));
    QVERIFY2(!online.contains("last_seen"), qPrintable(compact(online)));
    const HttpResult whileOnline = presenceVia(b, a);
    QVERIFY2(whileOnline.status == 200, qPrintable(whileOnline.describe()));
    QCOMPARE(whileOnline.object().value("status").toString(), QStringLiteral("online"));
    QVERIFY(!whileOnline.object().contains("last_seen"));

    a.closeWs();
    NATTER_TAKE(offline, b, "presence", anyPresenceOf(a));
    QCOMPARE(offline.value("status").toString(), QStringLiteral("offline"));
    QVERIFY2(offline.contains("last_seen"), qPrintable(compact(offline)));
    const qint64 lastSeen = intField(offline, "last_seen");
    QVERIFY2(lastSeen >= connectedAt - 1000 && lastSeen <= QDateTime::currentMSecsSinceEpoch() + 1000,
             qPrintable(QStringLiteral("last_seen %1 not between connect %2 and now").arg(lastSeen).arg(connectedAt)));

    const HttpResult r = presenceVia(b, a);
    QVERIFY2(r.status == 200, qPrintable(r.describe()));
    QCOMPARE(intField(r.object(), "user_id"), a.userId());
    QCOMPARE(r.object().value("status").toString(), QStringLiteral("offline"));
    QCOMPARE(intField(r.object(), "last_seen"), lastSeen);
}

void TstPresence::chatPartnerSeesPresenceWithDefaultPrivacy() {
    ServerWorld world;
    NATTER_WORLD(world, {"Ann", "Cid"}, ServerWorld::Sessions::None);
    TestClient &a = world.user("Ann"), &c = world.user("Cid");
    NATTER_SESSION(c);
    NATTER_SESSION(a);
    QVERIFY(a.sendTo(c, "hi", "hi")); // a 1:1 chat A wrote in; neither has the other in contacts
    a.closeWs();
    NATTER_TAKE(first, c, "presence", presenceOf(a, "offline"));
    QVERIFY2(a.connectWs(), qPrintable(a.lastError()));
    QVERIFY(a.readSync(true).ok);
    NATTER_TAKE(online, c, "presence", presenceOf(a, "online"));
    a.closeWs();
    NATTER_TAKE(offline, c, "presence", presenceOf(a, "offline"));
    QVERIFY2(offline.contains("last_seen"), qPrintable(compact(offline)));
}

// A message request: the stranger wrote first and the user has neither read nor answered it.
void TstPresence::strangerWhoWroteFirstHearsPresenceOnlyOnceTheUserReadsTheirMessage() {
    ServerWorld world;
    NATTER_WORLD(world, {"Ann", "Cid"}, ServerWorld::Sessions::None);
    TestClient &a = world.user("Ann"), &c = world.user("Cid");
    NATTER_SESSION(c);
    const auto sent = c.sendTo(a, "hi", "hi");
    QVERIFY(sent);
    const qint64 messageId = sent->value("message_id").toInteger();
    QVERIFY2(a.connectWs(), qPrintable(a.lastError()));
    QVERIFY(a.readSync(true).ok); // delivered, not read
    QVERIFY2(c.expectNo("presence", 500, anyPresenceOf(a)), qPrintable(c.describePending()));
    a.closeWs();
    QVERIFY2(c.expectNo("presence", 500, anyPresenceOf(a)), qPrintable(c.describePending()));

    QVERIFY2(a.connectWs(), qPrintable(a.lastError()));
    QVERIFY(a.readSync(true).ok);
    a.ackRead(messageId); // accepted: the held-back read receipt goes
    NATTER_TAKE(read, c, "receipt", [](const QJsonObject& f) { return f.value("status").toString() == "read"; });
    a.closeWs();
    NATTER_TAKE(offline, c, "presence", presenceOf(a, "offline"));
    QVERIFY2(offline.contains("last_seen"), qPrintable(compact(offline)));
}

void TstPresence::userStaysOnlineUntilLastDeviceDisconnects() {
    ServerWorld world;
    NATTER_WORLD(world, {"Ann", "Bob"}, ServerWorld::Sessions::None);
    TestClient &phone = world.user("Ann"), &b = world.user("Bob");
    TestClient laptop(world.server());
    QVERIFY2(laptop.addDevice(phoneNumber(1)), qPrintable(laptop.lastError()));
    QVERIFY(addContact(phone, b));
    NATTER_SESSION(b);

    NATTER_SESSION(phone);
    QVERIFY(b.waitFor("presence", presenceOf(phone, "online")));
    NATTER_SESSION(laptop); // already online: nothing new
    QVERIFY2(b.expectNo("presence", 500, anyPresenceOf(phone)), qPrintable(b.describePending()));
    phone.closeWs(); // the laptop is still connected
    QVERIFY2(b.expectNo("presence", 1000, anyPresenceOf(phone)), qPrintable(b.describePending()));
    QCOMPARE(presenceVia(b, phone).object().value("status").toString(), QStringLiteral("online"));
    laptop.closeWs();
    NATTER_TAKE(offline, b, "presence", anyPresenceOf(phone));
    QCOMPARE(offline.value("status").toString(), QStringLiteral("offline"));

    const HttpResult unknown = b.request("GET", QStringLiteral("/api/users/%1/presence").arg(b.userId() + 1000));
    QVERIFY2(unknown.status == 404, qPrintable(unknown.describe()));
    QCOMPARE(unknown.errorCode(), QStringLiteral("not_found"));
}

void TstPresence::lastSeenNobodyShowsStatusWithoutLastSeen() {
    ServerWorld world;
    NATTER_WORLD(world, {"Ann", "Bob"}, ServerWorld::Sessions::None);
    TestClient &a = world.user("Ann"), &b = world.user("Bob");
    QVERIFY(addContact(a, b));
    QVERIFY(setPrivacy(a, {{"last_seen", "nobody"}}));
    NATTER_SESSION(b);
    NATTER_SESSION(a);
    NATTER_TAKE(online, b, "presence", presenceOf(a, "online"));
    a.closeWs();
    NATTER_TAKE(offline, b, "presence", presenceOf(a, "offline"));
    QVERIFY2(!offline.contains("last_seen"), qPrintable(compact(offline)));
    const HttpResult r = presenceVia(b, a);
    QCOMPARE(r.object().value("status").toString(), QStringLiteral("offline"));
    QVERIFY2(!r.object().contains("last_seen"), qPrintable(r.describe()));
}

void TstPresence::onlineAndLastSeenNobodyTellsObserversNothing() {
    ServerWorld world;
    NATTER_WORLD(world, {"Ann", "Bob"}, ServerWorld::Sessions::None);
    TestClient &a = world.user("Ann"), &b = world.user("Bob");
    QVERIFY(addContact(a, b));
    QVERIFY(setPrivacy(a, {{"last_seen", "nobody"}, {"online", "nobody"}}));
    NATTER_SESSION(b);
    NATTER_SESSION(a);
    // A's message is sent after A's connect was announced (if it were): B gets it after any presence.
    QVERIFY(a.sendTo(b, "sentinel", "x"));
    QVERIFY(b.waitFor("message"));
    QVERIFY2(b.expectNo("presence", 300), qPrintable(b.describePending()));
    a.closeWs();
    QVERIFY2(b.expectNo("presence", 1500), qPrintable(b.describePending()));
    const HttpResult r = presenceVia(b, a);
    QVERIFY2(r.status == 200, qPrintable(r.describe()));
    QVERIFY2(!r.object().contains("status") && !r.object().contains("last_seen"), qPrintable(r.describe()));
}

void TstPresence::contactsVisibilityHidesPresenceFromPartnerWhoIsNoContact() {
    ServerWorld world;
    NATTER_WORLD(world, {"Ann", "Bob", "Cid"}, ServerWorld::Sessions::None);
    TestClient &a = world.user("Ann"), &b = world.user("Bob"), &c = world.user("Cid");
    QVERIFY(addContact(a, b));
    QVERIFY(setPrivacy(a, {{"last_seen", "contacts"}, {"online", "contacts"}}));
    NATTER_SESSION(b);
    NATTER_SESSION(c);
    QVERIFY(c.sendTo(a, "hi", "hi")); // C is A's 1:1 partner, not A's contact

    QVERIFY2(a.connectWs(), qPrintable(a.lastError()));
    QVERIFY(a.readSync(true).ok);
    NATTER_TAKE(online, b, "presence", presenceOf(a, "online"));
    QVERIFY2(c.expectNo("presence", 500, anyPresenceOf(a)), qPrintable(c.describePending()));
    a.closeWs();
    NATTER_TAKE(offline, b, "presence", presenceOf(a, "offline"));
    QVERIFY2(offline.contains("last_seen"), qPrintable(compact(offline)));
    QVERIFY2(c.expectNo("presence", 500, anyPresenceOf(a)), qPrintable(c.describePending()));

    const HttpResult forB = presenceVia(b, a);
    QCOMPARE(forB.object().value("status").toString(), QStringLiteral("offline"));
    QVERIFY2(forB.object().contains("last_seen"), qPrintable(forB.describe()));
    const HttpResult forC = presenceVia(c, a);
    QVERIFY2(forC.status == 200, qPrintable(forC.describe()));
    QVERIFY2(!forC.object().contains("status") && !forC.object().contains("last_seen"), qPrintable(forC.describe()));
}

void TstPresence::privacySettingsHaveDefaultsAndPartialUpdates() {
    ServerWorld world;
    NATTER_WORLD(world, {"Ann"}, ServerWorld::Sessions::None);
    TestClient& a = world.user("Ann");
    const HttpResult get = a.request("GET", "/api/settings/privacy");
    QVERIFY2(get.status == 200, qPrintable(get.describe()));
    QCOMPARE(get.object().value("last_seen").toString(), QStringLiteral("everyone"));
    QCOMPARE(get.object().value("online").toString(), QStringLiteral("everyone"));
    QCOMPARE(get.object().value("read_receipts").toBool(false), true);

    const HttpResult put = a.request("PUT", "/api/settings/privacy", QJsonObject{{"online", "contacts"}});
    QVERIFY2(put.status == 200, qPrintable(put.describe()));
    QCOMPARE(put.object().value("online").toString(), QStringLiteral("contacts"));
    QCOMPARE(put.object().value("last_seen").toString(), QStringLiteral("everyone"));
    QCOMPARE(put.object().value("read_receipts").toBool(false), true);

    const HttpResult bad = a.request("PUT", "/api/settings/privacy", QJsonObject{{"online", "friends"}});
    QVERIFY2(bad.status == 400, qPrintable(bad.describe()));
    QCOMPARE(bad.errorCode(), QStringLiteral("invalid_field"));
    QCOMPARE(a.request("GET", "/api/settings/privacy").object().value("online").toString(), QStringLiteral("contacts"));
}

void TstPresence::silentConnectionIsClosedWith4001AndObserversSeeOffline() {
    ServerWorld world({"--presence-timeout", "2", "--heartbeat-interval", "1"});
    NATTER_WORLD(world, {"Ann", "Bob"}, ServerWorld::Sessions::None);
    TestClient &a = world.user("Ann"), &b = world.user("Bob");
    QVERIFY(addContact(a, b));
    NATTER_SESSION(b);
    NATTER_SESSION(a);
    QVERIFY(b.waitFor("presence", presenceOf(a, "online")));

    // A says nothing from now on; B keeps itself alive.
    QVERIFY2(waitDisconnectedWhilePinging(a, {&b}, 10000), "silent connection still open 10 s after a 2 s presence timeout");
    QCOMPARE(a.closeCode(), 4001);
    QVERIFY2(b.isConnected(), qPrintable(QStringLiteral("pinging observer was closed too: %1").arg(b.closeCode())));
    NATTER_TAKE(offline, b, "presence", presenceOf(a, "offline"));
    QVERIFY(offline.contains("last_seen"));
}

void TstPresence::pingKeepsConnectionAlivePastPresenceTimeout() {
    ServerWorld world({"--presence-timeout", "2", "--heartbeat-interval", "1"});
    NATTER_WORLD(world, {"Ann", "Bob"}, ServerWorld::Sessions::None);
    TestClient &a = world.user("Ann"), &b = world.user("Bob");
    QVERIFY(addContact(a, b));
    NATTER_SESSION(b);
    NATTER_SESSION(a);
    QVERIFY(b.waitFor("presence", presenceOf(a, "online")));

    // A witness that connects after A and says nothing: natterd closing it shows the presence
    // timeout has passed for A too, whom only its pings kept open.
    TestClient witness(world.server());
    NATTER_SIGNUP(witness, phoneNumber(3), "Wit");
    NATTER_SESSION(witness);
    QVERIFY2(waitDisconnectedWhilePinging(witness, {&a, &b}, 10000), "silent witness still open 10 s after a 2 s presence timeout");
    QCOMPARE(witness.closeCode(), 4001);
    QVERIFY2(a.pingPong(), qPrintable(QStringLiteral("no pong (close code %1)").arg(a.closeCode())));
    QVERIFY(b.pingPong());
    QVERIFY2(b.expectNo("presence", 0, presenceOf(a, "offline")), qPrintable(b.describePending()));

    // Control: once A stops pinging, the timeout applies.
    QVERIFY2(waitDisconnectedWhilePinging(a, {&b}, 10000), "silent connection not closed");
    QCOMPARE(a.closeCode(), 4001);
}

// Clients ping at the heartbeat interval: a presence timeout at or below it would take users
// offline who are alive, so natterd refuses such a configuration with one clear line.
void TstPresence::natterdRefusesToStartWithAHeartbeatIntervalNotBelowThePresenceTimeout() {
    QTemporaryDir dataDir;
    for (const QStringList& flags : {QStringList{"--presence-timeout", "2"},
                                     QStringList{"--presence-timeout", "10", "--heartbeat-interval", "10"}}) {
        const ProcessOutcome out =
            NatterdProcess::runOnce(QStringList{"--listen", "127.0.0.1:0", "--data-dir", dataDir.path()} + flags);
        QVERIFY2(out.finished && out.exitStatus == QProcess::NormalExit, qPrintable(flags.join(' ')));
        QCOMPARE(out.exitCode, 2);
        QCOMPARE(out.standardError.count('\n'), 1);
        QVERIFY2(out.standardError.contains("--heartbeat-interval") && out.standardError.contains("--presence-timeout"),
                 out.standardError.constData());
    }
    QVERIFY(QDir(dataDir.path()).isEmpty()); // refused before anything was created
    NatterdProcess fine({"--presence-timeout", "10", "--heartbeat-interval", "9"});
    NATTER_START(fine);
}

void TstPresence::secondConnectionOfSameDeviceReplacesFirstWith4000() {
    ServerWorld world;
    NATTER_WORLD(world, {"Ann", "Bob"}, ServerWorld::Sessions::None);
    TestClient &first = world.user("Ann"), &b = world.user("Bob");
    TestClient second(world.server());
    second.adoptCredentials(first);
    NATTER_SESSION(first);
    NATTER_SESSION(b);
    NATTER_SESSION(second);
    QVERIFY2(first.waitDisconnected(), "first connection still open after the same device connected again");
    QCOMPARE(first.closeCode(), 4000);
    QVERIFY(second.pingPong());
    QVERIFY(b.sendTo(first, "to-new", "x"));
    NATTER_TAKE(m, second, "message");
    QCOMPARE(m.value("client_msg_id").toString(), QStringLiteral("to-new"));
}

void TstPresence::typingReachesPartnersOnlineDevicesOnlyAndIsNeverQueued() {
    ServerWorld world;
    NATTER_WORLD(world, {"Ann", "Bob"}, ServerWorld::Sessions::None);
    TestClient &a1 = world.user("Ann"), &b1 = world.user("Bob");
    TestClient a2(world.server()), b2(world.server());
    QVERIFY2(a2.addDevice(phoneNumber(1)), qPrintable(a2.lastError()));
    QVERIFY2(b2.addDevice(phoneNumber(2)), qPrintable(b2.lastError())); // stays offline for now
    for (TestClient* c : {&a1, &a2, &b1}) NATTER_SESSION(*c);
    QVERIFY(a1.sendTo(b1, "hi", "hi"));
    const QString chat = a1.chatWith(b1);

    a1.send({{"type", "typing"}, {"chat_id", chat}, {"state", "start"}});
    NATTER_TAKE(start, b1, "typing");
    QCOMPARE(start.value("chat_id").toString(), chat);
    QCOMPARE(intField(start, "user_id"), a1.userId());
    QCOMPARE(intField(start, "device_id"), 1);
    QCOMPARE(start.value("state").toString(), QStringLiteral("start"));
    a1.send({{"type", "typing"}, {"chat_id", chat}, {"state", "stop"}});
    NATTER_TAKE(stop, b1, "typing");
    QCOMPARE(stop.value("state").toString(), QStringLiteral("stop"));
    QVERIFY2(a2.expectNo("typing", 300), qPrintable(a2.describePending()));
    QVERIFY2(a1.expectNo("typing", 0), qPrintable(a1.describePending()));

    // B's other device comes online later: it gets the queued message but no typing.
    QVERIFY2(b2.connectWs(), qPrintable(b2.lastError()));
    const auto sync = b2.readSync(true);
    QVERIFY2(sync.ok, qPrintable(sync.error));
    QCOMPARE(sync.queued.size(), 1);
    QVERIFY2(b2.expectNo("typing", 1000), qPrintable(b2.describePending()));
}

void TstPresence::typingFloodIsRateLimited() {
    ServerWorld world;
    NATTER_WORLD(world, {"Ann", "Bob"});
    TestClient &a = world.user("Ann"), &b = world.user("Bob");
    const QString chat = a.chatWith(b);
    constexpr int kBurst = 20; // default typing rate: 5 per second
    for (int i = 0; i < kBurst; ++i)
        a.send({{"type", "typing"}, {"id", QStringLiteral("t%1").arg(i)}, {"chat_id", chat}, {"state", i % 2 ? "stop" : "start"}});
    QVERIFY(a.pingPong()); // all 20 passed the rate check (answered inline) before the pong

    int limited = 0;
    for (const QJsonObject& f : a.pending())
        if (f.value("type") == "error") {
            QCOMPARE(f.value("code").toString(), QStringLiteral("rate_limited"));
            QVERIFY2(f.value("ref").toString().startsWith('t'), qPrintable(compact(f)));
            ++limited;
        }
    QVERIFY2(limited > 0, "no rate_limited error for 20 typing notices at once");
    // Every notice that was not refused reaches B: the relay runs after a block check in the
    // store worker, so it may land after both pongs.
    const int relayed = kBurst - limited;
    const auto frames = b.waitForCount("typing", relayed);
    QVERIFY2(frames, qPrintable(QStringLiteral("%1 of %2 typing frames relayed; B has: %3")
                                    .arg(relayed).arg(kBurst).arg(b.describePending())));
    QVERIFY2(b.expectNo("typing", 200), qPrintable(b.describePending()));
    QVERIFY2(relayed <= 10, qPrintable(QStringLiteral("%1 of %2 typing frames relayed at 5/s").arg(relayed).arg(kBurst)));
}

QTEST_GUILESS_MAIN(TstPresence)
#include "tst_presence.moc"
