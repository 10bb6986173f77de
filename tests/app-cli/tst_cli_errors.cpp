// The natter CLI when things go wrong: a wrong store passphrase, bad command lines, an
// unknown contact, an unreachable server — each with its documented exit code and a message
// that names the problem — and the help text.
#include "cli_steps.h"
#include "natter_cli.h"
#include "natterd_process.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTcpServer>
#include <QTest>

#include <memory>

using namespace natter::test;

namespace {

// Name and hash of every file in a profile directory except the lock and socket.
QMap<QString, QByteArray> snapshot(const QString& dir) {
    QMap<QString, QByteArray> out;
    for (const QFileInfo& fi : QDir(dir).entryInfoList(QDir::Files | QDir::Hidden)) {
        if (fi.fileName().endsWith(".lock") || fi.fileName().endsWith(".sock")) continue;
        QFile f(fi.filePath());
        if (!f.open(QIODevice::ReadOnly)) continue;
        out.insert(fi.fileName(), QCryptographicHash::hash(f.readAll(), QCryptographicHash::Sha256).toHex());
    }
    return out;
}

} // namespace

class TstCliErrors : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();

    void aWrongPassphraseExitsThreeAndLeavesTheStoreUntouched();
    void badCommandLinesExitTwoNamingTheProblem_data();
    void badCommandLinesExitTwoNamingTheProblem();
    void anUnknownContactExitsFive();
    void sendingToAGroupYouWereRemovedFromFailsWithASentence();
    void registeringAgainstAnUnreachableServerExitsSix();
    void helpExitsZeroAndShowsTheTwoTerminalQuickStart();

private:
    std::unique_ptr<NatterdProcess> m_server;
    std::unique_ptr<NatterCli> m_cli; // one registered profile "alice" for the tests that need an account
    Person m_alice;
};

void TstCliErrors::initTestCase() {
    QVERIFY2(QFileInfo(NatterCli::binaryPath()).isExecutable(), qPrintable("no natter binary at " + NatterCli::binaryPath()));
    m_server = std::make_unique<NatterdProcess>();
    QVERIFY2(m_server->start(), qPrintable(m_server->errorString()));
}

void TstCliErrors::cleanupTestCase() {
    m_cli.reset();
    m_server.reset();
}

void TstCliErrors::aWrongPassphraseExitsThreeAndLeavesTheStoreUntouched() {
    NatterCli cli(m_server->baseUrl());
    const Person alice = person("Alice");
    CLI_STEP(registerProfile(cli, alice));

    const QString store = cli.storePath(alice.profile);
    QVERIFY2(QFileInfo::exists(store), qPrintable(store));
    const auto before = snapshot(cli.profileDir(alice.profile));
    QVERIFY(before.contains("store.db"));

    for (const QStringList& args : {QStringList{"whoami"}, QStringList{"send", "Bob", "hi"}, QStringList{"--json", "chats"}}) {
        const CliResult wrong = cli.runRaw(QStringList{"--profile", alice.profile} + args, "not the passphrase");
        QVERIFY2(wrong.exitCode == 3, qPrintable(wrong.describe()));
        if (!args.contains("--json")) {
            QVERIFY2(wrong.err.toLower().contains("passphrase"), qPrintable(wrong.describe()));
            QVERIFY2(wrong.out.isEmpty(), qPrintable(wrong.describe()));
        } else {
            QCOMPARE(wrong.json().value("error").toObject().value("kind").toString(), QStringLiteral("wrong_passphrase"));
        }
        QCOMPARE(snapshot(cli.profileDir(alice.profile)), before);
    }

    CLI_OK(right, cli.run(alice.profile, {"--json", "whoami"}));
    QCOMPARE(right.json().value("phone").toString(), alice.phone);
}

