// Where natterd may send push wake-ups (issue 12, SSRF): an endpoint URL is judged by the
// address its host resolves to, at registration and again before every wake-up. Loopback,
// private, link-local, CGNAT, multicast, reserved, ... are refused in every spelling the
// resolver accepts; the operator may allow networks; tests opt in to loopback explicitly.
#include "natterd_process.h"
#include "push_receiver.h"
#include "server_world.h"
#include "test_client.h"

#include <QTcpServer>
#include <QTest>

#include <memory>

using namespace natter::test;

namespace {

constexpr int kWakeTimeoutMs = 10000;
constexpr int kQuietMs = 2500; // longer than the 1 s coalescing window and the first retry

HttpResult registerEndpoint(TestClient& device, const QString& endpoint) {
    return device.request("PUT", "/api/push", QJsonObject{{"endpoint", endpoint}});
}

QString describe(const PushReceiver& receiver) {
    QStringList out;
    for (const auto& r : receiver.requests()) out << QString::fromUtf8(r.method + ' ' + r.target);
    return QStringLiteral("%1 request(s): %2").arg(receiver.count()).arg(out.join(" | "));
}

// A loopback port nothing listens on (bound once, then released).
quint16 closedPort() {
    QTcpServer probe;
    if (!probe.listen(QHostAddress::LocalHost, 0)) return 0;
    const quint16 port = probe.serverPort();
    probe.close();
    return port;
}

} // namespace

class TstPushTargets : public QObject {
    Q_OBJECT
private:
    // One server for the data-driven refusals: registration is all they try.
    std::unique_ptr<NatterdProcess> m_server;
    std::unique_ptr<TestClient> m_device;

private slots:
    void initTestCase();
    void cleanupTestCase();
    void endpointResolvingToANonPublicAddressIsRefused_data();
    void endpointResolvingToANonPublicAddressIsRefused();
    void endpointOnAPublicOrNotYetResolvableHostIsAccepted();
    void loopbackReceiverNeedsTheExplicitTestFlag();
    void operatorAllowListAdmitsExactlyItsNetworks();
    void endpointThatTurnedInternalIsDroppedAlikeWhetherOrNotAnythingAnswers();
};

void TstPushTargets::initTestCase() {
    m_server = std::make_unique<NatterdProcess>();
    NATTER_START(*m_server);
    m_device = std::make_unique<TestClient>(*m_server);
    NATTER_SIGNUP(*m_device, phoneNumber(1), "Ann");
}

void TstPushTargets::cleanupTestCase() {
    m_device.reset();
    m_server.reset();
}

