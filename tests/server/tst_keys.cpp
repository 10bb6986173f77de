// Key directory: uploads, bundles that consume one-time pre-keys (also under concurrency),
// prekeys_low warnings, identity key changes announced to chat partners, and bad uploads.
#include "http_batch.h"
#include "natterd_process.h"
#include "server_world.h"
#include "test_client.h"

#include <QTest>

using namespace natter::test;

namespace {
QJsonObject oneTimeKey(int id) { return {{"key_id", id}, {"public_key", b64("otk-" + QByteArray::number(id))}}; }
QJsonArray oneTimeKeys(int from, int to) {
    QJsonArray out;
    for (int id = from; id <= to; ++id) out.append(oneTimeKey(id));
    return out;
}
QJsonObject signedKey(int id) {
    return {{"key_id", id}, {"public_key", b64("spk-" + QByteArray::number(id))}, {"signature", b64("sig-" + QByteArray::number(id))}};
}
// PUT /api/keys body.
QJsonObject keysUpload(const QByteArray& identity, const QJsonArray& otks, int registrationId = 4242, int signedId = 7) {
    return {{"registration_id", registrationId}, {"identity_key", b64(identity)}, {"signed_prekey", signedKey(signedId)},
            {"one_time_prekeys", otks}};
}
QString keysPath(qint64 user, const QString& query = {}) { return QStringLiteral("/api/users/%1/keys%2").arg(user).arg(query); }
qint64 remainingKeys(TestClient& c) { return intField(c.request("GET", "/api/keys/status").object(), "one_time_prekeys"); }
FramePredicate aboutDevice(qint64 user, qint64 device) {
    return [user, device](const QJsonObject& f) { return intField(f, "user_id") == user && intField(f, "device_id") == device; };
}
} // namespace

class TstKeys : public QObject {
    Q_OBJECT
private slots:
    void uploadedKeysAreServedInBundlesThatConsumeOneOneTimeKeyEach();
    void concurrentFetchesNeverServeAOneTimeKeyTwice();
    void exhaustedDeviceIsServedWithoutAOneTimeKey();
    void oneAccountFetchingRepeatedlyCannotDrainADeviceAndTheDeviceIsWarned();
    void fetchLeavingFewerThanTheThresholdWarnsTheDeviceAndSoDoesConnecting();
    void identityChangeIsQueuedForEveryPartnerDeviceUntilAcknowledged();
    void identityChangeDropsTheOldOneTimeKeys();
    void identityChangeIsNotAnnouncedToTheUsersOwnOtherDevices();
    void deviceIdFilterServesOnlyThatDevice();
    void unknownUserHasNoKeys();
    void malformedUploadsAreRefusedAndStoreNothing();
};

void TstKeys::uploadedKeysAreServedInBundlesThatConsumeOneOneTimeKeyEach() {
    ServerWorld world;
    NATTER_WORLD(world, {"Ann", "Bob"}, ServerWorld::Sessions::None);
    TestClient &a = world.user("Ann"), &b = world.user("Bob");

    const HttpResult up = a.request("PUT", "/api/keys", keysUpload("identity-A", oneTimeKeys(11, 15)));
    NATTER_HTTP(up, 200);
    QCOMPARE(intField(up.object(), "one_time_prekeys"), 5);
    QCOMPARE(intField(up.object(), "low_threshold"), 10);

    const HttpResult got = b.request("GET", keysPath(a.userId()));
    NATTER_HTTP(got, 200);
    QCOMPARE(intField(got.object(), "user_id"), a.userId());
    const QJsonArray devices = got.object().value("devices").toArray();
    QCOMPARE(devices.size(), 1);
    const QJsonObject bundle = devices.at(0).toObject();
    QCOMPARE(intField(bundle, "device_id"), 1);
    QCOMPARE(intField(bundle, "registration_id"), 4242);
    QCOMPARE(bundle.value("identity_key").toString(), b64("identity-A"));
    QCOMPARE(bundle.value("signed_prekey").toObject(), signedKey(7));
    QCOMPARE(bundle.value("one_time_prekey").toObject(), oneTimeKey(11)); // lowest key_id first
    QCOMPARE(remainingKeys(a), 4);
    QCOMPARE(b.request("GET", keysPath(a.userId())).object().value("devices").toArray().at(0).toObject().value("one_time_prekey").toObject(),
             oneTimeKey(12));
    QCOMPARE(remainingKeys(a), 3);

    // Rotation and top-up.
    const HttpResult rotated = a.request("PUT", "/api/keys/signed", signedKey(8));
    NATTER_HTTP(rotated, 200);
    QCOMPARE(intField(rotated.object(), "one_time_prekeys"), 3);
    const HttpResult topped = a.request("POST", "/api/keys/one-time", QJsonObject{{"one_time_prekeys", oneTimeKeys(1, 4)}});
    NATTER_HTTP(topped, 200);
    QCOMPARE(intField(topped.object(), "one_time_prekeys"), 7);
    const QJsonObject next = b.request("GET", keysPath(a.userId())).object().value("devices").toArray().at(0).toObject();
    QCOMPARE(next.value("signed_prekey").toObject(), signedKey(8));
    QCOMPARE(next.value("one_time_prekey").toObject(), oneTimeKey(1));
    QCOMPARE(next.value("identity_key").toString(), b64("identity-A"));
    QCOMPARE(remainingKeys(a), 6);
}

