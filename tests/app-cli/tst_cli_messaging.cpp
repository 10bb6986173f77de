// The natter CLI as a user drives it: registering, contacts, 1:1 messages with ticks and
// read receipts, groups with a member removed and added back, files. Real `natter`
// processes against a real natterd; each test has its own XDG_DATA_HOME.
#include "cli_steps.h"
#include "natter_cli.h"
#include "natterd_process.h"

#include <QDeadlineTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRandomGenerator>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace natter::test;

class TstCliMessaging : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();

    void registeringWithTheCodeAsOptionOrOnStdinShowsTheAccountInWhoami();
    void contactsAddedShowUpInContactsList();
    void aSentMessageReachesThePeersListenerAndBothHistoriesAndIsReadAfterRead();
    void listenPrintsMessagesThatWaitedOnTheServerWhileOffline();
    void aGroupMessageAfterRemovingAMemberReachesTheOthersButNotTheRemovedOne();
    void aSentFileIsSavedByteIdenticalByTheRecipient();
    void textStartingWithADashIsSentAfterDoubleDashOrFromStdin();

private:
    std::unique_ptr<NatterdProcess> m_server;
};

void TstCliMessaging::initTestCase() {
    QVERIFY2(QFileInfo(NatterCli::binaryPath()).isExecutable(), qPrintable("no natter binary at " + NatterCli::binaryPath()));
    m_server = std::make_unique<NatterdProcess>();
    QVERIFY2(m_server->start(), qPrintable(m_server->errorString()));
}

void TstCliMessaging::cleanupTestCase() { m_server.reset(); }

void TstCliMessaging::registeringWithTheCodeAsOptionOrOnStdinShowsTheAccountInWhoami() {
    NatterCli cli(m_server->baseUrl());
    const Person alice = person("Alice");
    const Person bob = person("Bob");

    CLI_OK(withCode, cli.run(alice.profile, {"--server", cli.server().toString(), "register", alice.phone, "--name",
                                             alice.name, "--code", "123456"}));
    // Without --code the command asks for it and reads it from stdin.
    CLI_OK(withPrompt, cli.run(bob.profile, {"--server", cli.server().toString(), "register", bob.phone, "--name", bob.name},
                               "123456\n"));
    QVERIFY2(withPrompt.err.contains("Verification code sent to " + bob.phone.toUtf8()), qPrintable(withPrompt.describe()));

    CLI_OK(aliceMe, cli.run(alice.profile, {"--json", "whoami"}));
    CLI_OK(bobMe, cli.run(bob.profile, {"--json", "whoami"}));
    const QJsonObject a = aliceMe.json();
    const QJsonObject b = bobMe.json();
    QCOMPARE(a.value("registered").toBool(), true);
    QCOMPARE(a.value("phone").toString(), alice.phone);
    QCOMPARE(a.value("name").toString(), alice.name);
    QCOMPARE(a.value("profile").toString(), alice.profile);
    QCOMPARE(b.value("registered").toBool(), true);
    QCOMPARE(b.value("phone").toString(), bob.phone);
    QCOMPARE(b.value("name").toString(), bob.name);
    QVERIFY2(a.value("user_id").toInteger() > 0 && a.value("device_id").toInteger() > 0, qPrintable(aliceMe.describe()));
    QVERIFY2(b.value("user_id").toInteger() > 0 && b.value("device_id").toInteger() > 0, qPrintable(bobMe.describe()));
    QVERIFY(a.value("user_id").toInteger() != b.value("user_id").toInteger());
    QCOMPARE(QUrl(a.value("server").toString()).port(), int(m_server->port()));

    // The plain output names the account too.
    CLI_OK(plain, cli.run(alice.profile, {"whoami"}));
    QVERIFY2(plain.out.contains(alice.phone.toUtf8()) && plain.out.contains("Alice"), qPrintable(plain.describe()));
}

