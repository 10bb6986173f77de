// Linked devices: link codes, the device list, and unlinking (revocation at once).
#include "http_batch.h"
#include "natterd_process.h"
#include "raw_websocket.h"
#include "server_world.h"
#include "test_client.h"

#include <QTest>

#include <memory>
#include <vector>

using namespace natter::test;

namespace {
// POST /api/devices/link without authentication, from the new device's client.
HttpResult link(TestClient& newDevice, const QString& code, const QString& name = QStringLiteral("laptop")) {
    const QJsonObject body{{"code", code}, {"device_name", name}};
    return newDevice.rawRequest("POST", "/api/devices/link", QJsonDocument(body).toJson(QJsonDocument::Compact), false);
}
// Links `newDevice` to the account of `existing`; false with the reason in *error.
bool linkDevice(TestClient& existing, TestClient& newDevice, QString* error) {
    const HttpResult code = existing.request("POST", "/api/devices/link-code", QJsonObject{{"provision", "AA=="}});
    if (code.status != 200) return *error = "link-code: " + code.describe(), false;
    const HttpResult linked = link(newDevice, code.object().value("code").toString());
    if (linked.status != 200) return *error = "link: " + linked.describe(), false;
    if (!newDevice.useVerifyResponse(linked.object())) return *error = newDevice.lastError(), false;
    return true;
}
// POST /api/token with a device's id and the given secret.
HttpResult refreshToken(TestClient& device, const QString& secret) {
    const QJsonObject body{{"user_id", device.userId()}, {"device_id", device.deviceId()}, {"device_secret", secret}};
    return device.rawRequest("POST", "/api/token", QJsonDocument(body).toJson(QJsonDocument::Compact), false);
}
const QString kUnlinkedMessage = QStringLiteral("this device was unlinked from the account");
// A refusal that says the device was unlinked: 401 device_revoked, reason and message.
#define NATTER_UNLINKED(result)                                                                              \
    do {                                                                                                     \
        const HttpResult& unlinked_ = (result);                                                              \
        NATTER_REFUSED(unlinked_, 401, "device_revoked");                                                    \
        QCOMPARE(unlinked_.object().value("reason").toString(), QStringLiteral("unlinked"));                 \
        QCOMPARE(unlinked_.object().value("message").toString(), kUnlinkedMessage);                          \
    } while (0)
QList<qint64> deviceIds(const HttpResult& list) {
    QList<qint64> out;
    for (const QJsonValue& v : list.object().value("devices").toArray()) out << v.toObject().value("device_id").toInteger();
    std::sort(out.begin(), out.end());
    return out;
}
} // namespace

#define NATTER_LINK(existing, newDevice)                                                   \
    do {                                                                                    \
        QString linkError_;                                                                 \
        QVERIFY2(linkDevice((existing), (newDevice), &linkError_), qPrintable(linkError_)); \
    } while (0)

class TstDeviceLinks : public QObject {
    Q_OBJECT
private slots:
    void linkCodeJoinsANewDeviceToTheSameAccount();
    void linkedDeviceConnectsAndReceivesMessagesAddressedToIt();
    void linkCodeWorksOnceAndUnknownCodesFail();
    void linkCodeUsedConcurrentlyLinksExactlyOneDevice();
    void unlinkingRevokesTheDeviceAtOnce();
    void unlinkedDeviceIsToldWhyOnTokenUpgradeRestAndMedia();
    void unlinkedDeviceIsStillToldWhyAfterARestart();
    void badCredentialsOfAnUnlinkedDeviceStayUnauthorized();
    void unlinkedDeviceLeavesTheAddressListAndTheKeyDirectory();
    void onlyOwnActiveDevicesCanBeUnlinked();
    void linkingBeyondTheDeviceCapIsRefusedAndTheCodeStaysUsable();
    void linkCodesPerAccountAreLimited();
};

