// Running natterd: command line, config file, data dir, metrics, TLS.
#include "natterd_process.h"
#include "postgres_process.h"
#include "server_world.h"
#include "test_client.h"

#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QRegularExpression>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

using namespace natter::test;

namespace {
// Sum of the samples of a metric family (every label set) in Prometheus text, or -1 when absent.
double metricValue(const QByteArray& text, const QString& name) {
    const QRegularExpression re(QStringLiteral("^%1(\\{[^}]*\\})?\\s+([-+0-9.eE]+|NaN|\\+Inf)\\s*$").arg(QRegularExpression::escape(name)),
                                QRegularExpression::MultilineOption);
    double sum = -1;
    auto it = re.globalMatch(QString::fromUtf8(text));
    while (it.hasNext()) {
        const auto m = it.next();
        sum = (sum < 0 ? 0 : sum) + m.captured(2).toDouble();
    }
    return sum;
}
} // namespace

class TstOperations : public QObject {
    Q_OBJECT
private slots:
    void metricsExposeNamedFamiliesAndCountStoredMessages();
    void metricsTimeStoreCommitsAndShowTheDescriptorHeadroom();
    void helpExitsZeroAndListsMainOptions();
    void invalidCommandLineExitsNonZeroWithMessage_data();
    void invalidCommandLineExitsNonZeroWithMessage();
    void configFileOptionsAreApplied();
    void dataDirHoldsDatabaseAndPrivateSigningKey();
    void tlsServesHttpsAndWss();
    void rotatedSigningKeyAcceptsOldTokensOnlyWhileListedAsPrevious();
    void healthIsUnavailableWhilePostgresIsDownAndRecoversWithIt();
    void unreachablePostgresStopsTheStartWithAnError();
};

void TstOperations::metricsExposeNamedFamiliesAndCountStoredMessages() {
    ServerWorld world;
    NATTER_WORLD(world, {"Ann", "Bob"}, ServerWorld::Sessions::None);
    TestClient &a = world.user("Ann"), &b = world.user("Bob");
    TestClient scraper(world.server()); // Prometheus scrapes without a token

    const HttpResult before = scraper.request("GET", "/metrics");
    QVERIFY2(before.status == 200, qPrintable(before.describe()));
    for (const char* family : {"natterd_connections", "natterd_messages_stored_total", "natterd_messages_delivered_total",
                               "natterd_queue_depth", "natterd_delivery_latency_seconds"})
        QVERIFY2(before.body.contains(QByteArray("# TYPE ") + family), qPrintable(QStringLiteral("no family %1 in:\n%2").arg(family).arg(QString::fromUtf8(before.body))));
    QVERIFY(before.body.contains("# TYPE natterd_delivery_latency_seconds histogram"));
    QVERIFY(before.body.contains("natterd_delivery_latency_seconds_bucket"));
    QVERIFY(before.body.contains("natterd_delivery_latency_seconds_count"));
    const double storedBefore = metricValue(before.body, "natterd_messages_stored_total");
    QVERIFY2(storedBefore >= 0, qPrintable(QString::fromUtf8(before.body)));

    NATTER_SESSION(a);
    NATTER_SESSION(b);
    const auto ack = a.sendTo(b, "m1", "hello");
    QVERIFY(ack && ack->value("type") == "ack");
    NATTER_TAKE(m, b, "message");
    b.ackDelivered(intField(m, "message_id"));
    QVERIFY(a.waitFor("receipt"));

    const HttpResult after = scraper.request("GET", "/metrics");
    QVERIFY2(after.status == 200, qPrintable(after.describe()));
    QCOMPARE(metricValue(after.body, "natterd_messages_stored_total"), storedBefore + 1);
    QVERIFY2(metricValue(after.body, "natterd_connections") >= 2, qPrintable(QString::fromUtf8(after.body)));
    QVERIFY2(metricValue(after.body, "natterd_messages_delivered_total") >= 1, qPrintable(QString::fromUtf8(after.body)));
    QVERIFY2(metricValue(after.body, "natterd_delivery_latency_seconds_count") >= 1, qPrintable(QString::fromUtf8(after.body)));
}

