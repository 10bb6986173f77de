// Message requests and blocking from the CLI (issue 14): a stranger's first message is listed
// by `requests` and becomes a normal chat with `accept` (its read receipts go then); `block`
// removes the request and natterd delivers nothing more of theirs to any device of the account
// (the sender still gets "sent"); `blocked` lists them on every device; `unblock` lets them
// through again. Wrong names and repeats are refused with the documented exit codes.
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

constexpr int kUsage = 2;    // natter --help: bad argument (also: not a request)
constexpr int kNotFound = 5; // unknown person, or someone who is not blocked

// `natter --json requests` re-run until one request shows `text` as its preview; its JSON.
std::optional<QJsonObject> waitForRequest(const NatterCli& cli, const QString& profile, const QString& text, QString* why) {
    std::optional<QJsonObject> found;
    const bool ok = eventually(
        [&](QString* problem) {
            const CliResult r = cli.run(profile, {"--json", "requests"});
            *problem = r.describe();
            for (const auto& item : r.list("requests"))
                if (item.toObject().value("preview").toString() == text) found = item.toObject();
            return found.has_value();
        },
        why);
    return ok ? found : std::nullopt;
}

QString stateOf(const NatterCli& cli, const QString& profile, const QString& chat, const QString& text) {
    QString why;
    const auto messages = history(cli, profile, chat, &why);
    const auto m = messages ? messageWithText(*messages, text) : std::nullopt;
    return m ? m->value("state").toString() : QStringLiteral("(missing: %1)").arg(why);
}

} // namespace

class TstCliRequests : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();

    void aStrangersFirstMessageIsARequestUntilAcceptedAndThenGetsItsReadReceipt();
    void blockedPeoplesMessagesNeverArriveOnAnyDeviceUntilUnblocked();
    void wrongNamesAndRepeatsAreRefusedWithTheirExitCodes();

private:
    std::unique_ptr<NatterdProcess> m_server;
};

void TstCliRequests::initTestCase() {
    QVERIFY2(QFileInfo(NatterCli::binaryPath()).isExecutable(), qPrintable("no natter binary at " + NatterCli::binaryPath()));
    m_server = std::make_unique<NatterdProcess>();
    QVERIFY2(m_server->start(), qPrintable(m_server->errorString()));
}

void TstCliRequests::cleanupTestCase() { m_server.reset(); }

void TstCliRequests::aStrangersFirstMessageIsARequestUntilAcceptedAndThenGetsItsReadReceipt() {
    NatterCli cli(m_server->baseUrl());
    const Person alice = person("Alice"), carol = person("Carol");
    CLI_STEP(registerProfile(cli, alice));
    CLI_STEP(registerProfile(cli, carol));
    CLI_STEP(addContact(cli, carol, alice)); // Carol knows Alice's number; Alice does not know Carol
    CLI_OK(sent, cli.run(carol.profile, {"send", "Alice", "hello, we met at the conference"}));

    QString why;
    const auto request = waitForRequest(cli, alice.profile, "hello, we met at the conference", &why);
    QVERIFY2(request, qPrintable(why));
    const QString chat = request->value("chat").toString();
    QVERIFY(request->value("request").toBool());
    CLI_OK(listed, cli.run(alice.profile, {"requests"}));
    QVERIFY2(QString::fromUtf8(listed.out).contains(chat), qPrintable(listed.describe()));

    // Reading it tells Carol nothing yet; accepting sends the read receipt.
    CLI_OK(read, cli.run(alice.profile, {"read", chat}));
    QVERIFY(stateOf(cli, carol.profile, "Alice", "hello, we met at the conference") != "read");
    CLI_OK(accepted, cli.run(alice.profile, {"accept", chat}));
    QVERIFY2(QString::fromUtf8(accepted.out).startsWith("Accepted ") &&
                 QString::fromUtf8(accepted.out).contains("1 read receipt sent"),
             qPrintable(accepted.describe()));
    QVERIFY2(eventually(
                 [&](QString* problem) {
                     *problem = stateOf(cli, carol.profile, "Alice", "hello, we met at the conference");
                     return *problem == "read";
                 },
                 &why),
             qPrintable(why));
    CLI_OK(none, cli.run(alice.profile, {"requests"}));
    QCOMPARE(QString::fromUtf8(none.out), QStringLiteral("No message requests.\n"));
    CLI_OK(json, cli.run(alice.profile, {"--json", "requests"}));
    QVERIFY(json.list("requests").isEmpty());
}

