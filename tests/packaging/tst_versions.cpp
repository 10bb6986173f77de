// Versions come from one place: natterd, natter and natter-desktop --version each print the
// version project(VERSION) sets in the top CMakeLists.txt (which the packages carry too).
#include <QProcess>
#include <QTest>

namespace {

QString versionOf(const QString& binary) {
    QProcess process;
    auto env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen")); // natter-desktop makes its QApplication first
    process.setProcessEnvironment(env);
    process.start(binary, {QStringLiteral("--version")});
    if (!process.waitForFinished(30000) || process.exitStatus() != QProcess::NormalExit || process.exitCode() != 0) {
        process.kill();
        process.waitForFinished(5000);
        return QStringLiteral("(failed: %1)").arg(QString::fromUtf8(process.readAllStandardError()));
    }
    return QString::fromUtf8(process.readAllStandardOutput());
}

} // namespace

class TstVersions : public QObject {
    Q_OBJECT
private slots:
    void eachProgramPrintsTheProjectVersion_data() {
        QTest::addColumn<QString>("binary");
        QTest::addColumn<QString>("name");
        QTest::newRow("natterd") << QStringLiteral(NATTERD_BINARY) << QStringLiteral("natterd");
        QTest::newRow("natter") << QStringLiteral(NATTER_CLI_BINARY) << QStringLiteral("natter");
        QTest::newRow("natter-desktop") << QStringLiteral(NATTER_DESKTOP_BINARY) << QStringLiteral("natter-desktop");
    }
    void eachProgramPrintsTheProjectVersion() {
        QFETCH(QString, binary);
        QFETCH(QString, name);
        QCOMPARE(versionOf(binary), QStringLiteral("%1 %2\n").arg(name, QStringLiteral(NATTER_EXPECTED_VERSION)));
    }
};

QTEST_GUILESS_MAIN(TstVersions)
#include "tst_versions.moc"
