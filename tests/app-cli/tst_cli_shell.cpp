// `natter shell` output for people (issue 15): a sent message shows as one line with its tick
// (not its echo, its "sent" tick and a result line), and presence changes show only for the
// person of the open chat. In a group, a line whose "@word" names no member whole is held back
// once with a hint naming the members it could mean; the same line again goes as it is. On a
// terminal, typing shows as typing to the other person and Tab completes a member's "@name".
#include "cli_steps.h"
#include "natter_cli.h"
#include "natterd_process.h"
#include "terminal_process.h"

#include <QFileInfo>
#include <QTest>

#include <memory>

using namespace natter::test;

namespace {

QStringList linesWith(const QByteArray& output, const QString& text) {
    QStringList out;
    for (const QString& line : QString::fromUtf8(output).split('\n'))
        if (line.contains(text)) out << line;
    return out;
}

bool isReady(const QJsonObject& o) { return o.value("daemon").toString() == "ready"; }

} // namespace

class TstCliShell : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();

    void aSentMessageShowsAsOneLine();
    void presenceShowsOnlyForThePersonOfTheOpenChat();
    void anAtWordThatNamesNoMemberIsHeldBackWithAHint();
    void typingAtATerminalShowsAsTypingToTheOtherPerson();
    void tabCompletesAMembersNameAfterAnAt();

private:
    std::unique_ptr<NatterdProcess> m_server;
};

// On a terminal (a pseudo-terminal, as a person runs it): while Alice types a line to Bob,
// Bob's `listen` shows her typing; Bob's message arriving meanwhile prints above her half-typed
// line, which stays; the line then goes as typed, edited with Backspace.
void TstCliShell::typingAtATerminalShowsAsTypingToTheOtherPerson() {
    NatterCli cli(m_server->baseUrl());
    const Person alice = person("Alice");
    const Person bob = person("Bob");
    CLI_STEP(befriend(cli, {alice, bob}));
    CliProcess listen(cli, bob.profile, {"--json", "listen"});
    QVERIFY(listen.start());
    QVERIFY2(listen.waitForJson([](const QJsonObject& e) { return e.value("type") == "connection" && e.value("state") == "online"; }),
             qPrintable(listen.describe()));
    TerminalProcess shell(cli, alice.profile, {"shell"});
    QVERIFY(shell.start());
    QVERIFY2(shell.waitForOutput("natter shell — profile"), qPrintable(shell.describe()));
    shell.type("/chat Bob\r");
    QVERIFY2(shell.waitForOutput("— now chatting with Bob —"), qPrintable(shell.describe()));
    QVERIFY2(shell.waitForOutput("Bob> "), qPrintable(shell.describe()));

    // A person keeps typing: each key tells the core, which sends one "start" once connected.
    const auto aliceTyping = [](const QJsonObject& e) {
        return e.value("type") == "typing" && e.value("users").toArray().contains(QJsonValue("Alice"));
    };
    bool seen = false;
    for (const char key : QByteArray("Are you comx")) {
        shell.type(QByteArray(1, key));
        seen = seen || listen.waitForJson(aliceTyping, 1000).has_value();
    }
    QVERIFY2(seen || listen.waitForJson(aliceTyping), qPrintable(listen.describe() + '\n' + shell.describe()));
    QVERIFY2(shell.waitForOutput("Bob> Are you comx"), qPrintable(shell.describe()));
    // A message arriving meanwhile is printed above the half-typed line, which is drawn again.
    CLI_OK(bobWrites, cli.run(bob.profile, {"send", "Alice", "Dinner is ready"}));
    QVERIFY2(shell.waitForOutput("Dinner is ready"), qPrintable(shell.describe()));
    const auto redrawn = [&] { return shell.allOutput().mid(shell.allOutput().indexOf("Dinner is ready")).contains("Bob> Are you comx"); };
    QVERIFY2(QTest::qWaitFor([&] { return shell.waitForOutput("Dinner is ready", 0) && redrawn(); }, 20000), qPrintable(shell.describe()));
    shell.resize(30, 100); // the window grows: the half-typed line survives SIGWINCH
    shell.type(QByteArray("\x7f", 1) + "ing over?\r"); // Backspace takes the x back
    QString why;
    QVERIFY2(waitForMessage(cli, bob.profile, "Alice", "Are you coming over?", &why) ||
                 listen.waitForJson(isMessageEvent("Are you coming over?")),
             qPrintable(why + '\n' + listen.describe() + '\n' + shell.describe()));
    shell.type("/quit\r");
    QCOMPARE(shell.waitForExit(), 0);
    QCOMPARE(listen.interrupt(), 0);
}