void TstPushTargets::endpointResolvingToANonPublicAddressIsRefused_data() {
    QTest::addColumn<QString>("endpoint");
    QTest::addColumn<QString>("kind");
    QTest::newRow("loopback") << "http://127.0.0.1:8080/hook" << "loopback";
    QTest::newRow("loopback, other 127/8") << "http://127.8.9.10/hook" << "loopback";
    QTest::newRow("loopback as hex") << "http://0x7f000001/hook" << "loopback";
    QTest::newRow("loopback as one number") << "http://2130706433/hook" << "loopback";
    QTest::newRow("loopback in octal") << "http://0177.0.0.1/hook" << "loopback";
    QTest::newRow("loopback, short form") << "http://127.1/hook" << "loopback";
    QTest::newRow("localhost") << "http://localhost:8080/hook" << "loopback";
    QTest::newRow("IPv6 loopback") << "http://[::1]:8080/hook" << "loopback";
    QTest::newRow("IPv4-mapped loopback") << "http://[::ffff:127.0.0.1]/hook" << "loopback";
    QTest::newRow("IPv4-compatible loopback") << "http://[::127.0.0.1]/hook" << "loopback";
    QTest::newRow("cloud metadata") << "http://169.254.169.254/latest/meta-data/" << "link-local";
    QTest::newRow("RFC 1918 10/8") << "http://10.1.2.3/hook" << "private";
    QTest::newRow("RFC 1918 172.16/12") << "https://172.31.255.1/hook" << "private";
    QTest::newRow("RFC 1918 192.168/16") << "http://192.168.1.1/hook" << "private";
    QTest::newRow("IPv4-mapped private") << "http://[::ffff:10.0.0.1]/hook" << "private";
    QTest::newRow("NAT64 of a private address") << "http://[64:ff9b::a00:1]/hook" << "private";
    QTest::newRow("6to4 of a private address") << "http://[2002:c0a8:101::1]/hook" << "private";
    QTest::newRow("CGNAT") << "http://100.64.0.1/hook" << "shared (CGNAT)";
    QTest::newRow("ULA") << "http://[fd12:3456::1]/hook" << "private";
    QTest::newRow("IPv6 link-local") << "http://[fe80::1]/hook" << "link-local";
    QTest::newRow("multicast") << "http://224.0.0.1/hook" << "multicast";
    QTest::newRow("IPv6 multicast") << "http://[ff02::1]/hook" << "multicast";
    QTest::newRow("unspecified") << "http://0.0.0.0/hook" << "unspecified";
    QTest::newRow("unspecified as 0") << "http://0/hook" << "unspecified";
    QTest::newRow("IPv6 unspecified") << "http://[::]/hook" << "unspecified";
    QTest::newRow("broadcast") << "http://255.255.255.255/hook" << "broadcast";
    QTest::newRow("this network") << "http://0.1.2.3/hook" << "reserved";
    QTest::newRow("class E") << "http://240.0.0.1/hook" << "reserved";
    QTest::newRow("documentation") << "http://192.0.2.10/hook" << "documentation";
}

void TstPushTargets::endpointResolvingToANonPublicAddressIsRefused() {
    QFETCH(QString, endpoint);
    QFETCH(QString, kind);
    QVERIFY2(m_server->isRunning(), qPrintable(m_server->errorString()));
    const HttpResult put = registerEndpoint(*m_device, endpoint);
    NATTER_REFUSED(put, 400, "invalid_field");
    const QString message = put.object().value("message").toString();
    QVERIFY2(message.contains("non-public address (" + kind + ")"), qPrintable(message));
    NATTER_REFUSED(m_device->request("GET", "/api/push"), 404, "not_found"); // nothing stored
}

void TstPushTargets::endpointOnAPublicOrNotYetResolvableHostIsAccepted() {
    NatterdProcess server;
    NATTER_START(server);
    TestClient b(server);
    NATTER_SIGNUP(b, phoneNumber(2), "Bob");
    // A host that cannot be resolved now is stored; it is judged again before every wake-up.
    for (const QString& endpoint : {QStringLiteral("https://8.8.8.8/up/abc"), QStringLiteral("http://[2001:4860::8888]:8080/up"),
                                    QStringLiteral("https://push.example.invalid/up?x=1")}) {
        const HttpResult put = registerEndpoint(b, endpoint);
        NATTER_HTTP(put, 200);
        QCOMPARE(b.request("GET", "/api/push").object().value("endpoint").toString(), endpoint);
    }
}

void TstPushTargets::loopbackReceiverNeedsTheExplicitTestFlag() {
    PushReceiver receiver;
    QVERIFY(receiver.listen());
    NatterdProcess strict;
    NATTER_START(strict);
    TestClient b(strict);
    NATTER_SIGNUP(b, phoneNumber(2), "Bob");
    NATTER_REFUSED(registerEndpoint(b, receiver.url("/b")), 400, "invalid_field");

    ServerWorld world({"--push-allow-loopback"});
    NATTER_WORLD(world, {"Ann", "Cid"}, ServerWorld::Sessions::None);
    TestClient &a = world.user("Ann"), &c = world.user("Cid");
    NATTER_HTTP(registerEndpoint(c, receiver.url("/c")), 200);
    NATTER_SESSION(a);
    NATTER_ACKED(a.sendTo(c, "w1", "wake c"), a);
    QVERIFY2(receiver.waitForCount(1, kWakeTimeoutMs), qPrintable(describe(receiver)));
    QCOMPARE(receiver.requests().first().target, QByteArray("/c"));
}

