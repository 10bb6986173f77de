// Last seen in `natter contacts list` (issue 15): a contact shows "online" while a device of
// theirs is connected and "last seen HH:MM" after, with --json giving `online` and `last_seen`;
// a contact whose privacy settings hide both shows neither.
#include "cli_steps.h"
#include "natter_cli.h"
#include "natterd_process.h"

#include <QDateTime>
#include <QFileInfo>
#include <QJsonArray>
#include <QTest>

#include <memory>

using namespace natter::test;

namespace {

// Bob's entry in Alice's `contacts list --json`.
QJsonObject contactNamed(const CliResult& contacts, const QString& name) {
    for (const auto& c : contacts.list("contacts"))
        if (c.toObject().value("name").toString() == name) return c.toObject();
    return {};
}

// Re-runs `contacts list` (plain) until its line for `name` contains `text`, bounded.
bool waitForContactLine(const NatterCli& cli, const QString& profile, const QString& name, const QString& text, QString* why) {
    return eventually(
        [&](QString* problem) {
            const CliResult r = cli.run(profile, {"contacts", "list"});
            *problem = r.describe();
            for (const QString& line : QString::fromUtf8(r.out).split('\n'))
                if (line.startsWith(name + "  ") && line.contains(text)) return true;
            return false;
        },
        why);
}

} // namespace

class TstCliLastSeen : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();

    void aContactShowsOnlineWhileConnectedAndLastSeenAfter();
    void aContactWhoHidesBothShowsNeither();

private:
    std::unique_ptr<NatterdProcess> m_server;
};

void TstCliLastSeen::initTestCase() {
    QVERIFY2(QFileInfo(NatterCli::binaryPath()).isExecutable(), qPrintable("no natter binary at " + NatterCli::binaryPath()));
    m_server = std::make_unique<NatterdProcess>();
    QVERIFY2(m_server->start(), qPrintable(m_server->errorString()));
}

void TstCliLastSeen::cleanupTestCase() { m_server.reset(); }

void TstCliLastSeen::aContactShowsOnlineWhileConnectedAndLastSeenAfter() {
    NatterCli cli(m_server->baseUrl());
    const Person alice = person("Alice");
    const Person bob = person("Bob");
    CLI_STEP(befriend(cli, {alice, bob}));
    QString why;
    {
        CliProcess daemon(cli, bob.profile, {"--json", "daemon"});
        QVERIFY(daemon.start());
        QVERIFY2(daemon.waitForJson([](const QJsonObject& o) { return o.value("daemon").toString() == "ready"; }),
                 qPrintable(daemon.describe()));
        QVERIFY2(waitForContactLine(cli, alice.profile, "Bob", "  online", &why), qPrintable(why));
        CLI_OK(json, cli.run(alice.profile, {"--json", "contacts", "list"}));
        QCOMPARE(contactNamed(json, "Bob").value("online").toBool(), true);
        QCOMPARE(daemon.interrupt(), 0);
    }
    QVERIFY2(waitForContactLine(cli, alice.profile, "Bob", "  last seen ", &why), qPrintable(why));
    CLI_OK(json, cli.run(alice.profile, {"--json", "contacts", "list"}));
    const QJsonObject entry = contactNamed(json, "Bob");
    QCOMPARE(entry.value("online").toBool(), false);
    QVERIFY2(QDateTime::fromString(entry.value("last_seen").toString(), Qt::ISODateWithMs).isValid(), qPrintable(json.describe()));
}

void TstCliLastSeen::aContactWhoHidesBothShowsNeither() {
    NatterCli cli(m_server->baseUrl());
    const Person alice = person("Alice");
    const Person bob = person("Bob");
    CLI_STEP(befriend(cli, {alice, bob}));
    CLI_OK(lastSeen, cli.run(bob.profile, {"settings", "privacy", "last-seen", "nobody"}));
    CLI_OK(online, cli.run(bob.profile, {"settings", "privacy", "online", "nobody"}));

    CliProcess daemon(cli, bob.profile, {"--json", "daemon"});
    QVERIFY(daemon.start());
    QVERIFY2(daemon.waitForJson([](const QJsonObject& o) { return o.value("daemon").toString() == "ready"; }),
             qPrintable(daemon.describe()));
    // Bob's device is connected (sync goes through his daemon and answers once it is online).
    CLI_OK(connected, cli.run(bob.profile, {"sync"}));
    CLI_OK(json, cli.run(alice.profile, {"--json", "contacts", "list"}));
    const QJsonObject entry = contactNamed(json, "Bob");
    QVERIFY2(!entry.isEmpty() && !entry.contains("online") && !entry.contains("last_seen"), qPrintable(json.describe()));
    CLI_OK(plain, cli.run(alice.profile, {"contacts", "list"}));
    QVERIFY2(plain.out.startsWith("Bob  " + bob.phone.toUtf8() + "\n"), qPrintable(plain.describe()));
    QCOMPARE(daemon.interrupt(), 0);
}

QTEST_GUILESS_MAIN(TstCliLastSeen)
#include "tst_cli_last_seen.moc"
