// Group administration from the CLI (issue 15): an admin renames a group and promotes or demotes
// members; anyone else is refused with one sentence and exit code 8, and nothing changes. An
// unknown group, a contact who is no member and a missing argument are refused too.
#include "cli_steps.h"
#include "natter_cli.h"
#include "natterd_process.h"

#include <QFileInfo>
#include <QJsonArray>
#include <QTest>

#include <memory>

using namespace natter::test;

namespace {

constexpr int kUsage = 2;      // natter --help: bad argument
constexpr int kNotFound = 5;   // unknown group, contact or member
constexpr int kNotAllowed = 8; // natterd refused: not an admin

// Everyone befriended, then the first person makes group `name` with the others: its chat id,
// or empty with *why saying what failed.
QString groupOfFriends(const NatterCli& cli, const QList<Person>& people, const QString& name, QString* why) {
    *why = befriend(cli, people);
    if (!why->isEmpty()) return {};
    QStringList args{"--json", "group", "create", name};
    for (qsizetype i = 1; i < people.size(); ++i) args << people[i].name;
    const CliResult created = cli.run(people.first().profile, args);
    const QString chat = created.json().value("chat").toString();
    if (created.exitCode != 0 || !chat.startsWith("g:")) *why = "group create failed: " + created.describe();
    return chat;
}

// The role `group info --json` gives the member shown as `display` ("" when no such member).
QString roleOf(const CliResult& info, const QString& display) {
    for (const auto& m : info.json().value("members").toArray())
        if (m.toObject().value("display").toString() == display) return m.toObject().value("role").toString();
    return {};
}

// Re-reads `chats --json` of profile (each run takes what natterd queued) until the chat has
// this title, bounded.
bool waitForTitle(const NatterCli& cli, const QString& profile, const QString& chat, const QString& title, QString* why) {
    return eventually(
        [&](QString* problem) {
            const CliResult chats = cli.run(profile, {"--json", "chats"});
            *problem = chats.describe();
            for (const auto& c : chats.list("chats"))
                if (c.toObject().value("chat").toString() == chat && c.toObject().value("title").toString() == title) return true;
            return false;
        },
        why);
}

} // namespace

class TstCliGroupAdmin : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();

    void anAdminRenamesTheGroupAndMembersSeeTheNewName();
    void aMemberWhoIsNoAdminIsRefusedAndNothingChanges();
    void aPromotedMemberManagesTheGroupUntilDemoted();
    void anUnknownGroupANonMemberOrAMissingArgumentIsRefused();

private:
    std::unique_ptr<NatterdProcess> m_server;
};

void TstCliGroupAdmin::initTestCase() {
    QVERIFY2(QFileInfo(NatterCli::binaryPath()).isExecutable(), qPrintable("no natter binary at " + NatterCli::binaryPath()));
    m_server = std::make_unique<NatterdProcess>();
    QVERIFY2(m_server->start(), qPrintable(m_server->errorString()));
}

void TstCliGroupAdmin::cleanupTestCase() { m_server.reset(); }

void TstCliGroupAdmin::anAdminRenamesTheGroupAndMembersSeeTheNewName() {
    NatterCli cli(m_server->baseUrl());
    const Person alice = person("Alice");
    const Person bob = person("Bob");
    QString why;
    const QString chat = groupOfFriends(cli, {alice, bob}, "Team", &why);
    QVERIFY2(why.isEmpty(), qPrintable(why));

    CLI_OK(renamed, cli.run(alice.profile, {"group", "rename", "Team", "Weekend", "Crew"}));
    QVERIFY2(renamed.out.startsWith("Weekend Crew  (" + chat.toUtf8() + ")"), qPrintable(renamed.describe()));
    // The new name is how the group is named from now on, here and on the member's device.
    CLI_OK(sent, cli.run(alice.profile, {"send", "Weekend Crew", "renamed!"}));
    QVERIFY2(waitForTitle(cli, bob.profile, chat, "Weekend Crew", &why), qPrintable(why));
    QVERIFY2(waitForMessage(cli, bob.profile, "Weekend Crew", "renamed!", &why), qPrintable(why));
    const CliResult oldName = cli.run(alice.profile, {"group", "info", "Team"});
    QVERIFY2(oldName.exitCode == kNotFound, qPrintable(oldName.describe()));
}

