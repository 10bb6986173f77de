// Safety numbers from the CLI (issue 15): when a contact's number is registered again (a new
// account identity), `safety-number` and `contacts list` say that the safety number changed
// until `contacts verify` accepts it after comparing; an unknown contact is refused.
#include "cli_steps.h"
#include "natter_cli.h"
#include "natterd_process.h"

#include <QDeadlineTimer>
#include <QFileInfo>
#include <QJsonArray>
#include <QTest>
#include <QThread>

#include <memory>

using namespace natter::test;

namespace {

constexpr int kNotFound = 5; // natter --help: unknown contact

// `identity_changed` of the contact called `name` in `contacts list --json` (nullopt: not listed).
std::optional<bool> identityChanged(const CliResult& contacts, const QString& name) {
    for (const auto& c : contacts.list("contacts"))
        if (c.toObject().value("name").toString() == name) return c.toObject().value("identity_changed").toBool();
    return std::nullopt;
}

} // namespace

class TstCliSafetyNumbers : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();

    void aChangedSafetyNumberIsFlaggedUntilTheContactIsVerified();
    void verifyingAnUnknownContactIsRefused();

private:
    std::unique_ptr<NatterdProcess> m_server;
};

void TstCliSafetyNumbers::initTestCase() {
    QVERIFY2(QFileInfo(NatterCli::binaryPath()).isExecutable(), qPrintable("no natter binary at " + NatterCli::binaryPath()));
    m_server = std::make_unique<NatterdProcess>();
    QVERIFY2(m_server->start(), qPrintable(m_server->errorString()));
}

void TstCliSafetyNumbers::cleanupTestCase() { m_server.reset(); }

void TstCliSafetyNumbers::aChangedSafetyNumberIsFlaggedUntilTheContactIsVerified() {
    NatterCli cli(m_server->baseUrl());
    const Person alice = person("Alice");
    const Person bob = person("Bob");
    CLI_STEP(befriend(cli, {alice, bob}));
    CLI_OK(hello, cli.run(bob.profile, {"send", "Alice", "hello"}));
    QString why;
    QVERIFY2(waitForMessage(cli, alice.profile, "Bob", "hello", &why), qPrintable(why));
    CLI_OK(before, cli.run(alice.profile, {"--json", "safety-number", "Bob"}));
    QCOMPARE(before.json().value("changed").toBool(), false);
    CLI_OK(plainBefore, cli.run(alice.profile, {"safety-number", "Bob"}));
    QVERIFY2(plainBefore.out.startsWith("Safety number:"), qPrintable(plainBefore.describe()));

    // Bob's number is registered again on a new profile: a new account identity.
    CLI_STEP(registerProfile(cli, Person{"bob-again", "Bob", bob.phone}));

    CLI_OK(after, cli.run(alice.profile, {"--json", "safety-number", "Bob"}));
    QVERIFY2(after.json().value("changed").toBool(), qPrintable(after.describe()));
    QVERIFY2(after.json().value("safety_number").toString() != before.json().value("safety_number").toString(),
             qPrintable(after.describe()));
    CLI_OK(plainAfter, cli.run(alice.profile, {"safety-number", "Bob"}));
    QVERIFY2(plainAfter.out.startsWith("⚠ Your safety number with Bob changed.") &&
                 plainAfter.out.contains("natter contacts verify \"Bob\""),
             qPrintable(plainAfter.describe()));
    CLI_OK(listed, cli.run(alice.profile, {"contacts", "list"}));
    QVERIFY2(listed.out.contains("⚠ safety number changed"), qPrintable(listed.describe()));
    CLI_OK(listedJson, cli.run(alice.profile, {"--json", "contacts", "list"}));
    QCOMPARE(identityChanged(listedJson, "Bob"), std::optional<bool>(true));

    CLI_OK(verified, cli.run(alice.profile, {"contacts", "verify", "Bob"}));
    QCOMPARE(QString::fromUtf8(verified.out), QStringLiteral("Accepted Bob's new safety number.\n"));
    CLI_OK(quiet, cli.run(alice.profile, {"safety-number", "Bob"}));
    QVERIFY2(quiet.out.startsWith("Safety number:"), qPrintable(quiet.describe()));
    CLI_OK(listedAgain, cli.run(alice.profile, {"--json", "contacts", "list"}));
    QCOMPARE(identityChanged(listedAgain, "Bob"), std::optional<bool>(false));
    // Nothing is left to accept.
    CLI_OK(twice, cli.run(alice.profile, {"--json", "contacts", "verify", "Bob"}));
    QCOMPARE(twice.json().value("acknowledged").toBool(), false);
    CLI_OK(twicePlain, cli.run(alice.profile, {"contacts", "verify", "Bob"}));
    QVERIFY2(twicePlain.out.contains("has not changed"), qPrintable(twicePlain.describe()));
}

void TstCliSafetyNumbers::verifyingAnUnknownContactIsRefused() {
    NatterCli cli(m_server->baseUrl());
    const Person alice = person("Alice");
    CLI_STEP(registerProfile(cli, alice));
    const CliResult r = cli.run(alice.profile, {"contacts", "verify", "Nobody"});
    QVERIFY2(r.exitCode == kNotFound && r.out.isEmpty() && r.err.contains("Nobody"), qPrintable(r.describe()));
    const CliResult missing = cli.run(alice.profile, {"contacts", "verify"});
    QVERIFY2(missing.exitCode == 2 && missing.err.contains("usage: natter contacts verify"), qPrintable(missing.describe()));
}

QTEST_GUILESS_MAIN(TstCliSafetyNumbers)
#include "tst_cli_safety_numbers.moc"
