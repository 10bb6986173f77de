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
    void aMistypedProfileIsRefusedNamingTheProfilesThatExist();
    void aServerOptionOnARegisteredProfileIsRefusedSayingWhatToDoInstead();
    void savingAMessageThatDoesNotExistSaysItDoesNotExist();
    void emptyArgumentsAreRefusedInPlainWords_data();
    void emptyArgumentsAreRefusedInPlainWords();

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
    // natterd refuses it as not allowed: exit code 8 (natter --help).
    const CliResult r = cli.run(bob.profile, {"send", chat, "am I still in?"});
    QVERIFY2(r.exitCode == 8, qPrintable(r.describe()));
    QVERIFY2(r.out.isEmpty(), qPrintable(r.describe()));
    // One sentence that names the group and says why, and nothing else (no log lines).
    const QString err = QString::fromUtf8(r.err);
    QVERIFY2(err.startsWith("natter: ") && err.count('\n') == 1, qPrintable(r.describe()));
    QVERIFY2(err.contains("no longer a member") && err.contains("nothing was sent"), qPrintable(r.describe()));
    QVERIFY2(!err.contains("failed failed"), qPrintable(r.describe()));

    const CliResult json = cli.run(bob.profile, {"--json", "send", chat, "still there?"});
    QVERIFY2(json.exitCode == 8, qPrintable(json.describe()));
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

void TstCliErrors::aMistypedProfileIsRefusedNamingTheProfilesThatExist() {
    NatterCli cli(m_server->baseUrl());
    const Person alice = person("Alice");
    const Person bob = person("Bob");
    CLI_STEP(registerProfile(cli, alice));
    CLI_STEP(registerProfile(cli, bob));

    // Every command but register and link --code needs the profile to exist already.
    for (const QStringList& args : {QStringList{"chats"}, QStringList{"send", "Bob", "hi"}, QStringList{"whoami"},
                                    QStringList{"listen"}, QStringList{"link"}, QStringList{"daemon"}}) {
        const CliResult r = cli.run("alcie", args, {}, 10000);
        QVERIFY2(r.finished && r.exitCode == 5, qPrintable(r.describe()));
        const QString err = QString::fromUtf8(r.err);
        QVERIFY2(err.contains("no profile 'alcie'") && err.contains("alice, bob"), qPrintable(r.describe()));
        QVERIFY2(err.contains("natter --profile alcie register"), qPrintable(r.describe()));
        QVERIFY2(r.out.isEmpty(), qPrintable(r.describe()));
        // Nothing was created for the typo.
        QVERIFY2(!QFileInfo::exists(cli.profileDir("alcie")), qPrintable(r.describe()));
    }
    const CliResult json = cli.run("alcie", {"--json", "chats"});
    QCOMPARE(json.exitCode, 5);
    QCOMPARE(json.json().value("error").toObject().value("kind").toString(), QStringLiteral("not_found"));
    QVERIFY2(!QFileInfo::exists(cli.profileDir("alcie")), qPrintable(json.describe()));

    // A machine without any profile says how to make the first one.
    NatterCli empty(m_server->baseUrl());
    const CliResult none = empty.runRaw({"chats"});
    QVERIFY2(none.exitCode == 5 && none.err.contains("no profile 'default'") &&
                 none.err.contains("natter --profile default register"),
             qPrintable(none.describe()));
    QVERIFY2(!QFileInfo::exists(empty.profileDir("default")), qPrintable(none.describe()));
}

void TstCliErrors::aServerOptionOnARegisteredProfileIsRefusedSayingWhatToDoInstead() {
    NatterCli cli(m_server->baseUrl());
    const Person alice = person("Alice");
    CLI_STEP(registerProfile(cli, alice));
    const QString registeredOn = m_server->baseUrl().toString();

    // Another natterd: refused (a profile is an account on the natterd it registered with).
    const QString other = QStringLiteral("http://127.0.0.1:1");
    const CliResult r = cli.run(alice.profile, {"--server", other, "chats"});
    QVERIFY2(r.exitCode == 2, qPrintable(r.describe()));
    const QString err = QString::fromUtf8(r.err);
    QVERIFY2(err.contains("registered on " + registeredOn) && err.contains("--server"), qPrintable(r.describe()));
    QVERIFY2(err.contains("register") && err.contains("--profile"), qPrintable(r.describe()));
    QVERIFY2(r.out.isEmpty(), qPrintable(r.describe()));

    // Through a running listen (the profile's socket) it is refused the same way.
    CliProcess listen(cli, alice.profile, {"--json", "listen"});
    QVERIFY(listen.start());
    QVERIFY2(listen.waitForJson([](const QJsonObject& o) { return o.value("listen").toString() == "ready"; }),
             qPrintable(listen.describe()));
    const CliResult viaSocket = cli.run(alice.profile, {"--server", other, "chats"});
    QVERIFY2(viaSocket.exitCode == 2 && viaSocket.err.contains("registered on " + registeredOn.toUtf8()),
             qPrintable(viaSocket.describe()));
    QCOMPARE(listen.interrupt(), 0);

    // The natterd it registered with is fine to name (scripts may always pass it).
    CLI_OK(same, cli.run(alice.profile, {"--server", registeredOn, "--json", "whoami"}));
    QCOMPARE(same.json().value("phone").toString(), alice.phone);
}