void TstCliRequests::blockedPeoplesMessagesNeverArriveOnAnyDeviceUntilUnblocked() {
    NatterCli cli(m_server->baseUrl());
    const Person alice = person("Alice"), bob = person("Bob"), carol = person("Carol");
    CLI_STEP(befriend(cli, {alice, bob}));
    CLI_STEP(registerProfile(cli, carol));
    CLI_STEP(addContact(cli, carol, alice));
    CLI_STEP(linkNewProfile(cli, alice.profile, "laptop"));
    CLI_OK(first, cli.run(carol.profile, {"send", "Alice", "buy cheap watches"}));
    QString why;
    const auto request = waitForRequest(cli, alice.profile, "buy cheap watches", &why);
    QVERIFY2(request, qPrintable(why));
    const QString chat = request->value("chat").toString();

    CLI_OK(blocked, cli.run(alice.profile, {"block", chat}));
    QVERIFY2(QString::fromUtf8(blocked.out).startsWith("Blocked ") &&
                 QString::fromUtf8(blocked.out).contains("their request was removed"),
             qPrintable(blocked.describe()));
    CLI_OK(noRequest, cli.run(alice.profile, {"--json", "requests"}));
    QVERIFY(noRequest.list("requests").isEmpty());
    // The other device reads the same list from natterd.
    CLI_OK(onLaptop, cli.run("laptop", {"--json", "blocked"}));
    QCOMPARE(onLaptop.list("blocked").size(), 1);
    QCOMPARE(onLaptop.list("blocked")[0].toObject().value("chat").toString(), chat);

    CLI_OK(whileBlocked, cli.run(carol.profile, {"--json", "send", "Alice", "hello? did you get it?"}));
    QCOMPARE(whileBlocked.json().value("state").toString(), QStringLiteral("sent")); // Carol cannot tell
    // Bob writes after Carol's message was stored: once his arrives, Carol's would have too.
    CLI_OK(fromBob, cli.run(bob.profile, {"send", "Alice", "lunch?"}));
    QVERIFY2(waitForMessage(cli, alice.profile, "Bob", "lunch?", &why), qPrintable(why));
    CLI_OK(aliceChats, cli.run(alice.profile, {"--json", "chats"}));
    QString bobChat;
    for (const auto& c : aliceChats.list("chats"))
        if (c.toObject().value("title").toString() == "Bob") bobChat = c.toObject().value("chat").toString();
    for (const QString profile : {alice.profile, QStringLiteral("laptop")}) {
        QVERIFY2(waitForMessage(cli, profile, bobChat, "lunch?", &why), qPrintable(why));
        CLI_OK(chats, cli.run(profile, {"--json", "chats"}));
        for (const auto& c : chats.list("chats"))
            QVERIFY2(c.toObject().value("chat").toString() != chat, qPrintable(chats.describe()));
    }

    CLI_OK(unblocked, cli.run("laptop", {"unblock", chat}));
    QVERIFY2(QString::fromUtf8(unblocked.out).startsWith("Unblocked "), qPrintable(unblocked.describe()));
    CLI_OK(nobody, cli.run(alice.profile, {"blocked"}));
    QCOMPARE(QString::fromUtf8(nobody.out), QStringLiteral("Nobody is blocked.\n"));
    CLI_OK(after, cli.run(carol.profile, {"send", "Alice", "sorry for the spam"}));
    QVERIFY2(waitForRequest(cli, alice.profile, "sorry for the spam", &why), qPrintable(why));
}

void TstCliRequests::wrongNamesAndRepeatsAreRefusedWithTheirExitCodes() {
    NatterCli cli(m_server->baseUrl());
    const Person alice = person("Alice"), bob = person("Bob");
    CLI_STEP(befriend(cli, {alice, bob}));

    const auto refused = [&](const QStringList& args, int code) {
        const CliResult r = cli.run(alice.profile, args);
        return r.exitCode == code && r.out.isEmpty() && !r.err.isEmpty() ? QString() : r.describe();
    };
    CLI_STEP(refused({"block"}, kUsage));
    CLI_STEP(refused({"block", "Bob", "Carol"}, kUsage));
    CLI_STEP(refused({"requests", "now"}, kUsage));
    CLI_STEP(refused({"block", "Nobody"}, kNotFound));
    CLI_STEP(refused({"accept", "Nobody"}, kNotFound));
    CLI_STEP(refused({"accept", "Bob"}, kUsage)); // a contact's chat is no request
    CLI_STEP(refused({"unblock", "Bob"}, kNotFound)); // not blocked
    CLI_OK(blocked, cli.run(alice.profile, {"block", "Bob"}));
    CLI_OK(again, cli.run(alice.profile, {"block", "Bob"})); // blocking twice changes nothing
    CLI_OK(list, cli.run(alice.profile, {"--json", "blocked"}));
    QCOMPARE(list.list("blocked").size(), 1);
    QCOMPARE(list.list("blocked")[0].toObject().value("name").toString(), QStringLiteral("Bob"));
    CLI_OK(unblocked, cli.run(alice.profile, {"unblock", "Bob"}));
    CLI_STEP(refused({"unblock", "Bob"}, kNotFound));
}

QTEST_GUILESS_MAIN(TstCliRequests)
#include "tst_cli_requests.moc"