void TstPushTargets::operatorAllowListAdmitsExactlyItsNetworks() {
    PushReceiver receiver;
    QVERIFY(receiver.listen());
    ServerWorld world({"--push-allow-network", "127.0.0.1/32", "--push-allow-network", "10.20.0.0/16"});
    NATTER_WORLD(world, {"Ann", "Bob"}, ServerWorld::Sessions::None);
    TestClient &a = world.user("Ann"), &b = world.user("Bob");
    NATTER_HTTP(registerEndpoint(b, "http://10.20.3.4/hook"), 200);
    NATTER_HTTP(registerEndpoint(b, "http://[::ffff:10.20.3.4]/hook"), 200);
    NATTER_REFUSED(registerEndpoint(b, "http://10.21.0.1/hook"), 400, "invalid_field");
    NATTER_REFUSED(registerEndpoint(b, QStringLiteral("http://127.0.0.2:%1/hook").arg(receiver.port())), 400,
                   "invalid_field");
    NATTER_HTTP(registerEndpoint(b, receiver.url("/allowed")), 200);
    NATTER_SESSION(a);
    NATTER_ACKED(a.sendTo(b, "w1", "wake b"), a);
    QVERIFY2(receiver.waitForCount(1, kWakeTimeoutMs), qPrintable(describe(receiver)));
    QCOMPARE(receiver.requests().first().target, QByteArray("/allowed"));

    for (const char* bad : {"10.0.0.0/33", "not-a-network", "10.0.0.0/"}) {
        const ProcessOutcome out = NatterdProcess::runOnce({"--push-allow-network", bad});
        QVERIFY(out.finished);
        QCOMPARE(out.exitCode, 2);
        QVERIFY2(out.standardError.contains("--push-allow-network"), out.standardError.constData());
    }
}

void TstPushTargets::endpointThatTurnedInternalIsDroppedAlikeWhetherOrNotAnythingAnswers() {
    // Before: a 410 from an internal port deleted the registration while a closed port kept it,
    // so GET /api/push told an attacker which internal ports answer.
    PushReceiver receiver;
    QVERIFY(receiver.listen());
    receiver.setStatuses({410});
    const quint16 nothing = closedPort();
    QVERIFY(nothing != 0);
    ServerWorld world({"--push-allow-loopback"});
    NATTER_WORLD(world, {"Ann", "Bob", "Cid"}, ServerWorld::Sessions::None);
    TestClient &a = world.user("Ann"), &answering = world.user("Bob"), &silent = world.user("Cid");
    NatterdProcess& server = world.server();
    NATTER_HTTP(registerEndpoint(answering, receiver.url("/answers")), 200);
    NATTER_HTTP(registerEndpoint(silent, QStringLiteral("http://127.0.0.1:%1/nothing").arg(nothing)), 200);

    // The same endpoints, now judged by a natterd that does not allow loopback (as if their
    // names had been re-pointed at internal addresses after registration).
    QCOMPARE(server.terminate(), 0);
    server.setExtraArgs({});
    QVERIFY2(server.restart(), qPrintable(server.errorString()));
    NATTER_SESSION(a);
    NATTER_ACKED(a.sendTo(answering, "m1", "one"), a);
    NATTER_ACKED(a.sendTo(silent, "m2", "two"), a);

    for (TestClient* device : {&answering, &silent})
        QVERIFY2(QTest::qWaitFor([&] { return device->request("GET", "/api/push").status == 404; }, kWakeTimeoutMs),
                 "a refused endpoint is still registered");
    QVERIFY2(receiver.expectNoMore(kQuietMs), qPrintable(describe(receiver)));
    QCOMPARE(receiver.count(), 0);
    QVERIFY2(server.standardError().contains("dropping it without contacting it"), server.standardError().constData());
}

QTEST_GUILESS_MAIN(TstPushTargets)
#include "tst_push_targets.moc"
