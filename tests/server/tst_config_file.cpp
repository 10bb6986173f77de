// natterd's config file: the shipped /etc/natter/natterd.conf names every option and is valid;
// natterd --check-config (and a start with --config) names the line of a bad value or option.
#include "natterd_process.h"
#include "test_client.h"

#include <QFile>
#include <QRegularExpression>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

using namespace natter::test;

namespace {

QString writeFile(const QTemporaryDir& dir, const QByteArray& text) {
    const QString path = dir.filePath(QStringLiteral("natterd.conf"));
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) || file.write(text) != text.size()) return {};
    return path;
}

// The option names `natterd --help` lists (without help, version, config and check-config).
QSet<QString> optionsInHelp() {
    const ProcessOutcome help = NatterdProcess::runOnce({"--help"});
    QSet<QString> names;
    const QRegularExpression option(QStringLiteral("^\\s+(?:-\\w \\[ )?--([a-z0-9-]+)"), QRegularExpression::MultilineOption);
    for (auto it = option.globalMatch(QString::fromUtf8(help.standardOutput)); it.hasNext();) names.insert(it.next().captured(1));
    for (const char* commandOnly : {"help", "version", "config", "check-config"}) names.remove(QString::fromLatin1(commandOnly));
    return names;
}

} // namespace

class TstConfigFile : public QObject {
    Q_OBJECT
private slots:
    void shippedConfigFileNamesEveryOptionAndIsValid();
    void checkConfigAcceptsAGoodFile();
    void checkConfigNamesTheLineOfABadFile_data();
    void checkConfigNamesTheLineOfABadFile();
    void natterdRefusesToStartOnABadLineAndNamesIt();
    void commandLineWinsOverTheFile();
};

void TstConfigFile::shippedConfigFileNamesEveryOptionAndIsValid() {
    const QString shipped = QStringLiteral(NATTER_SOURCE_DIR "/packaging/natterd.conf");
    QFile file(shipped);
    QVERIFY2(file.open(QIODevice::ReadOnly), qPrintable(shipped));
    const QString text = QString::fromUtf8(file.readAll());
    const QSet<QString> options = optionsInHelp();
    QVERIFY2(options.size() > 40, qPrintable(QStringList(options.values()).join(' ')));
    for (const QString& name : options) {
        const QRegularExpression line(QStringLiteral("^#? ?%1 = ").arg(QRegularExpression::escape(name)),
                                      QRegularExpression::MultilineOption);
        QVERIFY2(line.match(text).hasMatch(), qPrintable(QStringLiteral("natterd.conf does not show option '%1'").arg(name)));
    }
    const ProcessOutcome check = NatterdProcess::runOnce({"--check-config", shipped});
    QVERIFY(check.finished);
    QVERIFY2(check.exitCode == 0, check.standardError.constData());
    QVERIFY2(check.standardOutput.contains("valid"), check.standardOutput.constData());
}

void TstConfigFile::checkConfigAcceptsAGoodFile() {
    QTemporaryDir dir;
    const QString path = writeFile(dir, "# a server for the team\n\nlisten = 127.0.0.1:9000   # behind nginx\n"
                                        "data-dir = /var/lib/natter\nstore = sqlite:\npush-allow-network = 10.20.0.0/16\n"
                                        "push-allow-network = 10.30.0.0/16\npush-allow-loopback = true\nsync-window = 64\n");
    QVERIFY(!path.isEmpty());
    const ProcessOutcome out = NatterdProcess::runOnce({"--check-config", path});
    QVERIFY(out.finished);
    QVERIFY2(out.exitCode == 0, out.standardError.constData());
    QCOMPARE(out.standardOutput, (path + QStringLiteral(": valid\n")).toUtf8());
}

