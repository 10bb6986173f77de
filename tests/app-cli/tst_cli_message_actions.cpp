// natter reply, react, edit, delete, forward and timer as a user drives them: each with --json and for
// people, history and listen showing quotes, reactions, "edited", "deleted", "forwarded" and the chat's
// disappearing-messages timer, and clear usage errors.
// Real `natter` processes against a real natterd; each test has its own XDG_DATA_HOME.
#include "cli_steps.h"
#include "natter_cli.h"
#include "natterd_process.h"

#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

#include <memory>

using namespace natter::test;

class TstCliMessageActions : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();

    void replyReactEditAndDeleteReachThePeerAndShowInHistoryAndListen();
    void forwardSendsAMessageOnToOtherChatsMarkedForwarded();
    void timerSetsTheTimerBothSidesSeeInHistoryForLaterMessages();
    void badMessageCommandsSayWhatIsWrong();

private:
    std::unique_ptr<NatterdProcess> m_server;
};

namespace {

// Re-reads the history until `match` holds for the message with id `id` (bounded).
std::optional<QJsonObject> waitForState(const NatterCli& cli, const QString& profile, const QString& chat,
                                        const std::function<bool(const QJsonArray&)>& match, QString* why) {
    QJsonArray last;
    const bool ok = QTest::qWaitFor(
        [&] {
            QString problem;
            const auto h = history(cli, profile, chat, &problem);
            if (!h) return false;
            last = *h;
            return match(*h);
        },
        20000);
    if (!ok && why) *why = "history never matched: " + QString::fromUtf8(QJsonDocument(last).toJson());
    return ok ? std::optional<QJsonObject>(QJsonObject{}) : std::nullopt;
}

qint64 idOf(const std::optional<QJsonObject>& message) { return message ? message->value("id").toInteger() : 0; }

} // namespace

void TstCliMessageActions::initTestCase() {
    QVERIFY2(QFileInfo(NatterCli::binaryPath()).isExecutable(), qPrintable("no natter binary at " + NatterCli::binaryPath()));
    m_server = std::make_unique<NatterdProcess>();
    QVERIFY2(m_server->start(), qPrintable(m_server->errorString()));
}

void TstCliMessageActions::cleanupTestCase() { m_server.reset(); }

void TstCliMessageActions::replyReactEditAndDeleteReachThePeerAndShowInHistoryAndListen() {
    NatterCli cli(m_server->baseUrl());
    const Person alice = person("Alice");
    const Person bob = person("Bob");
    CLI_STEP(befriend(cli, {alice, bob}));
    CLI_OK(sent, cli.run(alice.profile, {"--json", "send", "Bob", "Lunch at noon?"}));
    const qint64 alicesId = sent.json().value("id").toInteger();
    QString why;
    const auto atBob = waitForMessage(cli, bob.profile, "Alice", "Lunch at noon?", &why);
    QVERIFY2(atBob, qPrintable(why));
    const qint64 bobsId = idOf(atBob);

    // Reply: the quote travels with it.
    CLI_OK(replied, cli.run(bob.profile, {"--json", "reply", "Alice", QString::number(bobsId), "Make it 1pm"}));
    QCOMPARE(replied.json().value("quote").toObject().value("snippet").toString(), QStringLiteral("Lunch at noon?"));
    const auto reply = waitForMessage(cli, alice.profile, "Bob", "Make it 1pm", &why);
    QVERIFY2(reply, qPrintable(why));
    QCOMPARE(reply->value("quote").toObject().value("sender").toString(), QStringLiteral("You"));
    QCOMPARE(reply->value("quote").toObject().value("snippet").toString(), QStringLiteral("Lunch at noon?"));

    // Alice listens while Bob reacts to her message: she is told, and history shows it.
    CliProcess listen(cli, alice.profile, {"--json", "listen"});
    QVERIFY(listen.start());
    CLI_OK(reacted, cli.run(bob.profile, {"--json", "react", "Alice", QString::number(bobsId), "👍"}));
    QCOMPARE(reacted.exitCode, 0);
    QCOMPARE(reacted.json().value("reactions").toArray().size(), 1);
    QVERIFY2(listen.waitForJson([](const QJsonObject& e) {
                 return e.value("type").toString() == "reaction" && e.value("emoji").toString() == "👍" &&
                        e.value("name").toString() == "Bob";
             }),
             qPrintable(listen.describe()));
    QCOMPARE(listen.interrupt(), 0);
    CLI_OK(plain, cli.run(alice.profile, {"history", "Bob"}));
    QVERIFY2(plain.out.contains("👍 1 (Bob)") && plain.out.contains("[↪ You: Lunch at noon?] Make it 1pm"),
             qPrintable(plain.describe()));

    // Edit: Bob sees the new text marked edited.
    CLI_OK(edited, cli.run(alice.profile, {"--json", "edit", "Bob", QString::number(alicesId), "Lunch", "at", "1pm"}));
    QCOMPARE(edited.json().value("edited").toBool(), true);
    QVERIFY2(waitForState(cli, bob.profile, "Alice",
                          [&](const QJsonArray& h) {
                              const auto m = messageWithText(h, "Lunch at 1pm");
                              return m && m->value("edited").toBool() && idOf(m) == bobsId;
                          },
                          &why),
             qPrintable(why));
    CLI_OK(bobPlain, cli.run(bob.profile, {"history", "Alice"}));
    QVERIFY2(bobPlain.out.contains("Lunch at 1pm (edited)"), qPrintable(bobPlain.describe()));

    // Delete for everyone: Bob keeps only "This message was deleted".
    CLI_OK(deleted, cli.run(alice.profile, {"--json", "delete", "Bob", QString::number(alicesId), "--for-everyone"}));
    QCOMPARE(deleted.json().value("deleted").toBool(), true);
    QVERIFY2(waitForState(cli, bob.profile, "Alice",
                          [&](const QJsonArray& h) {
                              for (const auto& m : h)
                                  if (m.toObject().value("id").toInteger() == bobsId)
                                      return m.toObject().value("deleted").toBool() && m.toObject().value("text").toString().isEmpty();
                              return false;
                          },
                          &why),
             qPrintable(why));
    CLI_OK(afterDelete, cli.run(bob.profile, {"history", "Alice"}));
    QVERIFY2(afterDelete.out.contains("This message was deleted") && !afterDelete.out.contains("Lunch at"),
             qPrintable(afterDelete.describe()));

    // Delete for me: gone from Bob's history, still in Alice's.
    CLI_OK(mine, cli.run(bob.profile, {"delete", "Alice", QString::number(replied.json().value("id").toInteger())}));
    QVERIFY2(mine.out.contains("on your devices"), qPrintable(mine.describe()));
    const auto bobHistory = history(cli, bob.profile, "Alice", &why);
    QVERIFY2(bobHistory && !messageWithText(*bobHistory, "Make it 1pm"), qPrintable(why));
    const auto aliceHistory = history(cli, alice.profile, "Bob", &why);
    QVERIFY2(aliceHistory && messageWithText(*aliceHistory, "Make it 1pm"), qPrintable(why));
}

