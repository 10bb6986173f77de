// Push wake-ups against a real natterd and a local HTTP receiver: registration, the
// content-free payload, who is woken, coalescing, retries, dropped endpoints (and their
// natterd_push_* figures), TLS, --push log.
// The receiver listens on loopback, which natterd refuses as a push target unless told
// otherwise: every server here runs with --push-allow-loopback (tst_push_targets covers the refusal).
// natterd's coalescing window and retry backoff run on Asio steady timers (the real monotonic
// clock, which the adjustable clock does not move), so "nothing more is sent" waits for natterd's
// debug line that a device's wake-ups went quiet rather than for a fixed quiet period.
#include "natterd_process.h"
#include "push_receiver.h"
#include "server_metrics.h"
#include "server_world.h"
#include "test_client.h"

#include <QFile>
#include <QProcess>
#include <QSslCertificate>
#include <QSslKey>
#include <QTemporaryDir>
#include <QTest>

using namespace natter::test;

// Sends `text` from `from` to every device of `to` and requires the "sent" ack.
#define NATTER_SEND(from, to, cmid, text)                                                    \
    do {                                                                                     \
        const auto ack_ = (from).sendTo((to), (cmid), (text));                               \
        QVERIFY2(ack_ && ack_->value("type") == "ack",                                       \
                 qPrintable(ack_ ? compact(*ack_) : (from).describePending()));              \
    } while (false)

namespace {

constexpr int kWakeTimeoutMs = 10000; // a wake-up normally arrives within milliseconds
// A device that is not woken at all leaves no event to wait for: its absence needs a bound.
constexpr int kNoWakeMs = 1000;
// --log-level debug: natterd logs when a device's wake-ups went quiet, the event the tests wait for.
const QStringList kLoopbackReceiver{QStringLiteral("--push-allow-loopback"), QStringLiteral("--log-level"),
                                    QStringLiteral("debug")};

// The endpoint path is a capability (like a UnifiedPush token): it must never reach the log.
const QString kSecretPath = QStringLiteral("/up/Zk3x9SecretTokenQ7");

HttpResult registerEndpoint(TestClient& device, const QString& endpoint) {
    return device.request("PUT", "/api/push", QJsonObject{{"endpoint", endpoint}});
}

QStringList sortedKeys(const QJsonObject& o) {
    QStringList keys = o.keys();
    keys.sort();
    return keys;
}

// How often natterd logged that `device`'s wake-ups went quiet: its coalescing window (real
// time: Asio steady timers, which the adjustable clock does not move) ended with nothing
// pending, so nothing more is sent to it until the next wake-up.
int quietCount(const NatterdProcess& server, const TestClient& device) {
    const QByteArray line = QStringLiteral("wake-ups for device %1.%2 went quiet")
                                .arg(device.userId())
                                .arg(device.deviceId())
                                .toUtf8();
    return int(server.standardError().count(line));
}

// Waits until `device`'s wake-ups went quiet for the `nth` time.
bool wentQuiet(const NatterdProcess& server, const TestClient& device, int nth = 1) {
    return QTest::qWaitFor([&] { return quietCount(server, device) >= nth; }, kWakeTimeoutMs);
}

QString describe(const PushReceiver& receiver) {
    QStringList out;
    for (const auto& r : receiver.requests()) out << QString::fromUtf8(r.method + ' ' + r.target + ' ' + r.body);
    return QStringLiteral("%1 request(s): %2").arg(receiver.count()).arg(out.join(" | "));
}

} // namespace

class TstPush : public QObject {
    Q_OBJECT
private slots:
    void endpointCanBeRegisteredReadReplacedAndDeletedPerDevice();
    void invalidEndpointIsRejected_data();
    void invalidEndpointIsRejected();
    void offlineDeviceGetsContentFreeWakeUp();
    void onlineDeviceGetsNoWakeUp();
    void receiptWakesOfflineSender();
    void burstToOfflineDeviceIsCoalesced();
    void endpointAnswering410IsDropped();
    void serverErrorIsRetried();
    void unregisteringStopsWakeUps();
    void httpsEndpointIsVerifiedAgainstTrustedCertificateAndHostName();
    void logProviderWritesWakeUpToServerLog();
    void pushOptionIsDocumentedAndChecked();
};