void TstCliGroupAdmin::aMemberWhoIsNoAdminIsRefusedAndNothingChanges() {
    NatterCli cli(m_server->baseUrl());
    const Person alice = person("Alice");
    const Person bob = person("Bob");
    const Person carol = person("Carol");
    QString why;
    const QString chat = groupOfFriends(cli, {alice, bob, carol}, "Team", &why);
    QVERIFY2(why.isEmpty(), qPrintable(why));
    QVERIFY2(waitForTitle(cli, bob.profile, chat, "Team", &why), qPrintable(why));

    for (const QStringList& args : {QStringList{"group", "rename", chat, "Hijacked"}, QStringList{"group", "promote", chat, "Carol"},
                                    QStringList{"group", "demote", chat, "Alice"}}) {
        const CliResult r = cli.run(bob.profile, args);
        QVERIFY2(r.exitCode == kNotAllowed, qPrintable(r.describe()));
        QVERIFY2(r.out.isEmpty(), qPrintable(r.describe()));
        // One sentence naming the group and saying who may do it.
        const QString err = QString::fromUtf8(r.err);
        QVERIFY2(err.startsWith("natter: only admins of 'Team' may") && err.count('\n') == 1, qPrintable(r.describe()));
    }
    const CliResult json = cli.run(bob.profile, {"--json", "group", "promote", chat, "Carol"});
    QVERIFY2(json.exitCode == kNotAllowed && json.err.isEmpty(), qPrintable(json.describe()));
    QVERIFY2(json.json().value("error").toObject().value("message").toString().contains("only admins"), qPrintable(json.describe()));

    CLI_OK(info, cli.run(alice.profile, {"--json", "group", "info", "Team"}));
    QCOMPARE(info.json().value("name").toString(), QStringLiteral("Team"));
    QCOMPARE(roleOf(info, "Carol"), QStringLiteral("member"));
    QCOMPARE(roleOf(info, "Bob"), QStringLiteral("member"));
}

void TstCliGroupAdmin::aPromotedMemberManagesTheGroupUntilDemoted() {
    NatterCli cli(m_server->baseUrl());
    const Person alice = person("Alice");
    const Person bob = person("Bob");
    const Person carol = person("Carol");
    QString why;
    const QString chat = groupOfFriends(cli, {alice, bob, carol}, "Team", &why);
    QVERIFY2(why.isEmpty(), qPrintable(why));

    CLI_OK(promoted, cli.run(alice.profile, {"group", "promote", "Team", "Bob"}));
    QVERIFY2(promoted.out.contains("\n  Bob  admin\n"), qPrintable(promoted.describe()));
    QVERIFY2(promoted.out.contains("\n  Carol\n"), qPrintable(promoted.describe()));
    // Bob, an admin now, renames the group and makes Carol an admin.
    CLI_OK(renamed, cli.run(bob.profile, {"group", "rename", chat, "Bob's", "Team"}));
    CLI_OK(carolPromoted, cli.run(bob.profile, {"--json", "group", "promote", chat, "Carol"}));
    QCOMPARE(roleOf(carolPromoted, "Carol"), QStringLiteral("admin"));

    CLI_OK(demoted, cli.run(alice.profile, {"--json", "group", "demote", chat, "Bob"}));
    QCOMPARE(roleOf(demoted, "Bob"), QStringLiteral("member"));
    QCOMPARE(demoted.json().value("name").toString(), QStringLiteral("Bob's Team"));
    // A member again, Bob is refused.
    const CliResult again = cli.run(bob.profile, {"group", "demote", chat, "Carol"});
    QVERIFY2(again.exitCode == kNotAllowed, qPrintable(again.describe()));
    CLI_OK(info, cli.run(alice.profile, {"--json", "group", "info", chat}));
    QCOMPARE(roleOf(info, "Carol"), QStringLiteral("admin"));
}

void TstCliGroupAdmin::anUnknownGroupANonMemberOrAMissingArgumentIsRefused() {
    NatterCli cli(m_server->baseUrl());
    const Person alice = person("Alice");
    const Person bob = person("Bob");
    const Person carol = person("Carol");
    QString why;
    groupOfFriends(cli, {alice, bob}, "Pair", &why);
    QVERIFY2(why.isEmpty(), qPrintable(why));
    CLI_STEP(registerProfile(cli, carol));
    CLI_STEP(addContact(cli, alice, carol));

    const CliResult noGroup = cli.run(alice.profile, {"group", "promote", "Nowhere", "Bob"});
    QVERIFY2(noGroup.exitCode == kNotFound && noGroup.err.contains("Nowhere"), qPrintable(noGroup.describe()));
    const CliResult noContact = cli.run(alice.profile, {"group", "promote", "Pair", "Zed"});
    QVERIFY2(noContact.exitCode == kNotFound && noContact.err.contains("Zed"), qPrintable(noContact.describe()));
    // Carol is a contact but not in the group.
    const CliResult notMember = cli.run(alice.profile, {"group", "demote", "Pair", "Carol"});
    QVERIFY2(notMember.exitCode == kNotFound, qPrintable(notMember.describe()));
    QVERIFY2(notMember.err.contains("Carol is not a member of 'Pair'"), qPrintable(notMember.describe()));
    for (const QStringList& args : {QStringList{"group", "promote", "Pair"}, QStringList{"group", "rename", "Pair"},
                                    QStringList{"group", "promote", "Pair", "Bob", "Carol"}}) {
        const CliResult r = cli.run(alice.profile, args);
        QVERIFY2(r.exitCode == kUsage && r.err.contains("usage: natter group"), qPrintable(r.describe()));
    }
    const CliResult tooLong = cli.run(alice.profile, {"group", "rename", "Pair", QString(101, 'x')});
    QVERIFY2(tooLong.exitCode == kUsage && tooLong.err.contains("at most 100 bytes"), qPrintable(tooLong.describe()));
    CLI_OK(info, cli.run(alice.profile, {"--json", "group", "info", "Pair"}));
    QCOMPARE(roleOf(info, "Bob"), QStringLiteral("member"));
}

QTEST_GUILESS_MAIN(TstCliGroupAdmin)
#include "tst_cli_group_admin.moc"
