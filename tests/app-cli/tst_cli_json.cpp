// natter --json, the shapes scripts rely on (issue 15, bug 7): a one-shot command prints exactly
// one JSON object (its result, lists under a named key, or {"error": ...}); listen and shell
// print JSON lines, their ready line first, then one event per line.
#include "cli_steps.h"
#include "natter_cli.h"
#include "natterd_process.h"

#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

#include <memory>

using namespace natter::test;

namespace {

// stdout as JSON lines: every line must be one JSON object (*why says which is not).
QList<QJsonObject> jsonLines(const QByteArray& out, QString* why) {
    QList<QJsonObject> objects;
    for (const QByteArray& line : out.split('\n')) {
        if (line.isEmpty()) continue;
        const QJsonDocument doc = QJsonDocument::fromJson(line);
        if (!doc.isObject()) {
            *why = "not a JSON object line: " + QString::fromUtf8(line);
            return {};
        }
        objects << doc.object();
    }
    return objects;
}

// A one-shot command's --json output: exactly one line holding one JSON object.
QString oneObject(const CliResult& r) {
    if (!r.out.endsWith('\n') || r.out.count('\n') != 1) return "not exactly one line\n" + r.describe();
    if (!QJsonDocument::fromJson(r.out).isObject()) return "not a JSON object\n" + r.describe();
    return {};
}

QStringList keysOf(const QJsonObject& o) {
    QStringList keys = o.keys();
    keys.sort();
    return keys;
}

} // namespace

class TstCliJson : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();

    void everyOneShotCommandPrintsOneJsonObjectWithListsUnderANamedKey();
    void listenPrintsItsReadyLineFirstThenOneEventPerLine();
    void shellPrintsAReadyLineThenEventsAndResultsAsJsonLines();

private:
    std::unique_ptr<NatterdProcess> m_server;
};

void TstCliJson::initTestCase() {
    QVERIFY2(QFileInfo(NatterCli::binaryPath()).isExecutable(), qPrintable("no natter binary at " + NatterCli::binaryPath()));
    m_server = std::make_unique<NatterdProcess>();
    QVERIFY2(m_server->start(), qPrintable(m_server->errorString()));
}

void TstCliJson::cleanupTestCase() { m_server.reset(); }

void TstCliJson::everyOneShotCommandPrintsOneJsonObjectWithListsUnderANamedKey() {
    NatterCli cli(m_server->baseUrl());
    const Person alice = person("Alice");
    const Person bob = person("Bob");
    CLI_STEP(befriend(cli, {alice, bob}));
    CLI_OK(sent, cli.run(alice.profile, {"--json", "send", "Bob", "pancakes", "at", "nine"}));
    CLI_STEP(oneObject(sent));
    QCOMPARE(sent.json().value("text").toString(), QStringLiteral("pancakes at nine"));

    // Lists come as {"<what>": [...]}, never as a bare array.
    CLI_OK(chats, cli.run(alice.profile, {"--json", "chats"}));
    CLI_STEP(oneObject(chats));
    QCOMPARE(keysOf(chats.json()), QStringList{"chats"});
    QCOMPARE(chats.json().value("chats").toArray().size(), 1);
    QCOMPARE(chats.json().value("chats").toArray().first().toObject().value("title").toString(), QStringLiteral("Bob"));

    CLI_OK(history, cli.run(alice.profile, {"--json", "history", "Bob"}));
    CLI_STEP(oneObject(history));
    QCOMPARE(keysOf(history.json()), (QStringList{"chat", "messages"}));
    QCOMPARE(history.json().value("chat").toString(), sent.json().value("chat").toString());
    QVERIFY2(messageWithText(history.json().value("messages").toArray(), "pancakes at nine"), qPrintable(history.describe()));

    CLI_OK(contacts, cli.run(alice.profile, {"--json", "contacts", "list"}));
    CLI_STEP(oneObject(contacts));
    QCOMPARE(keysOf(contacts.json()), QStringList{"contacts"});
    QCOMPARE(contacts.json().value("contacts").toArray().first().toObject().value("phone").toString(), bob.phone);

    CLI_OK(search, cli.run(alice.profile, {"--json", "search", "pancakes"}));
    CLI_STEP(oneObject(search));
    QCOMPARE(keysOf(search.json()), QStringList{"hits"});
    QCOMPARE(search.json().value("hits").toArray().size(), 1);

    CLI_OK(devices, cli.run(alice.profile, {"--json", "devices"}));
    CLI_STEP(oneObject(devices));
    QCOMPARE(keysOf(devices.json()), QStringList{"devices"});
    QCOMPARE(devices.json().value("devices").toArray().size(), 1);

    // Results that are one thing stay that thing.
    for (const QStringList& args : {QStringList{"whoami"}, QStringList{"sync"}, QStringList{"read", "Bob"},
                                    QStringList{"group", "create", "Brunch", "Bob"}, QStringList{"group", "info", "Brunch"},
                                    QStringList{"settings", "privacy", "read-receipts", "on"}}) {
        CLI_OK(r, cli.run(alice.profile, QStringList{"--json"} + args));
        CLI_STEP(oneObject(r));
        QVERIFY2(!r.json().contains("error"), qPrintable(r.describe()));
    }

    // A failure is one {"error": {...}} object on stdout too, with the documented exit code.
    const CliResult failed = cli.run(alice.profile, {"--json", "send", "Nobody", "hi"});
    QCOMPARE(failed.exitCode, 5);
    CLI_STEP(oneObject(failed));
    QCOMPARE(keysOf(failed.json()), QStringList{"error"});
    QCOMPARE(failed.json().value("error").toObject().value("kind").toString(), QStringLiteral("not_found"));
}

