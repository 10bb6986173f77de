// natter requests, accept, block, unblock and blocked as a user drives them: a stranger's first
// message listed as a request (and marked in chats) under the name the stranger chose (it came
// with the message, end-to-end encrypted; in `history` too), accepted into a normal chat, the stranger
// blocked and unblocked, each with --json and for people; unknown names and wrong usage give a
// clear error and a non-zero exit. Real `natter` processes against a real natterd.
#include "cli_steps.h"
#include "natter_cli.h"
#include "natterd_process.h"

#include <QFileInfo>
#include <QJsonArray>
#include <QTest>

#include <memory>

using namespace natter::test;

class TstCliRequests : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();

    void aStrangersMessageIsListedAsARequestUntilAccepted();
    void blockAndUnblockChangeTheBlockedList();
    void unknownNamesAndWrongUsageAreRefusedClearly();

private:
    // Alice and Bob registered; Bob has Alice as a contact, she does not have him. Bob writes to
    // her; the chat id of her request, once her `requests` lists it (empty and *why otherwise).
    QString strangerWrites(const NatterCli& cli, const Person& alice, const Person& bob, const QString& text, QString* why);

    std::unique_ptr<NatterdProcess> m_server;
};

void TstCliRequests::initTestCase() {
    QVERIFY2(QFileInfo(NatterCli::binaryPath()).isExecutable(), qPrintable("no natter binary at " + NatterCli::binaryPath()));
    m_server = std::make_unique<NatterdProcess>();
    QVERIFY2(m_server->start(), qPrintable(m_server->errorString()));
}

void TstCliRequests::cleanupTestCase() { m_server.reset(); }

QString TstCliRequests::strangerWrites(const NatterCli& cli, const Person& alice, const Person& bob, const QString& text,
                                       QString* why) {
    for (const Person& p : {alice, bob})
        if (const QString problem = registerProfile(cli, p); !problem.isEmpty()) return *why = problem, QString();
    if (const QString problem = addContact(cli, bob, alice); !problem.isEmpty()) return *why = problem, QString();
    const CliResult sent = cli.run(bob.profile, {"--json", "send", alice.name, text});
    if (sent.exitCode != 0) return *why = sent.describe(), QString();
    QString chat;
    eventually(
        [&](QString* problem) {
            const CliResult listed = cli.run(alice.profile, {"--json", "requests"});
            const QJsonArray requests = listed.list("requests");
            if (listed.exitCode != 0 || requests.size() != 1) return *problem = listed.describe(), false;
            chat = requests.first().toObject().value("chat").toString();
            return true;
        },
        why);
    return chat;
}

void TstCliRequests::aStrangersMessageIsListedAsARequestUntilAccepted() {
    NatterCli cli(m_server->baseUrl());
    const Person alice = person("Alice");
    Person bob = person("Bob");
    bob.name = QStringLiteral("Bob Builder"); // the name he chose: it reaches Alice with his message
    QString why;
    const QString chat = strangerWrites(cli, alice, bob, "hi, it is Bob from the gym", &why);
    QVERIFY2(!chat.isEmpty(), qPrintable(why));

    CLI_OK(listed, cli.run(alice.profile, {"--json", "requests"}));
    const QJsonObject request = listed.list("requests").first().toObject();
    QVERIFY(request.value("request").toBool());
    QCOMPARE(request.value("preview").toString(), QStringLiteral("hi, it is Bob from the gym"));
    const qint64 bobId = request.value("user_id").toInteger();
    QVERIFY(bobId > 0);
    CLI_OK(people, cli.run(alice.profile, {"requests"}));
    QVERIFY2(people.out.contains(QStringLiteral("Bob Builder  [%1]").arg(chat).toUtf8()), qPrintable(people.describe()));
    QVERIFY2(people.out.contains("natter accept <request>"), qPrintable(people.describe()));
    CLI_OK(chats, cli.run(alice.profile, {"chats"}));
    QVERIFY2(chats.out.contains(QStringLiteral("[request] Bob Builder  [%1]").arg(chat).toUtf8()),
             qPrintable(chats.describe()));
    CLI_OK(historyJson, cli.run(alice.profile, {"--json", "history", chat}));
    QCOMPARE(historyJson.list("messages").last().toObject().value("sender").toString(), QStringLiteral("Bob Builder"));
    CLI_OK(chatsJson, cli.run(alice.profile, {"--json", "chats"}));
    QVERIFY(chatsJson.list("chats").first().toObject().value("request").toBool());

    // Accepted by the title `requests` shows: a normal chat from now on.
    CLI_OK(accepted, cli.run(alice.profile, {"accept", QStringLiteral("Bob Builder")}));
    QVERIFY2(accepted.out.contains("Accepted Bob Builder: it is a normal chat now"),
             qPrintable(accepted.describe()));
    CLI_OK(none, cli.run(alice.profile, {"requests"}));
    QVERIFY2(none.out.contains("(no message requests)"), qPrintable(none.describe()));
    CLI_OK(afterJson, cli.run(alice.profile, {"--json", "chats"}));
    QVERIFY(!afterJson.list("chats").first().toObject().value("request").toBool());
    CLI_OK(after, cli.run(alice.profile, {"chats"}));
    QVERIFY2(!after.out.contains("[request]"), qPrintable(after.describe()));
    // Accepting it again is refused: it is no request any more.
    const CliResult again = cli.run(alice.profile, {"--json", "accept", chat});
    QCOMPARE(again.exitCode, 5);
    QCOMPARE(again.json().value("error").toObject().value("kind").toString(), QStringLiteral("not_found"));
    QVERIFY2(again.json().value("error").toObject().value("message").toString().contains("is not a message request"),
             qPrintable(again.describe()));
}

