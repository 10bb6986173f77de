// SIGHUP on a running natterd (issue 17): a renewed TLS certificate reaches new connections
// while open ones keep going; a broken certificate is refused and the one in use stays; a new
// log level in the config file takes effect; a config file with an error changes nothing;
// lowered rate and size limits are enforced at once, on connections already open, and options
// that cannot change while serving are named as needing a restart; lowered device, link-code
// and connection caps refuse the next link, code or connection while what is open stays; lowered
// lookup budgets and code limits count what was spent in their window, a lowered media quota
// what is stored.
#include "natterd_process.h"
#include "server_metrics.h"
#include "test_client.h"

#include <QFile>
#include <QJsonArray>
#include <QProcess>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QSslSocket>
#include <QTemporaryDir>
#include <QTcpSocket>
#include <QTest>

#include <csignal>

using namespace natter::test;

namespace {

QString makeCertificate(const QString& cert, const QString& key, const QString& commonName) {
    QProcess openssl;
    openssl.start("openssl", {"req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=" + commonName, "-days", "1",
                              "-keyout", key, "-out", cert});
    if (!openssl.waitForFinished(60000) || openssl.exitCode() != 0) return QString::fromUtf8(openssl.readAllStandardError());
    return {};
}

// The common name of the certificate a new TLS connection to the server gets.
QString servedName(const NatterdProcess& server) {
    QSslSocket socket;
    socket.setPeerVerifyMode(QSslSocket::VerifyNone);
    socket.connectToHostEncrypted("127.0.0.1", server.port());
    if (!socket.waitForEncrypted(10000)) return "(no handshake: " + socket.errorString() + ")";
    const QStringList names = socket.peerCertificate().subjectInfo(QSslCertificate::CommonName);
    return names.value(0);
}

bool writeFile(const QString& path, const QByteArray& bytes) {
    QFile f(path);
    return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(bytes) == bytes.size();
}

int hangup(const NatterdProcess& server) { return ::kill(pid_t(server.pid()), SIGHUP); }

// Writes the config file, sends SIGHUP and waits for natterd to log that it reloaded `taken`.
bool reloadWith(const NatterdProcess& server, const QString& config, const QByteArray& text, const QByteArray& taken) {
    if (!writeFile(config, text) || hangup(server) != 0) return false;
    return QTest::qWaitFor([&] { return server.standardError().contains("SIGHUP: reloaded " + taken); }, 10000);
}

// GET /healthz on a new connection: the response, or nothing when natterd closed it at once.
QByteArray healthOnNewConnection(const NatterdProcess& server) {
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, server.port());
    if (!socket.waitForConnected(3000)) return {};
    socket.write("GET /healthz HTTP/1.1\r\nHost: natterd\r\nConnection: close\r\n\r\n");
    QByteArray response;
    QDeadlineTimer deadline(3000);
    while (!deadline.hasExpired() && socket.state() == QAbstractSocket::ConnectedState) {
        socket.waitForReadyRead(int(std::max<qint64>(1, deadline.remainingTime())));
        response += socket.readAll();
    }
    return response + socket.readAll();
}

// POST /api/contacts/lookup for `count` numbers from phoneNumber(from) on.
HttpResult lookUp(TestClient& who, int from, int count) {
    QJsonArray phones;
    for (int i = 0; i < count; ++i) phones.append(phoneNumber(from + i));
    return who.request("POST", "/api/contacts/lookup", QJsonObject{{"phones", phones}});
}

QString delivered(TestClient& from, TestClient& to, const QString& id) {
    const auto ack = from.sendTo(to, id, "still here");
    if (!ack || ack->value("type") != "ack") return "no ack: " + (ack ? compact(*ack) : from.describePending());
    const auto m = to.waitFor("message");
    if (!m) return "not delivered: " + to.describePending();
    return {};
}

} // namespace

