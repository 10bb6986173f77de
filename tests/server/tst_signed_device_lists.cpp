// Identity and devices of an account: the account-signed device list decides which devices are
// addressed, verifying a number again signs every old device out and (once the new identity is
// published) tells chat partners, and a group message whose sender missed a device is refused.
#include "natterd_process.h"
#include "server_world.h"
#include "test_client.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QTest>

using namespace natter::test;

namespace {
const QString kIdentity = QByteArray(33, '\x05').toBase64();
const QString kOtherIdentity = QByteArray(33, '\x06').toBase64();
const QString kSignature = QByteArray(64, 's').toBase64();

QJsonObject keysUpload(const QString& identity) {
    return {{"registration_id", 7},
            {"identity_key", identity},
            {"signed_prekey", QJsonObject{{"key_id", 1}, {"public_key", identity}, {"signature", kSignature}}},
            {"one_time_prekeys", QJsonArray{}}};
}
QJsonObject deviceList(const TestClient& c, qint64 version, const QList<qint64>& devices,
                       const QString& identity = kIdentity) {
    QJsonArray ids;
    for (qint64 d : devices) ids << d;
    return {{"user_id", c.userId()}, {"version", version}, {"identity_key", identity}, {"devices", ids}, {"signature", kSignature}};
}
// Keys with `identity`, then the list: what a client does after registering or linking.
HttpResult publish(TestClient& c, qint64 version, const QList<qint64>& devices, const QString& identity = kIdentity) {
    const HttpResult keys = c.request("PUT", "/api/keys", keysUpload(identity));
    if (keys.status != 200) return keys;
    return c.request("PUT", "/api/devices/list", deviceList(c, version, devices, identity));
}
QList<qint64> deviceIds(const HttpResult& list) {
    QList<qint64> out;
    for (const QJsonValue& v : list.object().value("devices").toArray()) out << v.toObject().value("device_id").toInteger();
    return out;
}
// Sends a 1:1 message with one envelope per address; the ack or error frame.
std::optional<QJsonObject> sendDirect(TestClient& from, const TestClient& to, const QString& id, const QList<DeviceAddr>& addrs) {
    from.send(TestClient::messageFrame(from.chatWith(to), id, TestClient::envelopes(addrs, "x")));
    return from.waitForSendResult(id);
}
// Independent of natterd's code: base64 of SHA-256("u.d,u.d,...")[0..16).
QString devicesHash(QList<DeviceAddr> devices) {
    std::sort(devices.begin(), devices.end(), [](const DeviceAddr& a, const DeviceAddr& b) {
        return std::pair(a.userId, a.deviceId) < std::pair(b.userId, b.deviceId);
    });
    QStringList parts;
    for (const auto& d : devices) parts << QStringLiteral("%1.%2").arg(d.userId).arg(d.deviceId);
    return QString::fromLatin1(QCryptographicHash::hash(parts.join(',').toUtf8(), QCryptographicHash::Sha256).left(16).toBase64());
}
} // namespace

class TstSignedDeviceLists : public QObject {
    Q_OBJECT
private slots:
    void aLinkedDeviceIsAddressedOnlyOnceTheSignedListNamesIt();
    void aDeviceListMustBeNewerNameActiveDevicesAndItsPublisher();
    void verifyingAnExistingNumberSignsOutEveryOldDeviceAndTellsPartnersOfTheNewIdentity();
    void groupMessageForAStaleSetOfDevicesIsRefusedAndStoresNothing();
};

