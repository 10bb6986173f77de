// The natter CLI while natterd is down: one-shot commands notice it at once instead of waiting,
// a message sent meanwhile is queued (and said so, exit code 6), and the next command that
// reaches natterd again, whatever it is, or `natter sync`, sends what was queued.
#include "cli_steps.h"
#include "natter_cli.h"
#include "natterd_process.h"

#include <QElapsedTimer>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QTest>

#include <memory>

using namespace natter::test;

namespace {

constexpr int kUnreachable = 6; // natter's exit code when natterd cannot be reached (natter --help)
// Noticing that natterd is down takes about a second; this bound leaves room for a slow CI
// machine (the process start and opening the store included). It is a behaviour bound, not a benchmark.
constexpr qint64 kOfflineBoundMs = 5000;

// Runs natter and measures how long it took.
CliResult timedRun(const NatterCli& cli, const QString& profile, const QStringList& args, qint64* elapsedMs) {
    QElapsedTimer clock;
    clock.start();
    CliResult r = cli.run(profile, args);
    *elapsedMs = clock.elapsed();
    return r;
}

QString took(const CliResult& r, qint64 ms) { return QStringLiteral("took %1 ms\n%2").arg(ms).arg(r.describe()); }

// A log line of the client core (Qt's "category: text" form), which belongs on stderr only with --verbose.
bool hasLogLine(const QByteArray& err) {
    static const QRegularExpression logLine(QStringLiteral("^(natter|qt)\\.[a-z.]+: "), QRegularExpression::MultilineOption);
    return logLine.match(QString::fromUtf8(err)).hasMatch();
}

} // namespace

class TstCliOffline : public QObject {
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    void aSendWhileNatterdIsDownIsQueuedAtOnceAndTheNextCommandDeliversIt();
    void syncSaysNatterdIsDownAtOnceAndDeliversTheQueueWhenItIsBack();

private:
    // Stops natterd; the next start() comes back on the same port and data dir.
    void stopServer();
    bool startServerAgain();

    std::unique_ptr<NatterdProcess> m_server;
    quint16 m_port = 0;
};

void TstCliOffline::init() {
    QVERIFY2(QFileInfo(NatterCli::binaryPath()).isExecutable(), qPrintable("no natter binary at " + NatterCli::binaryPath()));
    m_server = std::make_unique<NatterdProcess>();
    QVERIFY2(m_server->start(), qPrintable(m_server->errorString()));
    m_port = m_server->port();
}

void TstCliOffline::cleanup() { m_server.reset(); }

void TstCliOffline::stopServer() { QCOMPARE(m_server->terminate(), 0); }

bool TstCliOffline::startServerAgain() {
    m_server->setListenPort(m_port);
    return m_server->start();
}