void TstCliRequests::blockAndUnblockChangeTheBlockedList() {
    NatterCli cli(m_server->baseUrl());
    const Person alice = person("Alice");
    const Person bob = person("Bob");
    QString why;
    const QString chat = strangerWrites(cli, alice, bob, "cheap watches", &why);
    QVERIFY2(!chat.isEmpty(), qPrintable(why));

    CLI_OK(blocked, cli.run(alice.profile, {"--json", "block", chat}));
    QVERIFY(blocked.json().value("blocked").toBool());
    const qint64 bobId = blocked.json().value("user_id").toInteger();
    QVERIFY(bobId > 0);
    // Blocking a request removes it.
    CLI_OK(requests, cli.run(alice.profile, {"--json", "requests"}));
    QVERIFY2(requests.list("requests").isEmpty(), qPrintable(requests.describe()));
    CLI_OK(list, cli.run(alice.profile, {"--json", "blocked"}));
    QCOMPARE(list.list("blocked").size(), 1);
    QCOMPARE(list.list("blocked").first().toObject().value("user_id").toInteger(), bobId);
    CLI_OK(people, cli.run(alice.profile, {"blocked"}));
    QVERIFY2(people.out.contains(QStringLiteral("(user %1)").arg(bobId).toUtf8()), qPrintable(people.describe()));

    // Unblocked by the id `blocked` shows (his request, and with it its chat id, is gone).
    CLI_OK(unblocked, cli.run(alice.profile, {"unblock", QString::number(bobId)}));
    QVERIFY2(unblocked.out.contains(QStringLiteral("Unblocked Bob (user %1)").arg(bobId).toUtf8()),
             qPrintable(unblocked.describe()));
    CLI_OK(empty, cli.run(alice.profile, {"blocked"}));
    QVERIFY2(empty.out.contains("(nobody is blocked)"), qPrintable(empty.describe()));
    CLI_OK(emptyJson, cli.run(alice.profile, {"--json", "blocked"}));
    QVERIFY(emptyJson.list("blocked").isEmpty());
}

void TstCliRequests::unknownNamesAndWrongUsageAreRefusedClearly() {
    NatterCli cli(m_server->baseUrl());
    const Person alice = person("Alice");
    CLI_STEP(registerProfile(cli, alice));
    const CliResult unknown = cli.run(alice.profile, {"block", "Nobody"});
    QCOMPARE(unknown.exitCode, 5);
    QVERIFY2(unknown.err.contains("no contact called 'Nobody'"), qPrintable(unknown.describe()));
    const CliResult unknownJson = cli.run(alice.profile, {"--json", "accept", "Nobody"});
    QCOMPARE(unknownJson.exitCode, 5);
    QCOMPARE(unknownJson.json().value("error").toObject().value("kind").toString(), QStringLiteral("not_found"));
    const CliResult notBlocked = cli.run(alice.profile, {"unblock", "12345"});
    QVERIFY(notBlocked.exitCode != 0);
    CLI_OK(stillNobody, cli.run(alice.profile, {"--json", "blocked"}));
    QVERIFY(stillNobody.list("blocked").isEmpty());

    const CliResult noUser = cli.run(alice.profile, {"block"});
    QCOMPARE(noUser.exitCode, 2);
    QVERIFY2(noUser.err.contains("usage: natter block <user>"), qPrintable(noUser.describe()));
    const CliResult extra = cli.run(alice.profile, {"requests", "now"});
    QCOMPARE(extra.exitCode, 2);
    QVERIFY2(extra.err.contains("usage: natter requests"), qPrintable(extra.describe()));
    CLI_OK(help, cli.run(alice.profile, {"--help"}));
    for (const char* line : {"requests  ", "requests delete <request>", "accept <request>", "block <user>", "unblock <user>",
                             "blocked  "})
        QVERIFY2(help.out.contains(line), line);
}

QTEST_GUILESS_MAIN(TstCliRequests)
#include "tst_cli_requests.moc"