void TstCliMessaging::contactsAddedShowUpInContactsList() {
    NatterCli cli(m_server->baseUrl());
    const Person alice = person("Alice");
    const Person bob = person("Bob");
    const Person carol = person("Carol");
    for (const auto& p : {alice, bob, carol}) CLI_STEP(registerProfile(cli, p));

    CLI_OK(empty, cli.run(alice.profile, {"--json", "contacts", "list"}));
    QVERIFY2(empty.json().value("contacts").isArray(), qPrintable(empty.describe()));
    QCOMPARE(empty.list("contacts").size(), 0);

    CLI_OK(added, cli.run(alice.profile, {"--json", "contacts", "add", bob.phone, "--name", "Bobby"}));
    QCOMPARE(added.json().value("phone").toString(), bob.phone);
    QCOMPARE(added.json().value("name").toString(), QStringLiteral("Bobby"));
    CLI_OK(added2, cli.run(alice.profile, {"contacts", "add", carol.phone, "--name", "Carol"}));
    QVERIFY2(added2.out.contains("Added Carol"), qPrintable(added2.describe()));

    CLI_OK(bobMe, cli.run(bob.profile, {"--json", "whoami"}));
    CLI_OK(listed, cli.run(alice.profile, {"--json", "contacts", "list"}));
    const QJsonArray contacts = listed.list("contacts");
    QCOMPARE(contacts.size(), 2);
    QHash<QString, QJsonObject> byPhone;
    for (const auto& c : contacts) byPhone.insert(c.toObject().value("phone").toString(), c.toObject());
    QVERIFY2(byPhone.contains(bob.phone) && byPhone.contains(carol.phone), qPrintable(listed.describe()));
    QCOMPARE(byPhone[bob.phone].value("name").toString(), QStringLiteral("Bobby"));
    QCOMPARE(byPhone[bob.phone].value("user_id").toInteger(), bobMe.json().value("user_id").toInteger());
    QCOMPARE(byPhone[carol.phone].value("name").toString(), QStringLiteral("Carol"));

    // Bob's own list is his alone.
    CLI_OK(bobList, cli.run(bob.profile, {"--json", "contacts", "list"}));
    QVERIFY2(bobList.json().value("contacts").isArray(), qPrintable(bobList.describe()));
    QCOMPARE(bobList.list("contacts").size(), 0);
}