class TstReload : public QObject {
    Q_OBJECT
private slots:
    void hangupServesTheRenewedCertificateAndKeepsOpenConnections();
    void hangupWithABrokenCertificateKeepsServingTheOneInUse();
    void hangupAppliesTheConfigFilesLogLevelAndIgnoresAFileWithAnError();
    void hangupEnforcesLoweredLimitsOnOpenConnectionsAndNamesWhatNeedsARestart();
    void hangupLoweringMaxDevicesRefusesTheNextLinkAndKeepsLinkedDevices();
    void hangupLoweringMaxLinkCodesRefusesTheNextCode();
    void hangupLoweringTheConnectionCapsRefusesNewConnectionsWhileOpenOnesStay();
    void hangupLoweringTheLookupBudgetsCountsWhatWasLookedUpToday();
    void hangupLoweringTheCodeLimitsCountsTheCodesOfTheLastHour();
    void hangupLoweringTheMediaQuotaCountsWhatIsStored();
};

void TstReload::hangupServesTheRenewedCertificateAndKeepsOpenConnections() {
    QTemporaryDir dir;
    const QString cert = dir.filePath("cert.pem"), key = dir.filePath("key.pem");
    const QString made = makeCertificate(cert, key, "first.example");
    QVERIFY2(made.isEmpty(), qPrintable(made));
    NatterdProcess server({"--tls-cert", cert, "--tls-key", key});
    NATTER_START(server);
    QCOMPARE(servedName(server), QStringLiteral("first.example"));

    TestClient a(server), b(server);
    NATTER_SIGNUP(a, phoneNumber(1), "Ann");
    NATTER_SIGNUP(b, phoneNumber(2), "Bob");
    NATTER_SESSION(a);
    NATTER_SESSION(b);

    // certbot renews in place: the same paths, new files.
    const QString renewed = makeCertificate(cert, key, "renewed.example");
    QVERIFY2(renewed.isEmpty(), qPrintable(renewed));
    QCOMPARE(servedName(server), QStringLiteral("first.example")); // nothing changes before the signal
    QCOMPARE(hangup(server), 0);
    QTRY_VERIFY_WITH_TIMEOUT(server.standardError().contains("SIGHUP: reloaded TLS certificate"), 10000);
    QCOMPARE(servedName(server), QStringLiteral("renewed.example"));

    // The sessions opened on the old certificate go on.
    const auto ack = a.sendTo(b, "after-reload", "still connected");
    QVERIFY2(ack && ack->value("type") == "ack", qPrintable(ack ? compact(*ack) : a.describePending()));
    NATTER_TAKE(m, b, "message");
    QCOMPARE(m.value("content").toString(), b64("still connected"));
}

void TstReload::hangupWithABrokenCertificateKeepsServingTheOneInUse() {
    QTemporaryDir dir;
    const QString cert = dir.filePath("cert.pem"), key = dir.filePath("key.pem");
    const QString made = makeCertificate(cert, key, "in-use.example");
    QVERIFY2(made.isEmpty(), qPrintable(made));
    NatterdProcess server({"--tls-cert", cert, "--tls-key", key});
    NATTER_START(server);

    QVERIFY(writeFile(cert, "-----BEGIN CERTIFICATE-----\nhalf a renewal\n"));
    QCOMPARE(hangup(server), 0);
    QTRY_VERIFY_WITH_TIMEOUT(server.standardError().contains("SIGHUP: kept the TLS certificate in use"), 10000);
    QVERIFY(server.isRunning());
    QCOMPARE(servedName(server), QStringLiteral("in-use.example"));
    TestClient c(server);
    QCOMPARE(c.request("GET", "/healthz").status, 200);
}