void TstCliOffline::aSendWhileNatterdIsDownIsQueuedAtOnceAndTheNextCommandDeliversIt() {
    NatterCli cli(m_server->baseUrl());
    const Person alice = person("Alice");
    const Person bob = person("Bob");
    CLI_STEP(befriend(cli, {alice, bob}));
    stopServer();

    qint64 ms = 0;
    const CliResult queued = timedRun(cli, alice.profile, {"send", "Bob", "written while natterd was down"}, &ms);
    QVERIFY2(ms < kOfflineBoundMs, qPrintable(took(queued, ms)));
    QVERIFY2(queued.exitCode == kUnreachable, qPrintable(took(queued, ms)));
    QVERIFY2(queued.out.contains("queued"), qPrintable(queued.describe()));
    QVERIFY2(queued.err.contains("could not be reached"), qPrintable(queued.describe()));
    QVERIFY2(!hasLogLine(queued.err), qPrintable(queued.describe()));

    const CliResult json = timedRun(cli, alice.profile, {"--json", "send", "Bob", "and a second one"}, &ms);
    QVERIFY2(ms < kOfflineBoundMs, qPrintable(took(json, ms)));
    QVERIFY2(json.exitCode == kUnreachable, qPrintable(json.describe()));
    QCOMPARE(json.json().value("state").toString(), QStringLiteral("pending"));

    // Commands that read this device's store answer from it, as quickly.
    const CliResult history = timedRun(cli, alice.profile, {"--json", "history", "Bob"}, &ms);
    QVERIFY2(ms < kOfflineBoundMs, qPrintable(took(history, ms)));
    QVERIFY2(history.exitCode == 0, qPrintable(history.describe()));
    const auto mine = messageWithText(history.list("messages"), "written while natterd was down");
    QVERIFY2(mine, qPrintable(history.describe()));
    QCOMPARE(mine->value("state").toString(), QStringLiteral("pending"));
    QVERIFY2(history.err.contains("offline"), qPrintable(history.describe()));

    // natterd is back: Alice lists her chats (not a send), and that delivers what was queued.
    QVERIFY2(startServerAgain(), qPrintable(m_server->errorString()));
    CLI_OK(chats, cli.run(alice.profile, {"chats"}));
    QVERIFY2(chats.err.isEmpty(), qPrintable(chats.describe()));
    QString why;
    QVERIFY2(waitForMessage(cli, bob.profile, "Alice", "written while natterd was down", &why), qPrintable(why));
    QVERIFY2(waitForMessage(cli, bob.profile, "Alice", "and a second one", &why), qPrintable(why));
}

void TstCliOffline::syncSaysNatterdIsDownAtOnceAndDeliversTheQueueWhenItIsBack() {
    NatterCli cli(m_server->baseUrl());
    const Person alice = person("Alice");
    const Person bob = person("Bob");
    CLI_STEP(befriend(cli, {alice, bob}));
    stopServer();

    qint64 ms = 0;
    const CliResult queued = timedRun(cli, alice.profile, {"send", "Bob", "queued for sync"}, &ms);
    QVERIFY2(queued.exitCode == kUnreachable && ms < kOfflineBoundMs, qPrintable(took(queued, ms)));
    const CliResult down = timedRun(cli, alice.profile, {"sync"}, &ms);
    QVERIFY2(ms < kOfflineBoundMs, qPrintable(took(down, ms)));
    QVERIFY2(down.exitCode == kUnreachable, qPrintable(down.describe()));
    QVERIFY2(down.err.contains("could not be reached") && down.err.contains("1 message"), qPrintable(down.describe()));
    QVERIFY2(!hasLogLine(down.err), qPrintable(down.describe()));

    QVERIFY2(startServerAgain(), qPrintable(m_server->errorString()));
    CLI_OK(synced, cli.run(alice.profile, {"--json", "sync"}));
    QCOMPARE(synced.json().value("sent").toInt(), 1);
    QCOMPARE(synced.json().value("queued").toInt(), 0);
    CLI_OK(bobSyncs, cli.run(bob.profile, {"sync"}));
    QVERIFY2(bobSyncs.out.contains("Synced"), qPrintable(bobSyncs.describe()));

    // With natterd down again, both stores show it was done by the two syncs: sent on Alice's
    // side, received on Bob's.
    stopServer();
    QString why;
    const auto aliceSide = history(cli, alice.profile, "Bob", &why);
    QVERIFY2(aliceSide, qPrintable(why));
    const auto mine = messageWithText(*aliceSide, "queued for sync");
    QVERIFY2(mine && mine->value("state").toString() != "pending", qPrintable(QJsonDocument(*aliceSide).toJson()));
    const auto bobSide = history(cli, bob.profile, "Alice", &why);
    QVERIFY2(bobSide, qPrintable(why));
    QVERIFY2(messageWithText(*bobSide, "queued for sync"), qPrintable(QJsonDocument(*bobSide).toJson()));
}

QTEST_GUILESS_MAIN(TstCliOffline)
#include "tst_cli_offline.moc"