void TstCliMessaging::aSentMessageReachesThePeersListenerAndBothHistoriesAndIsReadAfterRead() {
    NatterCli cli(m_server->baseUrl());
    const Person alice = person("Alice");
    const Person bob = person("Bob");
    CLI_STEP(befriend(cli, {alice, bob}));

    CliProcess listen(cli, bob.profile, {"--json", "listen"});
    QVERIFY(listen.start());
    QVERIFY2(listen.waitForJson([](const QJsonObject& o) { return o.value("listen").toString() == "ready"; }),
             qPrintable(listen.describe()));

    const QString text = QStringLiteral("hello bob, it is alice");
    CLI_OK(sent, cli.run(alice.profile, {"send", "Bob", "hello", "bob,", "it", "is", "alice"}));
    QVERIFY2(sent.out.contains("✓ sent"), qPrintable(sent.describe()));

    const auto event = listen.waitForJson(isMessageEvent(text));
    QVERIFY2(event, qPrintable(listen.describe()));
    QCOMPARE(event->value("message").toObject().value("outgoing").toBool(), false);
    QCOMPARE(event->value("message").toObject().value("sender").toString(), QStringLiteral("Alice"));
    QVERIFY(event->value("event_id").toInteger() > 0);
    const QString chat = event->value("chat").toString();
    QVERIFY2(chat.startsWith("dm:"), qPrintable(chat));
    QCOMPARE(listen.interrupt(), 0);

    QString why;
    const auto bobHistory = history(cli, bob.profile, "Alice", &why);
    QVERIFY2(bobHistory, qPrintable(why));
    const auto received = messageWithText(*bobHistory, text);
    QVERIFY2(received, qPrintable(QJsonDocument(*bobHistory).toJson()));
    QCOMPARE(received->value("outgoing").toBool(), false);
    QCOMPARE(received->value("chat").toString(), chat);

    const auto aliceHistory = history(cli, alice.profile, "Bob", &why);
    QVERIFY2(aliceHistory, qPrintable(why));
    const auto mine = messageWithText(*aliceHistory, text);
    QVERIFY2(mine, qPrintable(QJsonDocument(*aliceHistory).toJson()));
    QCOMPARE(mine->value("outgoing").toBool(), true);
    QCOMPARE(mine->value("chat").toString(), chat);
    QVERIFY2(mine->value("state").toString() != "read", "read before Bob read it");

    CLI_OK(chats, cli.run(bob.profile, {"--json", "chats"}));
    QJsonObject dm;
    for (const auto& c : chats.list("chats"))
        if (c.toObject().value("chat").toString() == chat) dm = c.toObject();
    QVERIFY2(!dm.isEmpty(), qPrintable(chats.describe()));
    QCOMPARE(dm.value("unread").toInt(), 1);
    QCOMPARE(dm.value("type").toString(), QStringLiteral("direct"));

    CLI_OK(read, cli.run(bob.profile, {"--json", "read", "Alice"}));
    QCOMPARE(read.json().value("marked").toInt(), 1);
    CLI_OK(chatsAfter, cli.run(bob.profile, {"--json", "chats"}));
    int unreadAfter = -1;
    for (const auto& c : chatsAfter.list("chats"))
        if (c.toObject().value("chat").toString() == chat) unreadAfter = c.toObject().value("unread").toInt(-1);
    QCOMPARE(unreadAfter, 0);

    // The read receipt reaches Alice: her history shows the message read (each run syncs).
    QString state;
    QDeadlineTimer deadline(20000);
    while (!deadline.hasExpired()) {
        const auto h = history(cli, alice.profile, "Bob", &why);
        QVERIFY2(h, qPrintable(why));
        state = messageWithText(*h, text).value_or(QJsonObject{}).value("state").toString();
        if (state == "read") break;
        QTest::qWait(200);
    }
    QCOMPARE(state, QStringLiteral("read"));
    CLI_OK(plain, cli.run(alice.profile, {"history", "Bob"}));
    QVERIFY2(plain.out.contains("You: " + text.toUtf8()) && plain.out.contains("✓✓ read"), qPrintable(plain.describe()));
}

void TstCliMessaging::listenPrintsMessagesThatWaitedOnTheServerWhileOffline() {
    NatterCli cli(m_server->baseUrl());
    const Person alice = person("Alice");
    const Person bob = person("Bob");
    CLI_STEP(befriend(cli, {alice, bob}));

    // Bob is offline: the message waits on natterd.
    CLI_OK(sent, cli.run(alice.profile, {"send", "Bob", "waiting", "for", "you"}));
    CliProcess listen(cli, bob.profile, {"--json", "listen"});
    QVERIFY(listen.start());
    QVERIFY2(listen.waitForJson(isMessageEvent("waiting for you")), qPrintable(listen.describe()));
    QVERIFY2(listen.waitForJson([](const QJsonObject& e) {
                 return e.value("type").toString() == "connection" && e.value("state").toString() == "online";
             }),
             qPrintable(listen.describe()));
    QCOMPARE(listen.interrupt(), 0);
}

