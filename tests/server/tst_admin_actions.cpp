// natterd admin's actions against a real natterd and its data dir: an operator revokes a device
// (running node or stopped) and rotates the token signing key without signing anyone out;
// unknown users and devices are refused and nothing changes.
#include "natterd_admin.h"
#include "server_world.h"
#include "test_client.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace natter::test;

namespace {

// The "kid" in an access token's header: which key signed it.
QString keyIdOf(const QString& token) {
    const QByteArray header = QByteArray::fromBase64(token.section('.', 0, 0).toLatin1(), QByteArray::Base64UrlEncoding);
    return QJsonDocument::fromJson(header).object().value("kid").toString();
}

HttpResult freshToken(TestClient& device) {
    return device.request("POST", "/api/token",
                          QJsonObject{{"user_id", device.userId()}, {"device_id", device.deviceId()},
                                      {"device_secret", device.deviceSecret()}});
}

QStringList ids(const TestClient& device) { return {QString::number(device.userId()), QString::number(device.deviceId())}; }

} // namespace

class TstAdminActions : public QObject {
    Q_OBJECT
private slots:
    void revokeDeviceClosesItsSessionAndRefusesItsTokenOnARunningNode();
    void revokeDeviceOnAStoppedNodeHoldsAfterTheStart();
    void revokeDeviceRefusesUnknownUsersAndDevicesAndChangesNothing();
    void rotateJwtKeyKeepsEveryoneSignedInAndSignsWithTheNewKeyAfterARestart();
    void rotateJwtKeyWithoutAKeyIsRefused();
};

void TstAdminActions::revokeDeviceClosesItsSessionAndRefusesItsTokenOnARunningNode() {
    ServerWorld world({"--revocation-check-interval", "1"});
    NATTER_WORLD(world, {"Ann"}, ServerWorld::Sessions::None);
    TestClient& phone = world.user("Ann");
    TestClient laptop(world.server());
    QVERIFY2(laptop.addDevice(phoneNumber(1), "Laptop"), qPrintable(laptop.lastError()));
    NATTER_SESSION(phone);
    NATTER_SESSION(laptop);

    const QJsonObject out = runAdminJson(world.server(), QStringList{"revoke-device"} + ids(laptop));
    QCOMPARE(out.value("revoked").toBool(), true);
    QCOMPARE(intField(out, "device"), laptop.deviceId());

    // natterd, running all along, closes the session as if the account had unlinked the device.
    QVERIFY2(laptop.waitDisconnected(20000), qPrintable(laptop.describePending()));
    QCOMPARE(laptop.closeCode(), 1008);
    QCOMPARE(laptop.closeReason(), QStringLiteral("unlinked"));
    NATTER_REFUSED(laptop.request("GET", "/api/profile"), 401, "device_revoked");
    NATTER_REFUSED(freshToken(laptop), 401, "device_revoked");
    QVERIFY2(!laptop.connectWs(), "the revoked device's token opened a WebSocket");

    // The account's other device carries on and no longer sees it among the active devices.
    const HttpResult list = phone.request("GET", "/api/devices");
    NATTER_HTTP(list, 200);
    const QJsonArray devices = list.object().value("devices").toArray();
    QCOMPARE(devices.size(), 1);
    QCOMPARE(devices[0].toObject().value("device_id").toInteger(), phone.deviceId());
    QVERIFY(phone.pingPong());
    const QJsonArray listed = runAdminJson(world.server(), {"devices", QString::number(phone.userId())}).value("devices").toArray();
    QVERIFY(!listed[1].toObject().value("revoked_at").isNull());
}

void TstAdminActions::revokeDeviceOnAStoppedNodeHoldsAfterTheStart() {
    ServerWorld world;
    NATTER_WORLD(world, {"Ann"}, ServerWorld::Sessions::None);
    TestClient& phone = world.user("Ann");
    TestClient laptop(world.server());
    NatterdProcess& server = world.server();
    QVERIFY2(laptop.addDevice(phoneNumber(1), "Laptop"), qPrintable(laptop.lastError()));
    QCOMPARE(server.terminate(), 0);

    const ProcessOutcome out = runAdmin(server, QStringList{"revoke-device"} + ids(laptop));
    QCOMPARE(out.exitCode, 0);
    QVERIFY2(out.standardOutput.contains("is revoked"), out.standardOutput.constData());

    QVERIFY2(server.restart(), qPrintable(server.errorString()));
    NATTER_REFUSED(laptop.request("GET", "/api/profile"), 401, "device_revoked"); // its token has not expired
    NATTER_REFUSED(freshToken(laptop), 401, "device_revoked");
    NATTER_HTTP(phone.request("GET", "/api/profile"), 200);
}

