// `natter history CHAT --limit N --before ID`: paging back through a chat, page by page, in
// --json and plain output, and the same `before` on the profile's JSON-RPC socket (issue 15).
#include "cli_steps.h"
#include "natter_cli.h"
#include "natterd_process.h"
#include "rpc_socket.h"

#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

#include <memory>

using namespace natter::test;

namespace {

QString dump(const std::optional<QJsonObject>& o) {
    return o ? QString::fromUtf8(QJsonDocument(*o).toJson(QJsonDocument::Compact)) : QStringLiteral("(no answer)");
}

QStringList texts(const QJsonArray& messages) {
    QStringList out;
    for (const auto& m : messages) out << m.toObject().value("text").toString();
    return out;
}

} // namespace

class TstCliHistoryPaging : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();

    void historyBeforeAnIdPagesBackToTheFirstMessage();
    void aBeforeThatIsNotAMessageOfTheChatIsRefused();

private:
    std::unique_ptr<NatterdProcess> m_server;
};

void TstCliHistoryPaging::initTestCase() {
    QVERIFY2(QFileInfo(NatterCli::binaryPath()).isExecutable(), qPrintable("no natter binary at " + NatterCli::binaryPath()));
    m_server = std::make_unique<NatterdProcess>();
    QVERIFY2(m_server->start(), qPrintable(m_server->errorString()));
}

void TstCliHistoryPaging::cleanupTestCase() { m_server.reset(); }

void TstCliHistoryPaging::historyBeforeAnIdPagesBackToTheFirstMessage() {
    NatterCli cli(m_server->baseUrl());
    const Person alice = person("Alice");
    const Person bob = person("Bob");
    CLI_STEP(befriend(cli, {alice, bob}));
    for (int i = 1; i <= 5; ++i) {
        CLI_OK(sent, cli.run(alice.profile, {"send", "Bob", QStringLiteral("page %1").arg(i)}));
    }

    CLI_OK(newest, cli.run(alice.profile, {"--json", "history", "Bob", "--limit", "2"}));
    QCOMPARE(texts(newest.list("messages")), QStringList({"page 4", "page 5"}));
    const QString fourth = QString::number(newest.list("messages").first().toObject().value("id").toInteger());

    CLI_OK(older, cli.run(alice.profile, {"--json", "history", "Bob", "--limit", "2", "--before", fourth}));
    QCOMPARE(texts(older.list("messages")), QStringList({"page 2", "page 3"}));
    const QString second = QString::number(older.list("messages").first().toObject().value("id").toInteger());

    CLI_OK(oldest, cli.run(alice.profile, {"--json", "history", "Bob", "--limit", "2", "--before", second}));
    QCOMPARE(texts(oldest.list("messages")), QStringList({"page 1"}));
    const QString first = QString::number(oldest.list("messages").first().toObject().value("id").toInteger());

    CLI_OK(none, cli.run(alice.profile, {"--json", "history", "Bob", "--before", first}));
    QVERIFY2(none.json().value("messages").isArray(), qPrintable(none.describe()));
    QCOMPARE(none.list("messages").size(), 0);

    // The plain output pages the same way.
    CLI_OK(plain, cli.run(alice.profile, {"history", "Bob", "--limit", "2", "--before", fourth}));
    QVERIFY2(plain.out.contains("page 2") && plain.out.contains("page 3") && !plain.out.contains("page 4") &&
                 !plain.out.contains("page 1"),
             qPrintable(plain.describe()));

    // The socket's history method takes the same `before`.
    CliProcess daemon(cli, alice.profile, {"--json", "daemon"});
    QVERIFY(daemon.start());
    QVERIFY2(daemon.waitForJson([](const QJsonObject& o) { return o.value("daemon").toString() == "ready"; }),
             qPrintable(daemon.describe()));
    RpcSocket rpc;
    QVERIFY(rpc.connectTo(cli.socketPath(alice.profile)));
    const auto page = rpc.call("history", {{"chat", "Bob"}, {"limit", 2}, {"before", fourth.toLongLong()}});
    QVERIFY2(page, "no answer to history");
    QCOMPARE(texts(page->value("result").toObject().value("messages").toArray()), QStringList({"page 2", "page 3"}));
    const auto wrong = rpc.call("history", {{"chat", "Bob"}, {"before", "yesterday"}});
    QVERIFY2(wrong && wrong->value("error").toObject().value("code").toInt() == -32602 &&
                 wrong->value("error").toObject().value("data").toObject().value("param").toString() == "before",
             qPrintable(dump(wrong)));
    QCOMPARE(daemon.interrupt(), 0);
}

void TstCliHistoryPaging::aBeforeThatIsNotAMessageOfTheChatIsRefused() {
    NatterCli cli(m_server->baseUrl());
    const Person alice = person("Alice");
    const Person bob = person("Bob");
    CLI_STEP(befriend(cli, {alice, bob}));
    CLI_OK(sent, cli.run(alice.profile, {"send", "Bob", "only", "one"}));

    const CliResult unknown = cli.run(alice.profile, {"history", "Bob", "--before", "999999"});
    QCOMPARE(unknown.exitCode, 5);
    QVERIFY2(unknown.err.contains("999999"), qPrintable(unknown.describe()));
    const CliResult notAnId = cli.run(alice.profile, {"history", "Bob", "--before", "0"});
    QCOMPARE(notAnId.exitCode, 2);
    QVERIFY2(notAnId.err.contains("--before must be a message id"), qPrintable(notAnId.describe()));
    const CliResult word = cli.run(alice.profile, {"history", "Bob", "--before", "yesterday"});
    QCOMPARE(word.exitCode, 2);
}

QTEST_GUILESS_MAIN(TstCliHistoryPaging)
#include "tst_cli_history_paging.moc"