void TstCliJson::listenPrintsItsReadyLineFirstThenOneEventPerLine() {
    NatterCli cli(m_server->baseUrl());
    const Person alice = person("Alice");
    const Person bob = person("Bob");
    CLI_STEP(befriend(cli, {alice, bob}));
    // Waiting on natterd, so that events flow the moment listen goes online.
    CLI_OK(sent, cli.run(alice.profile, {"send", "Bob", "waiting", "for", "you"}));

    CliProcess listen(cli, bob.profile, {"--json", "listen"});
    QVERIFY(listen.start());
    QVERIFY2(listen.waitForJson(isMessageEvent("waiting for you")), qPrintable(listen.describe()));
    QVERIFY2(listen.waitForJson([](const QJsonObject& e) {
                 return e.value("type").toString() == "connection" && e.value("state").toString() == "online";
             }),
             qPrintable(listen.describe()));
    QCOMPARE(listen.interrupt(), 0);

    QString why;
    const QList<QJsonObject> lines = jsonLines(listen.allOutput(), &why);
    QVERIFY2(why.isEmpty() && !lines.isEmpty(), qPrintable(why + "\n" + listen.describe()));
    QCOMPARE(lines.first(), (QJsonObject{{"listen", "ready"}, {"profile", bob.profile}}));
    for (const QJsonObject& event : lines.mid(1))
        QVERIFY2(event.value("type").isString() && event.value("event_id").toInteger() > 0,
                 qPrintable(QJsonDocument(event).toJson(QJsonDocument::Compact)));
}

void TstCliJson::shellPrintsAReadyLineThenEventsAndResultsAsJsonLines() {
    NatterCli cli(m_server->baseUrl());
    const Person alice = person("Alice");
    const Person bob = person("Bob");
    CLI_STEP(befriend(cli, {alice, bob}));

    CliProcess shell(cli, bob.profile, {"--json", "shell"});
    QVERIFY(shell.start(15000, CliProcess::Input::Open));
    QVERIFY2(shell.waitForJson([](const QJsonObject& o) { return o.value("shell").toString() == "ready"; }),
             qPrintable(shell.describe()));
    shell.write("/chat Alice\nhello from the shell\n");
    QVERIFY2(shell.waitForJson([](const QJsonObject& o) { return o.value("text").toString() == "hello from the shell"; }),
             qPrintable(shell.describe()));
    shell.write("/quit\n");
    QCOMPARE(shell.waitForExit(), 0);

    QString why;
    const QList<QJsonObject> lines = jsonLines(shell.allOutput(), &why);
    QVERIFY2(why.isEmpty() && !lines.isEmpty(), qPrintable(why + "\n" + shell.describe()));
    QCOMPARE(lines.first(), (QJsonObject{{"shell", "ready"}, {"profile", bob.profile}}));
    // /chat answered with the chat's history, in the same shape as `history --json`.
    bool historyLine = false;
    for (const QJsonObject& line : lines) historyLine = historyLine || (keysOf(line) == QStringList{"chat", "messages"});
    QVERIFY2(historyLine, qPrintable(shell.describe()));
}

QTEST_GUILESS_MAIN(TstCliJson)
#include "tst_cli_json.moc"