void TstKeys::concurrentFetchesNeverServeAOneTimeKeyTwice() {
    ServerWorld world({"--prekeys-per-requester", "100"}); // 20 fetches per account
    NATTER_WORLD(world, {"Ann", "Bob", "Cid", "Dan"}, ServerWorld::Sessions::None);
    TestClient &a = world.user("Ann"), &b = world.user("Bob"), &c = world.user("Cid"), &d = world.user("Dan");
    NATTER_HTTP(a.request("PUT", "/api/keys", keysUpload("identity-A", oneTimeKeys(1, 50))), 200);

    QList<HttpCall> calls;
    const QList<TestClient*> fetchers{&b, &c, &d};
    for (int i = 0; i < 60; ++i) calls.append({"GET", keysPath(a.userId()), {}, fetchers.at(i % 3)->accessToken()});
    const auto results = runConcurrently(world.server(), calls, 10);
    QList<qint64> served;
    int without = 0;
    for (const HttpResult& r : results) {
        NATTER_HTTP(r, 200);
        const QJsonObject bundle = r.object().value("devices").toArray().at(0).toObject();
        QCOMPARE(bundle.value("identity_key").toString(), b64("identity-A"));
        if (bundle.contains("one_time_prekey"))
            served << bundle.value("one_time_prekey").toObject().value("key_id").toInteger();
        else
            ++without;
    }
    std::sort(served.begin(), served.end());
    QCOMPARE(served, range(1, 50)); // each key exactly once
    QCOMPARE(without, 10);
    QCOMPARE(remainingKeys(a), 0);
}

void TstKeys::exhaustedDeviceIsServedWithoutAOneTimeKey() {
    ServerWorld world;
    NATTER_WORLD(world, {"Ann", "Bob"}, ServerWorld::Sessions::None);
    TestClient &a = world.user("Ann"), &b = world.user("Bob");
    NATTER_HTTP(a.request("PUT", "/api/keys", keysUpload("identity-A", oneTimeKeys(1, 1))), 200);
    const QJsonObject first = b.request("GET", keysPath(a.userId())).object().value("devices").toArray().at(0).toObject();
    QCOMPARE(first.value("one_time_prekey").toObject(), oneTimeKey(1));
    const HttpResult second = b.request("GET", keysPath(a.userId()));
    NATTER_HTTP(second, 200);
    const QJsonObject bundle = second.object().value("devices").toArray().at(0).toObject();
    QVERIFY2(!bundle.contains("one_time_prekey") || bundle.value("one_time_prekey").isNull(), qPrintable(second.describe()));
    QCOMPARE(bundle.value("identity_key").toString(), b64("identity-A"));
    QCOMPARE(bundle.value("signed_prekey").toObject(), signedKey(7));
    QCOMPARE(remainingKeys(a), 0);
}

