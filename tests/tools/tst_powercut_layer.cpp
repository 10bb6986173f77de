// The power-loss layer keeps exactly what was made durable: a write without fsync is gone after
// the power cut, an fsynced one stays, a new file stays only once its directory was fsynced, and
// an SQLite commit survives with synchronous = FULL but not with OFF (the control that shows the
// layer really drops writes: natter-torture --power-loss relies on it). Each step runs in
// powercut_probe under the layer and is ended by SIGKILL.
#include "durable_images.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <sqlite3.h>

using natter::powercut::layerEnvironment;
using natter::powercut::powerCut;

class TstPowercutLayer : public QObject {
    Q_OBJECT
private slots:
    void init();

    void aWriteNeverFsyncedIsGoneAfterThePowerCut();
    void aWriteFollowedByFsyncSurvivesThePowerCut();
    void aNewFileIsGoneUnlessItsDirectoryWasFsynced();
    void aNewFileWhoseDirectoryWasFsyncedSurvives();
    void aFileRemovedWithoutADirectoryFsyncComesBack();
    void aRenameOverAFileTakesEffectOnlyWithADirectoryFsync();
    void aFileTheLayerNeverOpenedIsLeftAlone();
    void aFileFromBeforeTheLayerTruncatedWithoutFsyncKeepsItsBytes();
    void anSqliteCommitWithSynchronousOffIsLost();
    void anSqliteCommitWithSynchronousFullSurvives();

private:
    // Runs the probe under the layer; true when it wrote and was killed by SIGKILL as planned.
    bool probe(const QStringList& args);
    bool cut(); // the power cut: the directory rebuilt from the durable images
    QString file(const QString& name) const { return m_root->path() + "/data/" + name; }
    QByteArray read(const QString& name) const;
    QStringList sqliteRows(const QString& name) const;

    std::unique_ptr<QTemporaryDir> m_root;
};

void TstPowercutLayer::init() {
    m_root = std::make_unique<QTemporaryDir>();
    QVERIFY(m_root->isValid());
    QVERIFY(QDir(m_root->path()).mkpath("data"));
}

bool TstPowercutLayer::probe(const QStringList& args) {
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const auto& [name, value] : layerEnvironment(NATTER_POWERCUT_LIBRARY, (m_root->path() + "/data").toStdString(),
                                                      (m_root->path() + "/images").toStdString()))
        env.insert(QString::fromStdString(name), QString::fromStdString(value));
    p.setProcessEnvironment(env);
    p.start(POWERCUT_PROBE, args);
    if (!p.waitForFinished(20000)) return false;
    if (p.exitStatus() != QProcess::CrashExit) qWarning() << "probe" << args << "exited with" << p.exitCode();
    return p.exitStatus() == QProcess::CrashExit;
}

bool TstPowercutLayer::cut() {
    const auto result = powerCut((m_root->path() + "/data").toStdString(), (m_root->path() + "/images").toStdString());
    if (!result.error.empty()) qWarning() << "power cut:" << result.error.c_str();
    return result.error.empty();
}

QByteArray TstPowercutLayer::read(const QString& name) const {
    QFile f(file(name));
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray("<missing>");
}

QStringList TstPowercutLayer::sqliteRows(const QString& name) const {
    QStringList rows;
    sqlite3* db = nullptr;
    if (sqlite3_open_v2(file(name).toUtf8().constData(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
        sqlite3_stmt* stmt = nullptr;
        if (sqlite3_prepare_v2(db, "SELECT text FROM t ORDER BY rowid", -1, &stmt, nullptr) == SQLITE_OK)
            while (sqlite3_step(stmt) == SQLITE_ROW)
                rows << QString::fromUtf8(reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0)));
        sqlite3_finalize(stmt);
    }
    sqlite3_close(db);
    return rows;
}

void TstPowercutLayer::aWriteNeverFsyncedIsGoneAfterThePowerCut() {
    QVERIFY(probe({"write", file("a"), "kept.", "fsync", "dirsync"}));
    QVERIFY(probe({"write", file("a"), "never synced."}));
    QCOMPARE(read("a"), QByteArray("kept.never synced.")); // the page cache still has it
    QVERIFY(cut());
    QCOMPARE(read("a"), QByteArray("kept."));
}

