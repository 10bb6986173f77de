// What the natter CLI reported as done survives a power cut: the command runs under the
// power-loss layer (tools/powercut) and dies by SIGKILL as soon as it has printed it; then the
// profile directory keeps only what the client store fsynced. A message reported as queued
// (natterd down) is still in the history, pending, and the next command that reaches natterd
// sends it; a profile reported as registered still sends as that account.
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
    void aProfileReportedAsRegisteredSurvivesAPowerCut();

private:
    // The next runs of cli are under the layer for this profile and die right after printing `text`.
    void cutPowerAfter(NatterCli& cli, const QString& profile, const QString& text);
    // The power cut: the profile directory as of its last fsyncs; later runs are without the layer.
    bool powerCut(NatterCli& cli, const QString& profile);

    std::unique_ptr<NatterdProcess> m_server;
    std::unique_ptr<QTemporaryDir> m_images;
};

void TstCliPowerLoss::init() {
    QVERIFY2(QFileInfo(NatterCli::binaryPath()).isExecutable(), qPrintable("no natter binary at " + NatterCli::binaryPath()));
    m_server = std::make_unique<NatterdProcess>();
    QVERIFY2(m_server->start(), qPrintable(m_server->errorString()));
    m_images = std::make_unique<QTemporaryDir>();
    QVERIFY(m_images->isValid());
}

void TstCliPowerLoss::cleanup() {
    m_server.reset();
    m_images.reset();
}

void TstCliPowerLoss::cutPowerAfter(NatterCli& cli, const QString& profile, const QString& text) {
    for (const auto& [name, value] : natter::powercut::layerEnvironment(
             NATTER_POWERCUT_LIBRARY, cli.profileDir(profile).toStdString(), m_images->filePath("d").toStdString()))
        cli.setVariable(QString::fromStdString(name), QString::fromStdString(value));
    cli.setVariable("NATTER_POWERCUT_KILL_AFTER_OUTPUT", text);
}

bool TstCliPowerLoss::powerCut(NatterCli& cli, const QString& profile) {
    cli.clearVariables();
    const auto cut = natter::powercut::powerCut(cli.profileDir(profile).toStdString(), m_images->filePath("d").toStdString());
    if (!cut.error.empty()) qWarning("power cut: %s", cut.error.c_str());
    qInfo("power cut: %llu files restored from what was fsynced, %llu bytes dropped",
          static_cast<unsigned long long>(cut.files_restored), static_cast<unsigned long long>(cut.bytes_discarded));
    if (cut.files_restored == 0) qWarning("power cut: the layer saw none of the store's files");
    return cut.error.empty() && cut.files_restored > 0;
}

void TstCliPowerLoss::aMessageReportedAsQueuedSurvivesAPowerCutAndIsSentByTheNextCommand() {
    NatterCli cli(m_server->baseUrl());
    const Person alice = person("Alice");
    const Person bob = person("Bob");
    CLI_STEP(befriend(cli, {alice, bob}));
    const quint16 port = m_server->port();
    QCOMPARE(m_server->terminate(), 0);

    // Only this send runs under the layer: what the profile held before counts as durable.
    cutPowerAfter(cli, alice.profile, "queued");
    const CliResult queued = cli.run(alice.profile, {"send", "Bob", "written just before the power cut"});
    QVERIFY2(queued.finished && queued.exitCode == -1 && queued.out.contains("queued"), qPrintable(queued.describe()));
    QVERIFY(powerCut(cli, alice.profile));

    QString why;
    const auto before = history(cli, alice.profile, "Bob", &why);
    QVERIFY2(before, qPrintable(why));
    const auto mine = messageWithText(*before, "written just before the power cut");
    QVERIFY2(mine, qPrintable("the queued message is gone after the power cut: " + QJsonDocument(*before).toJson()));
    QCOMPARE(mine->value("state").toString(), QStringLiteral("pending"));

    m_server->setListenPort(port);
    QVERIFY2(m_server->start(), qPrintable(m_server->errorString()));
    CLI_OK(chats, cli.run(alice.profile, {"chats"}));
    QVERIFY2(waitForMessage(cli, bob.profile, "Alice", "written just before the power cut", &why), qPrintable(why));
}

void TstCliPowerLoss::aProfileReportedAsRegisteredSurvivesAPowerCut() {
    NatterCli cli(m_server->baseUrl());
    const Person alice = person("Alice");
    const Person bob = person("Bob");
    CLI_STEP(registerProfile(cli, bob));

    cutPowerAfter(cli, alice.profile, alice.phone); // register prints the number it registered
    const CliResult registered = cli.run(alice.profile, {"--server", cli.server().toString(), "register", alice.phone,
                                                         "--name", alice.name, "--code", "123456"});
    QVERIFY2(registered.finished && registered.exitCode == -1 && registered.out.contains(alice.phone.toUtf8()),
             qPrintable(registered.describe()));
    QVERIFY(powerCut(cli, alice.profile));

    // Still that account, with its keys: Bob can read what it sends.
    CLI_STEP(addContact(cli, alice, bob));
    CLI_STEP(addContact(cli, bob, alice));
    CLI_OK(sent, cli.run(alice.profile, {"send", "Bob", "registered just before the power cut"}));
    QString why;
    QVERIFY2(waitForMessage(cli, bob.profile, "Alice", "registered just before the power cut", &why), qPrintable(why));
}

QTEST_GUILESS_MAIN(TstCliPowerLoss)
#include "tst_cli_power_loss.moc"