void TstDeviceLinks::linkCodeJoinsANewDeviceToTheSameAccount() {
    ServerWorld world;
    NATTER_WORLD(world, {"Ann"}, ServerWorld::Sessions::None);
    TestClient& phone = world.user("Ann");
    TestClient laptop(world.server());

    const HttpResult code = phone.request("POST", "/api/devices/link-code", QJsonObject{{"provision", "AA=="}});
    NATTER_HTTP(code, 200);
    QVERIFY2(!code.object().value("code").toString().isEmpty(), qPrintable(code.describe()));
    QCOMPARE(intField(code.object(), "expires_in"), 300);
    const HttpResult linked = link(laptop, code.object().value("code").toString(), "laptop");
    NATTER_HTTP(linked, 200);
    QCOMPARE(intField(linked.object(), "user_id"), phone.userId());
    QCOMPARE(intField(linked.object(), "device_id"), 2);
    QCOMPARE(linked.object().value("new_account").toBool(true), false);
    QVERIFY(intField(linked.object(), "expires_in") > 0);
    QVERIFY2(laptop.useVerifyResponse(linked.object()), qPrintable(laptop.lastError()));
    QVERIFY(laptop.deviceSecret() != phone.deviceSecret());

    for (TestClient* c : {&phone, &laptop}) {
        const HttpResult list = c->request("GET", "/api/devices");
        NATTER_HTTP(list, 200);
        QCOMPARE(intField(list.object(), "user_id"), phone.userId());
        QCOMPARE(deviceIds(list), (QList<qint64>{1, 2}));
        for (const QJsonValue& v : list.object().value("devices").toArray())
            if (v.toObject().value("device_id").toInteger() == 2) QCOMPARE(v.toObject().value("name").toString(), QStringLiteral("laptop"));
    }
    NATTER_REFUSED(laptop.rawRequest("POST", "/api/devices/link-code", {}, false), 401, "unauthorized");
    // The new device's secret refreshes its token like any other device's.
    const HttpResult token = laptop.rawRequest(
        "POST", "/api/token",
        QJsonDocument(QJsonObject{{"user_id", laptop.userId()}, {"device_id", 2}, {"device_secret", laptop.deviceSecret()}}).toJson(), false);
    NATTER_HTTP(token, 200);
}

void TstDeviceLinks::linkedDeviceConnectsAndReceivesMessagesAddressedToIt() {
    ServerWorld world;
    NATTER_WORLD(world, {"Ann", "Bob"}, ServerWorld::Sessions::None);
    TestClient &phone = world.user("Ann"), &bob = world.user("Bob");
    TestClient laptop(world.server());
    NATTER_SESSION(bob);
    NATTER_ACKED(bob.sendTo(phone, "before", "before the laptop"), bob);
    NATTER_LINK(phone, laptop);
    NATTER_SESSION(phone);
    QVERIFY2(laptop.connectWs(), qPrintable(laptop.lastError()));
    const auto sync = laptop.readSync(true);
    QVERIFY2(sync.ok && sync.queued.isEmpty(), qPrintable(sync.error + compact(sync.queued.value(0))));
    QCOMPARE(intField(sync.welcome, "user_id"), phone.userId());
    QCOMPARE(laptop.deviceId(), 2);

    // Bob must address the laptop now; each device gets its own envelope.
    bob.send(TestClient::messageFrame(bob.chatWith(phone), "old list", TestClient::envelopes({phone.address()}, "x")));
    const auto stale = bob.waitForSendResult("old list");
    NATTER_SEND_REFUSED(stale, bob, "device_mismatch");
    QCOMPARE(addressSet(stale->value("missing_devices").toArray()), (QSet<QPair<qint64, qint64>>{{phone.userId(), 2}}));
    const auto contentFor = [](DeviceAddr d) { return "for device " + QByteArray::number(d.deviceId); };
    bob.send(TestClient::messageFrame(bob.chatWith(phone), "m1", TestClient::envelopes(bob.recipientsFor(phone.userId()), contentFor)));
    NATTER_ACKED(bob.waitForSendResult("m1"), bob);
    for (TestClient* c : {&phone, &laptop}) {
        NATTER_TAKE(m, *c, "message", byClientMsgId("m1"));
        QCOMPARE(m.value("content").toString(), b64(contentFor(c->address())));
        QCOMPARE(intField(m, "sender_id"), bob.userId());
    }
    // The laptop writes as the same user; the phone gets the copy.
    NATTER_ACKED(laptop.sendTo(bob, "from laptop", "hello"), laptop);
    NATTER_TAKE(copy, phone, "message", byClientMsgId("from laptop"));
    QCOMPARE(intField(copy, "sender_id"), phone.userId());
    QCOMPARE(intField(copy, "sender_device"), 2);
    NATTER_TAKE(toBob, bob, "message", byClientMsgId("from laptop"));
    QCOMPARE(toBob.value("content").toString(), b64("hello"));
    // Its history has its own envelopes only: none for what came before it was linked.
    const HttpResult history = laptop.request("GET", TestClient::historyPath(bob.chatWith(phone)));
    NATTER_HTTP(history, 200);
    const QJsonArray items = history.object().value("messages").toArray();
    QCOMPARE(items.size(), 3);
    QVERIFY2(!items[0].toObject().contains("content"), qPrintable(compact(items[0].toObject())));
    QCOMPARE(items[1].toObject().value("content").toString(), b64(contentFor(laptop.address())));
    QVERIFY2(!items[2].toObject().contains("content"), qPrintable(compact(items[2].toObject()))); // its own send
}

