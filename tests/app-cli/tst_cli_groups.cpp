// Groups as one-shot natter commands see them (issue 15, bugs 3 and 6): a member's first
// command after a group was made already knows its title and history, and a name two groups
// share is refused with both chat ids listed, while each group stays reachable by its id.
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

constexpr int kUsage = 2; // natter's exit code for a bad argument, an ambiguous name included (natter --help)

// The chat with this id in a `chats --json` result (empty when it is not listed).
QJsonObject chatWithId(const CliResult& chats, const QString& chatId) {
    for (const auto& c : chats.list("chats"))
        if (c.toObject().value("chat").toString() == chatId) return c.toObject();
    return {};
}

} // namespace

class TstCliGroups : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();

    void aMembersFirstOneShotCommandShowsTheGroupsTitleAndHistory();
    void aNameTwoGroupsShareIsRefusedWithBothChatIdsAndEachIdStillWorks();
    void anAtNameInAGroupMarksTheMessageForThatMemberOnly();

private:
    std::unique_ptr<NatterdProcess> m_server;
};

void TstCliGroups::initTestCase() {
    QVERIFY2(QFileInfo(NatterCli::binaryPath()).isExecutable(), qPrintable("no natter binary at " + NatterCli::binaryPath()));
    m_server = std::make_unique<NatterdProcess>();
    QVERIFY2(m_server->start(), qPrintable(m_server->errorString()));
}

void TstCliGroups::cleanupTestCase() { m_server.reset(); }

void TstCliGroups::aMembersFirstOneShotCommandShowsTheGroupsTitleAndHistory() {
    NatterCli cli(m_server->baseUrl());
    const Person alice = person("Alice");
    const Person bob = person("Bob");
    const Person carol = person("Carol");
    CLI_STEP(befriend(cli, {alice, bob, carol}));

    // No daemon runs for anyone: every command below is one-shot.
    CLI_OK(created, cli.run(alice.profile, {"--json", "group", "create", "Weekend Plans", "Bob", "Carol"}));
    const QString chat = created.json().value("chat").toString();
    QVERIFY2(chat.startsWith("g:"), qPrintable(created.describe()));
    CLI_OK(sent, cli.run(alice.profile, {"send", "Weekend Plans", "bring", "snacks"}));

    // Bob's first command after the group was made lists it under its name...
    CLI_OK(bobChats, cli.run(bob.profile, {"--json", "chats"}));
    QCOMPARE(chatWithId(bobChats, chat).value("title").toString(), QStringLiteral("Weekend Plans"));
    CLI_OK(bobPlain, cli.run(bob.profile, {"chats"}));
    QVERIFY2(bobPlain.out.contains("Weekend Plans"), qPrintable(bobPlain.describe()));
    // ...and Carol's first command reads it by that name.
    CLI_OK(carolHistory, cli.run(carol.profile, {"history", "Weekend Plans"}));
    QVERIFY2(carolHistory.out.contains("Alice created the group"), qPrintable(carolHistory.describe()));
    QVERIFY2(carolHistory.out.contains("Alice: bring snacks"), qPrintable(carolHistory.describe()));
    CLI_OK(bobHistory, cli.run(bob.profile, {"history", "Weekend Plans"}));
    QVERIFY2(bobHistory.out.contains("Alice: bring snacks"), qPrintable(bobHistory.describe()));
}