void TstSignedDeviceLists::aLinkedDeviceIsAddressedOnlyOnceTheSignedListNamesIt() {
    ServerWorld world;
    NATTER_WORLD(world, {"Ann", "Bob"}, ServerWorld::Sessions::None);
    TestClient &ann = world.user("Ann"), &bob = world.user("Bob");
    TestClient laptop(world.server());
    NATTER_HTTP(publish(ann, 1, {1}), 200);
    QVERIFY2(laptop.addDevice(phoneNumber(1), "laptop"), qPrintable(laptop.lastError()));
    NATTER_SESSION(bob);

    // Linked, not yet listed: Ann sees it, nobody else addresses it or gets its keys.
    QCOMPARE(deviceIds(ann.request("GET", "/api/devices")), (QList<qint64>{1, 2}));
    const HttpResult seen = bob.request("GET", QStringLiteral("/api/users/%1/devices").arg(ann.userId()));
    QCOMPARE(deviceIds(seen), (QList<qint64>{1}));
    QCOMPARE(seen.object().value("device_list").toObject().value("version").toInt(), 1);
    NATTER_ACKED(sendDirect(bob, ann, "m1", {{ann.userId(), 1}}), bob);

    NATTER_HTTP(publish(laptop, 2, {1, 2}), 200);
    QCOMPARE(deviceIds(bob.request("GET", QStringLiteral("/api/users/%1/devices").arg(ann.userId()))), (QList<qint64>{1, 2}));
    const HttpResult bundles = bob.request("GET", QStringLiteral("/api/users/%1/keys").arg(ann.userId()));
    QCOMPARE(bundles.object().value("device_list").toObject().value("devices").toArray(), (QJsonArray{1, 2}));
    const auto refused = sendDirect(bob, ann, "m2", {{ann.userId(), 1}});
    NATTER_SEND_REFUSED(refused, bob, "device_mismatch");
    QCOMPARE(refused->value("missing_devices").toArray(), (QJsonArray{QJsonObject{{"user_id", ann.userId()}, {"device_id", 2}}}));
}

void TstSignedDeviceLists::aDeviceListMustBeNewerNameActiveDevicesAndItsPublisher() {
    ServerWorld world;
    NATTER_WORLD(world, {"Ann", "Bob"}, ServerWorld::Sessions::None);
    TestClient &ann = world.user("Ann"), &bob = world.user("Bob");
    NATTER_REFUSED(ann.request("PUT", "/api/devices/list", deviceList(ann, 1, {1})), 409, "conflict"); // no keys yet
    NATTER_HTTP(publish(ann, 3, {1}), 200);

    NATTER_REFUSED(ann.request("PUT", "/api/devices/list", deviceList(ann, 3, {1})), 409, "conflict");   // not newer
    NATTER_REFUSED(ann.request("PUT", "/api/devices/list", deviceList(ann, 4, {1, 9})), 409, "conflict"); // no device 9
    NATTER_REFUSED(ann.request("PUT", "/api/devices/list", deviceList(ann, 4, {1}, kOtherIdentity)), 409, "conflict");
    NATTER_REFUSED(ann.request("PUT", "/api/devices/list", deviceList(bob, 4, {1})), 403, "forbidden");
    NATTER_REFUSED(ann.request("PUT", "/api/devices/list", deviceList(ann, 4, {2, 1})), 400, "invalid_field");
    NATTER_REFUSED(ann.request("PUT", "/api/devices/list", deviceList(ann, 4, {})), 400, "invalid_field");
    QJsonObject unsignedList = deviceList(ann, 4, {1});
    unsignedList.remove("signature");
    NATTER_REFUSED(ann.request("PUT", "/api/devices/list", unsignedList), 400, "invalid_field");
    TestClient laptop(world.server());
    QVERIFY2(laptop.addDevice(phoneNumber(1)), qPrintable(laptop.lastError()));
    NATTER_HTTP(laptop.request("PUT", "/api/keys", keysUpload(kIdentity)), 200);
    NATTER_REFUSED(laptop.request("PUT", "/api/devices/list", deviceList(ann, 4, {1})), 400, "invalid_field"); // not itself

    // Nothing refused changed the published list.
    const QJsonObject published = bob.request("GET", QStringLiteral("/api/users/%1/devices").arg(ann.userId()))
                                      .object().value("device_list").toObject();
    QCOMPARE(published.value("version").toInt(), 3);
    QCOMPARE(published.value("devices").toArray(), (QJsonArray{1}));
    QCOMPARE(published.value("signature").toString(), kSignature);
}

