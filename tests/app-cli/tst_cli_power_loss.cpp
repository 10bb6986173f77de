// A message `natter send` reported as queued (natterd down) survives a power cut: the send runs
// under the power-loss layer (tools/powercut) and dies by SIGKILL as soon as it has printed
// "queued"; then the profile directory keeps only what the client store fsynced; the message is still in the history, pending, and the next command that
// reaches natterd sends it to the recipient.
#include "cli_steps.h"
#include "durable_images.h"
#include "natter_cli.h"
#include "natterd_process.h"

#include <QFileInfo>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace natter::test;

class TstCliPowerLoss : public QObject {
    Q_OBJECT

private slots:
    void init();
    void cleanup();

    void aMessageReportedAsQueuedSurvivesAPowerCutAndIsSentByTheNextCommand();

private:
    std::unique_ptr<NatterdProcess> m_server;
};

void TstCliPowerLoss::init() {
    QVERIFY2(QFileInfo(NatterCli::binaryPath()).isExecutable(), qPrintable("no natter binary at " + NatterCli::binaryPath()));
    m_server = std::make_unique<NatterdProcess>();
    QVERIFY2(m_server->start(), qPrintable(m_server->errorString()));
}

void TstCliPowerLoss::cleanup() { m_server.reset(); }

void TstCliPowerLoss::aMessageReportedAsQueuedSurvivesAPowerCutAndIsSentByTheNextCommand() {
    NatterCli cli(m_server->baseUrl());
    const Person alice = person("Alice");
    const Person bob = person("Bob");
    CLI_STEP(befriend(cli, {alice, bob}));
    const quint16 port = m_server->port();
    QCOMPARE(m_server->terminate(), 0);

    // Only this send runs under the layer: what the profile held before counts as durable.
    QTemporaryDir images;
    QVERIFY(images.isValid());
    const QString profile = cli.profileDir(alice.profile);
    for (const auto& [name, value] :
         natter::powercut::layerEnvironment(NATTER_POWERCUT_LIBRARY, profile.toStdString(), images.filePath("d").toStdString()))
        cli.setVariable(QString::fromStdString(name), QString::fromStdString(value));
    cli.setVariable("NATTER_POWERCUT_KILL_AFTER_OUTPUT", "queued"); // the power fails as it says so
    const CliResult queued = cli.run(alice.profile, {"send", "Bob", "written just before the power cut"});
    QVERIFY2(queued.finished && queued.exitCode == -1 && queued.out.contains("queued"), qPrintable(queued.describe()));
    cli.clearVariables();

    const auto cut = natter::powercut::powerCut(profile.toStdString(), images.filePath("d").toStdString());
    QVERIFY2(cut.error.empty(), cut.error.c_str());
    qInfo("power cut: %llu files restored from what was fsynced, %llu bytes dropped",
          static_cast<unsigned long long>(cut.files_restored), static_cast<unsigned long long>(cut.bytes_discarded));
    QVERIFY2(cut.files_restored > 0, "the layer saw none of the store's files");

    QString why;
    const auto before = history(cli, alice.profile, "Bob", &why);
    QVERIFY2(before, qPrintable(why));
    const auto mine = messageWithText(*before, "written just before the power cut");
    QVERIFY2(mine, qPrintable("the queued message is gone after the power cut (" + QString::number(cut.bytes_discarded) +
                              " bytes dropped): " + QJsonDocument(*before).toJson()));
    QCOMPARE(mine->value("state").toString(), QStringLiteral("pending"));

    m_server->setListenPort(port);
    QVERIFY2(m_server->start(), qPrintable(m_server->errorString()));
    CLI_OK(chats, cli.run(alice.profile, {"chats"}));
    QVERIFY2(waitForMessage(cli, bob.profile, "Alice", "written just before the power cut", &why), qPrintable(why));
}

QTEST_GUILESS_MAIN(TstCliPowerLoss)
#include "tst_cli_power_loss.moc"