void TstKeys::oneAccountFetchingRepeatedlyCannotDrainADeviceAndTheDeviceIsWarned() {
    ServerWorld world; // 10 one-time keys per account and device per hour, warned below 10
    NATTER_WORLD(world, {"Ann", "Mallory", "Cid"}, ServerWorld::Sessions::None);
    TestClient &a = world.user("Ann"), &mallory = world.user("Mallory"), &c = world.user("Cid");
    NATTER_HTTP(a.request("PUT", "/api/keys", keysUpload("identity-A", oneTimeKeys(1, 20))), 200);
    NATTER_SESSION(a);

    int withKey = 0;
    for (int i = 0; i < 25; ++i) {
        const HttpResult r = mallory.request("GET", keysPath(a.userId()));
        NATTER_HTTP(r, 200); // never refused: a session can always be set up
        const QJsonObject bundle = r.object().value("devices").toArray().at(0).toObject();
        QCOMPARE(bundle.value("identity_key").toString(), b64("identity-A"));
        if (bundle.contains("one_time_prekey")) ++withKey;
    }
    QCOMPARE(withKey, 10);
    QCOMPARE(remainingKeys(a), 10);
    NATTER_TAKE(drained, a, "prekeys_low");
    QCOMPARE(drained.value("abnormal_drain").toBool(), true);
    QCOMPARE(intField(drained, "remaining"), 10);
    NATTER_QUIET(a, "prekeys_low"); // once, not once per fetch

    // Someone else setting up a session still gets a one-time key.
    const QJsonObject cids = c.request("GET", keysPath(a.userId())).object().value("devices").toArray().at(0).toObject();
    QCOMPARE(cids.value("one_time_prekey").toObject(), oneTimeKey(11));
    NATTER_TAKE(low, a, "prekeys_low");
    QCOMPARE(intField(low, "remaining"), 9);
    QVERIFY2(!low.contains("abnormal_drain"), qPrintable(compact(low)));
}

void TstKeys::fetchLeavingFewerThanTheThresholdWarnsTheDeviceAndSoDoesConnecting() {
    ServerWorld world({"--prekey-low-threshold", "3"});
    NATTER_WORLD(world, {"Ann", "Bob"}, ServerWorld::Sessions::None);
    TestClient &a = world.user("Ann"), &b = world.user("Bob");
    QCOMPARE(intField(b.request("GET", "/api/config").object(), "prekey_low_threshold"), 3);
    NATTER_SESSION(a);
    NATTER_QUIET(a, "prekeys_low"); // no keys published yet: nothing to warn about
    const HttpResult up = a.request("PUT", "/api/keys", keysUpload("identity-A", oneTimeKeys(1, 4)));
    NATTER_HTTP(up, 200);
    QCOMPARE(intField(up.object(), "low_threshold"), 3);

    NATTER_HTTP(b.request("GET", keysPath(a.userId())), 200); // 3 left: not below the threshold
    NATTER_QUIET(a, "prekeys_low");
    NATTER_HTTP(b.request("GET", keysPath(a.userId())), 200); // 2 left
    NATTER_TAKE(low, a, "prekeys_low");
    QCOMPARE(intField(low, "remaining"), 2);
    QCOMPARE(intField(low, "threshold"), 3);
    NATTER_HTTP(b.request("GET", keysPath(a.userId())), 200); // 1 left
    NATTER_TAKE(lower, a, "prekeys_low");
    QCOMPARE(intField(lower, "remaining"), 1);

    // Right after connecting, while still low.
    a.closeWs();
    QVERIFY2(a.connectWs(), qPrintable(a.lastError()));
    NATTER_TAKE(onConnect, a, "prekeys_low");
    QCOMPARE(intField(onConnect, "remaining"), 1);
    QCOMPARE(intField(onConnect, "threshold"), 3);
    // Topped up: connecting is quiet again.
    NATTER_HTTP(a.request("POST", "/api/keys/one-time", QJsonObject{{"one_time_prekeys", oneTimeKeys(10, 19)}}), 200);
    a.closeWs();
    QVERIFY2(a.connectWs(), qPrintable(a.lastError()));
    const auto sync = a.readSync(false);
    QVERIFY2(sync.ok, qPrintable(sync.error));
    NATTER_QUIET(a, "prekeys_low");
}

