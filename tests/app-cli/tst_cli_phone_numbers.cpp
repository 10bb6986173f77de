// Writing to a phone number that is not a contact yet: the client core looks the number up on
// natterd, adds the contact and sends, for the CLI and for JSON-RPC alike (issue 15); a number
// without an account is refused in one sentence and changes nothing.
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

// The contact with this phone number in `contacts list --json`, or an empty object.
QJsonObject contactByPhone(const CliResult& listed, const QString& phone) {
    for (const auto& c : listed.list("contacts"))
        if (c.toObject().value("phone").toString() == phone) return c.toObject();
    return {};
}

} // namespace

class TstCliPhoneNumbers : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();

    void sendingToANumberThatIsNotAContactAddsItAndTheMessageArrives();
    void sendingToANumberWithoutAnAccountSaysSoExitsFiveAndAddsNothing();
    void theJsonRpcSendAddsANumberThatIsNotAContactToo();

private:
    std::unique_ptr<NatterdProcess> m_server;
};

void TstCliPhoneNumbers::initTestCase() {
    QVERIFY2(QFileInfo(NatterCli::binaryPath()).isExecutable(), qPrintable("no natter binary at " + NatterCli::binaryPath()));
    m_server = std::make_unique<NatterdProcess>();
    QVERIFY2(m_server->start(), qPrintable(m_server->errorString()));
}

void TstCliPhoneNumbers::cleanupTestCase() { m_server.reset(); }

void TstCliPhoneNumbers::sendingToANumberThatIsNotAContactAddsItAndTheMessageArrives() {
    NatterCli cli(m_server->baseUrl());
    const Person alice = person("Alice");
    const Person bob = person("Bob");
    CLI_STEP(registerProfile(cli, alice));
    CLI_STEP(registerProfile(cli, bob));

    CLI_OK(sent, cli.run(alice.profile, {"send", bob.phone, "hi", "by", "number"}));
    QVERIFY2(sent.out.contains("✓ sent"), qPrintable(sent.describe()));
    // Bob became Alice's contact under the name his account gave itself.
    CLI_OK(aliceContacts, cli.run(alice.profile, {"--json", "contacts", "list"}));
    QCOMPARE(contactByPhone(aliceContacts, bob.phone).value("name").toString(), bob.name);

    // Bob answers a stranger by her number the same way, and she gets the answer.
    CLI_OK(answer, cli.run(bob.profile, {"send", alice.phone, "hi", "back"}));
    QVERIFY2(answer.out.contains("✓ sent"), qPrintable(answer.describe()));
    QString why;
    QVERIFY2(waitForMessage(cli, bob.profile, alice.phone, "hi by number", &why), qPrintable(why));
    QVERIFY2(waitForMessage(cli, alice.profile, "Bob", "hi back", &why), qPrintable(why));
}

void TstCliPhoneNumbers::sendingToANumberWithoutAnAccountSaysSoExitsFiveAndAddsNothing() {
    NatterCli cli(m_server->baseUrl());
    const Person alice = person("Alice");
    const QString nobody = nextPhone();
    CLI_STEP(registerProfile(cli, alice));

    const CliResult refused = cli.run(alice.profile, {"send", nobody, "anyone", "there?"});
    QCOMPARE(refused.exitCode, 5);
    QVERIFY2(refused.err.trimmed() == ("natter: " + nobody + " has no Natter account on this server, so nothing was sent").toUtf8(), qPrintable(refused.describe()));
    QVERIFY2(refused.out.isEmpty(), qPrintable(refused.describe()));

    const CliResult refusedJson = cli.run(alice.profile, {"--json", "send", nobody, "anyone", "there?"});
    QCOMPARE(refusedJson.exitCode, 5);
    QCOMPARE(refusedJson.json().value("error").toObject().value("kind").toString(), QStringLiteral("not_found"));

    CLI_OK(contacts, cli.run(alice.profile, {"--json", "contacts", "list"}));
    QCOMPARE(contacts.list("contacts").size(), 0);
    CLI_OK(chats, cli.run(alice.profile, {"--json", "chats"}));
    QCOMPARE(chats.list("chats").size(), 0);
}

void TstCliPhoneNumbers::theJsonRpcSendAddsANumberThatIsNotAContactToo() {
    NatterCli cli(m_server->baseUrl());
    const Person alice = person("Alice");
    const Person carol = person("Carol");
    CLI_STEP(registerProfile(cli, alice));
    CLI_STEP(registerProfile(cli, carol));

    CliProcess daemon(cli, alice.profile, {"--json", "daemon"});
    QVERIFY(daemon.start());
    QVERIFY2(daemon.waitForJson([](const QJsonObject& o) { return o.value("daemon").toString() == "ready"; }),
             qPrintable(daemon.describe()));
    RpcSocket rpc;
    QVERIFY(rpc.connectTo(cli.socketPath(alice.profile)));

    const auto sent = rpc.call("send", {{"to", carol.phone}, {"text", "hi over the socket"}});
    QVERIFY2(sent && sent->value("result").toObject().value("state").toString() == "sent", qPrintable(dump(sent)));
    const auto contacts = rpc.call("contacts.list");
    QVERIFY2(contacts, "no answer to contacts.list");
    bool added = false;
    for (const auto& c : contacts->value("result").toObject().value("contacts").toArray())
        added = added || (c.toObject().value("phone").toString() == carol.phone &&
                          c.toObject().value("name").toString() == carol.name);
    QVERIFY2(added, qPrintable(dump(contacts)));

    const auto unknown = rpc.call("send", {{"to", nextPhone()}, {"text", "anyone there?"}});
    QVERIFY2(unknown && unknown->value("error").toObject().value("code").toInt() == -32008, qPrintable(dump(unknown)));
    QCOMPARE(daemon.interrupt(), 0);

    // Carol has no contact called anything: she finds the message under the chat's id.
    const QString chat = sent->value("result").toObject().value("chat").toString();
    QVERIFY2(chat.startsWith("dm:"), qPrintable(dump(sent)));
    QString why;
    QVERIFY2(waitForMessage(cli, carol.profile, chat, "hi over the socket", &why), qPrintable(why));
}

QTEST_GUILESS_MAIN(TstCliPhoneNumbers)
#include "tst_cli_phone_numbers.moc"
