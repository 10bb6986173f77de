// Account sync from the CLI (issue 15): `chat pin|unpin|mute|unmute|archive|unarchive CHAT` and
// `settings name NAME`, in words and --json, refusing what they cannot do; and a profile linked
// to an account lists the primary's contacts (with the names it gave them) and chat settings,
// and a setting changed on it reaches the primary; `contacts remove` takes a contact off the list
// (the chat stays); `settings about TEXT` shows beside the member in another user's `group info`.
#include "cli_steps.h"
#include "natter_cli.h"
#include "natterd_process.h"

#include <QFileInfo>
#include <QJsonArray>
#include <QTest>

#include <memory>

using namespace natter::test;

namespace {

constexpr int kUsage = 2;    // natter --help: bad argument
constexpr int kNotFound = 5; // no such chat

// The chat of `chats --json` whose title is `title` (empty object when none).
QJsonObject chatTitled(const CliResult& chats, const QString& title) {
    for (const auto& c : chats.list("chats"))
        if (c.toObject().value("title").toString() == title) return c.toObject();
    return {};
}

// The name `contacts list --json` gives the contact with this phone number ("" when none).
QString contactName(const CliResult& contacts, const QString& phone) {
    for (const auto& c : contacts.list("contacts"))
        if (c.toObject().value("phone").toString() == phone) return c.toObject().value("name").toString();
    return {};
}

} // namespace

class TstCliAccountSync : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();

    void chatCommandsSetAndClearEachSettingAndSayWhatItIsNow();
    void unknownChatsSettingsAndEmptyNamesAreRefused();
    void settingsNameChangesTheNameWhoamiShows();
    void aLinkedProfileListsThePrimarysContactsAndChatSettings();
    void contactsRemoveTakesAContactOffTheListAndKeepsTheChat();
    void settingsAboutShowsBesideTheMemberInGroupInfoAndATooLongOneIsRefused();

private:
    std::unique_ptr<NatterdProcess> m_server;
};

void TstCliAccountSync::initTestCase() {
    QVERIFY2(QFileInfo(NatterCli::binaryPath()).isExecutable(), qPrintable("no natter binary at " + NatterCli::binaryPath()));
    m_server = std::make_unique<NatterdProcess>();
    QVERIFY2(m_server->start(), qPrintable(m_server->errorString()));
}

void TstCliAccountSync::cleanupTestCase() { m_server.reset(); }

void TstCliAccountSync::chatCommandsSetAndClearEachSettingAndSayWhatItIsNow() {
    NatterCli cli(m_server->baseUrl());
    const Person alice = person("Alice"), bob = person("Bob");
    CLI_STEP(befriend(cli, {alice, bob}));

    CLI_OK(pinned, cli.run(alice.profile, {"--json", "chat", "pin", "Bob"}));
    QVERIFY2(pinned.json().value("pinned").toBool() && !pinned.json().value("muted").toBool(), qPrintable(pinned.describe()));
    CLI_OK(muted, cli.run(alice.profile, {"--json", "chat", "mute", "Bob"}));
    QVERIFY2(muted.json().value("pinned").toBool() && muted.json().value("muted").toBool(), qPrintable(muted.describe()));
    CLI_OK(archived, cli.run(alice.profile, {"chat", "archive", "Bob"}));
    QCOMPARE(QString::fromUtf8(archived.out), QStringLiteral("Bob: pinned, muted, archived\n"));
    CLI_OK(unpinned, cli.run(alice.profile, {"chat", "unpin", "Bob"}));
    QCOMPARE(QString::fromUtf8(unpinned.out), QStringLiteral("Bob: muted, archived\n"));
    CLI_OK(unmuted, cli.run(alice.profile, {"chat", "unmute", "Bob"}));
    CLI_OK(unarchived, cli.run(alice.profile, {"chat", "unarchive", "Bob"}));
    QCOMPARE(QString::fromUtf8(unarchived.out), QStringLiteral("Bob: not pinned, muted or archived\n"));

    CLI_OK(mutedAgain, cli.run(alice.profile, {"chat", "mute", bob.phone}));
    CLI_OK(chats, cli.run(alice.profile, {"--json", "chats"}));
    const QJsonObject chat = chatTitled(chats, "Bob");
    QVERIFY2(chat.value("muted").toBool() && !chat.value("pinned").toBool() && !chat.value("archived").toBool(),
             qPrintable(chats.describe()));
}

