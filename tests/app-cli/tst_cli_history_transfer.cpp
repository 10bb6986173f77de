// Message history for a linked profile from the CLI (issue 15): `link --code CODE --with-history`
// shows the history arriving ("History: 2/2 messages", with --json one JSON line each) while the
// primary runs as a daemon, and `history` on the linked profile then shows the primary's
// messages with their senders; `--with-history` without `--code` is refused.
#include "cli_steps.h"
#include "natter_cli.h"
#include "natterd_process.h"

#include <QFileInfo>
#include <QJsonDocument>
#include <QTest>

#include <memory>

using namespace natter::test;

namespace {

constexpr int kUsage = 2;

bool isReady(const QJsonObject& o) { return o.value("daemon").toString() == "ready"; }

// `natter --json link` on the primary: the code for a new device (empty on failure).
QString linkCode(const NatterCli& cli, const QString& profile) {
    const CliResult code = cli.run(profile, {"--json", "link"});
    return code.exitCode == 0 ? code.json().value("code").toString() : QString();
}

// Each stdout line of a --json run as an object (lines that are not JSON objects are skipped).
QList<QJsonObject> jsonLines(const CliResult& r) {
    QList<QJsonObject> out;
    for (const QByteArray& line : r.out.split('\n'))
        if (const QJsonDocument doc = QJsonDocument::fromJson(line); doc.isObject()) out << doc.object();
    return out;
}

} // namespace

class TstCliHistoryTransfer : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();

    void linkWithHistoryShowsProgressAndTheLinkedProfilesHistoryHasThePrimarysMessages();
    void withHistoryGoesWithACode();

private:
    std::unique_ptr<NatterdProcess> m_server;
};

void TstCliHistoryTransfer::initTestCase() {
    QVERIFY2(QFileInfo(NatterCli::binaryPath()).isExecutable(), qPrintable("no natter binary at " + NatterCli::binaryPath()));
    m_server = std::make_unique<NatterdProcess>();
    QVERIFY2(m_server->start(), qPrintable(m_server->errorString()));
}

void TstCliHistoryTransfer::cleanupTestCase() { m_server.reset(); }

void TstCliHistoryTransfer::linkWithHistoryShowsProgressAndTheLinkedProfilesHistoryHasThePrimarysMessages() {
    NatterCli cli(m_server->baseUrl());
    const Person alice = person("Alice"), bob = person("Bob");
    CLI_STEP(befriend(cli, {alice, bob}));
    CLI_OK(sent, cli.run(alice.profile, {"send", "Bob", "see you at the crag"}));
    CLI_OK(replied, cli.run(bob.profile, {"send", "Alice", "bring the rope"}));
    QString why;
    QVERIFY2(waitForMessage(cli, alice.profile, "Bob", "bring the rope", &why), qPrintable(why));

    // The primary answers while it runs; the new profiles come through its socket for the code.
    CliProcess daemon(cli, alice.profile, {"--json", "daemon"});
    QVERIFY(daemon.start());
    QVERIFY2(daemon.waitForJson(isReady), qPrintable(daemon.describe()));

    const QString code = linkCode(cli, alice.profile);
    QVERIFY(!code.isEmpty());
    CLI_OK(linked, cli.run("laptop", {"--server", cli.server().toString(), "link", "--code", code, "--name", "laptop",
                                      "--with-history"}));
    QVERIFY2(QString::fromUtf8(linked.out).contains("History: 2/2 messages\n"), qPrintable(linked.describe()));

    CLI_OK(history, cli.run("laptop", {"--json", "history", "Bob"}));
    const QJsonArray messages = history.list("messages");
    QCOMPARE(messages.size(), 2);
    QCOMPARE(messages[0].toObject().value("text").toString(), QStringLiteral("see you at the crag"));
    QVERIFY(messages[0].toObject().value("outgoing").toBool());
    QCOMPARE(messages[1].toObject().value("text").toString(), QStringLiteral("bring the rope"));
    QVERIFY(!messages[1].toObject().value("outgoing").toBool());
    QCOMPARE(messages[1].toObject().value("sender").toString(), QStringLiteral("Bob"));

    // With --json: one progress line per chunk, then the result.
    const QString second = linkCode(cli, alice.profile);
    QVERIFY(!second.isEmpty());
    CLI_OK(tablet, cli.run("tablet", {"--json", "--server", cli.server().toString(), "link", "--code", second, "--name",
                                      "tablet", "--with-history"}));
    const QList<QJsonObject> lines = jsonLines(tablet);
    QVERIFY2(lines.size() >= 2, qPrintable(tablet.describe()));
    const QJsonObject last = lines[lines.size() - 2];
    QCOMPARE(last.value("type").toString(), QStringLiteral("history_progress"));
    QCOMPARE(last.value("received").toInteger(), 2);
    QCOMPARE(last.value("total").toInteger(), 2);
    QVERIFY2(lines.back().contains("user_id"), qPrintable(tablet.describe()));
}

void TstCliHistoryTransfer::withHistoryGoesWithACode() {
    NatterCli cli(m_server->baseUrl());
    const Person alice = person("Alice");
    CLI_STEP(registerProfile(cli, alice));
    const CliResult refused = cli.run(alice.profile, {"link", "--with-history"});
    QVERIFY2(refused.exitCode == kUsage && refused.err.contains("--with-history goes with --code"), qPrintable(refused.describe()));
    QVERIFY(refused.out.isEmpty());
}

QTEST_GUILESS_MAIN(TstCliHistoryTransfer)
#include "tst_cli_history_transfer.moc"