void TstCliMessageActions::forwardSendsAMessageOnToOtherChatsMarkedForwarded() {
    NatterCli cli(m_server->baseUrl());
    const Person alice = person("Alice");
    const Person bob = person("Bob");
    const Person carol = person("Carol");
    CLI_STEP(befriend(cli, {alice, bob, carol}));
    CLI_OK(sent, cli.run(alice.profile, {"send", "Bob", "Bouldering on Friday"}));
    QString why;
    const auto atBob = waitForMessage(cli, bob.profile, "Alice", "Bouldering on Friday", &why);
    QVERIFY2(atBob, qPrintable(why));

    CLI_OK(forwarded, cli.run(bob.profile, {"--json", "forward", QString::number(idOf(atBob)), "Carol", "Alice"}));
    const QJsonArray copies = forwarded.json().value("messages").toArray();
    QCOMPARE(copies.size(), 2);
    QVERIFY(copies[0].toObject().value("forwarded").toBool());
    QCOMPARE(copies[0].toObject().value("text").toString(), QStringLiteral("Bouldering on Friday"));
    const auto atCarol = waitForMessage(cli, carol.profile, "Bob", "Bouldering on Friday", &why);
    QVERIFY2(atCarol, qPrintable(why));
    QVERIFY(atCarol->value("forwarded").toBool());
    CLI_OK(plain, cli.run(carol.profile, {"history", "Bob"}));
    QVERIFY2(plain.out.contains("[forwarded] Bouldering on Friday"), qPrintable(plain.describe()));

    CLI_OK(forPeople, cli.run(bob.profile, {"forward", QString::number(idOf(atBob)), "Carol"}));
    QVERIFY2(forPeople.out.contains("Forwarded to "), qPrintable(forPeople.describe()));
    const CliResult unknownChat = cli.run(bob.profile, {"forward", QString::number(idOf(atBob)), "Nobody"});
    QVERIFY2(unknownChat.exitCode != 0, qPrintable(unknownChat.describe()));
}