void TstDeviceLinks::linkCodeWorksOnceAndUnknownCodesFail() {
    ServerWorld world;
    NATTER_WORLD(world, {"Ann"}, ServerWorld::Sessions::None);
    TestClient& phone = world.user("Ann");
    TestClient first(world.server()), second(world.server());
    const HttpResult code = phone.request("POST", "/api/devices/link-code", QJsonObject{{"provision", "AA=="}});
    NATTER_HTTP(code, 200);
    const QString c = code.object().value("code").toString();
    NATTER_HTTP(link(first, c), 200);
    NATTER_REFUSED(link(second, c), 403, "verification_failed");
    NATTER_REFUSED(link(second, "not-a-code"), 403, "verification_failed");
    NATTER_REFUSED(link(second, QString(c).replace(0, 1, c.startsWith('A') ? "B" : "A")), 403, "verification_failed");
    // Expiry (300 s) cannot be waited for here; the store's unit tests cover expired codes.
    const HttpResult list = phone.request("GET", "/api/devices");
    NATTER_HTTP(list, 200);
    QCOMPARE(deviceIds(list), (QList<qint64>{1, 2}));
    // Each code is its own: a fresh one works after the used one failed.
    QString error;
    QVERIFY2(linkDevice(phone, second, &error), qPrintable(error));
    QCOMPARE(second.deviceId(), 3);
}

void TstDeviceLinks::linkCodeUsedConcurrentlyLinksExactlyOneDevice() {
    ServerWorld world;
    NATTER_WORLD(world, {"Ann"}, ServerWorld::Sessions::None);
    TestClient& phone = world.user("Ann");
    const HttpResult code = phone.request("POST", "/api/devices/link-code", QJsonObject{{"provision", "AA=="}});
    NATTER_HTTP(code, 200);
    const QByteArray body = QJsonDocument(QJsonObject{{"code", code.object().value("code")}}).toJson(QJsonDocument::Compact);
    const auto results = runConcurrently(world.server(), QList<HttpCall>(10, HttpCall{"POST", "/api/devices/link", body, {}}), 10);
    int linked = 0;
    for (const HttpResult& r : results) {
        QVERIFY2(r.status == 200 || (r.status == 403 && r.errorCode() == "verification_failed"), qPrintable(r.describe()));
        linked += r.status == 200;
    }
    QCOMPARE(linked, 1);
    QCOMPARE(deviceIds(phone.request("GET", "/api/devices")), (QList<qint64>{1, 2}));
}

void TstDeviceLinks::unlinkingRevokesTheDeviceAtOnce() {
    ServerWorld world;
    NATTER_WORLD(world, {"Ann"}, ServerWorld::Sessions::None);
    TestClient& phone = world.user("Ann");
    TestClient laptop(world.server());
    NATTER_LINK(phone, laptop);
    NATTER_SESSION(phone);
    NATTER_SESSION(laptop);
    NATTER_HTTP(laptop.request("GET", "/api/profile"), 200);

    const HttpResult del = phone.request("DELETE", "/api/devices/2");
    NATTER_HTTP(del, 204);
    NATTER_REFUSED(laptop.request("GET", "/api/profile"), 401, "device_revoked"); // the token has not expired
    QVERIFY2(laptop.waitDisconnected(), qPrintable(laptop.describePending()));
    QCOMPARE(laptop.closeCode(), 1008);
    NATTER_REFUSED(refreshToken(laptop, laptop.deviceSecret()), 401, "device_revoked");
    QVERIFY2(!laptop.connectWs(), "the unlinked device's token opened a WebSocket");

    const HttpResult list = phone.request("GET", "/api/devices");
    NATTER_HTTP(list, 200);
    QCOMPARE(deviceIds(list), QList<qint64>{1});
    QVERIFY(phone.pingPong()); // the remaining device is unaffected
}