void TstCliErrors::badCommandLinesExitTwoNamingTheProblem_data() {
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("named"); // stderr must contain this
    QTest::newRow("unknown command") << QStringList{"frobnicate"} << "unknown command 'frobnicate'";
    QTest::newRow("send without anything") << QStringList{"send"} << "usage: natter send <to> <text...>";
    QTest::newRow("send without text") << QStringList{"send", "Bob"} << "usage: natter send <to> <text...>";
    QTest::newRow("history without chat") << QStringList{"history"} << "usage: natter history <chat>";
    QTest::newRow("group create without members") << QStringList{"group", "create", "Team"} << "group create <name> <member...>";
    QTest::newRow("group without subcommand") << QStringList{"group"} << "'group' needs a subcommand";
    QTest::newRow("unknown option") << QStringList{"send", "Bob", "hi", "--colour", "red"} << "--colour";
    QTest::newRow("text starting with a dash") << QStringList{"send", "Bob", "-5 degrees"}
                                               << "natter send <to> -- <text...>";
    QTest::newRow("text from an empty stdin") << QStringList{"send", "Bob", "-"} << "no text on stdin";
    QTest::newRow("option of another command") << QStringList{"history", "Bob", "--caption", "x"} << "history does not take --caption";
    QTest::newRow("unknown global option") << QStringList{"--loud", "whoami"} << "--loud";
    QTest::newRow("non-numeric limit") << QStringList{"history", "Bob", "--limit", "many"} << "many";
    QTest::newRow("non-numeric message id") << QStringList{"save", "abc"} << "'abc' is not a message id";
    QTest::newRow("negative message id") << QStringList{"save", "-3"} << "-3";
    QTest::newRow("bad phone to register") << QStringList{"register", "12345", "--code", "123456"} << "12345";
    QTest::newRow("bad phone to add") << QStringList{"contacts", "add", "not-a-phone"} << "not-a-phone";
}

void TstCliErrors::badCommandLinesExitTwoNamingTheProblem() {
    QFETCH(QStringList, args);
    QFETCH(QString, named);
    if (!m_cli) {
        m_cli = std::make_unique<NatterCli>(m_server->baseUrl());
        m_alice = person("Alice");
        CLI_STEP(registerProfile(*m_cli, m_alice));
    }
    // Registration is tried on a fresh profile (alice already has an account).
    const QString profile = args.first() == "register" ? QStringLiteral("fresh") : m_alice.profile;
    QStringList full = args;
    if (args.first() == "register") full = QStringList{"--server", m_server->baseUrl().toString()} + args;
    const CliResult r = m_cli->run(profile, full);
    QVERIFY2(r.exitCode == 2, qPrintable(r.describe()));
    QVERIFY2(QString::fromUtf8(r.err).contains(named), qPrintable(QStringLiteral("expected '%1' in stderr\n%2").arg(named, r.describe())));
    QVERIFY2(r.out.isEmpty(), qPrintable(r.describe()));
}

void TstCliErrors::anUnknownContactExitsFive() {
    NatterCli cli(m_server->baseUrl());
    const Person alice = person("Alice");
    CLI_STEP(registerProfile(cli, alice));
    for (const QStringList& args : {QStringList{"send", "Nobody", "hello?"}, QStringList{"history", "Nobody"},
                                    QStringList{"read", "+15559999999"}}) {
        const CliResult r = cli.run(alice.profile, args);
        QVERIFY2(r.exitCode == 5, qPrintable(r.describe()));
        QVERIFY2(!r.err.isEmpty(), qPrintable(r.describe()));
    }
    const CliResult named = cli.run(alice.profile, {"send", "Nobody", "hello?"});
    QVERIFY2(named.err.contains("Nobody"), qPrintable(named.describe()));
    // A message id that does not exist is "not found" too.
    const CliResult save = cli.run(alice.profile, {"save", "424242"});
    QVERIFY2(save.exitCode == 5, qPrintable(save.describe()));
}