void TstCliMessageActions::timerSetsTheTimerBothSidesSeeInHistoryForLaterMessages() {
    NatterCli cli(m_server->baseUrl());
    const Person alice = person("Alice");
    const Person bob = person("Bob");
    CLI_STEP(befriend(cli, {alice, bob}));
    CLI_OK(before, cli.run(alice.profile, {"send", "Bob", "Kept for good"}));
    CLI_OK(set, cli.run(alice.profile, {"--json", "timer", "Bob", "1h"}));
    QCOMPARE(set.json().value("kind").toString(), QStringLiteral("system"));
    QCOMPARE(set.json().value("text").toString(), QStringLiteral("You set disappearing messages to 1 hour"));
    CLI_OK(forPeople, cli.run(alice.profile, {"timer", "Bob", "1d"}));
    QVERIFY2(forPeople.out.contains("You set disappearing messages to 1 day"), qPrintable(forPeople.describe()));
    CLI_OK(after, cli.run(alice.profile, {"send", "Bob", "Gone tomorrow"}));

    QString why;
    const auto kept = waitForMessage(cli, bob.profile, "Alice", "Kept for good", &why);
    QVERIFY2(kept, qPrintable(why));
    QCOMPARE(kept->value("expire_timer").toInteger(), 0);
    const auto brief = waitForMessage(cli, bob.profile, "Alice", "Gone tomorrow", &why);
    QVERIFY2(brief, qPrintable(why));
    QCOMPARE(brief->value("expire_timer").toInteger(), 86400);
    CLI_OK(plain, cli.run(bob.profile, {"history", "Alice"}));
    QVERIFY2(plain.out.contains("— Alice set disappearing messages to 1 hour —"), qPrintable(plain.describe()));
    QVERIFY2(plain.out.contains("— Alice set disappearing messages to 1 day —"), qPrintable(plain.describe()));
    QVERIFY2(plain.out.contains("Gone tomorrow  ⏱ 1d"), qPrintable(plain.describe()));
    QVERIFY2(!plain.out.contains("Kept for good  ⏱"), qPrintable(plain.describe()));

    CLI_OK(off, cli.run(bob.profile, {"timer", "Alice", "off"}));
    QVERIFY2(off.out.contains("You turned off disappearing messages"), qPrintable(off.describe()));
    const auto event = waitForMessage(cli, alice.profile, "Bob", "Bob turned off disappearing messages", &why);
    QVERIFY2(event, qPrintable(why));
}

void TstCliMessageActions::badMessageCommandsSayWhatIsWrong() {
    NatterCli cli(m_server->baseUrl());
    const Person alice = person("Alice");
    const Person bob = person("Bob");
    CLI_STEP(befriend(cli, {alice, bob}));
    const CliResult notAnId = cli.run(alice.profile, {"react", "Bob", "first", "👍"});
    QCOMPARE(notAnId.exitCode, 2);
    QVERIFY2(notAnId.err.contains("'first' is not a message id"), qPrintable(notAnId.describe()));
    const CliResult noText = cli.run(alice.profile, {"edit", "Bob", "3"});
    QCOMPARE(noText.exitCode, 2);
    QVERIFY2(noText.err.contains("usage: natter edit <chat> <message-id> <text...>"), qPrintable(noText.describe()));
    const CliResult wrongOption = cli.run(alice.profile, {"react", "Bob", "3", "👍", "--for-everyone"});
    QCOMPARE(wrongOption.exitCode, 2);
    QVERIFY2(wrongOption.err.contains("react does not take --for-everyone"), qPrintable(wrongOption.describe()));
    const CliResult unknown = cli.run(alice.profile, {"--json", "reply", "Bob", "999", "hello?"});
    QCOMPARE(unknown.exitCode, 5);
    QVERIFY2(unknown.out.contains("no message 999"), qPrintable(unknown.describe()));
    const CliResult noChat = cli.run(alice.profile, {"forward", "3"});
    QCOMPARE(noChat.exitCode, 2);
    QVERIFY2(noChat.err.contains("usage: natter forward <message-id> <chat...>"), qPrintable(noChat.describe()));
    const CliResult badTimer = cli.run(alice.profile, {"timer", "Bob", "2h"});
    QCOMPARE(badTimer.exitCode, 2);
    QVERIFY2(badTimer.err.contains("timer: '2h' is not a timer: choose off, 5m, 1h, 1d, 1w or 90d"),
             qPrintable(badTimer.describe()));
    const CliResult noTimer = cli.run(alice.profile, {"timer", "Bob"});
    QCOMPARE(noTimer.exitCode, 2);
    QVERIFY2(noTimer.err.contains("usage: natter timer <chat> off|5m|1h|1d|1w|90d"), qPrintable(noTimer.describe()));
    CLI_OK(help, cli.run(alice.profile, {"--help"}));
    for (const char* line : {"reply <chat> <message-id> <text...>", "react <chat> <message-id> [EMOJI]",
                             "edit <chat> <message-id> <text...>", "delete <chat> <message-id> [--for-everyone]",
                             "forward <message-id> <chat...>", "timer <chat> off|5m|1h|1d|1w|90d"})
        QVERIFY2(help.out.contains(line), line);
}

QTEST_GUILESS_MAIN(TstCliMessageActions)
#include "tst_cli_message_actions.moc"