void TstDeviceLinks::unlinkedDeviceIsToldWhyOnTokenUpgradeRestAndMedia() {
    ServerWorld world;
    NATTER_WORLD(world, {"Ann"}, ServerWorld::Sessions::None);
    TestClient& phone = world.user("Ann");
    TestClient laptop(world.server());
    NATTER_LINK(phone, laptop);
    NATTER_SESSION(laptop);

    NATTER_HTTP(phone.request("DELETE", "/api/devices/2"), 204);
    // Its open WebSocket is closed with 1008 and a reason a client can act on.
    QVERIFY2(laptop.waitDisconnected(), qPrintable(laptop.describePending()));
    QCOMPARE(laptop.closeCode(), 1008);
    QCOMPARE(laptop.closeReason(), QStringLiteral("unlinked"));
    // Every authenticated call with its still unexpired token says why, media included.
    NATTER_UNLINKED(laptop.request("GET", "/api/profile"));
    NATTER_UNLINKED(laptop.request("GET", "/api/devices"));
    NATTER_UNLINKED(laptop.rawRequest("POST", "/api/media", "bytes"));
    NATTER_UNLINKED(laptop.request("GET", "/api/media/" + QString(43, QLatin1Char('A'))));
    // Its credential no longer buys a token, and the answer says why.
    NATTER_UNLINKED(refreshToken(laptop, laptop.deviceSecret()));
    // The upgrade is refused with the same body.
    RawWebSocket raw;
    QCOMPARE(raw.open(world.server().wsUrl(), laptop.accessToken()), 401);
    const QJsonObject refusal = QJsonDocument::fromJson(raw.refusalBody()).object();
    QCOMPARE(refusal.value("code").toString(), QStringLiteral("device_revoked"));
    QCOMPARE(refusal.value("reason").toString(), QStringLiteral("unlinked"));
    QCOMPARE(refusal.value("message").toString(), kUnlinkedMessage);
    // The account's other device works as before.
    NATTER_HTTP(phone.request("GET", "/api/profile"), 200);
}

void TstDeviceLinks::unlinkedDeviceIsStillToldWhyAfterARestart() {
    ServerWorld world;
    NATTER_WORLD(world, {"Ann"}, ServerWorld::Sessions::None);
    TestClient& phone = world.user("Ann");
    TestClient laptop(world.server());
    NatterdProcess& server = world.server();
    NATTER_LINK(phone, laptop);
    NATTER_HTTP(phone.request("DELETE", "/api/devices/2"), 204);

    QVERIFY2(server.restart(), qPrintable(server.errorString()));
    NATTER_UNLINKED(refreshToken(laptop, laptop.deviceSecret()));
    NATTER_UNLINKED(laptop.request("GET", "/api/profile")); // the revocation list is reloaded
    RawWebSocket raw;
    QCOMPARE(raw.open(server.wsUrl(), laptop.accessToken()), 401);
    QCOMPARE(QJsonDocument::fromJson(raw.refusalBody()).object().value("reason").toString(), QStringLiteral("unlinked"));
}