void TstKeys::identityChangeIsQueuedForEveryPartnerDeviceUntilAcknowledged() {
    ServerWorld world;
    // Cid shares no chat with Ann, Dan shares a group with her.
    NATTER_WORLD(world, {"Ann", "Bob", "Cid", "Dan"}, ServerWorld::Sessions::None);
    TestClient &a = world.user("Ann"), &b1 = world.user("Bob"), &c = world.user("Cid"), &d = world.user("Dan");
    TestClient b2(world.server());
    QVERIFY2(b2.addDevice(phoneNumber(2)), qPrintable(b2.lastError()));
    for (TestClient* x : {&a, &b1, &c, &d}) NATTER_SESSION(*x);
    NATTER_ACKED(a.sendTo(b1, "hi", "hi"), a);
    NATTER_HTTP(a.createGroup("g", {d.userId()}), 200);

    NATTER_HTTP(a.request("PUT", "/api/keys", keysUpload("identity-1", oneTimeKeys(1, 3))), 200); // first upload
    NATTER_HTTP(a.request("PUT", "/api/keys", keysUpload("identity-1", oneTimeKeys(4, 5))), 200); // same key again
    for (TestClient* x : {&b1, &c, &d}) NATTER_QUIET(*x, "identity_changed");

    const qint64 before = QDateTime::currentMSecsSinceEpoch();
    NATTER_HTTP(a.request("PUT", "/api/keys", keysUpload("identity-2", oneTimeKeys(6, 7))), 200);
    for (TestClient* x : {&b1, &d}) {
        NATTER_TAKE(ev, *x, "identity_changed", aboutDevice(a.userId(), a.deviceId()));
        QVERIFY(intField(ev, "event_id") > 0);
        QVERIFY(intField(ev, "timestamp") >= before - 60000);
        x->eventAck(intField(ev, "event_id"));
    }
    NATTER_QUIET(c, "identity_changed");

    // Offline B2 gets it on every reconnect until it confirms it.
    qint64 eventId = 0;
    for (int round = 0; round < 2; ++round) {
        QVERIFY2(b2.connectWs(), qPrintable(b2.lastError()));
        const auto sync = b2.readSync(true);
        QVERIFY2(sync.ok, qPrintable(sync.error));
        QList<QJsonObject> events;
        for (const QJsonObject& f : sync.queued)
            if (f.value("type") == "identity_changed") events << f;
        QVERIFY2(events.size() == 1, qPrintable(QStringLiteral("round %1: %2 identity_changed frames").arg(round).arg(events.size())));
        QVERIFY(aboutDevice(a.userId(), a.deviceId())(events.first()));
        eventId = intField(events.first(), "event_id");
        b2.closeWs();
    }
    QVERIFY2(b2.connectWs(), qPrintable(b2.lastError()));
    QVERIFY2(b2.readSync(true).ok, "sync");
    b2.eventAck(eventId);
    QVERIFY(b2.pingPong());
    b2.closeWs();
    for (TestClient* x : {&b1, &b2}) { // confirmed: gone for good
        x->closeWs();
        QVERIFY2(x->connectWs(), qPrintable(x->lastError()));
        const auto sync = x->readSync(true);
        QVERIFY2(sync.ok, qPrintable(sync.error));
        for (const QJsonObject& f : sync.queued) QVERIFY2(f.value("type") != "identity_changed", qPrintable(compact(f)));
    }
}

