// The README's "Chat between two terminals", followed as written and in both directions: Bob
// keeps `listen` (or `shell`) running in one terminal, Alice writes to him, and Bob answers
// with `natter send` from another terminal while the first one still runs (it serves his
// profile's socket, so the second command goes through it instead of finding the profile busy).
#include "cli_steps.h"
#include "natter_cli.h"
#include "natterd_process.h"

#include <QFileInfo>
#include <QTest>

#include <memory>

using namespace natter::test;

class TstCliTwoTerminals : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();

    void bobAnswersFromAnotherTerminalWhileHisFirstOneKeepsRunning_data();
    void bobAnswersFromAnotherTerminalWhileHisFirstOneKeepsRunning();

private:
    std::unique_ptr<NatterdProcess> m_server;
};

void TstCliTwoTerminals::initTestCase() {
    QVERIFY2(QFileInfo(NatterCli::binaryPath()).isExecutable(), qPrintable("no natter binary at " + NatterCli::binaryPath()));
    m_server = std::make_unique<NatterdProcess>();
    QVERIFY2(m_server->start(), qPrintable(m_server->errorString()));
}

void TstCliTwoTerminals::cleanupTestCase() { m_server.reset(); }

void TstCliTwoTerminals::bobAnswersFromAnotherTerminalWhileHisFirstOneKeepsRunning_data() {
    QTest::addColumn<QString>("terminal"); // what Bob runs in terminal 2
    QTest::addColumn<QString>("ready");    // what it prints once it runs
    QTest::newRow("listen") << "listen" << "Listening as profile 'bob'";
    QTest::newRow("shell") << "shell" << "natter shell — profile 'bob'";
}

void TstCliTwoTerminals::bobAnswersFromAnotherTerminalWhileHisFirstOneKeepsRunning() {
    QFETCH(QString, terminal);
    QFETCH(QString, ready);
    NatterCli cli(m_server->baseUrl());
    const QString server = cli.server().toString(); // the README's natterd runs on the default address
    const QString alicePhone = nextPhone();
    const QString bobPhone = nextPhone();

    CLI_OK(aliceRegisters, cli.run("alice", {"--server", server, "register", alicePhone, "--name", "Alice", "--code", "123456"}));
    CLI_OK(bobRegisters, cli.run("bob", {"--server", server, "register", bobPhone, "--name", "Bob", "--code", "123456"}));
    CLI_OK(aliceAddsBob, cli.run("alice", {"contacts", "add", bobPhone, "--name", "Bob"}));
    CLI_OK(bobAddsAlice, cli.run("bob", {"contacts", "add", alicePhone, "--name", "Alice"}));

    // Terminal 2.
    CliProcess bobsTerminal(cli, "bob", {terminal});
    QVERIFY(bobsTerminal.start(15000, CliProcess::Input::Open));
    QVERIFY2(bobsTerminal.waitForOutput(ready), qPrintable(bobsTerminal.describe()));

    // Terminal 1: Alice writes, Bob's terminal shows it.
    CLI_OK(aliceSends, cli.run("alice", {"send", "Bob", "hello 👋"}));
    QVERIFY2(aliceSends.out.contains("✓ sent"), qPrintable(aliceSends.describe()));
    QVERIFY2(bobsTerminal.waitForOutput("Alice: hello 👋"), qPrintable(bobsTerminal.describe()));

    // Bob answers from another terminal while terminal 2 still runs.
    const CliResult bobAnswers = cli.run("bob", {"send", "Alice", "hi Alice, got it"});
    QVERIFY2(bobAnswers.exitCode == 0, qPrintable(bobAnswers.describe()));
    QVERIFY2(bobAnswers.out.contains("✓ sent"), qPrintable(bobAnswers.describe()));
    QVERIFY2(bobAnswers.err.isEmpty(), qPrintable(bobAnswers.describe()));
    QString why;
    QVERIFY2(waitForMessage(cli, "alice", "Bob", "hi Alice, got it", &why), qPrintable(why));
    // Terminal 2 shows Bob's own answer too, and keeps running.
    QVERIFY2(bobsTerminal.waitForOutput("You: hi Alice, got it"), qPrintable(bobsTerminal.describe()));
    QVERIFY(bobsTerminal.isRunning());

    // And it keeps working both ways.
    CLI_OK(aliceAgain, cli.run("alice", {"send", "Bob", "great"}));
    QVERIFY2(bobsTerminal.waitForOutput("Alice: great"), qPrintable(bobsTerminal.describe()));
    QCOMPARE(bobsTerminal.interrupt(), 0);
    QVERIFY2(!QFileInfo::exists(cli.socketPath("bob")), "the socket file outlived Bob's terminal");
}

QTEST_GUILESS_MAIN(TstCliTwoTerminals)
#include "tst_cli_two_terminals.moc"
