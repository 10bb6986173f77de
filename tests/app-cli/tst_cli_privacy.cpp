// Privacy settings from the CLI (issue 15): `settings privacy` alone shows what natterd holds for
// this account (the defaults before anything was set), for people and with --json; a wrong
// setting or value is refused and changes nothing.
#include "cli_steps.h"
#include "natter_cli.h"
#include "natterd_process.h"

#include <QFileInfo>
#include <QTest>

#include <memory>

using namespace natter::test;

namespace {
constexpr int kUsage = 2; // natter --help: bad argument
} // namespace

class TstCliPrivacy : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();

    void settingsPrivacyShowsTheDefaultsThenWhatWasSet();
    void aWrongSettingOrValueIsRefusedAndChangesNothing();

private:
    std::unique_ptr<NatterdProcess> m_server;
};

void TstCliPrivacy::initTestCase() {
    QVERIFY2(QFileInfo(NatterCli::binaryPath()).isExecutable(), qPrintable("no natter binary at " + NatterCli::binaryPath()));
    m_server = std::make_unique<NatterdProcess>();
    QVERIFY2(m_server->start(), qPrintable(m_server->errorString()));
}

void TstCliPrivacy::cleanupTestCase() { m_server.reset(); }

void TstCliPrivacy::settingsPrivacyShowsTheDefaultsThenWhatWasSet() {
    NatterCli cli(m_server->baseUrl());
    const Person alice = person("Alice");
    CLI_STEP(registerProfile(cli, alice));

    CLI_OK(defaults, cli.run(alice.profile, {"settings", "privacy"}));
    QCOMPARE(QString::fromUtf8(defaults.out), QStringLiteral("last-seen: everyone\nonline: everyone\nread-receipts: on\n"));

    CLI_OK(lastSeen, cli.run(alice.profile, {"settings", "privacy", "last-seen", "contacts"}));
    CLI_OK(online, cli.run(alice.profile, {"settings", "privacy", "online", "nobody"}));
    CLI_OK(receipts, cli.run(alice.profile, {"settings", "privacy", "read-receipts", "off"}));
    CLI_OK(shown, cli.run(alice.profile, {"settings", "privacy"}));
    QCOMPARE(QString::fromUtf8(shown.out), QStringLiteral("last-seen: contacts\nonline: nobody\nread-receipts: off\n"));
    CLI_OK(json, cli.run(alice.profile, {"--json", "settings", "privacy"}));
    QCOMPARE(json.json(), (QJsonObject{{"last_seen", "contacts"}, {"online", "nobody"}, {"read_receipts", false}}));

    // Another device of the account sees the same settings: natterd holds them.
    CLI_STEP(linkNewProfile(cli, alice.profile, "laptop"));
    CLI_OK(onLaptop, cli.run("laptop", {"settings", "privacy"}));
    QCOMPARE(onLaptop.out, shown.out);
}

void TstCliPrivacy::aWrongSettingOrValueIsRefusedAndChangesNothing() {
    NatterCli cli(m_server->baseUrl());
    const Person alice = person("Alice");
    CLI_STEP(registerProfile(cli, alice));
    CLI_OK(set, cli.run(alice.profile, {"settings", "privacy", "online", "contacts"}));

    for (const QStringList& args : {QStringList{"settings", "privacy", "online"}, QStringList{"settings", "privacy", "online", "sometimes"},
                                    QStringList{"settings", "privacy", "mood", "everyone"},
                                    QStringList{"settings", "privacy", "read-receipts", "maybe"}}) {
        const CliResult r = cli.run(alice.profile, args);
        QVERIFY2(r.exitCode == kUsage && r.out.isEmpty() && !r.err.isEmpty(), qPrintable(r.describe()));
    }
    CLI_OK(shown, cli.run(alice.profile, {"--json", "settings", "privacy"}));
    QCOMPARE(shown.json(), (QJsonObject{{"last_seen", "everyone"}, {"online", "contacts"}, {"read_receipts", true}}));
}

QTEST_GUILESS_MAIN(TstCliPrivacy)
#include "tst_cli_privacy.moc"