void TstReload::hangupAppliesTheConfigFilesLogLevelAndIgnoresAFileWithAnError() {
    QTemporaryDir dir;
    const QString config = dir.filePath("natterd.conf");
    QVERIFY(writeFile(config, "log-level = info\n"));
    NatterdProcess server({"--config", config});
    NATTER_START(server);
    TestClient c(server);
    NATTER_SIGNUP(c, phoneNumber(1), "Ann");
    const auto upload = [&] { return c.rawRequest("POST", "/api/media", QByteArray(1000, 'x')).status; };
    QCOMPARE(upload(), 200);
    QVERIFY(!server.standardError().contains("media: user")); // a debug line

    QVERIFY(writeFile(config, "log-level = debug\n"));
    QCOMPARE(hangup(server), 0);
    QTRY_VERIFY_WITH_TIMEOUT(server.standardError().contains("SIGHUP: reloaded log level debug"), 10000);
    QCOMPARE(upload(), 200);
    QTRY_VERIFY_WITH_TIMEOUT(server.standardError().contains("media: user"), 10000);

    QVERIFY(writeFile(config, "log-level = loud\n"));
    QCOMPARE(hangup(server), 0);
    QTRY_VERIFY_WITH_TIMEOUT(server.standardError().contains("SIGHUP: the configuration has an error, nothing reloaded"),
                             10000);
    QVERIFY(server.isRunning());
    QCOMPARE(c.request("GET", "/healthz").status, 200);
}

void TstReload::hangupEnforcesLoweredLimitsOnOpenConnectionsAndNamesWhatNeedsARestart() {
    NatterdProcess server;
    const QString config = server.dataDir() + "/natterd.conf";
    QVERIFY(writeFile(config, "media-max-bytes = 5000\nmessage-rate = 1000\n"));
    server.setExtraArgs({"--config", config});
    NATTER_START(server);
    TestClient a(server), b(server);
    NATTER_SIGNUP(a, phoneNumber(1), "Ann");
    const auto upload = [&](int bytes) { return a.rawRequest("POST", "/api/media", QByteArray(bytes, 'x')).status; };
    QCOMPARE(upload(3000), 200);
    NATTER_SIGNUP(b, phoneNumber(2), "Bob");
    NATTER_SESSION(a);
    NATTER_SESSION(b);
    const auto before = a.sendTo(b, "before", "under the old limits");
    QVERIFY2(before && before->value("type") == "ack", qPrintable(before ? compact(*before) : a.describePending()));
    NATTER_TAKE(m, b, "message");

    QVERIFY(writeFile(config, "media-max-bytes = 2000\nmessage-rate = 0.01\nmax-group-size = 50\n"));
    QCOMPARE(hangup(server), 0);
    QTRY_VERIFY_WITH_TIMEOUT(server.standardError().contains("SIGHUP: reloaded message-rate 0.01, media-max-bytes 2000"),
                             10000);
    QVERIFY(server.standardError().contains("SIGHUP: changed in the configuration, needs a restart: max-group-size"));

    QCOMPARE(upload(3000), 413);
    QCOMPARE(upload(1000), 200);
    const HttpResult policy = a.request("GET", "/api/config");
    QCOMPARE(policy.object().value("max_media_bytes").toInteger(), 2000);
    // The session opened under the old rate is held to the new one, and stays open.
    const auto after = a.sendTo(b, "after", "over the new rate");
    QVERIFY2(after && after->value("type") == "error", qPrintable(after ? compact(*after) : a.describePending()));
    QCOMPARE(after->value("code").toString(), QStringLiteral("rate_limited"));
    QVERIFY(a.pingPong());
    QVERIFY(b.pingPong());
    QVERIFY(a.isConnected() && b.isConnected());
}