void TstAdminActions::revokeDeviceRefusesUnknownUsersAndDevicesAndChangesNothing() {
    ServerWorld world;
    NATTER_WORLD(world, {"Ann"}, ServerWorld::Sessions::None);
    TestClient& phone = world.user("Ann");
    NatterdProcess& server = world.server();
    const QString user = QString::number(phone.userId());

    const ProcessOutcome noUser = runAdmin(server, {"revoke-device", "999", "1"});
    QCOMPARE(noUser.exitCode, 1);
    QVERIFY2(noUser.standardError.contains("there is no user 999"), noUser.standardError.constData());
    const ProcessOutcome noDevice = runAdmin(server, {"revoke-device", user, "7"});
    QCOMPARE(noDevice.exitCode, 1);
    QVERIFY2(noDevice.standardError.contains("has no device 7"), noDevice.standardError.constData());
    const ProcessOutcome badId = runAdmin(server, {"revoke-device", user, "laptop"});
    QCOMPARE(badId.exitCode, 2);
    QVERIFY2(badId.standardError.contains("DEVICE must be a device id"), badId.standardError.constData());
    QCOMPARE(runAdmin(server, {"revoke-device", user}).exitCode, 2);
    NATTER_HTTP(phone.request("GET", "/api/profile"), 200);
    NATTER_HTTP(freshToken(phone), 200);

    QCOMPARE(runAdmin(server, QStringList{"revoke-device"} + ids(phone)).exitCode, 0);
    const ProcessOutcome again = runAdmin(server, QStringList{"revoke-device"} + ids(phone));
    QCOMPARE(again.exitCode, 1);
    QVERIFY2(again.standardError.contains("already revoked"), again.standardError.constData());
}

void TstAdminActions::rotateJwtKeyKeepsEveryoneSignedInAndSignsWithTheNewKeyAfterARestart() {
    ServerWorld world;
    NATTER_WORLD(world, {"Ann"}, ServerWorld::Sessions::None);
    TestClient& ann = world.user("Ann");
    NatterdProcess& server = world.server();
    const QString oldToken = ann.accessToken();
    const QString oldKey = keyIdOf(oldToken);
    QVERIFY(!oldKey.isEmpty());

    const QJsonObject rotated = runAdminJson(server, {"rotate-jwt-key"});
    QCOMPARE(rotated.value("old_key_id").toString(), oldKey);
    const QString newKey = rotated.value("new_key_id").toString();
    QVERIFY(!newKey.isEmpty() && newKey != oldKey);

    // The running node keeps signing with the key it loaded.
    const HttpResult beforeRestart = freshToken(ann);
    NATTER_HTTP(beforeRestart, 200);
    const QString issuedBeforeRestart = beforeRestart.object().value("access_token").toString();
    QCOMPARE(keyIdOf(issuedBeforeRestart), oldKey);

    QVERIFY2(server.restart(), qPrintable(server.errorString()));
    // Tokens signed with the old key still work: nobody is signed out.
    ann.setAccessToken(oldToken);
    NATTER_HTTP(ann.request("GET", "/api/profile"), 200);
    ann.setAccessToken(issuedBeforeRestart);
    NATTER_SESSION(ann);
    // New tokens carry the new key.
    const HttpResult afterRestart = freshToken(ann);
    NATTER_HTTP(afterRestart, 200);
    QCOMPARE(keyIdOf(afterRestart.object().value("access_token").toString()), newKey);

    // A second restart keeps the retired key (its tokens have not expired yet).
    QVERIFY2(server.restart(), qPrintable(server.errorString()));
    ann.setAccessToken(oldToken);
    NATTER_HTTP(ann.request("GET", "/api/profile"), 200);
}

void TstAdminActions::rotateJwtKeyWithoutAKeyIsRefused() {
    NatterdProcess server; // never started: its data dir is empty
    const ProcessOutcome out = runAdmin(server, {"rotate-jwt-key"});
    QCOMPARE(out.exitCode, 1);
    QVERIFY2(out.standardError.contains("there is no"), out.standardError.constData());
    QVERIFY(QDir(server.dataDir()).isEmpty());
}

QTEST_MAIN(TstAdminActions)
#include "tst_admin_actions.moc"