void TstDeviceLinks::badCredentialsOfAnUnlinkedDeviceStayUnauthorized() {
    ServerWorld world;
    NATTER_WORLD(world, {"Ann"}, ServerWorld::Sessions::None);
    TestClient& phone = world.user("Ann");
    TestClient laptop(world.server());
    NATTER_LINK(phone, laptop);
    NATTER_HTTP(phone.request("DELETE", "/api/devices/2"), 204);

    // Only the holder of the device secret learns that the device was unlinked.
    const HttpResult wrongSecret = refreshToken(laptop, QStringLiteral("not-the-secret"));
    NATTER_REFUSED(wrongSecret, 401, "unauthorized");
    QVERIFY2(!wrongSecret.object().contains("reason"), qPrintable(wrongSecret.describe()));
    // A forged token naming the device is not its token.
    QString forged = laptop.accessToken();
    forged[forged.size() - 2] = forged[forged.size() - 2] == QLatin1Char('A') ? QLatin1Char('B') : QLatin1Char('A');
    laptop.setAccessToken(forged);
    NATTER_REFUSED(laptop.request("GET", "/api/profile"), 401, "unauthorized");
    RawWebSocket raw;
    QCOMPARE(raw.open(world.server().wsUrl(), forged), 401);
    QCOMPARE(QJsonDocument::fromJson(raw.refusalBody()).object().value("code").toString(), QStringLiteral("unauthorized"));
    // A device that never existed is unknown, not revoked.
    TestClient stranger(world.server());
    stranger.adoptCredentials(phone);
    const QJsonObject body{{"user_id", phone.userId()}, {"device_id", 9}, {"device_secret", phone.deviceSecret()}};
    NATTER_REFUSED(stranger.rawRequest("POST", "/api/token", QJsonDocument(body).toJson(), false), 401, "unauthorized");
}

void TstDeviceLinks::unlinkedDeviceLeavesTheAddressListAndTheKeyDirectory() {
    ServerWorld world;
    NATTER_WORLD(world, {"Ann", "Bob"}, ServerWorld::Sessions::None);
    TestClient &phone = world.user("Ann"), &bob = world.user("Bob");
    TestClient laptop(world.server());
    NATTER_LINK(phone, laptop);
    const QJsonObject keys{{"registration_id", 1}, {"identity_key", b64("id-laptop")},
                           {"signed_prekey", QJsonObject{{"key_id", 1}, {"public_key", b64("spk")}, {"signature", b64("sig")}}},
                           {"one_time_prekeys", QJsonArray{QJsonObject{{"key_id", 1}, {"public_key", b64("otk")}}}}};
    NATTER_HTTP(laptop.request("PUT", "/api/keys", keys), 200);
    NATTER_HTTP(bob.request("GET", QStringLiteral("/api/users/%1/keys?device_id=2").arg(phone.userId())), 200);
    for (TestClient* c : {&phone, &bob}) NATTER_SESSION(*c);

    NATTER_HTTP(phone.request("DELETE", "/api/devices/2"), 204);
    QCOMPARE(bob.devicesOf(phone.userId()), QList<DeviceAddr>{phone.address()});
    NATTER_REFUSED(bob.request("GET", QStringLiteral("/api/users/%1/keys?device_id=2").arg(phone.userId())), 404, "not_found");

    bob.send(TestClient::messageFrame(bob.chatWith(phone), "both", TestClient::envelopes({phone.address(), {phone.userId(), 2}}, "x")));
    const auto res = bob.waitForSendResult("both");
    NATTER_SEND_REFUSED(res, bob, "device_mismatch");
    QCOMPARE(addressSet(res->value("extra_devices").toArray()), (QSet<QPair<qint64, qint64>>{{phone.userId(), 2}}));
    QVERIFY(res->value("missing_devices").toArray().isEmpty());
    NATTER_ACKED(bob.sendTo(phone, "one", "only the phone"), bob);
    NATTER_TAKE(m, phone, "message", byClientMsgId("one"));
    // The phone no longer addresses its unlinked sibling either.
    NATTER_ACKED(phone.sendTo(bob, "reply", "hi"), phone);
}

void TstDeviceLinks::onlyOwnActiveDevicesCanBeUnlinked() {
    ServerWorld world;
    NATTER_WORLD(world, {"Ann", "Bob"}, ServerWorld::Sessions::None);
    TestClient &phone = world.user("Ann"), &bob = world.user("Bob");
    TestClient laptop(world.server());
    NATTER_LINK(phone, laptop);

    NATTER_REFUSED(bob.request("DELETE", "/api/devices/2"), 404, "not_found"); // Bob has no device 2
    NATTER_REFUSED(phone.request("DELETE", "/api/devices/7"), 404, "not_found");
    NATTER_HTTP(laptop.request("GET", "/api/profile"), 200);
    QCOMPARE(deviceIds(phone.request("GET", "/api/devices")), (QList<qint64>{1, 2}));
    QCOMPARE(deviceIds(bob.request("GET", "/api/devices")), QList<qint64>{1});

    // A device may unlink itself; a second DELETE of the same id finds nothing.
    NATTER_HTTP(laptop.request("DELETE", "/api/devices/2"), 204);
    NATTER_REFUSED(laptop.request("GET", "/api/profile"), 401, "device_revoked");
    NATTER_REFUSED(phone.request("DELETE", "/api/devices/2"), 404, "not_found");
    QCOMPARE(deviceIds(phone.request("GET", "/api/devices")), QList<qint64>{1});
}