void TstOperations::metricsTimeStoreCommitsAndShowTheDescriptorHeadroom() {
    ServerWorld world;
    NATTER_WORLD(world, {"Ann", "Bob"}, ServerWorld::Sessions::None);
    TestClient &a = world.user("Ann"), &b = world.user("Bob");
    TestClient scraper(world.server());
    const HttpResult before = scraper.request("GET", "/metrics");
    QVERIFY2(before.status == 200, qPrintable(before.describe()));
    const QString text = QString::fromUtf8(before.body);
    QVERIFY2(before.body.contains("# TYPE natterd_store_commit_seconds histogram"), qPrintable(text));
    QVERIFY2(before.body.contains("natterd_store_commit_seconds_bucket{engine=\"sqlite\",le=\"+Inf\"}"), qPrintable(text));
    QCOMPARE(metricValue(before.body, "natterd_store_up"), 1.0);
    QCOMPARE(metricValue(before.body, "natterd_store_job_failures_total"), 0.0);
    QCOMPARE(metricValue(before.body, "natterd_push_failures_total"), 0.0);
    const double limit = metricValue(before.body, "natterd_descriptor_limit");
    const double open = metricValue(before.body, "natterd_open_descriptors");
    const double cap = metricValue(before.body, "natterd_max_connections");
    QVERIFY2(open > 0 && open < limit, qPrintable(text));
    QVERIFY2(cap > 0 && cap < limit, qPrintable(text));
    const double commitsBefore = metricValue(before.body, "natterd_store_commit_seconds_count");
    QVERIFY2(commitsBefore >= 1, qPrintable(text)); // the sign-ups were committed

    NATTER_SESSION(a);
    NATTER_SESSION(b);
    for (const char* id : {"m1", "m2", "m3"}) {
        const auto ack = a.sendTo(b, id, "hello");
        QVERIFY2(ack && ack->value("type") == "ack", qPrintable(ack ? compact(*ack) : a.describePending()));
    }
    const HttpResult after = scraper.request("GET", "/metrics");
    QVERIFY2(after.status == 200, qPrintable(after.describe()));
    const double commitsAfter = metricValue(after.body, "natterd_store_commit_seconds_count");
    QVERIFY2(commitsAfter >= commitsBefore + 3, qPrintable(QString::fromUtf8(after.body))); // each ack waited for a commit
    QCOMPARE(metricValue(after.body, "natterd_store_commit_seconds_bucket{engine=\"sqlite\",le=\"+Inf\"}"), commitsAfter);
    QVERIFY(metricValue(after.body, "natterd_store_commit_seconds_sum") > 0);
}

void TstOperations::helpExitsZeroAndListsMainOptions() {
    const ProcessOutcome out = NatterdProcess::runOnce({"--help"});
    QVERIFY2(out.finished, "natterd --help did not exit");
    QCOMPARE(out.exitStatus, QProcess::NormalExit);
    QCOMPARE(out.exitCode, 0);
    const QByteArray text = out.standardOutput + out.standardError;
    for (const char* option : {"--listen", "--data-dir", "--verification", "--tls-cert", "--sync-window",
                               "--push-allow-network", "--push-allow-loopback", "--max-devices", "--max-link-codes",
                               "--account-request-rate", "--account-request-burst", "--queue-retention",
                               "--max-connections", "--max-connections-per-address", "--preauth-timeout", "--store",
                               "--store-connections"})
        QVERIFY2(text.contains(option), qPrintable(QStringLiteral("--help does not mention %1:\n%2").arg(option).arg(QString::fromUtf8(text))));
}

void TstOperations::invalidCommandLineExitsNonZeroWithMessage_data() {
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("mentions");
    QTest::newRow("unknown flag") << QStringList{"--no-such-flag"} << "no-such-flag";
    QTest::newRow("non-numeric sync window") << QStringList{"--sync-window", "lots"} << "sync-window";
    QTest::newRow("unknown verification provider") << QStringList{"--verification", "carrier-pigeon"} << "verification";
    QTest::newRow("listen without port") << QStringList{"--listen", "localhost"} << "listen";
    QTest::newRow("tls cert without key") << QStringList{"--tls-cert", "/nonexistent/c.pem"} << "tls";
    QTest::newRow("no devices") << QStringList{"--max-devices", "0"} << "max-devices";
    QTest::newRow("push network not a CIDR") << QStringList{"--push-allow-network", "10.0.0.0/33"} << "push-allow-network";
    QTest::newRow("zero pre-auth timeout") << QStringList{"--preauth-timeout", "0"} << "preauth-timeout";
    QTest::newRow("store of an unknown engine") << QStringList{"--store", "mysql://db.example.org/natter"} << "--store";
    QTest::newRow("no store connections") << QStringList{"--store-connections", "0"} << "store-connections";
}

