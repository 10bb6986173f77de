// `natter read CHAT [MESSAGE-ID]` (issue 15): reading up to one message marks it and the unread
// ones before it read (the sender sees "read" on those only) and leaves the later ones unread; a
// message of another chat, an unknown one or a word that is no id is refused.
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

constexpr int kUsage = 2;    // natter --help: bad argument
constexpr int kNotFound = 5; // unknown message

int unreadIn(const CliResult& chats, const QString& title) {
    for (const auto& c : chats.list("chats"))
        if (c.toObject().value("title").toString() == title) return c.toObject().value("unread").toInt();
    return -1;
}

// The sender's view: re-reads the history until the message with `text` has `state`, bounded.
bool waitForState(const NatterCli& cli, const QString& profile, const QString& chat, const QString& text,
                  const QString& state, QString* why) {
    return eventually(
        [&](QString* problem) {
            const auto messages = history(cli, profile, chat, problem);
            if (!messages) return false;
            *problem = QString::fromUtf8(QJsonDocument(*messages).toJson(QJsonDocument::Compact));
            const auto m = messageWithText(*messages, text);
            return m && m->value("state").toString() == state;
        },
        why);
}

} // namespace

class TstCliRead : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();

    void readingUpToAMessageLeavesTheLaterOnesUnread();
    void aMessageOfAnotherChatOrNoMessageIdIsRefused();

private:
    std::unique_ptr<NatterdProcess> m_server;
};

void TstCliRead::initTestCase() {
    QVERIFY2(QFileInfo(NatterCli::binaryPath()).isExecutable(), qPrintable("no natter binary at " + NatterCli::binaryPath()));
    m_server = std::make_unique<NatterdProcess>();
    QVERIFY2(m_server->start(), qPrintable(m_server->errorString()));
}

void TstCliRead::cleanupTestCase() { m_server.reset(); }

void TstCliRead::readingUpToAMessageLeavesTheLaterOnesUnread() {
    NatterCli cli(m_server->baseUrl());
    const Person alice = person("Alice");
    const Person bob = person("Bob");
    CLI_STEP(befriend(cli, {alice, bob}));
    for (const char* text : {"one", "two", "three"}) {
        CLI_OK(sent, cli.run(bob.profile, {"send", "Alice", text}));
    }
    QString why;
    const auto three = waitForMessage(cli, alice.profile, "Bob", "three", &why);
    QVERIFY2(three, qPrintable(why));
    const auto messages = history(cli, alice.profile, "Bob", &why);
    QVERIFY2(messages, qPrintable(why));
    const qint64 two = messageWithText(*messages, "two")->value("id").toInteger();
    CLI_OK(before, cli.run(alice.profile, {"--json", "chats"}));
    QCOMPARE(unreadIn(before, "Bob"), 3);

    CLI_OK(read, cli.run(alice.profile, {"read", "Bob", QString::number(two)}));
    QCOMPARE(QString::fromUtf8(read.out), QStringLiteral("Marked 2 message(s) read up to message %1\n").arg(two));
    CLI_OK(after, cli.run(alice.profile, {"--json", "chats"}));
    QCOMPARE(unreadIn(after, "Bob"), 1);
    // Bob sees "read" on the first two; the third stays delivered.
    QVERIFY2(waitForState(cli, bob.profile, "Alice", "two", "read", &why), qPrintable(why));
    QVERIFY2(waitForState(cli, bob.profile, "Alice", "one", "read", &why), qPrintable(why));
    const auto bobSees = history(cli, bob.profile, "Alice", &why);
    QVERIFY2(bobSees, qPrintable(why));
    QVERIFY2(messageWithText(*bobSees, "three")->value("state").toString() != "read", qPrintable(QJsonDocument(*bobSees).toJson()));

    // Reading the whole chat marks the rest.
    CLI_OK(rest, cli.run(alice.profile, {"--json", "read", "Bob"}));
    QCOMPARE(rest.json().value("marked").toInt(), 1);
    CLI_OK(none, cli.run(alice.profile, {"--json", "chats"}));
    QCOMPARE(unreadIn(none, "Bob"), 0);
    QVERIFY2(waitForState(cli, bob.profile, "Alice", "three", "read", &why), qPrintable(why));
}

void TstCliRead::aMessageOfAnotherChatOrNoMessageIdIsRefused() {
    NatterCli cli(m_server->baseUrl());
    const Person alice = person("Alice");
    const Person bob = person("Bob");
    const Person carol = person("Carol");
    CLI_STEP(befriend(cli, {alice, bob, carol}));
    CLI_OK(fromBob, cli.run(bob.profile, {"send", "Alice", "from bob"}));
    CLI_OK(fromCarol, cli.run(carol.profile, {"send", "Alice", "from carol"}));
    QString why;
    const auto carols = waitForMessage(cli, alice.profile, "Carol", "from carol", &why);
    QVERIFY2(carols, qPrintable(why));
    QVERIFY2(waitForMessage(cli, alice.profile, "Bob", "from bob", &why), qPrintable(why));

    const CliResult otherChat = cli.run(alice.profile, {"read", "Bob", QString::number(carols->value("id").toInteger())});
    QVERIFY2(otherChat.exitCode == kNotFound && otherChat.err.contains("is not in this chat"), qPrintable(otherChat.describe()));
    const CliResult unknown = cli.run(alice.profile, {"read", "Bob", "999999"});
    QVERIFY2(unknown.exitCode == kNotFound && unknown.out.isEmpty(), qPrintable(unknown.describe()));
    for (const QStringList& args : {QStringList{"read", "Bob", "latest"}, QStringList{"read", "Bob", "0"},
                                    QStringList{"read", "Bob", "1", "2"}}) {
        const CliResult r = cli.run(alice.profile, args);
        QVERIFY2(r.exitCode == kUsage && r.out.isEmpty(), qPrintable(r.describe()));
    }
    CLI_OK(chats, cli.run(alice.profile, {"--json", "chats"}));
    QCOMPARE(unreadIn(chats, "Bob"), 1);
    QCOMPARE(unreadIn(chats, "Carol"), 1);
}

QTEST_GUILESS_MAIN(TstCliRead)
#include "tst_cli_read.moc"