void TstCliMessaging::aGroupMessageAfterRemovingAMemberReachesTheOthersButNotTheRemovedOne() {
    NatterCli cli(m_server->baseUrl());
    const Person alice = person("Alice");
    const Person bob = person("Bob");
    const Person carol = person("Carol");
    CLI_STEP(befriend(cli, {alice, bob, carol}));
    QHash<QString, qint64> ids;
    for (const auto& p : {alice, bob, carol}) {
        CLI_OK(me, cli.run(p.profile, {"--json", "whoami"}));
        ids.insert(p.name, me.json().value("user_id").toInteger());
    }
    const auto memberIds = [](const QJsonObject& group) {
        QSet<qint64> out;
        for (const auto& m : group.value("members").toArray()) out.insert(m.toObject().value("user_id").toInteger());
        return out;
    };

    CLI_OK(created, cli.run(alice.profile, {"--json", "group", "create", "Team", "Bob", "Carol"}));
    const QString chat = created.json().value("chat").toString();
    QVERIFY2(chat.startsWith("g:"), qPrintable(created.describe()));
    QCOMPARE(created.json().value("name").toString(), QStringLiteral("Team"));
    QCOMPARE(memberIds(created.json()), (QSet<qint64>{ids["Alice"], ids["Bob"], ids["Carol"]}));

    CLI_OK(info, cli.run(alice.profile, {"--json", "group", "info", "Team"}));
    QCOMPARE(info.json().value("chat").toString(), chat);
    QCOMPARE(memberIds(info.json()), (QSet<qint64>{ids["Alice"], ids["Bob"], ids["Carol"]}));
    for (const auto& m : info.json().value("members").toArray())
        if (m.toObject().value("user_id").toInteger() == ids["Alice"]) QCOMPARE(m.toObject().value("role").toString(), QStringLiteral("admin"));
    CLI_OK(plainInfo, cli.run(alice.profile, {"group", "info", "Team"}));
    QVERIFY2(plainInfo.out.contains("Bob") && plainInfo.out.contains("Carol"), qPrintable(plainInfo.describe()));

    // Everyone gets a message while all three are members: Carol can receive group messages.
    CLI_OK(first, cli.run(alice.profile, {"send", "Team", "welcome", "to", "the", "team"}));
    QString why;
    QVERIFY2(waitForMessage(cli, bob.profile, chat, "welcome to the team", &why), qPrintable(why));
    QVERIFY2(waitForMessage(cli, carol.profile, chat, "welcome to the team", &why), qPrintable(why));

    CLI_OK(removed, cli.run(alice.profile, {"--json", "group", "remove", "Team", "Carol"}));
    QCOMPARE(memberIds(removed.json()), (QSet<qint64>{ids["Alice"], ids["Bob"]}));
    CLI_OK(infoAfter, cli.run(alice.profile, {"--json", "group", "info", "Team"}));
    QCOMPARE(memberIds(infoAfter.json()), (QSet<qint64>{ids["Alice"], ids["Bob"]}));

    // Carol listens while Alice writes to the group and then directly to her: the direct
    // message proves Carol's listener was live after the group message went out.
    CliProcess carolListens(cli, carol.profile, {"--json", "listen"});
    QVERIFY(carolListens.start());
    QVERIFY2(carolListens.waitForJson([](const QJsonObject& o) { return o.value("listen").toString() == "ready"; }),
             qPrintable(carolListens.describe()));
    CLI_OK(secret, cli.run(alice.profile, {"send", "Team", "only", "for", "the", "remaining", "members"}));
    CLI_OK(barrier, cli.run(alice.profile, {"send", "Carol", "are", "you", "there?"}));
    QVERIFY2(carolListens.waitForJson(isMessageEvent("are you there?")), qPrintable(carolListens.describe()));
    QVERIFY2(waitForMessage(cli, bob.profile, chat, "only for the remaining members", &why), qPrintable(why));
    QCOMPARE(carolListens.interrupt(), 0);
    QVERIFY2(!carolListens.allOutput().contains("only for the remaining members"), qPrintable(carolListens.describe()));
    const auto carolHistory = history(cli, carol.profile, chat, &why);
    QVERIFY2(carolHistory, qPrintable(why));
    QVERIFY2(messageWithText(*carolHistory, "welcome to the team"), qPrintable(QJsonDocument(*carolHistory).toJson()));
    QVERIFY2(!messageWithText(*carolHistory, "only for the remaining members"),
             qPrintable(QJsonDocument(*carolHistory).toJson()));

    // Added back, Carol receives again.
    CLI_OK(addedBack, cli.run(alice.profile, {"--json", "group", "add", "Team", "Carol"}));
    QCOMPARE(memberIds(addedBack.json()), (QSet<qint64>{ids["Alice"], ids["Bob"], ids["Carol"]}));
    CLI_OK(again, cli.run(alice.profile, {"send", "Team", "welcome", "back", "Carol"}));
    QVERIFY2(waitForMessage(cli, carol.profile, chat, "welcome back Carol", &why), qPrintable(why));
    QVERIFY2(waitForMessage(cli, bob.profile, chat, "welcome back Carol", &why), qPrintable(why));
}