void TstReload::hangupLoweringMaxDevicesRefusesTheNextLinkAndKeepsLinkedDevices() {
    NatterdProcess server;
    const QString config = server.dataDir() + "/natterd.conf";
    QVERIFY(writeFile(config, "max-devices = 3\n"));
    server.setExtraArgs({"--config", config});
    NATTER_START(server);
    TestClient phone(server), laptop(server), tablet(server), friendly(server);
    NATTER_SIGNUP(phone, phoneNumber(1), "Ann");
    NATTER_SIGNUP(friendly, phoneNumber(2), "Bob");
    QVERIFY2(laptop.addDevice(phoneNumber(1), "laptop"), qPrintable(laptop.lastError()));

    QVERIFY(reloadWith(server, config, "max-devices = 2\n", "max-devices 2"));
    QCOMPARE(phone.request("GET", "/api/config").object().value("max_devices").toInteger(), 2);
    QVERIFY(!tablet.addDevice(phoneNumber(1), "tablet"));
    QVERIFY2(tablet.lastError().contains("409"), qPrintable(tablet.lastError()));

    // The devices linked under the old cap keep working.
    NATTER_SESSION(laptop);
    NATTER_SESSION(friendly);
    const QString sent = delivered(laptop, friendly, "from-laptop");
    QVERIFY2(sent.isEmpty(), qPrintable(sent));

    QVERIFY(reloadWith(server, config, "max-devices = 3\n", "max-devices 3"));
    QVERIFY2(tablet.addDevice(phoneNumber(1), "tablet"), qPrintable(tablet.lastError()));
}

void TstReload::hangupLoweringMaxLinkCodesRefusesTheNextCode() {
    NatterdProcess server;
    const QString config = server.dataDir() + "/natterd.conf";
    QVERIFY(writeFile(config, "max-link-codes = 3\n"));
    server.setExtraArgs({"--config", config});
    NATTER_START(server);
    TestClient phone(server);
    NATTER_SIGNUP(phone, phoneNumber(1), "Ann");
    const auto newCode = [&] { return phone.request("POST", "/api/devices/link-code", QJsonObject{{"provision", "AA=="}}); };
    NATTER_HTTP(newCode(), 200);

    QVERIFY(reloadWith(server, config, "max-link-codes = 1\n", "max-link-codes 1"));
    const HttpResult refused = newCode();
    NATTER_HTTP(refused, 429);
    QVERIFY2(refused.object().value("message").toString().contains("1 unused link codes"), qPrintable(refused.describe()));
}

void TstReload::hangupLoweringTheConnectionCapsRefusesNewConnectionsWhileOpenOnesStay() {
    NatterdProcess server;
    const QString config = server.dataDir() + "/natterd.conf";
    QVERIFY(writeFile(config, "max-connections = 100\n"));
    server.setExtraArgs({"--config", config});
    NATTER_START(server);
    TestClient a(server), b(server);
    NATTER_SIGNUP(a, phoneNumber(1), "Ann");
    NATTER_SIGNUP(b, phoneNumber(2), "Bob");
    NATTER_SESSION(a);
    NATTER_SESSION(b);
    QVERIFY(healthOnNewConnection(server).startsWith("HTTP/1.1 200"));

    // Two sessions are open: a cap of one refuses every new connection and closes none.
    QVERIFY(reloadWith(server, config, "max-connections = 1\n", "max-connections 1"));
    QCOMPARE(healthOnNewConnection(server), QByteArray());
    QString sent = delivered(a, b, "under-the-global-cap");
    QVERIFY2(sent.isEmpty(), qPrintable(sent));

    QVERIFY(reloadWith(server, config, "max-connections-per-address = 1\n",
                       "max-connections 0, max-connections-per-address 1"));
    QCOMPARE(healthOnNewConnection(server), QByteArray());
    sent = delivered(b, a, "under-the-address-cap");
    QVERIFY2(sent.isEmpty(), qPrintable(sent));

    QVERIFY(reloadWith(server, config, "", "max-connections-per-address 256"));
    QVERIFY(healthOnNewConnection(server).startsWith("HTTP/1.1 200"));
    TestClient scraper(server);
    QCOMPARE(metricValue(scraper, "natterd_connections_refused_total{reason=\"global\"}"), 1.0);
    QCOMPARE(metricValue(scraper, "natterd_connections_refused_total{reason=\"per_address\"}"), 1.0);
    QVERIFY(a.isConnected() && b.isConnected());
}