void TstPush::endpointCanBeRegisteredReadReplacedAndDeletedPerDevice() {
    NatterdProcess server(kLoopbackReceiver);
    NATTER_START(server);
    TestClient b1(server), b2(server);
    NATTER_SIGNUP(b1, phoneNumber(2), "Bob");
    QVERIFY2(b2.addDevice(phoneNumber(2)), qPrintable(b2.lastError()));

    HttpResult get = b1.request("GET", "/api/push");
    QVERIFY2(get.status == 404, qPrintable(get.describe()));
    QCOMPARE(get.errorCode(), QStringLiteral("not_found"));

    const QString first = QStringLiteral("https://push.example.org/up/abc?x=1");
    HttpResult put = registerEndpoint(b1, first);
    QVERIFY2(put.status == 200, qPrintable(put.describe()));
    QCOMPARE(put.object(), (QJsonObject{{"endpoint", first}}));
    get = b1.request("GET", "/api/push");
    QVERIFY2(get.status == 200, qPrintable(get.describe()));
    QCOMPARE(get.object().value("endpoint").toString(), first);

    const QString second = QStringLiteral("http://push2.example.org:8080/hook");
    QCOMPARE(registerEndpoint(b1, second).status, 200);
    QCOMPARE(b1.request("GET", "/api/push").object().value("endpoint").toString(), second);
    QCOMPARE(b2.request("GET", "/api/push").status, 404); // endpoints belong to one device

    const HttpResult del = b1.request("DELETE", "/api/push");
    QVERIFY2(del.status == 204, qPrintable(del.describe()));
    QCOMPARE(b1.request("GET", "/api/push").status, 404);
    QCOMPARE(b1.request("DELETE", "/api/push").status, 204);

    TestClient anonymous(server);
    const QByteArray body = QJsonDocument(QJsonObject{{"endpoint", "https://a.example/x"}}).toJson();
    QCOMPARE(anonymous.rawRequest("PUT", "/api/push", body, false).status, 401);
}

void TstPush::invalidEndpointIsRejected_data() {
    QTest::addColumn<QJsonValue>("endpoint");
    QTest::newRow("empty") << QJsonValue("");
    QTest::newRow("no scheme") << QJsonValue("push.example.org/up");
    QTest::newRow("ftp") << QJsonValue("ftp://push.example.org/up");
    QTest::newRow("no host") << QJsonValue("https:///up");
    QTest::newRow("space") << QJsonValue("https://push.example.org/u p");
    QTest::newRow("user info") << QJsonValue("https://user:pw@push.example.org/up");
    QTest::newRow("port 0") << QJsonValue("http://push.example.org:0/up");
    QTest::newRow("port too big") << QJsonValue("http://push.example.org:65536/up");
    QTest::newRow("empty port") << QJsonValue("http://push.example.org:/up");
    QTest::newRow("bad host") << QJsonValue("http://push!example.org/up");
    QTest::newRow("2049 bytes") << QJsonValue("https://push.example.org/" + QString(2049 - 25, 'a'));
    QTest::newRow("not a string") << QJsonValue(42);
}

void TstPush::invalidEndpointIsRejected() {
    QFETCH(QJsonValue, endpoint);
    NatterdProcess server(kLoopbackReceiver);
    NATTER_START(server);
    TestClient b(server);
    NATTER_SIGNUP(b, phoneNumber(2), "Bob");
    const HttpResult put = b.request("PUT", "/api/push", QJsonObject{{"endpoint", endpoint}});
    QVERIFY2(put.status == 400, qPrintable(put.describe()));
    QCOMPARE(put.errorCode(), QStringLiteral("invalid_field"));
    QCOMPARE(b.request("GET", "/api/push").status, 404); // nothing stored

    const QString longest = "https://push.example.org/" + QString(2048 - 25, 'a');
    QCOMPARE(longest.size(), 2048);
    const HttpResult ok = registerEndpoint(b, longest);
    QVERIFY2(ok.status == 200, qPrintable(ok.describe()));
}

