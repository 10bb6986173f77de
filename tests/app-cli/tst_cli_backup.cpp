// `natter backup --out FILE` and `natter --profile NAME restore FILE` (issue 15): a profile
// taken to a new machine keeps its history, media and safety numbers and goes on chatting;
// a wrong passphrase, a damaged or truncated file and an existing profile are refused and
// create nothing.
#include "cli_steps.h"
#include "natter_cli.h"
#include "natterd_process.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace natter::test;

namespace {

constexpr const char* kBackupPassphrase = "backup passphrase 42";
constexpr const char* kNewMachinePassphrase = "the new machine's own store passphrase";

// The backup passphrase every natter run of this test process finds in its environment.
void useBackupPassphrase(const QByteArray& passphrase) { qputenv("NATTER_BACKUP_PASSPHRASE", passphrase); }

QString safetyNumber(const CliResult& r) { return r.json().value("safety_number").toString(); }

} // namespace

class TstCliBackup : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void init() { useBackupPassphrase(kBackupPassphrase); }

    void restoredProfileOnANewMachineKeepsHistoryMediaAndSafetyNumberAndChatsOn();
    void backupWhileTheDaemonHoldsTheProfileGoesThroughItsSocket();
    void wrongPassphraseDamagedOrTruncatedBackupIsRefusedAndCreatesNothing();
    void restoreNeverReplacesAnExistingProfile();
    void shortBackupPassphraseIsRefusedAndWritesNothing();

private:
    // Alice and Bob on one machine, a message each way; the path of Alice's backup.
    QString aliceWithBackup(const NatterCli& cli, const Person& alice, const Person& bob);

    std::unique_ptr<NatterdProcess> m_server;
    QTemporaryDir m_files;
};

void TstCliBackup::initTestCase() {
    QVERIFY2(QFileInfo(NatterCli::binaryPath()).isExecutable(), qPrintable("no natter binary at " + NatterCli::binaryPath()));
    m_server = std::make_unique<NatterdProcess>();
    QVERIFY2(m_server->start(), qPrintable(m_server->errorString()));
}

void TstCliBackup::cleanupTestCase() { m_server.reset(); }

QString TstCliBackup::aliceWithBackup(const NatterCli& cli, const Person& alice, const Person& bob) {
    if (const QString problem = befriend(cli, {alice, bob}); !problem.isEmpty()) return {};
    if (cli.run(alice.profile, {"send", "Bob", "before the backup"}).exitCode != 0) return {};
    if (cli.run(bob.profile, {"send", "Alice", "an answer before the backup"}).exitCode != 0) return {};
    const QString file = m_files.filePath(alice.profile + ".natter-backup");
    if (cli.run(alice.profile, {"backup", "--out", file}).exitCode != 0) return {};
    return file;
}