void TstReload::hangupLoweringTheLookupBudgetsCountsWhatWasLookedUpToday() {
    NatterdProcess server;
    const QString config = server.dataDir() + "/natterd.conf";
    QVERIFY(writeFile(config, "lookups-per-account = 10\n"));
    server.setExtraArgs({"--config", config});
    NATTER_START(server);
    TestClient ann(server), bob(server);
    NATTER_SIGNUP(ann, phoneNumber(1), "Ann");
    NATTER_SIGNUP(bob, phoneNumber(2), "Bob");
    NATTER_HTTP(lookUp(ann, 100, 3), 200);

    // Ann looked up 3 numbers today: a budget of 4 leaves her one more.
    QVERIFY(reloadWith(server, config, "lookups-per-account = 4\n", "lookups-per-account 4"));
    QCOMPARE(ann.request("GET", "/api/config").object().value("lookups_per_day").toInteger(), 4);
    const HttpResult over = lookUp(ann, 200, 2);
    NATTER_HTTP(over, 429);
    QVERIFY2(over.object().value("message").toString().contains("at most 4 per account"), qPrintable(over.describe()));
    NATTER_HTTP(lookUp(ann, 300, 1), 200);

    // The address (Ann's and Bob's) looked up 4: a budget of 4 refuses Bob's first.
    QVERIFY(reloadWith(server, config, "lookups-per-address = 4\n",
                       "lookups-per-account 1000, lookups-per-address 4"));
    NATTER_HTTP(lookUp(bob, 400, 1), 429);
}

void TstReload::hangupLoweringTheCodeLimitsCountsTheCodesOfTheLastHour() {
    NatterdProcess server;
    const QString config = server.dataDir() + "/natterd.conf";
    QVERIFY(writeFile(config, "codes-per-address = 10\n"));
    server.setExtraArgs({"--config", config});
    NATTER_START(server);
    TestClient c(server);
    NATTER_HTTP(c.registerPhone(phoneNumber(1)), 200);
    NATTER_HTTP(c.registerPhone(phoneNumber(2)), 200);

    // Two codes went to this address this hour: a limit of 3 leaves one more.
    QVERIFY(reloadWith(server, config, "codes-per-address = 3\n", "codes-per-address 3"));
    NATTER_HTTP(c.registerPhone(phoneNumber(3)), 200);
    const HttpResult address = c.registerPhone(phoneNumber(4));
    NATTER_HTTP(address, 429);
    QVERIFY2(address.object().value("message").toString().contains("from your address"), qPrintable(address.describe()));

    // The server sent three codes this hour: a global limit of 3 refuses the next, whoever asks.
    QVERIFY(reloadWith(server, config, "codes-global = 3\n", "codes-per-address 20, codes-global 3"));
    const HttpResult global = c.registerPhone(phoneNumber(5));
    NATTER_HTTP(global, 429);
    QVERIFY2(global.object().value("message").toString().contains("too many verification codes; try again"),
             qPrintable(global.describe()));
}

void TstReload::hangupLoweringTheMediaQuotaCountsWhatIsStored() {
    NatterdProcess server;
    const QString config = server.dataDir() + "/natterd.conf";
    QVERIFY(writeFile(config, "media-quota = 10000\n"));
    server.setExtraArgs({"--config", config});
    NATTER_START(server);
    TestClient a(server);
    NATTER_SIGNUP(a, phoneNumber(1), "Ann");
    const auto upload = [&](int bytes) { return a.rawRequest("POST", "/api/media", QByteArray(bytes, 'x')); };
    NATTER_HTTP(upload(3000), 200);

    // 3000 bytes are stored: a quota of 4000 leaves room for 1000 more.
    QVERIFY(reloadWith(server, config, "media-quota = 4000\n", "media-quota 4000"));
    QCOMPARE(a.request("GET", "/api/config").object().value("media_quota_bytes").toInteger(), 4000);
    const HttpResult over = upload(2000);
    NATTER_HTTP(over, 413);
    QVERIFY2(over.object().value("message").toString().contains("3000 of 4000 bytes"), qPrintable(over.describe()));
    NATTER_HTTP(upload(1000), 200);
}

QTEST_GUILESS_MAIN(TstReload)
#include "tst_reload.moc"