void TstPush::offlineDeviceGetsContentFreeWakeUp() {
    PushReceiver receiver;
    QVERIFY(receiver.listen());
    ServerWorld world(kLoopbackReceiver);
    NATTER_WORLD(world, {"Alice Sendername", "Bob"}, ServerWorld::Sessions::None);
    TestClient &a = world.user("Alice Sendername"), &b = world.user("Bob");
    QCOMPARE(registerEndpoint(b, receiver.url(kSecretPath)).status, 200);
    NATTER_SESSION(a); // b stays offline

    const QByteArray content = "meet me at the secret place";
    const auto ack = a.sendTo(b, "w1", content);
    QVERIFY2(ack && ack->value("type") == "ack", qPrintable(ack ? compact(*ack) : a.describePending()));

    QVERIFY2(receiver.waitForCount(1, kWakeTimeoutMs), qPrintable(describe(receiver)));
    const auto& wake = receiver.requests().first();
    QCOMPARE(wake.method, QByteArray("POST"));
    QCOMPARE(QString::fromUtf8(wake.target), kSecretPath);
    QVERIFY2(wake.headers.value("content-type").startsWith("application/json"), wake.headers.value("content-type"));
    QCOMPARE(sortedKeys(wake.json()), (QStringList{"badge", "chat_id"}));
    QCOMPARE(wake.json().value("chat_id").toString(), a.chatWith(b));
    QCOMPARE(intField(wake.json(), "badge"), 1);
    for (const QByteArray& secret : {content, content.toBase64(), QByteArray("Alice"), QByteArray("Sendername")})
        QVERIFY2(!wake.body.contains(secret), wake.body.constData());
    QVERIFY2(wentQuiet(world.server(), b), qPrintable(describe(receiver)));
    QCOMPARE(receiver.count(), 1);
    QVERIFY2(!world.server().standardError().contains(kSecretPath.toUtf8()), "the endpoint URL reached the log");
}

void TstPush::onlineDeviceGetsNoWakeUp() {
    PushReceiver receiver;
    QVERIFY(receiver.listen());
    ServerWorld world(kLoopbackReceiver);
    NATTER_WORLD(world, {"Ann", "Bob"}, ServerWorld::Sessions::None);
    TestClient &a = world.user("Ann"), &b = world.user("Bob");
    QCOMPARE(registerEndpoint(b, receiver.url("/b")).status, 200);
    NATTER_SESSION(a);
    NATTER_SESSION(b);

    const auto ack = a.sendTo(b, "o1", "hello");
    QVERIFY2(ack && ack->value("type") == "ack", qPrintable(ack ? compact(*ack) : a.describePending()));
    NATTER_TAKE(m, b, "message");
    b.send(QJsonObject{{"type", "typing"}, {"chat_id", b.chatWith(a)}, {"state", "start"}});
    QVERIFY2(receiver.expectNoMore(kNoWakeMs), qPrintable(describe(receiver)));
    QCOMPARE(receiver.count(), 0);
    QCOMPARE(quietCount(world.server(), b), 0); // natterd never considered waking it
}

void TstPush::receiptWakesOfflineSender() {
    PushReceiver receiver;
    QVERIFY(receiver.listen());
    ServerWorld world(kLoopbackReceiver);
    NATTER_WORLD(world, {"Ann", "Bob"}, ServerWorld::Sessions::None);
    TestClient &a = world.user("Ann"), &b = world.user("Bob");
    QCOMPARE(registerEndpoint(a, receiver.url("/a")).status, 200);
    NATTER_SESSION(a);
    NATTER_SESSION(b);
    const auto ack = a.sendTo(b, "r1", "hello");
    QVERIFY2(ack && ack->value("type") == "ack", qPrintable(ack ? compact(*ack) : a.describePending()));
    NATTER_TAKE(m, b, "message");
    a.closeWs();
    QVERIFY(receiver.expectNoMore(500)); // going offline (presence) wakes nobody

    b.ackDelivered(intField(m, "message_id"));
    QVERIFY2(receiver.waitForCount(1, kWakeTimeoutMs), qPrintable(describe(receiver)));
    QCOMPARE(receiver.requests().first().json().value("chat_id").toString(), a.chatWith(b));
    QCOMPARE(intField(receiver.requests().first().json(), "badge"), 1);
}

void TstPush::burstToOfflineDeviceIsCoalesced() {
    PushReceiver receiver;
    QVERIFY(receiver.listen());
    ServerWorld world(kLoopbackReceiver);
    NATTER_WORLD(world, {"Ann", "Bob"}, ServerWorld::Sessions::None);
    TestClient &a = world.user("Ann"), &b = world.user("Bob");
    QCOMPARE(registerEndpoint(b, receiver.url("/b")).status, 200);
    NATTER_SESSION(a);

    const QJsonArray to = TestClient::envelopes(a.recipientsFor(b.userId()), "burst");
    for (int i = 1; i <= 20; ++i) a.send(TestClient::messageFrame(a.chatWith(b), QStringLiteral("b%1").arg(i), to));
    for (int i = 1; i <= 20; ++i) {
        const auto ack = a.waitForSendResult(QStringLiteral("b%1").arg(i));
        QVERIFY2(ack && ack->value("type") == "ack", qPrintable(ack ? compact(*ack) : a.describePending()));
    }

    const auto lastBadge = [&] { return receiver.count() ? intField(receiver.requests().last().json(), "badge") : 0; };
    QVERIFY2(QTest::qWaitFor([&] { return lastBadge() == 20; }, kWakeTimeoutMs), qPrintable(describe(receiver)));
    // A wake-up merging the burst's tail may follow until the burst went quiet.
    QVERIFY2(wentQuiet(world.server(), b), qPrintable(describe(receiver)));
    QVERIFY2(receiver.count() <= 4, qPrintable(describe(receiver)));
    QCOMPARE(lastBadge(), 20);
    for (const auto& r : receiver.requests()) QCOMPARE(r.json().value("chat_id").toString(), a.chatWith(b));
}