void TstOperations::invalidCommandLineExitsNonZeroWithMessage() {
    QFETCH(QStringList, args);
    QFETCH(QString, mentions);
    QTemporaryDir dir;
    // Everything else valid, so only the tested argument can be at fault.
    QStringList all{"--data-dir", dir.path()};
    if (!args.contains("--listen")) all << "--listen" << "127.0.0.1:0";
    if (!args.contains("--verification")) all << "--verification" << "fixed:123456";
    all += args;
    const ProcessOutcome out = NatterdProcess::runOnce(all, 10000);
    QVERIFY2(out.finished, qPrintable("natterd kept running with " + args.join(' ')));
    QCOMPARE(out.exitStatus, QProcess::NormalExit);
    QVERIFY2(out.exitCode != 0, qPrintable(QString::fromUtf8(out.standardError)));
    QVERIFY2(!out.standardOutput.contains("listening on"), qPrintable(QString::fromUtf8(out.standardOutput)));
    QVERIFY2(QString::fromUtf8(out.standardError).contains(mentions, Qt::CaseInsensitive),
             qPrintable(QStringLiteral("stderr does not mention '%1': %2").arg(mentions).arg(QString::fromUtf8(out.standardError))));
}

void TstOperations::configFileOptionsAreApplied() {
    QTemporaryDir dir;
    const QString path = dir.filePath("natterd.conf");
    QFile conf(path);
    QVERIFY(conf.open(QIODevice::WriteOnly));
    conf.write("# natterd test configuration\naccess-token-ttl = 1234\nsync-window = 10\n");
    conf.close();
    NatterdProcess server({"--config", path});
    NATTER_START(server);
    TestClient c(server);
    QCOMPARE(c.registerPhone(phoneNumber(1)).status, 200);
    const HttpResult ver = c.verify(phoneNumber(1), kFixedCode);
    QVERIFY2(ver.status == 200, qPrintable(ver.describe()));
    QCOMPARE(intField(ver.object(), "expires_in"), 1234);
}

void TstOperations::dataDirHoldsDatabaseAndPrivateSigningKey() {
    ServerWorld world;
    NATTER_WORLD(world, {"Ann"}, ServerWorld::Sessions::None); // her sign-up writes the database
    NatterdProcess& server = world.server();
    const QFileInfo db(server.dataDir() + "/natterd.db");
    const QFileInfo key(server.dataDir() + "/jwt.key");
    QVERIFY2(db.exists() && db.size() > 0, qPrintable(server.dataDir()));
    QVERIFY2(key.exists() && key.size() > 0, qPrintable(server.dataDir()));
    QCOMPARE(key.permissions() & (QFile::ReadGroup | QFile::WriteGroup | QFile::ReadOther | QFile::WriteOther | QFile::ExeOther | QFile::ExeGroup),
             QFile::Permissions());
    QFile keyFile(key.filePath());
    QVERIFY(keyFile.open(QIODevice::ReadOnly));
    const QByteArray keyBytes = keyFile.readAll();

    // Generated once: a restart keeps it.
    QCOMPARE(server.terminate(), 0);
    QVERIFY2(server.restart(), qPrintable(server.errorString()));
    QFile again(key.filePath());
    QVERIFY(again.open(QIODevice::ReadOnly));
    QCOMPARE(again.readAll(), keyBytes);
}