// In a group on a terminal, Tab after "@Ca" completes Carol's whole name (so the line is not
// held back), and Tab twice after "@Bo" lists Bob and Boris.
void TstCliShell::tabCompletesAMembersNameAfterAnAt() {
    NatterCli cli(m_server->baseUrl());
    const Person alice = person("Alice");
    const Person bob = person("Bob");
    const Person boris = person("Boris");
    const Person carol = person("Carol");
    CLI_STEP(befriend(cli, {alice, bob, boris, carol}));
    CLI_OK(created, cli.run(alice.profile, {"group", "create", "Orchard", "Bob", "Boris", "Carol"}));
    TerminalProcess shell(cli, alice.profile, {"shell"});
    QVERIFY(shell.start());
    QVERIFY2(shell.waitForOutput("natter shell — profile"), qPrintable(shell.describe()));
    shell.type("/chat Orchard\r");
    QVERIFY2(shell.waitForOutput("Orchard> "), qPrintable(shell.describe()));

    shell.type("@Bo\t\t");
    QVERIFY2(shell.waitForOutput("@Boris"), qPrintable(shell.describe()));
    QVERIFY2(shell.allOutput().contains("@Bob"), qPrintable(shell.describe()));
    shell.type("\x15"); // Ctrl-U: the line is empty again
    shell.type("@Ca\t");
    QVERIFY2(shell.waitForOutput("@Carol "), qPrintable(shell.describe()));
    shell.type("the plums are ripe\r");
    QString why;
    const auto mention = waitForMessage(cli, carol.profile, "Orchard", "@Carol the plums are ripe", &why);
    QVERIFY2(mention, qPrintable(why + '\n' + shell.describe()));
    QVERIFY(mention->value("mentions_me").toBool());
    shell.type("/quit\r");
    QCOMPARE(shell.waitForExit(), 0);
}

void TstCliShell::initTestCase() {
    QVERIFY2(QFileInfo(NatterCli::binaryPath()).isExecutable(), qPrintable("no natter binary at " + NatterCli::binaryPath()));
    m_server = std::make_unique<NatterdProcess>();
    QVERIFY2(m_server->start(), qPrintable(m_server->errorString()));
}

void TstCliShell::cleanupTestCase() { m_server.reset(); }

void TstCliShell::aSentMessageShowsAsOneLine() {
    NatterCli cli(m_server->baseUrl());
    const Person alice = person("Alice");
    const Person bob = person("Bob");
    CLI_STEP(befriend(cli, {alice, bob}));
    CliProcess shell(cli, alice.profile, {"shell"});
    QVERIFY(shell.start(15000, CliProcess::Input::Open));
    QVERIFY2(shell.waitForOutput("natter shell — profile"), qPrintable(shell.describe()));
    shell.write("/chat Bob\n");
    QVERIFY2(shell.waitForOutput("— now chatting with Bob —"), qPrintable(shell.describe()));
    shell.write("hello from the shell\n");
    // The next command's output comes after everything the send printed.
    shell.write("/help\n");
    QVERIFY2(shell.waitForOutput("/quit"), qPrintable(shell.describe()));
    const QStringList sent = linesWith(shell.allOutput(), "hello from the shell");
    QVERIFY2(sent.size() == 1 && sent.first().contains("You: hello from the shell  ✓"), qPrintable(shell.describe()));
    QVERIFY2(linesWith(shell.allOutput(), "sent (message").isEmpty(), qPrintable(shell.describe()));
    QVERIFY2(linesWith(shell.allOutput(), "  ✓ message").isEmpty(), qPrintable(shell.describe()));
    QString why;
    QVERIFY2(waitForMessage(cli, bob.profile, "Alice", "hello from the shell", &why), qPrintable(why));
    shell.write("/quit\n");
    QCOMPARE(shell.waitForExit(), 0);
}

void TstCliShell::presenceShowsOnlyForThePersonOfTheOpenChat() {
    NatterCli cli(m_server->baseUrl());
    const Person alice = person("Alice");
    const Person bob = person("Bob");
    const Person carol = person("Carol");
    CLI_STEP(befriend(cli, {alice, bob, carol}));
    CliProcess shell(cli, alice.profile, {"shell"});
    QVERIFY(shell.start(15000, CliProcess::Input::Open));
    QVERIFY2(shell.waitForOutput("natter shell — profile"), qPrintable(shell.describe()));
    shell.write("/chat Bob\n");
    QVERIFY2(shell.waitForOutput("— now chatting with Bob —"), qPrintable(shell.describe()));

    // Carol comes online first, then Bob: only Bob's change is shown.
    CliProcess carolDaemon(cli, carol.profile, {"--json", "daemon"});
    QVERIFY(carolDaemon.start());
    QVERIFY2(carolDaemon.waitForJson(isReady), qPrintable(carolDaemon.describe()));
    CLI_OK(carolOnline, cli.run(carol.profile, {"sync"}));
    CliProcess bobDaemon(cli, bob.profile, {"--json", "daemon"});
    QVERIFY(bobDaemon.start());
    QVERIFY2(bobDaemon.waitForJson(isReady), qPrintable(bobDaemon.describe()));
    QVERIFY2(shell.waitForOutput("Bob is online"), qPrintable(shell.describe()));
    QCOMPARE(carolDaemon.interrupt(), 0);
    QCOMPARE(bobDaemon.interrupt(), 0);
    QVERIFY2(shell.waitForOutput("Bob is offline"), qPrintable(shell.describe()));
    QVERIFY2(linesWith(shell.allOutput(), "Carol is").isEmpty(), qPrintable(shell.describe()));
    shell.write("/quit\n");
    QCOMPARE(shell.waitForExit(), 0);
}

