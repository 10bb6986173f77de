// natterd's files and secrets at rest (issue 12): the data dir is 0700 and everything natterd
// creates in it 0600 (an existing dir is tightened), a key file others can access is refused,
// and pending verification codes are stored keyed (HMAC), so a copy of the database does not
// give them away. The database is read here as an attacker with a copy of it would.
#include "natterd_process.h"
#include "test_client.h"

#include "auth/secrets.h"
#include "store/sqlite/sqlite_connection.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>

#include <cstdio>
#include <map>
#include <string>

using namespace natter::test;

namespace {

// Permission bits (e.g. 0700) of `path`, not following links; -1 if it cannot be read.
int modeOf(const QString& path) {
    struct stat st {};
    return ::lstat(QFile::encodeName(path).constData(), &st) == 0 ? int(st.st_mode & 07777) : -1;
}

// Every entry under `root` (root included) whose mode is not 0700 (directories) or 0600
// (files), as "path mode" lines.
QStringList notPrivate(const QString& root) {
    QStringList out;
    const auto check = [&out](const QString& path, bool dir) {
        const int mode = modeOf(path);
        if (mode != (dir ? 0700 : 0600)) out << QStringLiteral("%1 %2").arg(path).arg(mode, 4, 8, QLatin1Char('0'));
    };
    check(root, true);
    QDirIterator it(root, QDir::AllEntries | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot,
                    QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        check(path, it.fileInfo().isDir());
    }
    return out;
}

bool writeFile(const QString& path, const QByteArray& bytes, QFile::Permissions perms) {
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(bytes) == bytes.size() && f.setPermissions(perms);
}

constexpr auto kMode0644 = QFile::ReadOwner | QFile::WriteOwner | QFile::ReadGroup | QFile::ReadOther;

} // namespace

class TstFilesAtRest : public QObject {
    Q_OBJECT
private slots:
    void dataDirAndEverythingNatterdCreatesInItArePrivate();
    void existingDataDirOpenToOthersIsMadePrivate();
    void keyFileOthersCanAccessIsRefused_data();
    void keyFileOthersCanAccessIsRefused();
    void pendingVerificationCodeCannotBeRecoveredFromTheDatabase();
};

void TstFilesAtRest::dataDirAndEverythingNatterdCreatesInItArePrivate() {
    QTemporaryDir base;
    QVERIFY(base.isValid());
    const QString root = base.filePath("fresh"), data = root + "/natter-data"; // neither exists yet
    NatterdProcess server;
    server.setDataDir(data);
    NATTER_START(server);
    TestClient a(server), b(server);
    NATTER_SIGNUP(a, phoneNumber(1), "Ann");
    NATTER_SIGNUP(b, phoneNumber(2), "Bob");
    NATTER_SESSION(a);
    NATTER_ACKED(a.sendTo(b, "m1", "stored in the database"), a);
    NATTER_HTTP(a.rawRequest("POST", "/api/media", QByteArray(4096, 'c')), 200); // a blob and its sidecar

    // An upload still streaming: its temporary file too.
    QTcpSocket upload;
    upload.connectToHost(QHostAddress::LocalHost, server.port());
    QVERIFY(upload.waitForConnected(5000));
    upload.write("POST /api/media HTTP/1.1\r\nHost: natterd\r\nAuthorization: Bearer " + a.accessToken().toUtf8() +
                 "\r\nContent-Length: 100000\r\n\r\n" + QByteArray(1000, 'u'));
    const QDir tmp(data + "/media/tmp");
    QTRY_VERIFY_WITH_TIMEOUT(!tmp.entryList(QDir::Files).isEmpty(), 5000);

    const QStringList open = notPrivate(root);
    QVERIFY2(open.isEmpty(), qPrintable(open.join('\n')));
    for (const char* file : {"natterd.db", "natterd.db-wal", "natterd.db-shm", "jwt.key", "verification.key"})
        QVERIFY2(QFile::exists(data + "/" + file), file);
    upload.abort();
}