void TstCliMessaging::aSentFileIsSavedByteIdenticalByTheRecipient() {
    NatterCli cli(m_server->baseUrl());
    const Person alice = person("Alice");
    const Person bob = person("Bob");
    CLI_STEP(befriend(cli, {alice, bob}));

    QTemporaryDir files;
    QVERIFY(files.isValid());
    QByteArray content(1024 * 1024 + 124, Qt::Uninitialized);
    QRandomGenerator::global()->fillRange(reinterpret_cast<quint32*>(content.data()), content.size() / 4);
    const QString source = files.filePath("report.bin");
    {
        QFile f(source);
        QVERIFY(f.open(QIODevice::WriteOnly));
        QCOMPARE(f.write(content), content.size());
    }

    CLI_OK(sent, cli.run(alice.profile, {"--json", "send", "Bob", "--file", source, "--caption", "the quarterly numbers"},
                         {}, 60000));
    QVERIFY2(sent.json().value("state").toString() == "sent", qPrintable(sent.describe()));
    QCOMPARE(sent.json().value("file").toObject().value("size").toInteger(), content.size());

    QString why;
    const auto received = waitForMessage(cli, bob.profile, "Alice", "the quarterly numbers", &why);
    QVERIFY2(received, qPrintable(why));
    const QJsonObject file = received->value("file").toObject();
    QCOMPARE(file.value("name").toString(), QStringLiteral("report.bin"));
    QCOMPARE(file.value("size").toInteger(), content.size());
    const qint64 id = received->value("id").toInteger();
    QVERIFY(id > 0);

    const QString target = files.filePath("saved.bin");
    CLI_OK(saved, cli.run(bob.profile, {"save", QString::number(id), "--to", target}, {}, 60000));
    QVERIFY2(saved.out.contains("Saved to"), qPrintable(saved.describe()));
    QFile out(target);
    QVERIFY2(out.open(QIODevice::ReadOnly), qPrintable(saved.describe()));
    const QByteArray got = out.readAll();
    QCOMPARE(got.size(), content.size());
    QVERIFY2(got == content, "the saved file differs from the sent one");
}

void TstCliMessaging::textStartingWithADashIsSentAfterDoubleDashOrFromStdin() {
    NatterCli cli(m_server->baseUrl());
    const Person alice = person("Alice");
    const Person bob = person("Bob");
    CLI_STEP(befriend(cli, {alice, bob}));

    // `--` ends the options: what follows is text, dashes and all (even an option's name).
    CLI_OK(dashed, cli.run(alice.profile, {"send", "Bob", "--", "-5 degrees"}));
    QVERIFY2(dashed.out.contains("✓ sent"), qPrintable(dashed.describe()));
    CLI_OK(optionLike, cli.run(alice.profile, {"--json", "send", "Bob", "--", "--json", "is", "a", "flag"}));
    QCOMPARE(optionLike.json().value("text").toString(), QStringLiteral("--json is a flag"));
    // `-` reads the text from stdin (one trailing newline dropped, inner ones kept).
    CLI_OK(piped, cli.run(alice.profile, {"send", "Bob", "-"}, "-10 degrees tonight\nbring a coat\n"));
    QVERIFY2(piped.out.contains("✓ sent"), qPrintable(piped.describe()));
    // `--` works for the other commands too.
    CLI_OK(historyAfterDashes, cli.run(alice.profile, {"--json", "history", "--limit", "10", "--", "Bob"}));
    QVERIFY2(messageWithText(historyAfterDashes.list("messages"), "-5 degrees"), qPrintable(historyAfterDashes.describe()));

    QString why;
    for (const QString text : {QStringLiteral("-5 degrees"), QStringLiteral("--json is a flag"),
                               QStringLiteral("-10 degrees tonight\nbring a coat")})
        QVERIFY2(waitForMessage(cli, bob.profile, "Alice", text, &why), qPrintable(why));
}

QTEST_GUILESS_MAIN(TstCliMessaging)
#include "tst_cli_messaging.moc"