void TstCliAccountSync::unknownChatsSettingsAndEmptyNamesAreRefused() {
    NatterCli cli(m_server->baseUrl());
    const Person alice = person("Alice"), bob = person("Bob");
    CLI_STEP(befriend(cli, {alice, bob}));

    const CliResult nobody = cli.run(alice.profile, {"chat", "pin", "Nobody"});
    QVERIFY2(nobody.exitCode == kNotFound && nobody.out.isEmpty(), qPrintable(nobody.describe()));
    const CliResult odd = cli.run(alice.profile, {"chat", "frobnicate", "Bob"});
    QVERIFY2(odd.exitCode == kUsage && odd.err.contains("pin, unpin, mute, unmute, archive or unarchive"),
             qPrintable(odd.describe()));
    const CliResult noChat = cli.run(alice.profile, {"chat", "pin"});
    QVERIFY2(noChat.exitCode == kUsage && noChat.err.contains("usage: natter chat pin <chat>"), qPrintable(noChat.describe()));
    const CliResult noName = cli.run(alice.profile, {"settings", "name"});
    QVERIFY2(noName.exitCode == kUsage, qPrintable(noName.describe()));
    const CliResult longName = cli.run(alice.profile, {"--json", "settings", "name", QString(101, QLatin1Char('x'))});
    QVERIFY2(longName.exitCode == kUsage && longName.json().value("error").toObject().value("message").toString().contains(
                                                "1 to 100 bytes"),
             qPrintable(longName.describe()));

    // Nothing changed.
    CLI_OK(me, cli.run(alice.profile, {"--json", "whoami"}));
    QCOMPARE(me.json().value("name").toString(), QStringLiteral("Alice"));
    CLI_OK(chats, cli.run(alice.profile, {"--json", "chats"}));
    QVERIFY2(!chatTitled(chats, "Bob").value("pinned").toBool(), qPrintable(chats.describe()));
}

void TstCliAccountSync::settingsNameChangesTheNameWhoamiShows() {
    NatterCli cli(m_server->baseUrl());
    const Person alice = person("Alice");
    CLI_STEP(registerProfile(cli, alice));
    CLI_OK(named, cli.run(alice.profile, {"settings", "name", "Alice", "Liddell"}));
    QCOMPARE(QString::fromUtf8(named.out), QStringLiteral("Your name is now Alice Liddell\n"));
    CLI_OK(json, cli.run(alice.profile, {"--json", "settings", "name", "Al"}));
    QCOMPARE(json.json().value("name").toString(), QStringLiteral("Al"));
    CLI_OK(me, cli.run(alice.profile, {"--json", "whoami"}));
    QCOMPARE(me.json().value("name").toString(), QStringLiteral("Al"));
}

void TstCliAccountSync::aLinkedProfileListsThePrimarysContactsAndChatSettings() {
    NatterCli cli(m_server->baseUrl());
    const Person alice = person("Alice"), bob = person("Bob"), carol = person("Carol");
    CLI_STEP(befriend(cli, {alice, bob, carol}));
    CLI_OK(renamed, cli.run(alice.profile, {"contacts", "add", bob.phone, "--name", "Bobby"}));
    CLI_OK(pinned, cli.run(alice.profile, {"chat", "pin", "Bobby"}));

    CLI_STEP(linkNewProfile(cli, alice.profile, "laptop"));
    CLI_OK(answered, cli.run(alice.profile, {"sync"})); // the primary answers the laptop's request
    QString why;
    QVERIFY2(eventually(
                 [&](QString* problem) {
                     const CliResult contacts = cli.run("laptop", {"--json", "contacts", "list"});
                     *problem = contacts.describe();
                     return contactName(contacts, bob.phone) == "Bobby" && contactName(contacts, carol.phone) == "Carol";
                 },
                 &why),
             qPrintable(why));
    CLI_OK(chats, cli.run("laptop", {"--json", "chats"}));
    QVERIFY2(chatTitled(chats, "Bobby").value("pinned").toBool(), qPrintable(chats.describe()));
    CLI_OK(me, cli.run(alice.profile, {"--json", "whoami"}));
    const QString own = QStringLiteral("dm:%1:%1").arg(me.json().value("user_id").toInteger());
    for (const auto& c : chats.list("chats"))
        QVERIFY2(c.toObject().value("chat").toString() != own, qPrintable(chats.describe()));

    // And back: muted on the laptop, muted on the primary.
    CLI_OK(muted, cli.run("laptop", {"chat", "mute", "Bobby"}));
    QVERIFY2(eventually(
                 [&](QString* problem) {
                     const CliResult primary = cli.run(alice.profile, {"--json", "chats"});
                     *problem = primary.describe();
                     return chatTitled(primary, "Bobby").value("muted").toBool();
                 },
                 &why),
             qPrintable(why));
}

