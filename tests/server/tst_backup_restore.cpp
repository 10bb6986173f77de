// natterd backup / restore: a backup taken while senders keep natterd busy holds every message
// acknowledged before it began, the keys (old tokens still work) and the media; restore refuses
// a non-empty data dir and a truncated, damaged or foreign file, changing nothing.
#include "natterd_process.h"
#include "test_client.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QProcess>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

using namespace natter::test;

namespace {

ProcessOutcome backup(const QString& dataDir, const QString& out) {
    return NatterdProcess::runOnce({"backup", "--data-dir", dataDir, "--out", out}, 60000);
}

ProcessOutcome restore(const QString& file, const QString& dataDir) {
    return NatterdProcess::runOnce({"restore", file, "--data-dir", dataDir}, 60000);
}

QString clientMsgId(int sender, int i) { return QStringLiteral("s%1-%2").arg(sender).arg(i); }

// A small installation with one message, backed up into dir/backup.tar (natterd stopped after).
bool makeBackup(const QTemporaryDir& dir, QString* file) {
    NatterdProcess server;
    if (!server.start()) return false;
    TestClient a(server), b(server);
    if (!a.signUp(phoneNumber(1), "Ann") || !b.signUp(phoneNumber(2), "Bob") || !a.openSession()) return false;
    const auto sent = a.sendTo(b, "m1", "hello");
    if (!sent || sent->value("type") != "ack") return false;
    *file = dir.filePath("backup.tar");
    return backup(server.dataDir(), *file).exitCode == 0;
}

QStringList entriesOf(const QString& dir) { return QDir(dir).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden); }

} // namespace

class TstBackupRestore : public QObject {
    Q_OBJECT
private slots:
    void backupUnderLoadRestoresEveryAcknowledgedMessageKeysAndMedia();
    void restoreIntoNonEmptyDataDirIsRefusedAndChangesNothing();
    void truncatedDamagedOrForeignFileIsRefusedAndChangesNothing();
    void backupDoesNotOverwriteAnExistingFile();
};

void TstBackupRestore::backupUnderLoadRestoresEveryAcknowledgedMessageKeysAndMedia() {
    NatterdProcess server;
    NATTER_START(server);
    constexpr int kPairs = 2;
    QList<TestClient*> senders, recipients;
    for (int p = 0; p < kPairs; ++p) {
        senders << new TestClient(server, this);
        recipients << new TestClient(server, this);
        NATTER_SIGNUP(*senders[p], phoneNumber(10 + p), "Sender");
        NATTER_SIGNUP(*recipients[p], phoneNumber(20 + p), "Recipient");
        NATTER_SESSION(*senders[p]);
    }
    const QByteArray blob = QByteArray(100 * 1024, 'x') + "end of blob";
    const HttpResult up = senders[0]->rawRequest("POST", "/api/media", blob);
    QVERIFY2(up.status == 200, qPrintable(up.describe()));
    const QString mediaId = up.object().value("media_id").toString();

    // Senders keep messages in flight: kAhead sent before the first ack is awaited.
    QList<QList<DeviceAddr>> to;
    for (int p = 0; p < kPairs; ++p) to << senders[p]->recipientsFor(recipients[p]->userId());
    QList<int> nextToSend(kPairs, 1), nextToAck(kPairs, 1);
    QList<QSet<qint64>> acked(kPairs);
    const auto sendOne = [&](int p) {
        const int i = nextToSend[p]++;
        senders[p]->send(TestClient::messageFrame(senders[p]->chatWith(*recipients[p]), clientMsgId(p, i),
                                                  TestClient::envelopes(to[p], "ciphertext " + QByteArray::number(i))));
    };
    const auto takeAck = [&](int p) -> bool {
        const auto res = senders[p]->waitForSendResult(clientMsgId(p, nextToAck[p]), 30000);
        if (!res || res->value("type") != "ack") return false;
        acked[p].insert(intField(*res, "message_id"));
        ++nextToAck[p];
        return true;
    };
    constexpr int kAhead = 40;
    for (int p = 0; p < kPairs; ++p)
        for (int i = 0; i < kAhead; ++i) sendOne(p);
    for (int round = 0; round < 100; ++round)
        for (int p = 0; p < kPairs; ++p) {
            QVERIFY2(takeAck(p), qPrintable(senders[p]->describePending()));
            sendOne(p);
        }

    // The backup starts with messages in flight; what was acknowledged so far must be in it.
    const QList<QSet<qint64>> ackedBefore = acked;
    QTemporaryDir work;
    QVERIFY(work.isValid());
    const QString file = work.filePath("natter.backup");
    QProcess backupProcess;
    backupProcess.start(NatterdProcess::binaryPath(), {"backup", "--data-dir", server.dataDir(), "--out", file});
    QVERIFY(backupProcess.waitForStarted(10000));
    int sentDuringBackup = 0;
    QDeadlineTimer deadline(60000);
    while (backupProcess.state() != QProcess::NotRunning && !deadline.hasExpired()) {
        for (int p = 0; p < kPairs; ++p) {
            QVERIFY2(takeAck(p), qPrintable(senders[p]->describePending()));
            sendOne(p);
            ++sentDuringBackup;
        }
    }
    QVERIFY(backupProcess.state() == QProcess::NotRunning || backupProcess.waitForFinished(30000));
    QVERIFY2(backupProcess.exitCode() == 0, backupProcess.readAllStandardError().constData());
    QVERIFY(sentDuringBackup > 0);
    for (int p = 0; p < kPairs; ++p)
        while (nextToAck[p] < nextToSend[p]) QVERIFY2(takeAck(p), qPrintable(senders[p]->describePending()));

    const QString restoredDir = work.filePath("restored");
    const ProcessOutcome restored = restore(file, restoredDir);
    QVERIFY2(restored.finished && restored.exitCode == 0, restored.standardError.constData());
    QVERIFY(restored.standardOutput.contains("Restored"));

    NatterdProcess again;
    again.setDataDir(restoredDir);
    NATTER_START(again);
    for (int p = 0; p < kPairs; ++p) {
        TestClient recipient(again);
        recipient.adoptCredentials(*recipients[p]); // the token issued before the backup
        const HttpResult profile = recipient.request("GET", "/api/profile");
        QVERIFY2(profile.status == 200, qPrintable(profile.describe()));
        QVERIFY2(recipient.connectWs(), qPrintable(recipient.lastError()));
        const auto sync = recipient.readSync(true, 60000);
        QVERIFY2(sync.ok, qPrintable(sync.error));
        QSet<qint64> found;
        for (const auto& m : sync.queued) found.insert(intField(m, "message_id"));
        for (const qint64 id : ackedBefore[p])
            QVERIFY2(found.contains(id), qPrintable(QStringLiteral("message %1 acknowledged before the backup is missing").arg(id)));
    }
    TestClient owner(again);
    owner.adoptCredentials(*senders[0]);
    const HttpResult media = owner.rawRequest("GET", "/api/media/" + mediaId, {});
    QVERIFY2(media.status == 200, qPrintable(media.describe()));
    QCOMPARE(media.body, blob);
}