void TstCliErrors::sendingToAGroupYouWereRemovedFromFailsWithASentence() {
    NatterCli cli(m_server->baseUrl());
    const Person alice = person("Alice");
    const Person bob = person("Bob");
    const Person carol = person("Carol");
    CLI_STEP(befriend(cli, {alice, bob, carol}));
    CLI_OK(created, cli.run(alice.profile, {"--json", "group", "create", "Team", "Bob", "Carol"}));
    const QString chat = created.json().value("chat").toString();
    QString why;
    CLI_OK(welcome, cli.run(alice.profile, {"send", "Team", "welcome"}));
    QVERIFY2(waitForMessage(cli, bob.profile, chat, "welcome", &why), qPrintable(why));
    CLI_OK(removed, cli.run(alice.profile, {"group", "remove", "Team", "Bob"}));

    // Bob names the group by its chat id, as he sees it in `chats`.
    const CliResult r = cli.run(bob.profile, {"send", chat, "am I still in?"});
    QVERIFY2(r.exitCode == 1, qPrintable(r.describe()));
    QVERIFY2(r.out.isEmpty(), qPrintable(r.describe()));
    // One sentence that names the group and says why, and nothing else (no log lines).
    const QString err = QString::fromUtf8(r.err);
    QVERIFY2(err.startsWith("natter: ") && err.count('\n') == 1, qPrintable(r.describe()));
    QVERIFY2(err.contains("no longer a member") && err.contains("nothing was sent"), qPrintable(r.describe()));
    QVERIFY2(!err.contains("failed failed"), qPrintable(r.describe()));

    const CliResult json = cli.run(bob.profile, {"--json", "send", chat, "still there?"});
    QVERIFY2(json.exitCode == 1, qPrintable(json.describe()));
    QVERIFY2(json.err.isEmpty(), qPrintable(json.describe()));
    QVERIFY2(json.json().value("error").toObject().value("message").toString().contains("no longer a member"),
             qPrintable(json.describe()));

    // Nothing was stored as if it had been written to the group.
    const auto h = history(cli, bob.profile, chat, &why);
    QVERIFY2(h, qPrintable(why));
    QVERIFY2(!messageWithText(*h, "am I still in?") && !messageWithText(*h, "still there?"),
             qPrintable(QJsonDocument(*h).toJson()));
}

void TstCliErrors::registeringAgainstAnUnreachableServerExitsSix() {
    NatterCli cli(m_server->baseUrl());
    // A port nobody listens on: bind one, remember it, close it.
    quint16 port = 0;
    {
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
        port = probe.serverPort();
    }
    const QString url = QStringLiteral("http://127.0.0.1:%1").arg(port);
    const CliResult r = cli.run("lonely", {"--server", url, "register", nextPhone(), "--code", "123456"}, {}, 60000);
    QVERIFY2(r.exitCode == 6, qPrintable(r.describe()));
    QVERIFY2(!r.err.isEmpty(), qPrintable(r.describe()));

    // The profile is still unregistered, and registers once the server is right.
    CLI_OK(me, cli.run("lonely", {"--json", "whoami"}));
    QCOMPARE(me.json().value("registered").toBool(), false);
    const Person later{"lonely", "Lonely", nextPhone()};
    CLI_STEP(registerProfile(cli, later));
}

void TstCliErrors::helpExitsZeroAndShowsTheTwoTerminalQuickStart() {
    NatterCli cli(m_server->baseUrl());
    for (const QStringList& args : {QStringList{"--help"}, QStringList{"-h"}}) {
        const CliResult r = cli.runRaw(args);
        QVERIFY2(r.exitCode == 0, qPrintable(r.describe()));
        const QString out = QString::fromUtf8(r.out);
        QVERIFY2(out.contains("Chat between two terminals"), qPrintable(r.describe()));
        QVERIFY2(out.contains("natter --profile bob listen"), qPrintable(r.describe()));
        QVERIFY2(out.contains("natter --profile alice send Bob hello"), qPrintable(r.describe()));
        QVERIFY2(out.contains("Exit codes: 0 ok, 1 failed, 2 usage, 3 wrong passphrase, 4 profile busy, 5 not found,"),
                 qPrintable(r.describe()));
        QVERIFY2(r.err.isEmpty(), qPrintable(r.describe()));
    }
    // No command at all is a usage error that still shows the help.
    const CliResult none = cli.runRaw({});
    QCOMPARE(none.exitCode, 2);
    QVERIFY2(none.err.contains("Commands:"), qPrintable(none.describe()));
}

QTEST_GUILESS_MAIN(TstCliErrors)
#include "tst_cli_errors.moc"
