// `natter daemon`: the profile's JSON-RPC socket spoken to directly (methods, errors, event
// subscription and resuming after a disconnect), and the other natter commands routed
// through the running daemon instead of failing on the locked store.
#include "cli_steps.h"
#include "natter_cli.h"
#include "natterd_process.h"
#include "rpc_socket.h"

#include <QDeadlineTimer>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLockFile>
#include <QTest>

#include <memory>

using namespace natter::test;

namespace {

QString dump(const std::optional<QJsonObject>& o) {
    return o ? QString::fromUtf8(QJsonDocument(*o).toJson(QJsonDocument::Compact)) : QStringLiteral("(no answer)");
}

bool isReady(const QJsonObject& o) { return o.value("daemon").toString() == "ready"; }

} // namespace

class TstCliDaemon : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();

    void theDaemonSocketAnswersJsonRpcAndReplaysEventsMissedWhileDisconnected();
    void commandsForAProfileHeldByTheDaemonGoThroughItsSocket();

private:
    std::unique_ptr<NatterdProcess> m_server;
};

void TstCliDaemon::initTestCase() {
    QVERIFY2(QFileInfo(NatterCli::binaryPath()).isExecutable(), qPrintable("no natter binary at " + NatterCli::binaryPath()));
    m_server = std::make_unique<NatterdProcess>();
    QVERIFY2(m_server->start(), qPrintable(m_server->errorString()));
}

void TstCliDaemon::cleanupTestCase() { m_server.reset(); }