void TstBackupRestore::restoreIntoNonEmptyDataDirIsRefusedAndChangesNothing() {
    QTemporaryDir work;
    QString file;
    QVERIFY(makeBackup(work, &file));
    const QString target = work.filePath("occupied");
    QVERIFY(QDir().mkpath(target));
    QFile keep(target + "/notes.txt");
    QVERIFY(keep.open(QIODevice::WriteOnly));
    keep.write("mine");
    keep.close();

    const ProcessOutcome refused = restore(file, target);
    QVERIFY(refused.finished);
    QCOMPARE(refused.exitCode, 1);
    QVERIFY2(refused.standardError.contains("is not empty") && refused.standardError.contains("nothing was changed"),
             refused.standardError.constData());
    QCOMPARE(entriesOf(target), QStringList{"notes.txt"});
    QVERIFY(keep.open(QIODevice::ReadOnly));
    QCOMPARE(keep.readAll(), QByteArray("mine"));
}

void TstBackupRestore::truncatedDamagedOrForeignFileIsRefusedAndChangesNothing() {
    QTemporaryDir work;
    QString file;
    QVERIFY(makeBackup(work, &file));
    QFile original(file);
    QVERIFY(original.open(QIODevice::ReadOnly));
    const QByteArray bytes = original.readAll();
    QVERIFY(bytes.size() > 4096);

    QByteArray damaged = bytes;
    damaged[1024] = char(damaged[1024] ^ 0x5a); // inside natterd.db, the first member
    const QList<std::pair<QByteArray, QByteArray>> cases{
        {bytes.left(bytes.size() / 2), "truncated"},
        {bytes.left(bytes.size() - 1024), "truncated"}, // the end-of-archive blocks are missing
        {damaged, "damaged"},
        {QByteArray(8192, 'n'), "not a natterd backup"},
        {QByteArray("hello"), "not a natterd backup"},
    };
    for (int i = 0; i < cases.size(); ++i) {
        const QString bad = work.filePath(QStringLiteral("bad%1").arg(i));
        QFile out(bad);
        QVERIFY(out.open(QIODevice::WriteOnly));
        out.write(cases[i].first);
        out.close();
        const QString target = work.filePath(QStringLiteral("target%1").arg(i));
        const ProcessOutcome refused = restore(bad, target);
        QVERIFY(refused.finished);
        QCOMPARE(refused.exitCode, 1);
        QVERIFY2(refused.standardError.contains(cases[i].second) && refused.standardError.contains("nothing was changed"),
                 refused.standardError.constData());
        QVERIFY2(!QFileInfo::exists(target), qPrintable(target));
    }
}

void TstBackupRestore::backupDoesNotOverwriteAnExistingFile() {
    QTemporaryDir work;
    QString file;
    QVERIFY(makeBackup(work, &file));
    QFile existing(work.filePath("precious"));
    QVERIFY(existing.open(QIODevice::WriteOnly));
    existing.write("keep me");
    existing.close();
    NatterdProcess server;
    NATTER_START(server);
    const ProcessOutcome refused = backup(server.dataDir(), existing.fileName());
    QCOMPARE(refused.exitCode, 1);
    QVERIFY2(refused.standardError.contains("already exists"), refused.standardError.constData());
    QVERIFY(existing.open(QIODevice::ReadOnly));
    QCOMPARE(existing.readAll(), QByteArray("keep me"));
}

QTEST_MAIN(TstBackupRestore)
#include "tst_backup_restore.moc"