void TstDeviceLinks::linkingBeyondTheDeviceCapIsRefusedAndTheCodeStaysUsable() {
    ServerWorld world; // the default cap: 6 devices (one primary, five linked)
    NATTER_WORLD(world, {"Ann"}, ServerWorld::Sessions::None);
    TestClient& phone = world.user("Ann");
    std::vector<std::unique_ptr<TestClient>> linked;
    for (int i = 0; i < 4; ++i) {
        linked.push_back(std::make_unique<TestClient>(world.server()));
        NATTER_LINK(phone, *linked.back());
    }
    const HttpResult spare = phone.request("POST", "/api/devices/link-code", QJsonObject{{"provision", "AA=="}}); // made while there is room
    NATTER_HTTP(spare, 200);
    linked.push_back(std::make_unique<TestClient>(world.server()));
    NATTER_LINK(phone, *linked.back()); // the sixth device
    QCOMPARE(deviceIds(phone.request("GET", "/api/devices")), range(1, 6));

    TestClient seventh(world.server());
    const HttpResult refused = link(seventh, spare.object().value("code").toString());
    NATTER_REFUSED(refused, 409, "conflict");
    QVERIFY2(refused.object().value("message").toString().contains("6 devices"), qPrintable(refused.describe()));
    NATTER_REFUSED(phone.request("POST", "/api/devices/link-code", QJsonObject{{"provision", "AA=="}}), 409, "conflict");
    QCOMPARE(deviceIds(phone.request("GET", "/api/devices")), range(1, 6)); // nothing changed

    // Room again after an unlink: the refused code was not used up.
    NATTER_HTTP(phone.request("DELETE", "/api/devices/6"), 204);
    const HttpResult again = link(seventh, spare.object().value("code").toString());
    NATTER_HTTP(again, 200);
    QCOMPARE(intField(again.object(), "device_id"), 7);
    QCOMPARE(deviceIds(phone.request("GET", "/api/devices")), (QList<qint64>{1, 2, 3, 4, 5, 7}));
    QCOMPARE(intField(phone.request("GET", "/api/config").object(), "max_devices"), 6); // clients can know
}

void TstDeviceLinks::linkCodesPerAccountAreLimited() {
    ServerWorld world({"--max-link-codes", "2"});
    NATTER_WORLD(world, {"Ann", "Bob"}, ServerWorld::Sessions::None);
    TestClient &phone = world.user("Ann"), &other = world.user("Bob");
    TestClient laptop(world.server());
    const HttpResult first = phone.request("POST", "/api/devices/link-code", QJsonObject{{"provision", "AA=="}});
    NATTER_HTTP(first, 200);
    NATTER_HTTP(phone.request("POST", "/api/devices/link-code", QJsonObject{{"provision", "AA=="}}), 200);
    const HttpResult third = phone.request("POST", "/api/devices/link-code", QJsonObject{{"provision", "AA=="}});
    NATTER_REFUSED(third, 429, "rate_limited");
    QVERIFY2(third.object().value("message").toString().contains("unused link codes"), qPrintable(third.describe()));
    NATTER_HTTP(other.request("POST", "/api/devices/link-code", QJsonObject{{"provision", "AA=="}}), 200); // per account

    NATTER_HTTP(link(laptop, first.object().value("code").toString()), 200); // a used code frees its place
    NATTER_HTTP(phone.request("POST", "/api/devices/link-code", QJsonObject{{"provision", "AA=="}}), 200);
}

QTEST_GUILESS_MAIN(TstDeviceLinks)
#include "tst_device_links.moc"