void TstPush::endpointAnswering410IsDropped() {
    PushReceiver receiver;
    QVERIFY(receiver.listen());
    receiver.setStatuses({410});
    ServerWorld world(kLoopbackReceiver);
    NATTER_WORLD(world, {"Ann", "Bob"}, ServerWorld::Sessions::None);
    TestClient &a = world.user("Ann"), &b = world.user("Bob");
    QCOMPARE(registerEndpoint(b, receiver.url("/gone")).status, 200);
    NATTER_SESSION(a);

    NATTER_SEND(a, b, "g1", "one");
    QVERIFY2(receiver.waitForCount(1, kWakeTimeoutMs), qPrintable(describe(receiver)));
    QVERIFY2(QTest::qWaitFor([&] { return b.request("GET", "/api/push").status == 404; }, kWakeTimeoutMs),
             "the endpoint that answered 410 is still registered");

    NATTER_SEND(a, b, "g2", "two");
    QVERIFY2(wentQuiet(world.server(), b), qPrintable(describe(receiver))); // the wake-up found no endpoint
    QCOMPARE(receiver.count(), 1);
    TestClient scraper(world.server());
    QCOMPARE(metricValue(scraper, R"(natterd_push_failures_total{reason="endpoint_gone"})"), 1.0);
    QCOMPARE(metricValue(scraper, "natterd_push_delivered_total"), 0.0);
}

void TstPush::serverErrorIsRetried() {
    PushReceiver receiver;
    QVERIFY(receiver.listen());
    receiver.setStatuses({500, 200});
    ServerWorld world(kLoopbackReceiver);
    NATTER_WORLD(world, {"Ann", "Bob"}, ServerWorld::Sessions::None);
    TestClient &a = world.user("Ann"), &b = world.user("Bob");
    QCOMPARE(registerEndpoint(b, receiver.url("/flaky")).status, 200);
    NATTER_SESSION(a);

    NATTER_SEND(a, b, "f1", "one");
    QVERIFY2(receiver.waitForCount(2, kWakeTimeoutMs), qPrintable(describe(receiver)));
    QCOMPARE(receiver.requests().at(1).json(), receiver.requests().at(0).json());
    QVERIFY2(wentQuiet(world.server(), b), qPrintable(describe(receiver))); // delivered: no more retries
    QCOMPARE(receiver.count(), 2);
    QCOMPARE(b.request("GET", "/api/push").status, 200);                      // a 500 does not drop it
    TestClient scraper(world.server());
    QCOMPARE(metricValue(scraper, R"(natterd_push_failures_total{reason="attempt_failed"})"), 1.0);
    QCOMPARE(metricValue(scraper, R"(natterd_push_failures_total{reason="gave_up"})"), 0.0);
    QCOMPARE(metricValue(scraper, "natterd_push_delivered_total"), 1.0);
}

void TstPush::unregisteringStopsWakeUps() {
    PushReceiver receiver;
    QVERIFY(receiver.listen());
    ServerWorld world(kLoopbackReceiver);
    NATTER_WORLD(world, {"Ann", "Bob"}, ServerWorld::Sessions::None);
    TestClient &a = world.user("Ann"), &b = world.user("Bob");
    QCOMPARE(registerEndpoint(b, receiver.url("/b")).status, 200);
    NATTER_SESSION(a);
    NATTER_SEND(a, b, "u1", "one");
    QVERIFY2(receiver.waitForCount(1, kWakeTimeoutMs), qPrintable(describe(receiver)));
    QVERIFY2(wentQuiet(world.server(), b), qPrintable(describe(receiver))); // u2 starts a burst of its own

    QCOMPARE(b.request("DELETE", "/api/push").status, 204);
    NATTER_SEND(a, b, "u2", "two");
    QVERIFY2(wentQuiet(world.server(), b, 2), qPrintable(describe(receiver)));
    QCOMPARE(receiver.count(), 1);
}