void TstKeys::identityChangeDropsTheOldOneTimeKeys() {
    ServerWorld world;
    NATTER_WORLD(world, {"Ann", "Bob"}, ServerWorld::Sessions::None);
    TestClient &a = world.user("Ann"), &b = world.user("Bob");
    NATTER_HTTP(a.request("PUT", "/api/keys", keysUpload("identity-1", oneTimeKeys(1, 5))), 200);
    const HttpResult changed = a.request("PUT", "/api/keys", keysUpload("identity-2", oneTimeKeys(100, 101), 5151, 9));
    NATTER_HTTP(changed, 200);
    QCOMPARE(intField(changed.object(), "one_time_prekeys"), 2);
    const QJsonObject bundle = b.request("GET", keysPath(a.userId())).object().value("devices").toArray().at(0).toObject();
    QCOMPARE(bundle.value("identity_key").toString(), b64("identity-2"));
    QCOMPARE(intField(bundle, "registration_id"), 5151);
    QCOMPARE(bundle.value("signed_prekey").toObject(), signedKey(9));
    QCOMPARE(bundle.value("one_time_prekey").toObject(), oneTimeKey(100));
    QCOMPARE(remainingKeys(a), 1);
}

void TstKeys::identityChangeIsNotAnnouncedToTheUsersOwnOtherDevices() {
    ServerWorld world;
    NATTER_WORLD(world, {"Ann", "Bob"}, ServerWorld::Sessions::None);
    TestClient &a1 = world.user("Ann"), &b = world.user("Bob");
    TestClient a2(world.server());
    QVERIFY2(a2.addDevice(phoneNumber(1)), qPrintable(a2.lastError()));
    for (TestClient* x : {&a1, &a2, &b}) NATTER_SESSION(*x);
    NATTER_ACKED(a1.sendTo(b, "hi", "hi"), a1);
    NATTER_HTTP(a1.request("PUT", "/api/keys", keysUpload("identity-1", oneTimeKeys(1, 2))), 200);
    NATTER_HTTP(a1.request("PUT", "/api/keys", keysUpload("identity-2", oneTimeKeys(3, 4))), 200);
    NATTER_TAKE(ev, b, "identity_changed", aboutDevice(a1.userId(), 1));
    for (TestClient* x : {&a1, &a2}) NATTER_QUIET(*x, "identity_changed");
}

void TstKeys::deviceIdFilterServesOnlyThatDevice() {
    ServerWorld world;
    NATTER_WORLD(world, {"Ann", "Bob"}, ServerWorld::Sessions::None);
    TestClient &a1 = world.user("Ann"), &b = world.user("Bob");
    TestClient a2(world.server()), a3(world.server());
    QVERIFY2(a2.addDevice(phoneNumber(1)), qPrintable(a2.lastError()));
    QVERIFY2(a3.addDevice(phoneNumber(1)), qPrintable(a3.lastError())); // publishes no keys
    NATTER_HTTP(a1.request("PUT", "/api/keys", keysUpload("identity-A1", oneTimeKeys(1, 3), 1001)), 200);
    NATTER_HTTP(a2.request("PUT", "/api/keys", keysUpload("identity-A2", oneTimeKeys(1, 3), 1002)), 200);

    const HttpResult only2 = b.request("GET", keysPath(a1.userId(), "?device_id=2"));
    NATTER_HTTP(only2, 200);
    const QJsonArray devices = only2.object().value("devices").toArray();
    QCOMPARE(devices.size(), 1);
    QCOMPARE(intField(devices.at(0).toObject(), "device_id"), 2);
    QCOMPARE(devices.at(0).toObject().value("identity_key").toString(), b64("identity-A2"));
    QCOMPARE(remainingKeys(a1), 3);
    QCOMPARE(remainingKeys(a2), 2);

    NATTER_REFUSED(b.request("GET", keysPath(a1.userId(), "?device_id=3")), 404, "not_found");
    NATTER_REFUSED(b.request("GET", keysPath(a1.userId(), "?device_id=9")), 404, "not_found");
    NATTER_REFUSED(b.request("GET", keysPath(a1.userId(), "?device_id=two")), 400, "invalid_field");
    // Numbers with trailing junk, a sign, or past 32 bits are not read as some other device.
    for (const char* bad : {"?device_id=2junk", "?device_id=%202", "?device_id=-4294967294", "?device_id=4294967298", "?device_id=0"})
        NATTER_REFUSED(b.request("GET", keysPath(a1.userId(), bad)), 400, "invalid_field");
    const HttpResult all = b.request("GET", keysPath(a1.userId()));
    NATTER_HTTP(all, 200);
    QSet<qint64> ids;
    for (const QJsonValue& v : all.object().value("devices").toArray()) ids.insert(v.toObject().value("device_id").toInteger());
    QCOMPARE(ids, (QSet<qint64>{1, 2}));
    QCOMPARE(remainingKeys(a1), 2);
    QCOMPARE(remainingKeys(a2), 1);
}