void TstCliDaemon::theDaemonSocketAnswersJsonRpcAndReplaysEventsMissedWhileDisconnected() {
    NatterCli cli(m_server->baseUrl());
    const Person alice = person("Alice");
    const Person bob = person("Bob");
    CLI_STEP(befriend(cli, {alice, bob}));

    CliProcess daemon(cli, bob.profile, {"--json", "daemon"});
    QVERIFY(daemon.start());
    const auto ready = daemon.waitForJson(isReady);
    QVERIFY2(ready, qPrintable(daemon.describe()));
    QCOMPARE(ready->value("socket").toString(), cli.socketPath(bob.profile));

    RpcSocket rpc;
    QVERIFY(rpc.connectTo(cli.socketPath(bob.profile)));

    const auto methods = rpc.call("rpc.methods");
    QVERIFY2(methods && methods->value("result").toObject().value("methods").isArray(), qPrintable(dump(methods)));
    const QStringList names = methods->value("result").toObject().value("methods").toVariant().toStringList();
    for (const char* m : {"whoami", "send", "history", "chats", "group.create", "subscribe", "unsubscribe"})
        QVERIFY2(names.contains(m), qPrintable(QStringLiteral("%1 missing from %2").arg(m, names.join(','))));
    QCOMPARE(methods->value("jsonrpc").toString(), QStringLiteral("2.0"));

    const auto me = rpc.call("whoami");
    QVERIFY2(me && me->contains("result"), qPrintable(dump(me)));
    QCOMPARE(me->value("result").toObject().value("phone").toString(), bob.phone);
    QCOMPARE(me->value("result").toObject().value("registered").toBool(), true);

    const auto empty = rpc.call("history", {{"chat", "Alice"}, {"limit", 5}});
    QVERIFY2(empty && empty->value("result").toObject().value("messages").isArray(), qPrintable(dump(empty)));
    QCOMPARE(empty->value("result").toObject().value("messages").toArray().size(), 0);

    const auto sent = rpc.call("send", {{"to", "Alice"}, {"text", "written on the socket"}});
    QVERIFY2(sent && sent->contains("result"), qPrintable(dump(sent)));
    QCOMPARE(sent->value("result").toObject().value("state").toString(), QStringLiteral("sent"));
    QCOMPARE(sent->value("result").toObject().value("text").toString(), QStringLiteral("written on the socket"));
    const auto afterSend = rpc.call("history", {{"chat", "Alice"}});
    QVERIFY2(afterSend && messageWithText(afterSend->value("result").toObject().value("messages").toArray(), "written on the socket"), qPrintable(dump(afterSend)));
    QString why;
    QVERIFY2(waitForMessage(cli, alice.profile, "Bob", "written on the socket", &why), qPrintable(why));

    const auto unknown = rpc.call("no.such.method");
    QVERIFY2(unknown && unknown->contains("error"), qPrintable(dump(unknown)));
    QCOMPARE(unknown->value("error").toObject().value("code").toInt(), -32601);
    QVERIFY2(unknown->value("error").toObject().value("message").toString().contains("no.such.method"), qPrintable(dump(unknown)));

    const auto malformed = rpc.sendRaw(R"({"jsonrpc":"2.0","id":99,"method":)");
    QVERIFY2(malformed && malformed->contains("error"), qPrintable(dump(malformed)));
    QCOMPARE(malformed->value("error").toObject().value("code").toInt(), -32700);
    QVERIFY(malformed->value("id").isNull());

    // The connection survives the bad line.
    const auto stillThere = rpc.call("whoami");
    QVERIFY2(stillThere && stillThere->contains("result"), qPrintable(dump(stillThere)));

    const auto subscribed = rpc.call("subscribe");
    QVERIFY2(subscribed && subscribed->contains("result"), qPrintable(dump(subscribed)));
    const QJsonObject sub = subscribed->value("result").toObject();
    QCOMPARE(sub.value("subscribed").toBool(), true);
    QCOMPARE(sub.value("gap").toBool(), false);
    QCOMPARE(sub.value("replayed").toInt(), 0);
    const QString stream = sub.value("stream").toString();
    QVERIFY2(!stream.isEmpty(), qPrintable(dump(subscribed)));

    CLI_OK(first, cli.run(alice.profile, {"send", "Bob", "first", "while", "subscribed"}));
    const auto live = rpc.waitForEvent(isMessageEvent("first while subscribed"));
    QVERIFY2(live, qPrintable(daemon.describe()));
    QCOMPARE(live->value("message").toObject().value("outgoing").toBool(), false);
    const qint64 lastSeen = live->value("event_id").toInteger();
    QVERIFY(lastSeen > sub.value("last_event_id").toInteger());
    for (const auto& e : rpc.events()) QVERIFY(e.value("event_id").toInteger() != lastSeen);

    rpc.disconnect();
    CLI_OK(second, cli.run(alice.profile, {"send", "Bob", "missed", "while", "away"}));
    // The daemon has it (the CLI asks the daemon over the socket).
    QVERIFY2(waitForMessage(cli, bob.profile, "Alice", "missed while away", &why), qPrintable(why));

    RpcSocket again;
    QVERIFY(again.connectTo(cli.socketPath(bob.profile)));
    const auto resumed = again.call("subscribe", {{"after", lastSeen}, {"stream", stream}});
    QVERIFY2(resumed && resumed->contains("result"), qPrintable(dump(resumed)));
    const QJsonObject res = resumed->value("result").toObject();
    QCOMPARE(res.value("stream").toString(), stream);
    QCOMPARE(res.value("gap").toBool(), false);
    QVERIFY2(res.value("replayed").toInt() >= 1, qPrintable(dump(resumed)));
    QVERIFY(res.value("last_event_id").toInteger() > lastSeen);
    const auto replayed = again.waitForEvent(isMessageEvent("missed while away"), 5000);
    QVERIFY2(replayed, qPrintable(dump(resumed)));
    QVERIFY(replayed->value("event_id").toInteger() > lastSeen);
    // Replay starts after `after` and ids keep increasing.
    qint64 previous = lastSeen;
    for (const auto& e : again.events()) {
        QVERIFY2(e.value("event_id").toInteger() > previous, qPrintable(QJsonDocument(e).toJson()));
        previous = e.value("event_id").toInteger();
    }
    for (const auto& e : again.events())
        QVERIFY2(e.value("message").toObject().value("text").toString() != "first while subscribed",
                 "an event at or before 'after' was replayed");

    // Live events keep coming on the resumed subscription.
    CLI_OK(third, cli.run(alice.profile, {"send", "Bob", "and", "live", "again"}));
    QVERIFY2(again.waitForEvent(isMessageEvent("and live again")), qPrintable(daemon.describe()));

    // A stream id from another daemon run cannot be resumed: gap.
    RpcSocket stranger;
    QVERIFY(stranger.connectTo(cli.socketPath(bob.profile)));
    const auto foreign = stranger.call("subscribe", {{"after", lastSeen}, {"stream", "not-" + stream}});
    QVERIFY2(foreign && foreign->contains("result"), qPrintable(dump(foreign)));
    QCOMPARE(foreign->value("result").toObject().value("gap").toBool(), true);

    QCOMPARE(daemon.interrupt(), 0);
    QVERIFY2(!QFileInfo::exists(cli.socketPath(bob.profile)), "the socket file outlived the daemon");
}