void TstFilesAtRest::existingDataDirOpenToOthersIsMadePrivate() {
    NatterdProcess server;
    NATTER_START(server);
    TestClient a(server);
    NATTER_SIGNUP(a, phoneNumber(1), "Ann");
    QCOMPARE(server.terminate(), 0);
    // As an older natterd (or a careless operator) left it.
    const QString data = server.dataDir();
    QVERIFY(QFile::setPermissions(data, kMode0644 | QFile::ExeOwner | QFile::ExeGroup | QFile::ExeOther));
    QVERIFY(QFile::setPermissions(data + "/natterd.db", kMode0644));
    QVERIFY(QFile::setPermissions(data + "/media", kMode0644 | QFile::ExeOwner | QFile::ExeGroup | QFile::ExeOther));
    QCOMPARE(modeOf(data), 0755);

    QVERIFY2(server.restart(), qPrintable(server.errorString()));
    const QStringList open = notPrivate(data);
    QVERIFY2(open.isEmpty(), qPrintable(open.join('\n')));
    const QByteArray log = server.standardError();
    QVERIFY2(log.contains("was accessible to group or others (mode 0755); changed to 0700"), log.constData());
    QVERIFY2(log.contains("were accessible to group or others; made private"), log.constData());
    NATTER_HTTP(a.request("GET", "/api/profile"), 200); // its data is intact
}

void TstFilesAtRest::keyFileOthersCanAccessIsRefused_data() {
    QTest::addColumn<QString>("keyFile");
    QTest::newRow("token signing key") << "jwt.key";
    QTest::newRow("verification code key") << "verification.key";
}

void TstFilesAtRest::keyFileOthersCanAccessIsRefused() {
    QFETCH(QString, keyFile);
    QTemporaryDir data; // 0700
    QVERIFY(data.isValid());
    const QString key = data.filePath(keyFile);
    QVERIFY(writeFile(key, QByteArray(32, 'k'), kMode0644));

    const ProcessOutcome out = NatterdProcess::runOnce(
        {"--listen", "127.0.0.1:0", "--data-dir", data.path(), "--verification", "fixed:123456"}, 5000);
    QVERIFY2(out.finished, "natterd started with a key file others can read");
    QCOMPARE(out.exitCode, 1);
    QVERIFY2(!out.standardOutput.contains("listening on"), out.standardOutput.constData());
    QVERIFY2(out.standardError.contains("key file " + key.toUtf8()), out.standardError.constData());
    QVERIFY2(out.standardError.contains("chmod 600 " + key.toUtf8()), out.standardError.constData());
    QCOMPARE(modeOf(key), 0644); // left for the operator to judge

    QVERIFY(QFile::setPermissions(key, QFile::ReadOwner | QFile::WriteOwner)); // the fix the error names
    NatterdProcess server;
    server.setDataDir(data.path());
    NATTER_START(server);
}

void TstFilesAtRest::pendingVerificationCodeCannotBeRecoveredFromTheDatabase() {
    NatterdProcess server; // every code is 123456
    NATTER_START(server);
    TestClient first(server), second(server);
    NATTER_HTTP(first.registerPhone(phoneNumber(1)), 200);
    NATTER_HTTP(second.registerPhone(phoneNumber(2)), 200);

    std::map<std::string, std::string> stored; // phone -> code_hash
    {
        natter::server::sqlite::Connection db((server.dataDir() + "/natterd.db").toStdString());
        auto rows = db.prepare("SELECT phone, code_hash FROM verifications");
        while (rows.step()) stored[rows.text(0)] = rows.blob(1);
    }
    QCOMPARE(stored.size(), std::size_t(2));
    // The same code for two numbers is stored differently...
    QVERIFY(stored.begin()->second != stored.rbegin()->second);
    // ...and trying every 6-digit code against it, as the audit did, finds nothing.
    char code[8];
    for (int n = 0; n < 1'000'000; ++n) {
        std::snprintf(code, sizeof code, "%06d", n);
        const std::string hash = natter::server::secrets::sha256(code);
        for (const auto& [phone, codeHash] : stored)
            QVERIFY2(hash != codeHash, qPrintable(QStringLiteral("code of %1 recovered: %2").arg(QString::fromStdString(phone), code)));
    }

    NATTER_HTTP(first.verify(phoneNumber(1), kFixedCode), 200);
    // The key survives a restart: a code issued before it still verifies; a wrong one does not.
    QCOMPARE(server.terminate(), 0);
    QVERIFY2(server.restart(), qPrintable(server.errorString()));
    NATTER_REFUSED(second.verify(phoneNumber(2), "654321"), 403, "verification_failed");
    NATTER_HTTP(second.verify(phoneNumber(2), kFixedCode), 200);
}

QTEST_GUILESS_MAIN(TstFilesAtRest)
#include "tst_files_at_rest.moc"