void TstKeys::unknownUserHasNoKeys() {
    ServerWorld world;
    NATTER_WORLD(world, {"Ann"}, ServerWorld::Sessions::None);
    TestClient& a = world.user("Ann");
    NATTER_REFUSED(a.request("GET", keysPath(a.userId() + 1000)), 404, "not_found");
    NATTER_REFUSED(a.request("GET", keysPath(a.userId() + 1000, "?device_id=1")), 404, "not_found");
}

void TstKeys::malformedUploadsAreRefusedAndStoreNothing() {
    ServerWorld world;
    NATTER_WORLD(world, {"Ann", "Bob"});
    TestClient &a = world.user("Ann"), &b = world.user("Bob");
    NATTER_ACKED(a.sendTo(b, "hi", "hi"), a); // Bob would hear of an identity change

    QJsonObject badIdentity = keysUpload("x", oneTimeKeys(1, 3));
    badIdentity["identity_key"] = "not base64!";
    NATTER_REFUSED(a.request("PUT", "/api/keys", badIdentity), 400, "invalid_field");
    QJsonArray duplicate = oneTimeKeys(1, 3);
    duplicate.append(oneTimeKey(2));
    NATTER_REFUSED(a.request("PUT", "/api/keys", keysUpload("identity-1", duplicate)), 400, "invalid_field");
    const HttpResult none = b.request("GET", keysPath(a.userId()));
    NATTER_HTTP(none, 200);
    QVERIFY2(none.object().value("devices").toArray().isEmpty(), qPrintable(none.describe()));
    QCOMPARE(remainingKeys(a), 0);

    NATTER_HTTP(a.request("PUT", "/api/keys", keysUpload("identity-1", oneTimeKeys(1, 3))), 200);
    QJsonArray badKey = oneTimeKeys(10, 11);
    badKey.append(QJsonObject{{"key_id", 12}, {"public_key", "%%%"}});
    NATTER_REFUSED(a.request("PUT", "/api/keys", keysUpload("identity-2", badKey)), 400, "invalid_field");
    NATTER_REFUSED(a.request("POST", "/api/keys/one-time", QJsonObject{{"one_time_prekeys", badKey}}), 400, "invalid_field");
    NATTER_REFUSED(a.request("POST", "/api/keys/one-time", QJsonObject{{"one_time_prekeys", duplicate}}), 400, "invalid_field");
    NATTER_REFUSED(a.request("POST", "/api/keys/one-time", QJsonObject{{"one_time_prekeys", QJsonArray{}}}), 400, "invalid_field");
    NATTER_REFUSED(a.request("POST", "/api/keys/one-time", QJsonObject{{"one_time_prekeys", oneTimeKeys(1000, 2000)}}), 400, "invalid_field");
    QJsonObject badSigned = signedKey(8);
    badSigned["signature"] = "***";
    NATTER_REFUSED(a.request("PUT", "/api/keys/signed", badSigned), 400, "invalid_field");

    QCOMPARE(remainingKeys(a), 3);
    NATTER_QUIET(b, "identity_changed");
    const QJsonObject bundle = b.request("GET", keysPath(a.userId())).object().value("devices").toArray().at(0).toObject();
    QCOMPARE(bundle.value("identity_key").toString(), b64("identity-1"));
    QCOMPARE(bundle.value("signed_prekey").toObject(), signedKey(7));
    QCOMPARE(bundle.value("one_time_prekey").toObject(), oneTimeKey(1));
}

QTEST_GUILESS_MAIN(TstKeys)
#include "tst_keys.moc"
