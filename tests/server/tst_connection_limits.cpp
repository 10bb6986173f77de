// Unauthenticated connections cannot exhaust natterd (issue 12): connections are capped per
// client address and in all (over a cap a socket is closed at once and counted in /metrics),
// a connection that sends no complete request within the pre-authentication timeout is closed,
// natterd raises its descriptor soft limit to the hard limit at start, and when accepting fails
// anyway (out of descriptors) it logs that at most once a second, counts it and backs off (issue 18).
#include "natterd_process.h"
#include "server_metrics.h"
#include "test_client.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QRegularExpression>
#include <QTcpSocket>
#include <QTest>
#include <QTimer>

#include <sys/resource.h>

#include <memory>
#include <vector>

using namespace natter::test;

namespace {

const QHostAddress kFlooder(QStringLiteral("127.0.0.2")); // Linux routes all of 127/8 to loopback

// natterd_connections_refused_total{reason="..."} from /metrics, or -1.
double refused(TestClient& scraper, const QString& reason) {
    return metricValue(scraper, QStringLiteral("natterd_connections_refused_total{reason=\"%1\"}").arg(reason), 3000);
}

// TCP connections to natterd that never send a byte, opened from `source`.
class IdleSockets {
public:
    IdleSockets(const NatterdProcess& server, const QHostAddress& source, int count) {
        for (int i = 0; i < count; ++i) {
            auto socket = std::make_unique<QTcpSocket>();
            socket->bind(source, 0);
            QObject::connect(socket.get(), &QTcpSocket::disconnected, [this] { ++m_closedByServer; });
            socket->connectToHost(QHostAddress::LocalHost, server.port());
            m_sockets.push_back(std::move(socket));
        }
    }
    // Waits (bounded) until no socket is still connecting; false if some still are.
    bool settle(int timeoutMs) {
        return QTest::qWaitFor([this] { return connecting() == 0; }, timeoutMs);
    }
    int connecting() const {
        int n = 0;
        for (const auto& s : m_sockets) n += s->state() == QAbstractSocket::ConnectingState || s->state() == QAbstractSocket::HostLookupState;
        return n;
    }
    int closedByServer() const { return m_closedByServer; }
    int open() const {
        int n = 0;
        for (const auto& s : m_sockets) n += s->state() == QAbstractSocket::ConnectedState;
        return n;
    }
    void closeAll() {
        for (auto& s : m_sockets) s->abort();
    }

private:
    std::vector<std::unique_ptr<QTcpSocket>> m_sockets;
    int m_closedByServer = 0;
};

// One request on a new connection from `source`: the raw response, empty if the connection
// was closed without one or nothing came within timeoutMs.
QByteArray rawGet(const NatterdProcess& server, const QHostAddress& source, const QByteArray& path, int timeoutMs) {
    QTcpSocket socket;
    socket.bind(source, 0);
    socket.connectToHost(QHostAddress::LocalHost, server.port());
    if (!socket.waitForConnected(timeoutMs)) return {};
    socket.write("GET " + path + " HTTP/1.1\r\nHost: natterd\r\nConnection: close\r\n\r\n");
    QByteArray response;
    QDeadlineTimer deadline(timeoutMs);
    while (!deadline.hasExpired() && socket.state() == QAbstractSocket::ConnectedState) {
        socket.waitForReadyRead(int(std::max<qint64>(1, deadline.remainingTime())));
        response += socket.readAll();
    }
    return response + socket.readAll();
}

// Waits (bounded) until the server closed `socket`; the milliseconds since `since` started, or -1.
qint64 closedAfter(QTcpSocket& socket, const QElapsedTimer& since, int timeoutMs) {
    const bool closed =
        QTest::qWaitFor([&] { return socket.state() == QAbstractSocket::UnconnectedState; }, timeoutMs);
    return closed ? since.elapsed() : -1;
}

} // namespace

class TstConnectionLimits : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void floodOfIdleSocketsFromOneAddressLeavesOtherClientsServed();
    void connectionsBeyondTheGlobalCapAreClosedAtOnce();
    void connectionWithoutACompleteRequestIsClosedAfterThePreauthTimeout();
    void descriptorSoftLimitIsRaisedToTheHardLimit();
    void acceptFailuresAreLoggedCountedAndSurvived();
    void limitsAreDocumentedAndChecked();
};