void TstCliAccountSync::contactsRemoveTakesAContactOffTheListAndKeepsTheChat() {
    NatterCli cli(m_server->baseUrl());
    const Person alice = person("Alice"), bob = person("Bob");
    CLI_STEP(befriend(cli, {alice, bob}));
    CLI_OK(sent, cli.run(alice.profile, {"send", "Bob", "see you"}));
    CLI_OK(before, cli.run(alice.profile, {"--json", "chats"}));
    const QString chat = chatTitled(before, "Bob").value("chat").toString();
    QVERIFY2(!chat.isEmpty(), qPrintable(before.describe()));

    CLI_OK(removed, cli.run(alice.profile, {"contacts", "remove", "Bob"}));
    QVERIFY2(removed.out.startsWith("Removed Bob (" + bob.phone.toUtf8() + ")"), qPrintable(removed.describe()));
    CLI_OK(contacts, cli.run(alice.profile, {"--json", "contacts", "list"}));
    QCOMPARE(contactName(contacts, bob.phone), QString());
    CLI_OK(history, cli.run(alice.profile, {"history", chat})); // the chat stays
    QVERIFY2(history.out.contains("see you"), qPrintable(history.describe()));

    const CliResult again = cli.run(alice.profile, {"--json", "contacts", "remove", "Bob"});
    QVERIFY2(again.exitCode == kNotFound && again.out.contains("\"not_found\"") && again.out.contains("Bob"), qPrintable(again.describe()));
    const CliResult missing = cli.run(alice.profile, {"contacts", "remove"});
    QVERIFY2(missing.exitCode == kUsage && missing.err.contains("usage: natter contacts remove"), qPrintable(missing.describe()));
}

void TstCliAccountSync::settingsAboutShowsBesideTheMemberInGroupInfoAndATooLongOneIsRefused() {
    NatterCli cli(m_server->baseUrl());
    const Person alice = person("Alice"), bob = person("Bob");
    CLI_STEP(befriend(cli, {alice, bob}));
    CLI_OK(about, cli.run(bob.profile, {"settings", "about", "Builds", "things", "🔨"}));
    QCOMPARE(QString::fromUtf8(about.out), QStringLiteral("Your about text is now: Builds things 🔨\n"));
    const CliResult tooLong = cli.run(bob.profile, {"--json", "settings", "about", QString(141, QLatin1Char('x'))});
    QVERIFY2(tooLong.exitCode == kUsage &&
                 tooLong.json().value("error").toObject().value("message").toString().contains("140 bytes"),
             qPrintable(tooLong.describe()));

    // Bob never writes in the group: his profile, with the about text, reaches Alice all the same.
    CLI_OK(created, cli.run(alice.profile, {"group", "create", "Workshop", "Bob"}));
    QString why;
    QVERIFY2(eventually(
                 [&](QString* problem) {
                     const CliResult synced = cli.run(bob.profile, {"sync"});
                     const CliResult info = cli.run(alice.profile, {"--json", "group", "info", "Workshop"});
                     *problem = synced.describe() + info.describe();
                     for (const auto& m : info.list("members"))
                         if (m.toObject().value("about").toString() == QStringLiteral("Builds things 🔨")) return true;
                     return false;
                 },
                 &why),
             qPrintable(why));
    CLI_OK(words, cli.run(alice.profile, {"group", "info", "Workshop"}));
    QVERIFY2(words.out.contains("Bob  — Builds things 🔨\n"), qPrintable(words.describe()));
}

QTEST_GUILESS_MAIN(TstCliAccountSync)
#include "tst_cli_account_sync.moc"