void TstCliBackup::restoredProfileOnANewMachineKeepsHistoryMediaAndSafetyNumberAndChatsOn() {
    NatterCli machine1(m_server->baseUrl());
    const Person alice = person("Alice");
    const Person bob = person("Bob");
    CLI_STEP(befriend(machine1, {alice, bob}));
    CLI_OK(hello, machine1.run(alice.profile, {"send", "Bob", "hello from the old laptop"}));
    const QString picture = m_files.filePath("holiday.txt");
    {
        QFile f(picture);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("sand and sea");
    }
    CLI_OK(file, machine1.run(bob.profile, {"send", "Alice", "--file", picture}));
    qint64 fileId = 0;
    for (int attempt = 0; attempt < 20 && fileId == 0; ++attempt) {
        const CliResult h = machine1.run(alice.profile, {"--json", "history", "Bob"});
        for (const auto& m : h.list("messages"))
            if (m.toObject().contains("file")) fileId = m.toObject().value("id").toInteger();
    }
    QVERIFY2(fileId > 0, "Bob's file did not reach Alice");
    CLI_OK(saved, machine1.run(alice.profile, {"save", QString::number(fileId), "--to", m_files.filePath("first.txt")}));
    CLI_OK(number1, machine1.run(alice.profile, {"--json", "safety-number", "Bob"}));

    const QString backup = m_files.filePath("alice.natter-backup");
    CLI_OK(written, machine1.run(alice.profile, {"--json", "backup", "--out", backup}));
    QCOMPARE(written.json().value("media_files").toInt(), 1);
    QCOMPARE(QFileInfo(backup).permissions() & (QFile::ReadGroup | QFile::ReadOther), QFile::Permissions());
    QVERIFY2(!QFile(backup).open(QIODevice::ReadOnly) || !QFile(backup).readAll().contains("hello from the old laptop"),
             "the backup holds message text in the clear");

    // The new machine: its own data directory and store passphrase, the same natterd.
    NatterCli machine2(m_server->baseUrl());
    const CliResult restored = machine2.runRaw({"--profile", alice.profile, "restore", backup}, kNewMachinePassphrase);
    QVERIFY2(restored.exitCode == 0, qPrintable(restored.describe()));
    const auto on2 = [&](const QStringList& args) {
        return machine2.runRaw(QStringList{"--profile", alice.profile} + args, kNewMachinePassphrase);
    };
    const CliResult history2 = on2({"--json", "history", "Bob"});
    QVERIFY2(history2.exitCode == 0, qPrintable(history2.describe()));
    QVERIFY2(messageWithText(history2.list("messages"), "hello from the old laptop"), qPrintable(history2.describe()));
    const CliResult number2 = on2({"--json", "safety-number", "Bob"});
    QCOMPARE(safetyNumber(number2), safetyNumber(number1));
    QVERIFY(!safetyNumber(number2).isEmpty());
    bool downloaded = false;
    for (const auto& m : history2.list("messages"))
        if (m.toObject().value("id").toInteger() == fileId) downloaded = m.toObject().value("file").toObject().value("downloaded").toBool();
    QVERIFY2(downloaded, "the restored profile lost the downloaded file");
    const CliResult saved2 = on2({"save", QString::number(fileId), "--to", m_files.filePath("second.txt")});
    QVERIFY2(saved2.exitCode == 0, qPrintable(saved2.describe()));
    QFile second(m_files.filePath("second.txt"));
    QVERIFY(second.open(QIODevice::ReadOnly));
    QCOMPARE(second.readAll(), QByteArray("sand and sea"));

    // It goes on chatting as the same account, both ways.
    QString why;
    const CliResult sent = on2({"send", "Bob", "hello from the new laptop"});
    QVERIFY2(sent.exitCode == 0, qPrintable(sent.describe()));
    QVERIFY2(waitForMessage(machine1, bob.profile, "Alice", "hello from the new laptop", &why), qPrintable(why));
    CLI_OK(answer, machine1.run(bob.profile, {"send", "Alice", "welcome back"}));
    bool arrived = false;
    for (int attempt = 0; attempt < 20 && !arrived; ++attempt) {
        const CliResult h = on2({"--json", "history", "Bob"});
        arrived = messageWithText(h.list("messages"), "welcome back").has_value();
    }
    QVERIFY2(arrived, "the restored profile did not receive Bob's answer");
}

void TstCliBackup::backupWhileTheDaemonHoldsTheProfileGoesThroughItsSocket() {
    NatterCli cli(m_server->baseUrl());
    const Person alice = person("Alice");
    const Person bob = person("Bob");
    CLI_STEP(befriend(cli, {alice, bob}));
    CLI_OK(sent, cli.run(alice.profile, {"send", "Bob", "while a daemon runs"}));
    CliProcess daemon(cli, alice.profile, {"--json", "daemon"});
    QVERIFY(daemon.start());
    QVERIFY2(daemon.waitForJson([](const QJsonObject& o) { return o.value("daemon").toString() == "ready"; }),
             qPrintable(daemon.describe()));
    const QString backup = m_files.filePath("daemon.natter-backup");
    CLI_OK(written, cli.run(alice.profile, {"backup", "--out", backup}));
    QVERIFY2(written.out.contains("Backup written to"), qPrintable(written.describe()));
    QCOMPARE(daemon.interrupt(), 0);

    NatterCli elsewhere(m_server->baseUrl());
    const CliResult restored = elsewhere.runRaw({"--profile", alice.profile, "restore", backup});
    QVERIFY2(restored.exitCode == 0, qPrintable(restored.describe()));
    QString why;
    const auto history = ::natter::test::history(elsewhere, alice.profile, "Bob", &why);
    QVERIFY2(history && messageWithText(*history, "while a daemon runs"), qPrintable(why));
}