void TstConnectionLimits::initTestCase() {
    // The flood needs more descriptors in this process than the usual soft limit of 1,024.
    rlimit limit{};
    QVERIFY(::getrlimit(RLIMIT_NOFILE, &limit) == 0);
    if (limit.rlim_max != RLIM_INFINITY && limit.rlim_max < 2048) QSKIP("the hard descriptor limit is below 2048");
    limit.rlim_cur = limit.rlim_max == RLIM_INFINITY ? 65536 : limit.rlim_max;
    QVERIFY(::setrlimit(RLIMIT_NOFILE, &limit) == 0);
}

void TstConnectionLimits::floodOfIdleSocketsFromOneAddressLeavesOtherClientsServed() {
    // The audit's setting: the usual 1,024 descriptors, 1,100 idle sockets from one address.
    NatterdProcess server;
    server.setFileLimit(1024, 1024);
    NATTER_START(server);
    constexpr int kFlood = 1100, kPerAddress = 256; // the default --max-connections-per-address
    IdleSockets flood(server, kFlooder, kFlood);
    QVERIFY2(flood.settle(20000), qPrintable(QStringLiteral("%1 still connecting").arg(flood.connecting())));

    TestClient other(server); // from 127.0.0.1
    QElapsedTimer took;
    took.start();
    const HttpResult health = other.request("GET", "/healthz", QJsonDocument(), 3000);
    NATTER_HTTP(health, 200);
    QVERIFY2(took.elapsed() < 3000, qPrintable(QString::number(took.elapsed())));

    // Over the cap, sockets are closed at once (the pre-authentication timeout is 10 s).
    QTRY_COMPARE_WITH_TIMEOUT(flood.closedByServer(), kFlood - kPerAddress, 5000);
    QCOMPARE(flood.open(), kPerAddress);
    QCOMPARE(refused(other, "per_address"), double(kFlood - kPerAddress));
    QCOMPARE(refused(other, "global"), 0.0);

    // Closing them frees their places.
    flood.closeAll();
    QTRY_VERIFY_WITH_TIMEOUT(rawGet(server, kFlooder, "/healthz", 2000).startsWith("HTTP/1.1 200"), 10000);
}

void TstConnectionLimits::connectionsBeyondTheGlobalCapAreClosedAtOnce() {
    NatterdProcess server({"--max-connections", "20", "--max-connections-per-address", "1000", "--preauth-timeout", "60"});
    NATTER_START(server);
    IdleSockets flood(server, kFlooder, 30);
    QVERIFY2(flood.settle(10000), qPrintable(QStringLiteral("%1 still connecting").arg(flood.connecting())));
    QTRY_COMPARE_WITH_TIMEOUT(flood.closedByServer(), 10, 5000);
    QCOMPARE(flood.open(), 20);

    // While natterd is full, anyone else is turned away at once rather than left waiting.
    QElapsedTimer took;
    took.start();
    QCOMPARE(rawGet(server, QHostAddress::LocalHost, "/healthz", 3000), QByteArray());
    QVERIFY2(took.elapsed() < 3000, qPrintable(QString::number(took.elapsed())));

    flood.closeAll();
    TestClient other(server);
    QTRY_COMPARE_WITH_TIMEOUT(other.request("GET", "/healthz", QJsonDocument(), 2000).status, 200, 10000);
    QCOMPARE(refused(other, "global"), 11.0);
    QCOMPARE(refused(other, "per_address"), 0.0);
}

void TstConnectionLimits::connectionWithoutACompleteRequestIsClosedAfterThePreauthTimeout() {
    NatterdProcess server({"--preauth-timeout", "1"});
    NATTER_START(server);
    TestClient a(server);
    NATTER_SIGNUP(a, phoneNumber(1), "Ann");
    NATTER_SESSION(a); // authenticated: the pre-authentication timeout does not apply to it

    QElapsedTimer since;
    since.start();
    QTcpSocket silent, trickling, keptAlive;
    for (QTcpSocket* s : {&silent, &trickling, &keptAlive}) {
        s->connectToHost(QHostAddress::LocalHost, server.port());
        QVERIFY(s->waitForConnected(5000));
    }
    // A request whose headers never end, one line every 200 ms (slowloris).
    trickling.write("GET /healthz HTTP/1.1\r\nHost: natterd\r\n");
    QTimer drip;
    QObject::connect(&drip, &QTimer::timeout, &trickling, [&trickling] { trickling.write("X-Slow: 1\r\n"); });
    drip.start(200);
    // A complete request, answered; then the connection idles (keep-alive).
    keptAlive.write("GET /healthz HTTP/1.1\r\nHost: natterd\r\n\r\n");
    QVERIFY(QTest::qWaitFor([&] { return keptAlive.bytesAvailable() > 0; }, 5000));
    QVERIFY2(keptAlive.readAll().startsWith("HTTP/1.1 200"), "the keep-alive request was not answered");

    for (QTcpSocket* s : {&silent, &trickling, &keptAlive}) {
        const qint64 closed = closedAfter(*s, since, 6000);
        QVERIFY2(closed >= 900 && closed < 6000, qPrintable(QString::number(closed)));
    }
    drip.stop();
    QVERIFY2(trickling.readAll().isEmpty(), "the never-ending request got an answer");
    QVERIFY2(a.pingPong(), qPrintable(a.describePending()));
}