void TstPowercutLayer::aWriteFollowedByFsyncSurvivesThePowerCut() {
    QVERIFY(probe({"write", file("a"), "kept.", "fsync", "dirsync"}));
    QVERIFY(probe({"write", file("a"), "synced too.", "fsync"}));
    QVERIFY(cut());
    QCOMPARE(read("a"), QByteArray("kept.synced too."));
}

void TstPowercutLayer::aNewFileIsGoneUnlessItsDirectoryWasFsynced() {
    QVERIFY(probe({"write", file("b"), "bytes fsynced, name not", "fsync"}));
    QVERIFY(cut());
    QVERIFY(!QFile::exists(file("b")));
}

void TstPowercutLayer::aNewFileWhoseDirectoryWasFsyncedSurvives() {
    QVERIFY(probe({"write", file("b"), "bytes and name fsynced", "fsync", "dirsync"}));
    QVERIFY(cut());
    QCOMPARE(read("b"), QByteArray("bytes and name fsynced"));
}

void TstPowercutLayer::aFileRemovedWithoutADirectoryFsyncComesBack() {
    QVERIFY(probe({"write", file("a"), "durable", "fsync", "dirsync"}));
    QVERIFY(probe({"unlink", file("a")}));
    QVERIFY(probe({"write", file("b"), "may reuse a's inode", "fsync"}));
    QVERIFY(cut());
    QCOMPARE(read("a"), QByteArray("durable"));
    QVERIFY(probe({"unlink", file("a"), "dirsync"}));
    QVERIFY(cut());
    QVERIFY(!QFile::exists(file("a")));
}

// How a file is replaced safely (QSaveFile): write a new one, fsync it, rename it over the old.
void TstPowercutLayer::aRenameOverAFileTakesEffectOnlyWithADirectoryFsync() {
    QVERIFY(probe({"write", file("config"), "old", "fsync", "dirsync"}));
    QVERIFY(probe({"write", file("config.new"), "new", "fsync"}));
    QVERIFY(probe({"rename", file("config.new"), file("config")}));
    QVERIFY(cut());
    QCOMPARE(read("config"), QByteArray("old"));
    QVERIFY(!QFile::exists(file("config.new")));
    QVERIFY(probe({"write", file("config.new"), "new", "fsync"}));
    QVERIFY(probe({"rename", file("config.new"), file("config"), "dirsync"}));
    QVERIFY(cut());
    QCOMPARE(read("config"), QByteArray("new"));
}

void TstPowercutLayer::aFileTheLayerNeverOpenedIsLeftAlone() {
    QFile log(file("natterd.log"));
    QVERIFY(log.open(QIODevice::WriteOnly));
    log.write("written by a process without the layer");
    log.close();
    QVERIFY(probe({"write", file("a"), "x", "fsync", "dirsync"}));
    QVERIFY(cut());
    QCOMPARE(read("natterd.log"), QByteArray("written by a process without the layer"));
}

void TstPowercutLayer::aFileFromBeforeTheLayerTruncatedWithoutFsyncKeepsItsBytes() {
    QFile config(file("config"));
    QVERIFY(config.open(QIODevice::WriteOnly));
    config.write("written before the layer ran");
    config.close();
    QVERIFY(probe({"write", file("config"), "rewritten, never synced", "trunc"}));
    QCOMPARE(read("config"), QByteArray("rewritten, never synced"));
    QVERIFY(cut());
    QCOMPARE(read("config"), QByteArray("written before the layer ran"));
}

void TstPowercutLayer::anSqliteCommitWithSynchronousOffIsLost() {
    QVERIFY(probe({"sqlite", file("db"), "full", "committed with FULL"}));
    QVERIFY(probe({"sqlite", file("db"), "off", "committed with OFF"}));
    QCOMPARE(sqliteRows("db"), (QStringList{"committed with FULL", "committed with OFF"})); // in the page cache
    QVERIFY(cut());
    QCOMPARE(sqliteRows("db"), QStringList{"committed with FULL"});
}

void TstPowercutLayer::anSqliteCommitWithSynchronousFullSurvives() {
    QVERIFY(probe({"sqlite", file("db"), "full", "first"}));
    QVERIFY(probe({"sqlite", file("db"), "full", "second"}));
    QVERIFY(cut());
    QCOMPARE(sqliteRows("db"), (QStringList{"first", "second"}));
}

QTEST_GUILESS_MAIN(TstPowercutLayer)
#include "tst_powercut_layer.moc"