void TstCliBackup::wrongPassphraseDamagedOrTruncatedBackupIsRefusedAndCreatesNothing() {
    NatterCli cli(m_server->baseUrl());
    const Person alice = person("Alice");
    const QString backup = aliceWithBackup(cli, alice, person("Bob"));
    QVERIFY(!backup.isEmpty());
    QFile original(backup);
    QVERIFY(original.open(QIODevice::ReadOnly));
    const QByteArray bytes = original.readAll();

    NatterCli machine2(m_server->baseUrl());
    const auto restore = [&](const QString& file) {
        return machine2.runRaw({"--json", "--profile", alice.profile, "restore", file});
    };
    const auto nothingCreated = [&] { return !QFileInfo::exists(machine2.profileDir(alice.profile)); };

    useBackupPassphrase("not the backup passphrase");
    const CliResult wrong = restore(backup);
    QCOMPARE(wrong.exitCode, 3);
    QCOMPARE(wrong.json().value("error").toObject().value("message").toString(), QStringLiteral("wrong backup passphrase"));
    QVERIFY(nothingCreated());
    useBackupPassphrase(kBackupPassphrase);

    const auto variant = [&](const QString& name, const QByteArray& content) {
        const QString path = m_files.filePath(name);
        QFile f(path);
        if (f.open(QIODevice::WriteOnly)) f.write(content);
        return path;
    };
    QByteArray flipped = bytes;
    flipped[flipped.size() - 100] = char(flipped[flipped.size() - 100] ^ 0x01);
    for (const QString& file : {variant("flipped", flipped), variant("truncated", bytes.left(bytes.size() / 2)),
                                variant("not-a-backup", "just some text\n"), variant("empty", {})}) {
        const CliResult r = restore(file);
        QVERIFY2(r.exitCode == 1, qPrintable(file + ": " + r.describe()));
        QVERIFY2(r.json().value("error").toObject().value("message").toString().contains("damaged or not a Natter backup"),
                 qPrintable(r.describe()));
        QVERIFY2(nothingCreated(), qPrintable(file));
    }
    QCOMPARE(QDir(machine2.dataHome() + "/natter/profiles").entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden),
             QStringList());
}

void TstCliBackup::restoreNeverReplacesAnExistingProfile() {
    NatterCli cli(m_server->baseUrl());
    const Person alice = person("Alice");
    const Person bob = person("Bob");
    const QString backup = aliceWithBackup(cli, alice, bob);
    QVERIFY(!backup.isEmpty());
    CLI_OK(after, cli.run(alice.profile, {"send", "Bob", "after the backup"}));

    const CliResult refused = cli.run(alice.profile, {"restore", backup});
    QCOMPARE(refused.exitCode, 2);
    QVERIFY2(refused.err.contains("exists already"), qPrintable(refused.describe()));
    QString why;
    const auto history = ::natter::test::history(cli, alice.profile, "Bob", &why);
    QVERIFY2(history && messageWithText(*history, "after the backup"), qPrintable(why));
}

void TstCliBackup::shortBackupPassphraseIsRefusedAndWritesNothing() {
    NatterCli cli(m_server->baseUrl());
    const Person alice = person("Alice");
    CLI_STEP(registerProfile(cli, alice));
    useBackupPassphrase("short");
    const QString backup = m_files.filePath("short.natter-backup");
    const CliResult r = cli.run(alice.profile, {"backup", "--out", backup});
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains("at least 10 characters"), qPrintable(r.describe()));
    QVERIFY(!QFileInfo::exists(backup));
    const CliResult noOut = cli.run(alice.profile, {"backup"});
    QCOMPARE(noOut.exitCode, 2);
}

QTEST_GUILESS_MAIN(TstCliBackup)
#include "tst_cli_backup.moc"