void TstOperations::tlsServesHttpsAndWss() {
    QTemporaryDir certDir;
    const QString cert = certDir.filePath("c.pem"), key = certDir.filePath("k.pem");
    QProcess openssl;
    openssl.start("openssl", {"req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=localhost", "-days", "1",
                              "-keyout", key, "-out", cert});
    QVERIFY2(openssl.waitForFinished(60000), "openssl did not finish");
    QVERIFY2(openssl.exitCode() == 0, openssl.readAllStandardError().constData());

    NatterdProcess server({"--tls-cert", cert, "--tls-key", key});
    NATTER_START(server);
    QVERIFY2(server.isTls(), qPrintable(server.listeningLine()));
    QVERIFY(server.listeningLine().startsWith("natterd: listening on https://127.0.0.1:"));

    TestClient a(server), b(server);
    NATTER_SIGNUP(a, phoneNumber(1), "Ann"); // register + verify over https
    NATTER_SIGNUP(b, phoneNumber(2), "Bob");
    QCOMPARE(a.request("GET", "/healthz").status, 200);
    NATTER_SESSION(a); // wss
    NATTER_SESSION(b);
    const auto ack = a.sendTo(b, "tls", "over tls");
    QVERIFY2(ack && ack->value("type") == "ack", qPrintable(ack ? compact(*ack) : a.describePending()));
    NATTER_TAKE(m, b, "message");
    QCOMPARE(m.value("content").toString(), b64("over tls"));

    // Plain HTTP on the TLS port gets no API answer.
    QTcpSocket plain;
    plain.connectToHost("127.0.0.1", server.port());
    QVERIFY(plain.waitForConnected(5000));
    plain.write("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
    plain.waitForBytesWritten(2000);
    plain.waitForReadyRead(2000);
    QVERIFY2(!plain.readAll().contains("\"status\":\"ok\""), "TLS port answered plain HTTP");
}

// Nodes of a cluster share --jwt-key; rotating it must not sign everybody out at once: tokens of
// the previous key stay valid while it is listed with --jwt-previous-key, and only then.
void TstOperations::rotatedSigningKeyAcceptsOldTokensOnlyWhileListedAsPrevious() {
    QTemporaryDir keys;
    const QString oldKey = keys.filePath("old.key"), newKey = keys.filePath("new.key");
    ServerWorld world({"--jwt-key", oldKey});
    NATTER_WORLD(world, {"Ann"}, ServerWorld::Sessions::None);
    TestClient& c = world.user("Ann");
    NatterdProcess& server = world.server();
    const QString oldToken = c.accessToken();
    QCOMPARE(QFileInfo(oldKey).size(), 32);
    QVERIFY(!QFileInfo::exists(server.dataDir() + "/jwt.key"));

    QFile fresh(newKey);
    QVERIFY(fresh.open(QIODevice::WriteOnly));
    QVERIFY(fresh.setPermissions(QFile::ReadOwner | QFile::WriteOwner));
    fresh.write(QByteArray(32, 'k'));
    fresh.close();
    server.setExtraArgs({"--jwt-key", newKey, "--jwt-previous-key", oldKey});
    QVERIFY2(server.restart(), qPrintable(server.errorString()));
    QCOMPARE(c.request("GET", "/api/devices").status, 200);
    const HttpResult reissued = c.request("POST", "/api/token",
                                          QJsonObject{{"user_id", c.userId()}, {"device_id", c.deviceId()},
                                                      {"device_secret", c.deviceSecret()}});
    QVERIFY2(reissued.status == 200, qPrintable(reissued.describe()));
    const QString newToken = reissued.object().value("access_token").toString();
    QVERIFY(!newToken.isEmpty() && newToken != oldToken);

    server.setExtraArgs({"--jwt-key", newKey});
    QVERIFY2(server.restart(), qPrintable(server.errorString()));
    const HttpResult refused = c.request("GET", "/api/devices");
    QCOMPARE(refused.status, 401);
    QVERIFY2(refused.object().value("message").toString().contains("unknown key"), qPrintable(refused.describe()));
    c.setAccessToken(newToken);
    QCOMPARE(c.request("GET", "/api/devices").status, 200);

    server.setExtraArgs({"--jwt-key", newKey, "--jwt-previous-key", keys.filePath("missing.key")});
    QVERIFY(!server.restart(5000));
    QVERIFY2(server.standardError().contains("missing.key does not exist"), server.standardError().constData());
}

// /healthz is what a load balancer asks: 503 while the store cannot be reached, 200 again once
// PostgreSQL is back, without restarting natterd.
void TstOperations::healthIsUnavailableWhilePostgresIsDownAndRecoversWithIt() {
    PostgresProcess postgres; // its own server: this test stops it
    QVERIFY2(postgres.start(), postgres.errorString().c_str());
    const std::string db = postgres.createDatabase();
    QVERIFY2(!db.empty(), postgres.errorString().c_str());
    NatterdProcess server({"--store", QString::fromStdString(db), "--store-connections", "2"});
    NATTER_START(server);
    TestClient client(server);
    const auto health = [&] { return client.request("GET", "/healthz").status; };
    QCOMPARE(health(), 200);
    postgres.stop();
    QTRY_COMPARE_WITH_TIMEOUT(health(), 503, 20000);
    const HttpResult down = client.request("GET", "/healthz");
    QCOMPARE(down.object().value("status").toString(), QStringLiteral("unavailable"));
    QVERIFY2(postgres.restart(), postgres.errorString().c_str());
    QTRY_COMPARE_WITH_TIMEOUT(health(), 200, 20000);
}

void TstOperations::unreachablePostgresStopsTheStartWithAnError() {
    QTemporaryDir dir;
    const ProcessOutcome out = NatterdProcess::runOnce(
        {"--data-dir", dir.path(), "--listen", "127.0.0.1:0", "--store", "postgres://postgres@127.0.0.1:1/natter"}, 20000);
    QVERIFY(out.finished);
    QCOMPARE(out.exitCode, 1);
    QVERIFY2(!out.standardOutput.contains("listening on"), out.standardOutput.constData());
    QVERIFY2(out.standardError.contains("cannot open the store"), out.standardError.constData());
}

QTEST_GUILESS_MAIN(TstOperations)
#include "tst_operations.moc"
