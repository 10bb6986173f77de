// natterd admin delete-account against a running natterd: without --yes nothing changes; with it
// the account's devices are revoked, its groups are told it left, its media and number go, and
// what it sent stays with the recipients. Unknown or already deleted users are refused.
#include "natterd_admin.h"
#include "server_world.h"
#include "test_client.h"

#include <QJsonArray>
#include <QTest>

using namespace natter::test;

class TstAdminDeleteAccount : public QObject {
    Q_OBJECT
private slots:
    void deleteAccountRemovesTheAccountAndTellsItsGroups();
    void deleteAccountRefusesUnknownAndDeletedUsers();
};

void TstAdminDeleteAccount::deleteAccountRemovesTheAccountAndTellsItsGroups() {
    ServerWorld world({"--revocation-check-interval", "1"});
    NATTER_WORLD(world, {"Ann", "Bob", "Cem"}, ServerWorld::Sessions::None);
    TestClient &ann = world.user("Ann"), &bob = world.user("Bob"), &cem = world.user("Cem");
    NatterdProcess& server = world.server();
    NATTER_GROUP(chat, bob, "Climbing", QList<qint64>{ann.userId(), cem.userId()});
    NATTER_SESSION(ann);
    NATTER_ACKED(ann.sendTo(bob, "m1", "see you at the wall"), ann);
    const HttpResult upload = ann.rawRequest("POST", "/api/media", QByteArray(2000, 'x'));
    NATTER_HTTP(upload, 200);
    const QString mediaId = upload.object().value("media_id").toString();
    const QString user = QString::number(ann.userId());

    // Without --yes it only says what would go.
    const ProcessOutcome dryRun = runAdmin(server, {"delete-account", user});
    QCOMPARE(dryRun.exitCode, 1);
    QVERIFY2(dryRun.standardOutput.contains("Nothing was deleted"), dryRun.standardOutput.constData());
    QVERIFY2(dryRun.standardOutput.contains("1 group membership"), dryRun.standardOutput.constData());
    NATTER_HTTP(ann.request("GET", "/api/profile"), 200);
    QVERIFY(ann.pingPong());

    const QJsonObject out = runAdminJson(server, {"delete-account", user, "--yes"});
    QCOMPARE(out.value("deleted").toBool(), true);
    QCOMPARE(intField(out, "devices"), 1);
    QCOMPARE(intField(out, "groups"), 1);
    QCOMPARE(intField(out, "media"), 1);
    QCOMPARE(intField(out, "messages_sent"), 1);

    // Its device is signed out like an unlinked one.
    QVERIFY2(ann.waitDisconnected(20000), qPrintable(ann.describePending()));
    QCOMPARE(ann.closeCode(), 1008);
    NATTER_REFUSED(ann.request("GET", "/api/profile"), 401, "device_revoked");

    // The group is told it left; what it sent still reaches the recipient; its media is gone.
    NATTER_SESSION(bob);
    NATTER_TAKE(left, bob, "group_event", groupEvent(chat, "left"));
    QCOMPARE(left.value("user_ids").toArray().first().toInteger(), ann.userId());
    NATTER_TAKE(message, bob, "message", byClientMsgId("m1"));
    QCOMPARE(message.value("sender_id").toInteger(), ann.userId());
    const HttpResult info = bob.request("GET", TestClient::groupPath(chat));
    NATTER_HTTP(info, 200);
    QCOMPARE(info.object().value("members").toArray().size(), 2);
    NATTER_REFUSED(bob.request("GET", "/api/media/" + mediaId), 404, "not_found");

    // The account is no longer listed, and its number can start a new account.
    const QJsonArray users = runAdminJson(server, {"users"}).value("users").toArray();
    QCOMPARE(users.size(), 2);
    for (const QJsonValue& u : users) QVERIFY(u.toObject().value("id").toInteger() != ann.userId());
    TestClient again(server);
    NATTER_SIGNUP(again, phoneNumber(1), "Ann again");
    QVERIFY(again.newAccount());
    QVERIFY(again.userId() != ann.userId());
}

void TstAdminDeleteAccount::deleteAccountRefusesUnknownAndDeletedUsers() {
    ServerWorld world;
    NATTER_WORLD(world, {"Ann"}, ServerWorld::Sessions::None);
    TestClient& ann = world.user("Ann");
    NatterdProcess& server = world.server();
    const ProcessOutcome unknown = runAdmin(server, {"delete-account", "999", "--yes"});
    QCOMPARE(unknown.exitCode, 1);
    QVERIFY2(unknown.standardError.contains("there is no user 999"), unknown.standardError.constData());
    QCOMPARE(runAdmin(server, {"delete-account", "ann", "--yes"}).exitCode, 2);
    NATTER_HTTP(ann.request("GET", "/api/profile"), 200);

    QCOMPARE(runAdmin(server, {"delete-account", QString::number(ann.userId()), "--yes"}).exitCode, 0);
    const ProcessOutcome again = runAdmin(server, {"delete-account", QString::number(ann.userId()), "--yes"});
    QCOMPARE(again.exitCode, 1);
    QVERIFY2(again.standardError.contains("it was deleted"), again.standardError.constData());
}

QTEST_MAIN(TstAdminDeleteAccount)
#include "tst_admin_delete_account.moc"