void TstCliErrors::savingAMessageThatDoesNotExistSaysItDoesNotExist() {
    NatterCli cli(m_server->baseUrl());
    const Person alice = person("Alice");
    const Person bob = person("Bob");
    CLI_STEP(befriend(cli, {alice, bob}));

    const CliResult missing = cli.run(alice.profile, {"save", "424242"});
    QVERIFY2(missing.exitCode == 5, qPrintable(missing.describe()));
    QVERIFY2(missing.err.contains("message 424242 does not exist") && !missing.err.contains("has no file"),
             qPrintable(missing.describe()));

    // A message that exists but holds no file says that instead.
    CLI_OK(sent, cli.run(alice.profile, {"--json", "send", "Bob", "just", "text"}));
    const QString id = QString::number(sent.json().value("id").toInteger());
    const CliResult text = cli.run(alice.profile, {"save", id});
    QVERIFY2(text.exitCode == 5, qPrintable(text.describe()));
    QVERIFY2(text.err.contains("message " + id.toUtf8() + " has no file"), qPrintable(text.describe()));
}

void TstCliErrors::emptyArgumentsAreRefusedInPlainWords_data() {
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("sentence"); // stderr must contain this
    QTest::newRow("empty text") << QStringList{"send", "Bob", ""} << "the message is empty";
    QTest::newRow("empty recipient") << QStringList{"send", "", "hi"} << "say who the message is for";
    QTest::newRow("empty file path") << QStringList{"send", "Bob", "--file", ""} << "give the path of the file to send";
    QTest::newRow("empty chat to read") << QStringList{"history", ""} << "name the chat";
    QTest::newRow("empty chat to mark") << QStringList{"read", ""} << "name the chat";
    QTest::newRow("empty search") << QStringList{"search", ""} << "say what to search for";
    QTest::newRow("empty group name") << QStringList{"group", "create", "", "Bob"} << "give the group a name";
    QTest::newRow("empty member") << QStringList{"group", "create", "Team", ""} << "name each member";
    QTest::newRow("empty group") << QStringList{"group", "info", ""} << "name the group";
    QTest::newRow("empty contact") << QStringList{"safety-number", ""} << "name the contact";
    QTest::newRow("empty phone") << QStringList{"contacts", "add", ""} << "give a phone number";
    QTest::newRow("empty setting") << QStringList{"settings", "privacy", "", "on"} << "name the setting";
}

void TstCliErrors::emptyArgumentsAreRefusedInPlainWords() {
    QFETCH(QStringList, args);
    QFETCH(QString, sentence);
    if (!m_cli) {
        m_cli = std::make_unique<NatterCli>(m_server->baseUrl());
        m_alice = person("Alice");
        CLI_STEP(registerProfile(*m_cli, m_alice));
    }
    const CliResult r = m_cli->run(m_alice.profile, args);
    QVERIFY2(r.exitCode == 2, qPrintable(r.describe()));
    const QString err = QString::fromUtf8(r.err);
    QVERIFY2(err.contains(sentence), qPrintable(QStringLiteral("expected '%1' in stderr\n%2").arg(sentence, r.describe())));
    QVERIFY2(!err.contains("params."), qPrintable(r.describe()));
    QVERIFY2(r.out.isEmpty(), qPrintable(r.describe()));

    // Scripts (--json) keep the precise error of the JSON-RPC method.
    const CliResult json = m_cli->run(m_alice.profile, QStringList{"--json"} + args);
    QVERIFY2(json.exitCode == 2, qPrintable(json.describe()));
    const QJsonObject error = json.json().value("error").toObject();
    QCOMPARE(error.value("kind").toString(), QStringLiteral("invalid_argument"));
    QVERIFY2(error.value("message").toString().startsWith("params."), qPrintable(json.describe()));
}

QTEST_GUILESS_MAIN(TstCliErrors)
#include "tst_cli_errors.moc"
