// natterd admin against a running natterd's data dir: an operator lists and finds users, sees an
// account's devices and the deepest queues, in aligned columns or JSON, and never any content.
#include "natterd_admin.h"
#include "server_world.h"
#include "test_client.h"

#include <QJsonArray>
#include <QTest>

using namespace natter::test;

namespace {

ProcessOutcome admin(const NatterdProcess& server, const QStringList& args) { return runAdmin(server, args); }
QJsonObject adminJson(const NatterdProcess& server, const QStringList& args) { return runAdminJson(server, args); }

} // namespace

class TstAdmin : public QObject {
    Q_OBJECT
private slots:
    void usersListsEveryAccountAndFindsByPhoneOrName();
    void devicesShowsEveryDeviceOfAnAccount();
    void queuesShowTheDeepestQueuesFirstAndNoContent();
    void badVerbOrUnknownUserIsAClearError();
};

void TstAdmin::usersListsEveryAccountAndFindsByPhoneOrName() {
    ServerWorld world;
    NATTER_WORLD(world, {"Ann", "Bobby"}, ServerWorld::Sessions::None);
    TestClient &a = world.user("Ann"), &b = world.user("Bobby");
    NatterdProcess& server = world.server();

    const QJsonArray all = adminJson(server, {"users"}).value("users").toArray();
    QCOMPARE(all.size(), 2);
    QCOMPARE(intField(all[0].toObject(), "id"), a.userId());
    QCOMPARE(all[0].toObject().value("phone").toString(), phoneNumber(1));
    QCOMPARE(all[0].toObject().value("name").toString(), QStringLiteral("Ann"));
    QCOMPARE(intField(all[0].toObject(), "devices"), 1);
    QVERIFY(intField(all[0].toObject(), "created_at") > 0);

    const QJsonArray byName = adminJson(server, {"users", "--find", "obb"}).value("users").toArray();
    QCOMPARE(byName.size(), 1);
    QCOMPARE(intField(byName[0].toObject(), "id"), b.userId());
    const QJsonArray byPhone = adminJson(server, {"users", "--find", phoneNumber(1).right(4)}).value("users").toArray();
    QCOMPARE(byPhone.size(), 1);
    QCOMPARE(intField(byPhone[0].toObject(), "id"), a.userId());
    QCOMPARE(adminJson(server, {"users", "--find", "%"}).value("users").toArray().size(), 0); // literal, not a wildcard

    // People read aligned columns: each value starts under its heading.
    const ProcessOutcome table = admin(server, {"users"});
    QCOMPARE(table.exitCode, 0);
    const QList<QByteArray> lines = table.standardOutput.split('\n');
    QVERIFY(lines.size() >= 3);
    QVERIFY(lines[0].startsWith("ID"));
    QCOMPARE(lines[1].indexOf(phoneNumber(1).toUtf8()), lines[0].indexOf("PHONE"));
    QCOMPARE(lines[2].indexOf("Bobby"), lines[0].indexOf("NAME"));
    QVERIFY(table.standardOutput.contains("2 users"));
}

void TstAdmin::devicesShowsEveryDeviceOfAnAccount() {
    ServerWorld world;
    NATTER_WORLD(world, {"Ann"}, ServerWorld::Sessions::None);
    TestClient& phone = world.user("Ann");
    TestClient laptop(world.server());
    NatterdProcess& server = world.server();
    QVERIFY2(laptop.addDevice(phoneNumber(1), "Laptop"), qPrintable(laptop.lastError()));

    const QJsonObject out = adminJson(server, {"devices", QString::number(phone.userId())});
    const QJsonArray devices = out.value("devices").toArray();
    QCOMPARE(devices.size(), 2);
    QCOMPARE(intField(devices[0].toObject(), "id"), phone.deviceId());
    QCOMPARE(intField(devices[1].toObject(), "id"), laptop.deviceId());
    QCOMPARE(devices[1].toObject().value("name").toString(), QStringLiteral("Laptop"));
    QVERIFY(devices[1].toObject().value("revoked_at").isNull());
    QCOMPARE(intField(adminJson(server, {"users"}).value("users").toArray()[0].toObject(), "devices"), 2);

    const ProcessOutcome table = admin(server, {"devices", QString::number(phone.userId())});
    QCOMPARE(table.exitCode, 0);
    const QList<QByteArray> lines = table.standardOutput.split('\n');
    QVERIFY(lines[0].startsWith("DEVICE"));
    QCOMPARE(lines[2].indexOf("Laptop"), lines[0].indexOf("NAME"));
}

void TstAdmin::queuesShowTheDeepestQueuesFirstAndNoContent() {
    ServerWorld world;
    NATTER_WORLD(world, {"Ann", "Bob", "Cem"}, ServerWorld::Sessions::None);
    TestClient &a = world.user("Ann"), &b = world.user("Bob"), &c = world.user("Cem");
    NATTER_SESSION(a);
    for (int i = 0; i < 3; ++i) NATTER_ACKED(a.sendTo(b, QStringLiteral("b%1").arg(i), "secret words"), a);
    NATTER_ACKED(a.sendTo(c, "c0", "secret words"), a);

    const QJsonObject out = adminJson(world.server(), {"queues"});
    QCOMPARE(intField(out, "total"), 4);
    const QJsonArray largest = out.value("largest").toArray();
    QCOMPARE(largest.size(), 2);
    QCOMPARE(intField(largest[0].toObject(), "user"), b.userId());
    QCOMPARE(intField(largest[0].toObject(), "device"), b.deviceId());
    QCOMPARE(intField(largest[0].toObject(), "depth"), 3);
    QCOMPARE(intField(largest[1].toObject(), "depth"), 1);

    const ProcessOutcome table = admin(world.server(), {"queues", "--top", "1"});
    QCOMPARE(table.exitCode, 0);
    QVERIFY(table.standardOutput.startsWith("4 events queued"));
    QVERIFY(!table.standardOutput.contains("secret") && !table.standardOutput.contains(b64("secret words").toUtf8()));
    QCOMPARE(table.standardOutput.count('\n'), 3); // summary, heading, one row
}

void TstAdmin::badVerbOrUnknownUserIsAClearError() {
    NatterdProcess server;
    NATTER_START(server);
    const ProcessOutcome unknownVerb = admin(server, {"frobnicate"});
    QCOMPARE(unknownVerb.exitCode, 2);
    QVERIFY2(unknownVerb.standardError.contains("expected 'users'"), unknownVerb.standardError.constData());
    const ProcessOutcome badId = admin(server, {"devices", "ann"});
    QCOMPARE(badId.exitCode, 2);
    const ProcessOutcome noUser = admin(server, {"devices", "999"});
    QCOMPARE(noUser.exitCode, 1);
    QVERIFY2(noUser.standardError.contains("there is no user 999"), noUser.standardError.constData());
    const ProcessOutcome noStore = NatterdProcess::runOnce({"admin", "--data-dir", "/nonexistent-natter", "users"});
    QCOMPARE(noStore.exitCode, 1);
    QVERIFY2(noStore.standardError.contains("no SQLite store"), noStore.standardError.constData());
}

QTEST_MAIN(TstAdmin)
#include "tst_admin.moc"