void TstPush::httpsEndpointIsVerifiedAgainstTrustedCertificateAndHostName() {
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString cert = dir.filePath("cert.pem"), key = dir.filePath("key.pem");
    QProcess openssl;
    openssl.start("openssl", {"req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1", "-days", "1",
                              "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", key, "-out", cert});
    QVERIFY2(openssl.waitForFinished(60000), "openssl did not finish");
    QVERIFY2(openssl.exitCode() == 0, openssl.readAllStandardError().constData());
    QFile certFile(cert), keyFile(key);
    QVERIFY(certFile.open(QIODevice::ReadOnly) && keyFile.open(QIODevice::ReadOnly));
    const QSslCertificate certificate(&certFile);
    const QSslKey privateKey(&keyFile, QSsl::Rsa);
    QVERIFY(!certificate.isNull() && !privateKey.isNull());
    PushReceiver receiver;
    QVERIFY(receiver.listenTls(certificate, privateKey));

    // natterd trusts exactly this certificate (OpenSSL's default verify paths honour SSL_CERT_FILE).
    qputenv("SSL_CERT_FILE", cert.toLocal8Bit());
    NatterdProcess server(kLoopbackReceiver);
    const bool started = server.start();
    qunsetenv("SSL_CERT_FILE");
    QVERIFY2(started, qPrintable(server.errorString()));
    TestClient a(server), b(server), c(server);
    NATTER_SIGNUP(a, phoneNumber(1), "Ann");
    NATTER_SIGNUP(b, phoneNumber(2), "Bob");
    NATTER_SIGNUP(c, phoneNumber(3), "Cid");
    QCOMPARE(registerEndpoint(b, receiver.url("/tls")).status, 200);
    QCOMPARE(registerEndpoint(c, receiver.url("/wrong-name", "localhost")).status, 200); // cert is for 127.0.0.1 only
    NATTER_SESSION(a);

    NATTER_SEND(a, b, "t1", "over tls");
    QVERIFY2(receiver.waitForCount(1, kWakeTimeoutMs), qPrintable(describe(receiver)));
    QCOMPARE(receiver.requests().first().target, QByteArray("/tls"));
    QCOMPARE(intField(receiver.requests().first().json(), "badge"), 1);

    const int handshakes = receiver.handshakesStarted();
    NATTER_SEND(a, c, "t2", "wrong host name");
    QVERIFY2(QTest::qWaitFor([&] { return receiver.handshakesStarted() > handshakes; }, kWakeTimeoutMs),
             "natterd never tried the endpoint");
    // natterd refused the handshake before sending anything (and will retry after its backoff).
    const QByteArray failed =
        QStringLiteral("wake-up for device %1.%2 via localhost failed").arg(c.userId()).arg(c.deviceId()).toUtf8();
    QVERIFY2(QTest::qWaitFor([&] { return server.standardError().contains(failed); }, kWakeTimeoutMs),
             server.standardError().constData());
    QCOMPARE(receiver.count(), 1);
}

void TstPush::logProviderWritesWakeUpToServerLog() {
    ServerWorld world({"--push", "log"});
    NATTER_WORLD(world, {"Ann", "Bob"}, ServerWorld::Sessions::None);
    TestClient &a = world.user("Ann"), &b = world.user("Bob");
    NatterdProcess& server = world.server();
    QCOMPARE(registerEndpoint(b, "https://push.example.org" + kSecretPath).status, 200);
    NATTER_SESSION(a);
    NATTER_SEND(a, b, "l1", "logged");
    const QByteArray expected = QStringLiteral("wake-up for device %1.%2: chat %3, badge 1")
                                    .arg(b.userId())
                                    .arg(b.deviceId())
                                    .arg(a.chatWith(b))
                                    .toUtf8();
    QVERIFY2(QTest::qWaitFor([&] { return server.standardError().contains(expected); }, kWakeTimeoutMs),
             server.standardError().constData());
    QVERIFY2(!server.standardError().contains(kSecretPath.toUtf8()), "the endpoint URL reached the log");
}

void TstPush::pushOptionIsDocumentedAndChecked() {
    const ProcessOutcome help = NatterdProcess::runOnce({"--help"});
    QVERIFY(help.finished);
    QCOMPARE(help.exitCode, 0);
    QVERIFY2(help.standardOutput.contains("--push"), help.standardOutput.constData());

    const ProcessOutcome bad = NatterdProcess::runOnce({"--push", "carrier-pigeon"});
    QVERIFY(bad.finished);
    QCOMPARE(bad.exitCode, 2);
    QVERIFY2(bad.standardError.contains("--push"), bad.standardError.constData());
}

QTEST_GUILESS_MAIN(TstPush)
#include "tst_push.moc"