void TstConfigFile::checkConfigNamesTheLineOfABadFile_data() {
    QTest::addColumn<QByteArray>("text");
    QTest::addColumn<int>("line");
    QTest::addColumn<QString>("mentions");
    const QByteArray head = "# natterd.conf\nlisten = 127.0.0.1:8787\n\n";
    QTest::newRow("a value that is not a number") << head + "sync-window = lots\n" << 4 << "sync-window";
    QTest::newRow("a value natterd refuses") << head + "max-devices = 6\nmax-link-codes = 0\n" << 5 << "max-link-codes";
    QTest::newRow("an unknown option") << head + "max-devices = 6\nno-such-option = 1\n" << 5 << "no-such-option";
    QTest::newRow("an option set twice") << head + "sync-window = 10\nsync-window = 20\n" << 5 << "line 4";
    QTest::newRow("a line without '='") << head + "sync-window 10\n" << 4 << "name = value";
    QTest::newRow("a bad listen address") << QByteArray("\nlisten = localhost\n") << 2 << "--listen";
    QTest::newRow("the second of two networks") << head + "push-allow-network = 10.0.0.0/8\npush-allow-network = 10.0.0.0/33\n"
                                                << 5 << "push-allow-network";
    QTest::newRow("a timeout against the heartbeat") << head + "presence-timeout = 5\n" << 4 << "--heartbeat-interval";
    QTest::newRow("a command-line option") << head + "config = /etc/other.conf\n" << 4 << "command line";
    QTest::newRow("an unknown log level") << head + "log-level = loud\n" << 4 << "log-level";
}

void TstConfigFile::checkConfigNamesTheLineOfABadFile() {
    QFETCH(QByteArray, text);
    QFETCH(int, line);
    QFETCH(QString, mentions);
    QTemporaryDir dir;
    const QString path = writeFile(dir, text);
    QVERIFY(!path.isEmpty());
    const ProcessOutcome out = NatterdProcess::runOnce({"--check-config", path});
    QVERIFY(out.finished);
    QCOMPARE(out.exitCode, 2);
    const QString error = QString::fromUtf8(out.standardError);
    QVERIFY2(error.startsWith(QStringLiteral("natterd: %1:%2: ").arg(path).arg(line)), qPrintable(error));
    QVERIFY2(error.contains(mentions), qPrintable(error));
    QCOMPARE(error.count('\n'), 1);
    QVERIFY(out.standardOutput.isEmpty());
}

void TstConfigFile::natterdRefusesToStartOnABadLineAndNamesIt() {
    QTemporaryDir dir;
    const QString path = writeFile(dir, "sync-window = 16\nmessage-rate = fast\n");
    QTemporaryDir dataDir;
    const ProcessOutcome out = NatterdProcess::runOnce(
        {"--config", path, "--listen", "127.0.0.1:0", "--data-dir", dataDir.filePath(QStringLiteral("data"))});
    QVERIFY(out.finished);
    QCOMPARE(out.exitCode, 2);
    QVERIFY2(out.standardError.contains((path + QStringLiteral(":2: ")).toUtf8()), out.standardError.constData());
    QVERIFY2(out.standardError.contains("message-rate"), out.standardError.constData());
    QVERIFY(!QFile::exists(dataDir.filePath(QStringLiteral("data")))); // refused before anything was created
}

void TstConfigFile::commandLineWinsOverTheFile() {
    QTemporaryDir dir;
    // The file would listen elsewhere and refuse (max-devices = 0): the command line's values win.
    const QString path = writeFile(dir, "listen = 127.0.0.1:1\nmax-devices = 0\nsync-window = 12\n");
    const ProcessOutcome refused = NatterdProcess::runOnce({"--check-config", path});
    QCOMPARE(refused.exitCode, 2);
    NatterdProcess server({"--config", path, "--max-devices", "3"});
    NATTER_START(server);
    QVERIFY(server.port() != 1);
    const QJsonObject config = TestClient(server).request("GET", "/api/config").object();
    QCOMPARE(intField(config, "max_devices"), 3);
    QCOMPARE(intField(config, "sync_window"), 12);
}

QTEST_GUILESS_MAIN(TstConfigFile)
#include "tst_config_file.moc"
