// `natter search TEXT --chat CHAT --limit N` (issue 15): full-text search in every chat or in one,
// newest first and bounded by the limit; an unknown chat or a limit out of range is refused.
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
constexpr int kNotFound = 5; // unknown chat

// The snippets of a `search --json` result, newest first, and the chats they are in.
QStringList snippets(const CliResult& r) {
    QStringList out;
    for (const auto& h : r.list("hits")) out << h.toObject().value("snippet").toString();
    return out;
}

QStringList chatsOf(const CliResult& r) {
    QStringList out;
    for (const auto& h : r.list("hits")) out << h.toObject().value("chat").toString();
    return out;
}

} // namespace

class TstCliSearch : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();

    void searchFindsTheNewestMatchesInOneChatOrInAll();
    void anUnknownChatOrALimitOutOfRangeIsRefused();

private:
    std::unique_ptr<NatterdProcess> m_server;
};

void TstCliSearch::initTestCase() {
    QVERIFY2(QFileInfo(NatterCli::binaryPath()).isExecutable(), qPrintable("no natter binary at " + NatterCli::binaryPath()));
    m_server = std::make_unique<NatterdProcess>();
    QVERIFY2(m_server->start(), qPrintable(m_server->errorString()));
}

void TstCliSearch::cleanupTestCase() { m_server.reset(); }

void TstCliSearch::searchFindsTheNewestMatchesInOneChatOrInAll() {
    NatterCli cli(m_server->baseUrl());
    const Person alice = person("Alice");
    const Person bob = person("Bob");
    const Person carol = person("Carol");
    CLI_STEP(befriend(cli, {alice, bob, carol}));
    CLI_OK(first, cli.run(alice.profile, {"send", "Bob", "climbing on sunday"}));
    CLI_OK(toCarol, cli.run(alice.profile, {"send", "Carol", "climbing with you"}));
    CLI_OK(second, cli.run(alice.profile, {"send", "Bob", "climbing gear"}));
    CLI_OK(other, cli.run(alice.profile, {"send", "Bob", "see you"}));
    CLI_OK(bobChat, cli.run(alice.profile, {"--json", "history", "Bob"}));
    const QString withBob = bobChat.json().value("chat").toString();

    CLI_OK(all, cli.run(alice.profile, {"--json", "search", "climbing"}));
    QCOMPARE(snippets(all).size(), 3);
    CLI_OK(inBob, cli.run(alice.profile, {"--json", "search", "climbing", "--chat", "Bob"}));
    QCOMPARE(snippets(inBob), (QStringList{"[climbing] gear", "[climbing] on sunday"}));
    QCOMPARE(chatsOf(inBob), (QStringList{withBob, withBob}));
    CLI_OK(newest, cli.run(alice.profile, {"--json", "search", "climbing", "--chat", withBob, "--limit", "1"}));
    QCOMPARE(snippets(newest), QStringList{"[climbing] gear"});
    CLI_OK(plain, cli.run(alice.profile, {"search", "--limit", "1", "--chat", "Bob", "climbing"}));
    QVERIFY2(plain.out.contains("[climbing] gear") && plain.out.count('\n') == 1, qPrintable(plain.describe()));
    CLI_OK(none, cli.run(alice.profile, {"search", "sunday", "--chat", "Carol"}));
    QCOMPARE(QString::fromUtf8(none.out), QStringLiteral("(nothing found)\n"));
}

void TstCliSearch::anUnknownChatOrALimitOutOfRangeIsRefused() {
    NatterCli cli(m_server->baseUrl());
    const Person alice = person("Alice");
    CLI_STEP(registerProfile(cli, alice));
    const CliResult unknown = cli.run(alice.profile, {"search", "hello", "--chat", "Nobody"});
    QVERIFY2(unknown.exitCode == kNotFound && unknown.err.contains("Nobody") && unknown.out.isEmpty(),
             qPrintable(unknown.describe()));
    for (const QStringList& args : {QStringList{"search", "hello", "--limit", "0"}, QStringList{"search", "hello", "--limit", "1001"},
                                    QStringList{"search", "--chat", "Bob"}, QStringList{"search", "hello", "--chat", ""}}) {
        const CliResult r = cli.run(alice.profile, args);
        QVERIFY2(r.exitCode == kUsage && r.out.isEmpty() && !r.err.isEmpty(), qPrintable(r.describe()));
    }
}

QTEST_GUILESS_MAIN(TstCliSearch)
#include "tst_cli_search.moc"