void TstCliDaemon::commandsForAProfileHeldByTheDaemonGoThroughItsSocket() {
    NatterCli cli(m_server->baseUrl());
    const Person alice = person("Alice");
    const Person bob = person("Bob");
    CLI_STEP(befriend(cli, {alice, bob}));

    // A process that holds the profile without serving its socket (here this test, holding the
    // profile's lock) keeps the others out: they say so and exit 4.
    {
        QLockFile holder(cli.profileDir(bob.profile) + "/store.lock");
        QVERIFY(holder.tryLock(0));
        const CliResult busy = cli.run(bob.profile, {"send", "Alice", "blocked"});
        QVERIFY2(busy.exitCode == 4, qPrintable(busy.describe()));
        QVERIFY2(busy.err.contains("in use"), qPrintable(busy.describe()));
    }

    CliProcess daemon(cli, bob.profile, {"daemon"});
    QVERIFY(daemon.start());
    QDeadlineTimer deadline(15000);
    while (!QFileInfo::exists(cli.socketPath(bob.profile)) && !deadline.hasExpired() && daemon.isRunning()) QTest::qWait(50);
    QVERIFY2(QFileInfo::exists(cli.socketPath(bob.profile)), qPrintable(daemon.describe()));

    CLI_OK(sent, cli.run(bob.profile, {"send", "Alice", "sent", "through", "the", "daemon"}));
    QVERIFY2(sent.out.contains("✓ sent"), qPrintable(sent.describe()));
    QString why;
    QVERIFY2(waitForMessage(cli, alice.profile, "Bob", "sent through the daemon", &why), qPrintable(why));
    CLI_OK(reply, cli.run(alice.profile, {"send", "Bob", "got", "it"}));

    const auto bobHistory = waitForMessage(cli, bob.profile, "Alice", "got it", &why);
    QVERIFY2(bobHistory, qPrintable(why));
    const auto h = history(cli, bob.profile, "Alice", &why);
    QVERIFY2(h, qPrintable(why));
    const auto mine = messageWithText(*h, "sent through the daemon");
    QVERIFY2(mine && mine->value("outgoing").toBool(), qPrintable(QJsonDocument(*h).toJson()));

    CLI_OK(chats, cli.run(bob.profile, {"--json", "chats"}));
    QCOMPARE(chats.list("chats").size(), 1);
    QCOMPARE(chats.list("chats").first().toObject().value("unread").toInt(), 1);
    CLI_OK(plainChats, cli.run(bob.profile, {"chats"}));
    QVERIFY2(plainChats.out.contains("Alice (1)"), qPrintable(plainChats.describe()));

    // Registering needs the profile itself: it refuses and says why.
    const CliResult reg = cli.run(bob.profile, {"--server", cli.server().toString(), "register", person("Other").phone,
                                                "--code", "123456"});
    QVERIFY2(reg.exitCode == 4, qPrintable(reg.describe()));
    QVERIFY2(reg.err.contains("daemon") && reg.err.contains("stop it first"), qPrintable(reg.describe()));
    QVERIFY(daemon.isRunning());

    QCOMPARE(daemon.interrupt(), 0);
    // With the daemon gone the commands open the profile themselves again.
    CLI_OK(direct, cli.run(bob.profile, {"--json", "whoami"}));
    QCOMPARE(direct.json().value("phone").toString(), bob.phone);
}

QTEST_GUILESS_MAIN(TstCliDaemon)
#include "tst_cli_daemon.moc"
