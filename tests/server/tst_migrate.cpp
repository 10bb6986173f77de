// natterd migrate: a single-node installation moves up to PostgreSQL and its users carry on where
// they were: signed in, with their queued messages, chats and groups, seqs continuing.
#include "natterd_process.h"
#include "postgres_process.h"
#include "server_world.h"
#include "test_client.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

#include <algorithm>

using namespace natter::test;

namespace {

QString str(const std::string& s) { return QString::fromStdString(s); }

ProcessOutcome migrate(const QString& from, const QString& to, const QStringList& more = {}) {
    return NatterdProcess::runOnce(QStringList{"migrate", "--from", from, "--to", to} + more, 60000);
}

} // namespace

class TstMigrate : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() {
        auto& pg = PostgresProcess::shared();
        QVERIFY2(pg.isRunning() || pg.start(), pg.errorString().c_str());
    }
    void conversationContinuesOnPostgresAfterMigrating();
    void targetThatIsNotEmptyIsRefusedAndKeptAsItWas();
    void missingSourceOrBadTargetIsAClearError();
};

void TstMigrate::conversationContinuesOnPostgresAfterMigrating() {
    ServerWorld world;
    NATTER_WORLD(world, {"Ann", "Bob", "Cem"}, ServerWorld::Sessions::None);
    TestClient &a = world.user("Ann"), &b = world.user("Bob"), &c = world.user("Cem");
    NatterdProcess& server = world.server();
    NATTER_SESSION(a);
    NATTER_ACKED(a.sendTo(b, "m1", "before the move"), a);
    NATTER_GROUP(group, a, "Trip", {b.userId(), c.userId()});
    NATTER_ACKED(a.sendToGroup(group, "g1", "group before the move"), a);
    a.closeWs();
    QCOMPARE(server.terminate(), 0);

    const QString dir = server.dataDir();
    const QString target = str(PostgresProcess::shared().createDatabase());
    QVERIFY(!target.isEmpty());
    const ProcessOutcome moved = migrate("sqlite:" + dir + "/natterd.db", target, {"--json"});
    QVERIFY2(moved.finished && moved.exitCode == 0, moved.standardError.constData());
    const QJsonObject report = QJsonDocument::fromJson(moved.standardOutput).object();
    QCOMPARE(report.value("ok").toBool(), true);
    QCOMPARE(report.value("tables").toObject().value("users").toInt(), 3);
    QVERIFY2(report.value("tables").toObject().value("queue").toInt() >= 3, moved.standardOutput.constData());

    // The same keys: every device stays signed in; the data dir is no longer the store.
    server.setExtraArgs({"--store", target, "--jwt-key", dir + "/jwt.key", "--verification-key",
                         dir + "/verification.key", "--media-dir", dir + "/media"});
    QVERIFY(QFile::rename(dir + "/natterd.db", dir + "/natterd.db.migrated"));
    QVERIFY2(server.restart(), qPrintable(server.errorString()));

    QVERIFY(b.connectWs());
    const auto sync = b.readSync(true);
    QVERIFY2(sync.ok, qPrintable(sync.error));
    // Bob's queue came along: the 1:1 message and the group's message, in their chats.
    const auto delivered = [&](const QString& chat) {
        return std::count_if(sync.queued.begin(), sync.queued.end(), [&](const QJsonObject& f) {
            return f.value("type") == "message" && f.value("chat_id") == chat;
        });
    };
    QCOMPARE(delivered(a.chatWith(b)), 1);
    QCOMPARE(delivered(group), 1);
    const auto reply = b.sendTo(a, "m2", "after the move");
    NATTER_ACKED(reply, b);
    QCOMPARE(reply->value("seq").toInteger(), 2); // the chat's seq carries on
    NATTER_ACKED(b.sendToGroup(group, "g2", "group after the move"), b);

    const HttpResult history = a.request("GET", TestClient::historyPath(a.chatWith(b)));
    NATTER_HTTP(history, 200);
    QCOMPARE(history.object().value("messages").toArray().size(), 2);
    // Cem was offline throughout: both group messages, before and after the move, in order.
    QVERIFY(c.connectWs());
    const auto cemSync = c.readSync(true);
    QVERIFY2(cemSync.ok, qPrintable(cemSync.error));
    QList<qint64> groupSeqs;
    for (const auto& f : cemSync.queued)
        if (f.value("type") == "message" && f.value("chat_id") == group) groupSeqs << f.value("seq").toInteger();
    QCOMPARE(groupSeqs.size(), 2);
    QVERIFY2(groupSeqs[0] < groupSeqs[1], qPrintable(QString::number(groupSeqs[0])));
}

void TstMigrate::targetThatIsNotEmptyIsRefusedAndKeptAsItWas() {
    ServerWorld world;
    NATTER_WORLD(world, {"Ann"}, ServerWorld::Sessions::None);
    TestClient& a = world.user("Ann");
    NatterdProcess& server = world.server();
    QCOMPARE(server.terminate(), 0);
    const QString source = "sqlite:" + server.dataDir() + "/natterd.db";
    const QString target = str(PostgresProcess::shared().createDatabase());
    QCOMPARE(migrate(source, target).exitCode, 0);

    const ProcessOutcome again = migrate(source, target);
    QCOMPARE(again.exitCode, 1);
    QVERIFY2(again.standardError.contains("not empty"), again.standardError.constData());
    const ProcessOutcome json = migrate(source, target, {"--json"});
    QCOMPARE(QJsonDocument::fromJson(json.standardOutput).object().value("ok").toBool(), false);

    server.setExtraArgs({"--store", target, "--jwt-key", server.dataDir() + "/jwt.key"});
    QVERIFY2(server.restart(), qPrintable(server.errorString()));
    const HttpResult profile = a.request("GET", "/api/profile");
    NATTER_HTTP(profile, 200);
    QCOMPARE(profile.object().value("display_name").toString(), QStringLiteral("Ann"));
}

void TstMigrate::missingSourceOrBadTargetIsAClearError() {
    QTemporaryDir empty;
    const QString target = str(PostgresProcess::shared().createDatabase());
    const ProcessOutcome missing = migrate("sqlite:" + empty.filePath("natterd.db"), target);
    QCOMPARE(missing.exitCode, 1);
    QVERIFY2(missing.standardError.contains("no SQLite store at"), missing.standardError.constData());
    QVERIFY(!QFile::exists(empty.filePath("natterd.db")));

    const ProcessOutcome notPostgres = migrate("sqlite:" + empty.filePath("natterd.db"), "mysql://x");
    QCOMPARE(notPostgres.exitCode, 2);
    QVERIFY(notPostgres.standardError.contains("--to must be a postgres:// URI"));
    QCOMPARE(NatterdProcess::runOnce({"migrate", "--to", target}).exitCode, 2);
}

QTEST_GUILESS_MAIN(TstMigrate)
#include "tst_migrate.moc"