void TstCliShell::anAtWordThatNamesNoMemberIsHeldBackWithAHint() {
    NatterCli cli(m_server->baseUrl());
    const Person alice = person("Alice");
    const Person bob = person("Bob");
    const Person boris = person("Boris");
    CLI_STEP(befriend(cli, {alice, bob, boris}));
    CLI_OK(created, cli.run(alice.profile, {"group", "create", "Allotment", "Bob", "Boris"}));
    CliProcess shell(cli, alice.profile, {"shell"});
    QVERIFY(shell.start(15000, CliProcess::Input::Open));
    QVERIFY2(shell.waitForOutput("natter shell — profile"), qPrintable(shell.describe()));
    shell.write("/chat Allotment\n");
    QVERIFY2(shell.waitForOutput("— now chatting with Allotment —"), qPrintable(shell.describe()));

    shell.write("@bo can you water the beans?\n");
    QVERIFY2(shell.waitForOutput("@bo matches Bob and Boris"), qPrintable(shell.describe()));
    QVERIFY2(shell.waitForOutput("Not sent: write the whole name"), qPrintable(shell.describe()));
    shell.write("@Zed and @Bob, the gate is open\n");
    QVERIFY2(shell.waitForOutput("@Zed matches no member of this group"), qPrintable(shell.describe()));
    shell.write("@Zed and @Bob, the gate is open\n"); // held once: the same line again goes as it is
    QString why;
    QVERIFY2(waitForMessage(cli, bob.profile, "Allotment", "@Zed and @Bob, the gate is open", &why), qPrintable(why));
    shell.write("@Bob can you water the beans?\n"); // a whole name goes at once
    const auto mention = waitForMessage(cli, bob.profile, "Allotment", "@Bob can you water the beans?", &why);
    QVERIFY2(mention, qPrintable(why));
    QVERIFY(mention->value("mentions_me").toBool());
    shell.write("/quit\n");
    QCOMPARE(shell.waitForExit(), 0);

    // The held-back line never went: Bob's history, in natterd's order, lacks it.
    const auto messages = history(cli, bob.profile, "Allotment", &why);
    QVERIFY2(messages, qPrintable(why));
    QVERIFY(!messageWithText(*messages, "@bo can you water the beans?"));

    // With --json the held line is one object: mentions.check's answer, the text, sent: false.
    CliProcess json(cli, alice.profile, {"--json", "shell"});
    QVERIFY(json.start(15000, CliProcess::Input::Open));
    QVERIFY2(json.waitForJson([](const QJsonObject& o) { return o.value("shell").toString() == "ready"; }), qPrintable(json.describe()));
    json.write("/chat Allotment\n");
    QVERIFY2(json.waitForJson([](const QJsonObject& o) { return o.contains("messages"); }), qPrintable(json.describe()));
    json.write("@Bob and @bo?\n");
    const auto held = json.waitForJson([](const QJsonObject& o) { return o.contains("loose"); });
    QVERIFY2(held, qPrintable(json.describe()));
    QCOMPARE(held->value("sent").toBool(true), false);
    QCOMPARE(held->value("text").toString(), QStringLiteral("@Bob and @bo?"));
    QCOMPARE(held->value("mentions").toArray().size(), 1);
    QCOMPARE(held->value("mentions").toArray().at(0).toObject().value("name").toString(), QStringLiteral("Bob"));
    const QJsonArray loose = held->value("loose").toArray();
    QCOMPARE(loose.size(), 1);
    QCOMPARE(loose.at(0).toObject().value("word").toString(), QStringLiteral("@bo"));
    QCOMPARE(loose.at(0).toObject().value("candidates").toArray().size(), 2);
    json.write("/quit\n");
    QCOMPARE(json.waitForExit(), 0);
}

QTEST_GUILESS_MAIN(TstCliShell)
#include "tst_cli_shell.moc"
