// Devices from the CLI (issue 15): `devices unlink ID` signs a linked device of the account out
// (it says so on its next command, exit code 7) and drops it from `devices`; an unknown id, one
// that is no number, and this device itself are refused and change nothing.
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
constexpr int kNotFound = 5; // no such device
constexpr int kRevoked = 7;  // this device was unlinked

// The device ids `devices --json` lists, and which one is the device that ran it.
struct DeviceIds {
    QList<qint64> all;
    qint64 self = 0;
};

DeviceIds devicesOf(const CliResult& r) {
    DeviceIds ids;
    for (const auto& d : r.list("devices")) {
        ids.all << d.toObject().value("device_id").toInteger();
        if (d.toObject().value("this_device").toBool()) ids.self = ids.all.back();
    }
    return ids;
}

} // namespace

class TstCliDevices : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();

    void theFirstDeviceUnlinksALinkedOneWhichIsSignedOut();
    void anUnknownDeviceOrThisDeviceIsRefusedAndNothingIsUnlinked();

private:
    std::unique_ptr<NatterdProcess> m_server;
};

void TstCliDevices::initTestCase() {
    QVERIFY2(QFileInfo(NatterCli::binaryPath()).isExecutable(), qPrintable("no natter binary at " + NatterCli::binaryPath()));
    m_server = std::make_unique<NatterdProcess>();
    QVERIFY2(m_server->start(), qPrintable(m_server->errorString()));
}

void TstCliDevices::cleanupTestCase() { m_server.reset(); }

void TstCliDevices::theFirstDeviceUnlinksALinkedOneWhichIsSignedOut() {
    NatterCli cli(m_server->baseUrl());
    const Person alice = person("Alice");
    CLI_STEP(registerProfile(cli, alice));
    CLI_STEP(linkNewProfile(cli, alice.profile, "laptop"));
    CLI_OK(before, cli.run(alice.profile, {"--json", "devices"}));
    const DeviceIds ids = devicesOf(before);
    QVERIFY2(ids.all.size() == 2 && ids.self != 0, qPrintable(before.describe()));
    const qint64 laptop = ids.all.front() == ids.self ? ids.all.back() : ids.all.front();
    CLI_OK(laptopWorks, cli.run("laptop", {"whoami"}));

    CLI_OK(unlinked, cli.run(alice.profile, {"devices", "unlink", QString::number(laptop)}));
    QCOMPARE(QString::fromUtf8(unlinked.out),
             QStringLiteral("Unlinked device %1: it is signed out and gets no more messages.\n").arg(laptop));
    CLI_OK(after, cli.run(alice.profile, {"--json", "devices"}));
    QCOMPARE(devicesOf(after).all, QList<qint64>{ids.self});

    // The laptop learns it on its next command, which does nothing else.
    const CliResult chats = cli.run("laptop", {"chats"});
    QVERIFY2(chats.exitCode == kRevoked && chats.err.contains("unlinked"), qPrintable(chats.describe()));
    // The first device goes on as before.
    CLI_OK(stillWorks, cli.run(alice.profile, {"chats"}));
}

void TstCliDevices::anUnknownDeviceOrThisDeviceIsRefusedAndNothingIsUnlinked() {
    NatterCli cli(m_server->baseUrl());
    const Person alice = person("Alice");
    CLI_STEP(registerProfile(cli, alice));
    CLI_STEP(linkNewProfile(cli, alice.profile, "tablet"));
    CLI_OK(before, cli.run(alice.profile, {"--json", "devices"}));
    const DeviceIds ids = devicesOf(before);
    QVERIFY2(ids.all.size() == 2, qPrintable(before.describe()));

    const CliResult unknown = cli.run(alice.profile, {"devices", "unlink", "9999"});
    QVERIFY2(unknown.exitCode == kNotFound && unknown.out.isEmpty(), qPrintable(unknown.describe()));
    QCOMPARE(QString::fromUtf8(unknown.err),
             QStringLiteral("natter: this account has no device 9999 ('natter devices' lists them)\n"));
    const CliResult self = cli.run(alice.profile, {"devices", "unlink", QString::number(ids.self)});
    QVERIFY2(self.exitCode == kUsage && self.err.contains("is this device"), qPrintable(self.describe()));
    for (const QStringList& args : {QStringList{"devices", "unlink", "laptop"}, QStringList{"devices", "unlink"},
                                    QStringList{"devices", "unlink", "2", "3"}}) {
        const CliResult r = cli.run(alice.profile, args);
        QVERIFY2(r.exitCode == kUsage && r.err.contains("devices unlink"), qPrintable(r.describe()));
    }

    CLI_OK(after, cli.run(alice.profile, {"--json", "devices"}));
    QCOMPARE(devicesOf(after).all, ids.all);
    CLI_OK(tabletWorks, cli.run("tablet", {"whoami"}));
    QVERIFY2(!tabletWorks.out.contains("unlinked"), qPrintable(tabletWorks.describe()));
}

QTEST_GUILESS_MAIN(TstCliDevices)
#include "tst_cli_devices.moc"