void TstConnectionLimits::descriptorSoftLimitIsRaisedToTheHardLimit() {
    NatterdProcess server;
    server.setFileLimit(512, 4096);
    NATTER_START(server);
    QFile limits(QStringLiteral("/proc/%1/limits").arg(server.pid()));
    QVERIFY(limits.open(QIODevice::ReadOnly));
    const auto m = QRegularExpression(QStringLiteral("^Max open files\\s+(\\d+)\\s+(\\d+)"),
                                      QRegularExpression::MultilineOption)
                       .match(QString::fromUtf8(limits.readAll()));
    QVERIFY(m.hasMatch());
    QCOMPARE(m.captured(1), QStringLiteral("4096"));
    QCOMPARE(m.captured(2), QStringLiteral("4096"));
    const QByteArray log = server.standardError();
    QVERIFY2(log.contains("descriptor limit raised from 512 to 4096"), log.constData());
    QVERIFY2(log.contains("connection caps: 3072 in all, 256 per client address"), log.constData());
}

void TstConnectionLimits::acceptFailuresAreLoggedCountedAndSurvived() {
    NatterdProcess server;
    NATTER_START(server);
    const auto pid = pid_t(server.pid());
    // Leave natterd four descriptors more than it holds now (its caps leave a reserve, so only
    // something else taking descriptors makes accepts fail; lowering the limit stands in for it).
    const auto held = QDir(QStringLiteral("/proc/%1/fd").arg(pid)).entryList(QDir::AllEntries | QDir::NoDotAndDotDot).size();
    QVERIFY(held > 0);
    rlimit limit{};
    QVERIFY(::prlimit(pid, RLIMIT_NOFILE, nullptr, &limit) == 0);
    limit.rlim_cur = rlim_t(held + 4);
    QVERIFY(::prlimit(pid, RLIMIT_NOFILE, &limit, nullptr) == 0);

    IdleSockets flood(server, QHostAddress::LocalHost, 16); // the kernel completes them; natterd cannot take them all
    QVERIFY2(flood.settle(5000), qPrintable(QStringLiteral("%1 still connecting").arg(flood.connecting())));
    // Failures are logged at most once a second; the next line says how many it left out.
    const QRegularExpression line(QStringLiteral("accepting a connection failed: .*\\((\\d+) more failures since"));
    const auto lines = [&] {
        QList<qint64> leftOut;
        for (auto it = line.globalMatch(QString::fromUtf8(server.standardError())); it.hasNext();)
            leftOut << it.next().captured(1).toLongLong();
        return leftOut;
    };
    QTRY_VERIFY_WITH_TIMEOUT(lines().size() >= 2, 8000);
    QVERIFY2(lines().at(1) >= 1, qPrintable(QString::fromUtf8(server.standardError().right(2000))));

    // Once the idle connections close natterd accepts again: the backlog, then anyone.
    flood.closeAll();
    TestClient scraper(server);
    QTRY_COMPARE_WITH_TIMEOUT(scraper.request("GET", "/healthz", QJsonDocument(), 2000).status, 200, 15000);
    const double failures = metricValue(scraper, "natterd_accept_failures_total", 3000);
    QVERIFY2(failures >= 2 + lines().at(1), qPrintable(QString::number(failures)));
}

void TstConnectionLimits::limitsAreDocumentedAndChecked() {
    const ProcessOutcome help = NatterdProcess::runOnce({"--help"});
    for (const char* flag : {"--max-connections", "--max-connections-per-address", "--preauth-timeout"})
        QVERIFY2(help.standardOutput.contains(flag), flag);
    for (const QStringList& bad : {QStringList{"--preauth-timeout", "0"}, QStringList{"--max-connections-per-address", "0"}}) {
        const ProcessOutcome out = NatterdProcess::runOnce(bad);
        QVERIFY(out.finished);
        QCOMPARE(out.exitCode, 2);
        QVERIFY2(out.standardError.contains(bad.first().toUtf8()), out.standardError.constData());
    }
}

QTEST_GUILESS_MAIN(TstConnectionLimits)
#include "tst_connection_limits.moc"