void TstCliGroups::aNameTwoGroupsShareIsRefusedWithBothChatIdsAndEachIdStillWorks() {
    NatterCli cli(m_server->baseUrl());
    const Person alice = person("Alice");
    const Person bob = person("Bob");
    CLI_STEP(befriend(cli, {alice, bob}));

    CLI_OK(first, cli.run(alice.profile, {"--json", "group", "create", "Book Club", "Bob"}));
    CLI_OK(second, cli.run(alice.profile, {"--json", "group", "create", "Book Club", "Bob"}));
    const QString older = first.json().value("chat").toString();
    const QString newer = second.json().value("chat").toString();
    QVERIFY2(older.startsWith("g:") && newer.startsWith("g:") && older != newer,
             qPrintable(first.describe() + "\n" + second.describe()));
    // Making the second one says the name is now shared, and how to tell them apart.
    QVERIFY2(second.err.contains("2 groups called 'Book Club'") && second.err.contains("chat id"),
             qPrintable(second.describe()));

    // The creator's chats list both, and the plain list tells them apart by chat id.
    CLI_OK(chats, cli.run(alice.profile, {"--json", "chats"}));
    QCOMPARE(chatWithId(chats, older).value("title").toString(), QStringLiteral("Book Club"));
    QCOMPARE(chatWithId(chats, newer).value("title").toString(), QStringLiteral("Book Club"));
    CLI_OK(plainChats, cli.run(alice.profile, {"chats"}));
    QVERIFY2(plainChats.out.contains(older.toUtf8()) && plainChats.out.contains(newer.toUtf8()),
             qPrintable(plainChats.describe()));

    // The name alone is refused, naming both chat ids, and nothing is sent.
    for (const QStringList& args : {QStringList{"send", "Book Club", "which", "one?"}, QStringList{"history", "Book Club"},
                                    QStringList{"group", "info", "Book Club"}}) {
        const CliResult r = cli.run(alice.profile, args);
        QVERIFY2(r.exitCode == kUsage, qPrintable(r.describe()));
        QVERIFY2(r.err.contains("Book Club") && r.err.contains(older.toUtf8()) && r.err.contains(newer.toUtf8()),
                 qPrintable(r.describe()));
        QVERIFY2(r.out.isEmpty(), qPrintable(r.describe()));
    }
    for (const QString& chat : {older, newer}) {
        CLI_OK(h, cli.run(alice.profile, {"--json", "history", chat}));
        QVERIFY2(!messageWithText(h.list("messages"), "which one?"), qPrintable(h.describe()));
    }

    // Each group is reached by its chat id, by the creator and by a member.
    CLI_OK(toNewer, cli.run(alice.profile, {"send", newer, "the", "new", "one"}));
    QString why;
    QVERIFY2(waitForMessage(cli, bob.profile, newer, "the new one", &why), qPrintable(why));
    CLI_OK(reply, cli.run(bob.profile, {"send", newer, "got", "it"}));
    QVERIFY2(waitForMessage(cli, alice.profile, newer, "got it", &why), qPrintable(why));
    const auto olderHistory = history(cli, bob.profile, older, &why);
    QVERIFY2(olderHistory, qPrintable(why));
    QVERIFY2(!messageWithText(*olderHistory, "the new one"), qPrintable(QJsonDocument(*olderHistory).toJson()));
    // Bob knows both names by now: for him too the name alone is ambiguous.
    const CliResult bobByName = cli.run(bob.profile, {"send", "Book Club", "hello?"});
    QVERIFY2(bobByName.exitCode == kUsage && bobByName.err.contains(older.toUtf8()) && bobByName.err.contains(newer.toUtf8()),
             qPrintable(bobByName.describe()));
}

// "@Name" in a group text mentions that member (the sender's name for them): their history marks
// it, nobody else's does.
void TstCliGroups::anAtNameInAGroupMarksTheMessageForThatMemberOnly() {
    NatterCli cli(m_server->baseUrl());
    const Person alice = person("Alice");
    const Person bob = person("Bob");
    const Person carol = person("Carol");
    CLI_STEP(befriend(cli, {alice, bob, carol}));
    CLI_OK(created, cli.run(alice.profile, {"group", "create", "Climbing", "Bob", "Carol"}));
    CLI_OK(sent, cli.run(alice.profile, {"send", "Climbing", "@Bob bring the rope"}));
    CLI_OK(bobHistory, cli.run(bob.profile, {"history", "Climbing"}));
    QVERIFY2(bobHistory.out.contains("Alice: [@you] @Bob bring the rope"), qPrintable(bobHistory.describe()));
    CLI_OK(bobJson, cli.run(bob.profile, {"--json", "history", "Climbing"}));
    bool marked = false;
    for (const auto& m : bobJson.list("messages")) marked = marked || m.toObject().value("mentions_me").toBool();
    QVERIFY2(marked, qPrintable(bobJson.describe()));
    CLI_OK(carolHistory, cli.run(carol.profile, {"history", "Climbing"}));
    QVERIFY2(carolHistory.out.contains("Alice: @Bob bring the rope"), qPrintable(carolHistory.describe()));
    QVERIFY2(!carolHistory.out.contains("[@you]"), qPrintable(carolHistory.describe()));
}

QTEST_GUILESS_MAIN(TstCliGroups)
#include "tst_cli_groups.moc"