void TstSignedDeviceLists::verifyingAnExistingNumberSignsOutEveryOldDeviceAndTellsPartnersOfTheNewIdentity() {
    ServerWorld world;
    NATTER_WORLD(world, {"Ann", "Bob"}, ServerWorld::Sessions::None);
    TestClient &ann = world.user("Ann"), &bob = world.user("Bob");
    TestClient laptop(world.server()), thief(world.server());
    NATTER_HTTP(publish(ann, 1, {1}), 200);
    QVERIFY2(laptop.addDevice(phoneNumber(1)), qPrintable(laptop.lastError()));
    NATTER_HTTP(publish(laptop, 2, {1, 2}), 200);
    for (TestClient* c : {&ann, &laptop, &bob}) NATTER_SESSION(*c);
    NATTER_ACKED(sendDirect(bob, ann, "hi", {{ann.userId(), 1}, {ann.userId(), 2}}), bob); // Bob and Ann share a chat

    // Whoever gets the SMS code for Ann's number starts her account over.
    NATTER_HTTP(thief.registerPhone(phoneNumber(1)), 200);
    const HttpResult taken = thief.verify(phoneNumber(1), kFixedCode, "thief");
    NATTER_HTTP(taken, 200);
    QVERIFY(thief.useVerifyResponse(taken.object(), phoneNumber(1)));
    QCOMPARE(thief.userId(), ann.userId());
    QCOMPARE(thief.deviceId(), 3);
    QVERIFY(!taken.object().value("new_account").toBool(true));

    for (TestClient* old : {&ann, &laptop}) {
        QVERIFY(old->waitDisconnected());
        QCOMPARE(old->closeCode(), 1008);
        QCOMPARE(old->closeReason(), QStringLiteral("reregistered"));
        const HttpResult told = old->request("GET", "/api/profile");
        NATTER_REFUSED(told, 401, "device_revoked");
        QCOMPARE(told.object().value("reason").toString(), QStringLiteral("reregistered"));
    }
    // Not addressed until the new identity publishes its list; then only the new device is.
    QCOMPARE(deviceIds(bob.request("GET", QStringLiteral("/api/users/%1/devices").arg(ann.userId()))), QList<qint64>{});
    NATTER_QUIET(bob, "identity_changed");
    NATTER_HTTP(publish(thief, 1, {3}, kOtherIdentity), 200);
    NATTER_TAKE(notice, bob, "identity_changed");
    QCOMPARE(intField(notice, "user_id"), ann.userId());
    QCOMPARE(intField(notice, "device_id"), 3);
    QCOMPARE(deviceIds(bob.request("GET", QStringLiteral("/api/users/%1/devices").arg(ann.userId()))), QList<qint64>{3});
    const auto refused = sendDirect(bob, ann, "hi again", {{ann.userId(), 1}, {ann.userId(), 2}});
    NATTER_SEND_REFUSED(refused, bob, "device_mismatch");
    QCOMPARE(refused->value("missing_devices").toArray(), (QJsonArray{QJsonObject{{"user_id", ann.userId()}, {"device_id", 3}}}));
}

void TstSignedDeviceLists::groupMessageForAStaleSetOfDevicesIsRefusedAndStoresNothing() {
    ServerWorld world;
    NATTER_WORLD(world, {"Ann", "Bob"}, ServerWorld::Sessions::None);
    TestClient &ann = world.user("Ann"), &bob = world.user("Bob");
    TestClient bobLaptop(world.server());
    for (TestClient* c : {&ann, &bob}) NATTER_SESSION(*c);
    NATTER_GROUP(chat, ann, "g", {bob.userId()});
    const DeviceAddr bob1{bob.userId(), bob.deviceId()};

    QJsonObject frame = TestClient::groupMessageFrame(chat, "g1", "for bob's phone");
    frame["devices_hash"] = devicesHash({bob1});
    ann.send(frame);
    NATTER_ACKED(ann.waitForSendResult("g1"), ann);

    QVERIFY2(bobLaptop.addDevice(phoneNumber(2), "laptop"), qPrintable(bobLaptop.lastError()));
    NATTER_SESSION(bobLaptop);
    frame = TestClient::groupMessageFrame(chat, "g2", "the laptop would miss the key");
    frame["devices_hash"] = devicesHash({bob1});
    ann.send(frame);
    NATTER_SEND_REFUSED(ann.waitForSendResult("g2"), ann, "device_mismatch");
    NATTER_QUIET(bobLaptop, "message", inChat(chat));

    frame["devices_hash"] = devicesHash({bob1, {bob.userId(), bobLaptop.deviceId()}});
    ann.send(frame);
    NATTER_ACKED(ann.waitForSendResult("g2"), ann);
    NATTER_TAKE(m, bobLaptop, "message", inChat(chat));
    QCOMPARE(m.value("client_msg_id").toString(), QStringLiteral("g2"));
}

QTEST_GUILESS_MAIN(TstSignedDeviceLists)
#include "tst_signed_device_lists.moc"
