// Profiles: name validation, the on-disk layout under $XDG_DATA_HOME, the single-holder
// lock (with stale-lock recovery) and opening with NATTER_PASSPHRASE or a prompt.
#include "store_test_support.h"

#include "client/store/contact_store.h"
#include "client/store/passphrase.h"
#include "client/store/profile.h"
#include "client/store/profile_store.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QFile>
#include <QLockFile>
#include <QProcess>

using namespace natter::client;
using namespace natter::client::store;

namespace {

QByteArray sha256(const QString& path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? QCryptographicHash::hash(f.readAll(), QCryptographicHash::Sha256) : QByteArray();
}

} // namespace

class TestProfile : public QObject {
    Q_OBJECT
    std::unique_ptr<QTemporaryDir> m_home;

private slots:
    void initTestCase() { qputenv("NATTER_NO_KEYCHAIN", "1"); }
    void init() {
        m_home = std::make_unique<QTemporaryDir>();
        qputenv("XDG_DATA_HOME", m_home->path().toUtf8());
        qunsetenv("NATTER_PASSPHRASE");
    }
    void cleanup() { m_home.reset(); }

    void profileNamesAreValidated() {
        for (const char* good : {"default", "a", "work.2", "x-y_z", "A.B-C_9"})
            QVERIFY2(ProfilePaths::isValidName(QString::fromLatin1(good)), good);
        QVERIFY(ProfilePaths::isValidName(QString(64, QLatin1Char('n'))));
        for (const char* bad : {"", ".", "..", "a/b", "../etc", "a b", "semi;colon", "tab\t", "new\nline"})
            QVERIFY2(!ProfilePaths::isValidName(QString::fromLatin1(bad)), bad);
        QVERIFY(!ProfilePaths::isValidName(QString(65, QLatin1Char('n'))));
        QVERIFY(!ProfilePaths::isValidName(QStringLiteral("ünïcode")));
        auto bad = ProfilePaths::forName(QStringLiteral("../escape"));
        QVERIFY(!bad);
        COMPARE_KIND(bad.error().kind, ErrorKind::InvalidArgument);
    }

    void aProfileLivesUnderXdgDataHome() {
        auto paths = ProfilePaths::forName(QStringLiteral("work"));
        QVERIFY(paths);
        const QString dir = m_home->path() + QStringLiteral("/natter/profiles/work");
        QCOMPARE(paths->directory(), dir);
        QCOMPARE(paths->databasePath(), dir + QStringLiteral("/store.db"));
        QCOMPARE(paths->mediaDirectory(), dir + QStringLiteral("/media"));
        QCOMPARE(paths->socketPath(), dir + QStringLiteral("/rpc.sock"));
        QCOMPARE(paths->lockPath(), dir + QStringLiteral("/store.lock"));
        QCOMPARE(ProfilePaths::forName(QString())->name(), QStringLiteral("default"));
        QVERIFY(paths->create());
        QVERIFY(QFileInfo(paths->mediaDirectory()).isDir());
        QCOMPARE(QFileInfo(dir).permissions() & (QFile::ReadGroup | QFile::ReadOther), QFile::Permissions());
    }

    void aSecondLockFailsNamingTheHolderPidUntilTheFirstIsReleased() {
        auto paths = *ProfilePaths::forName(QStringLiteral("locked"));
        QVERIFY(paths.create());
        auto first = ProfileLock::acquire(paths.lockPath());
        QVERIFY(first);
        auto second = ProfileLock::acquire(paths.lockPath());
        QVERIFY(!second);
        COMPARE_KIND(second.error().kind, ErrorKind::StoreLocked);
        QVERIFY2(second.error().message.contains(QString::number(QCoreApplication::applicationPid())),
                 qPrintable(second.error().message));
        first->reset();
        QVERIFY(ProfileLock::acquire(paths.lockPath()));
    }

    void aLockLeftByADeadProcessIsRecovered() {
        auto paths = *ProfilePaths::forName(QStringLiteral("stale"));
        QVERIFY(paths.create());
        QProcess child;
        child.start(QStringLiteral("/bin/sh"), {QStringLiteral("-c"), QStringLiteral("exit 0")});
        QVERIFY(child.waitForStarted());
        const qint64 deadPid = child.processId();
        QVERIFY(child.waitForFinished());
        // A genuine lock file, then rewritten as if that (now dead) process had written it.
        {
            QLockFile lock(paths.lockPath());
            QVERIFY(lock.tryLock(0));
            QFile f(paths.lockPath());
            QVERIFY(f.open(QIODevice::ReadOnly));
            QList<QByteArray> lines = f.readAll().split('\n');
            f.close();
            lock.unlock();
            lines[0] = QByteArray::number(deadPid);
            QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
            f.write(lines.join('\n'));
        }
        QVERIFY(QFile::exists(paths.lockPath()));
        auto lock = ProfileLock::acquire(paths.lockPath());
        QVERIFY2(lock, lock ? "" : qPrintable(lock.error().message));
    }

    void natterPassphraseCreatesAndReopensAProfile() {
        qputenv("NATTER_PASSPHRASE", "env passphrase for tests");
        {
            auto opened = ProfileStore::open(QStringLiteral("envtest"), {}, {});
            QVERIFY2(opened, opened ? "" : qPrintable(opened.error().message));
            QCOMPARE((*opened)->passphraseSource(), PassphraseSource::Environment);
            QVERIFY((*opened)->contacts().upsert(ContactRecord{9, QStringLiteral("+1555999"), QStringLiteral("Nine"), false}));
            QVERIFY(QFile::exists((*opened)->paths().databasePath()));
            auto again = ProfileStore::open(QStringLiteral("envtest"), {}, {});
            QVERIFY(!again);
            COMPARE_KIND(again.error().kind, ErrorKind::StoreLocked);
        }
        auto reopened = ProfileStore::open(QStringLiteral("envtest"), {}, {});
        QVERIFY(reopened);
        auto nine = (*reopened)->contacts().byId(9);
        QVERIFY(nine && *nine);
        QCOMPARE((*nine)->name, QStringLiteral("Nine"));
    }

    void aWrongEnvironmentPassphraseIsRefusedAndLeavesTheStoreUntouched() {
        qputenv("NATTER_PASSPHRASE", "the right one");
        QString dbPath;
        {
            auto opened = ProfileStore::open(QStringLiteral("wrong"), {}, {});
            QVERIFY(opened);
            QVERIFY((*opened)->contacts().upsert(ContactRecord{1, {}, QStringLiteral("One"), false}));
            dbPath = (*opened)->paths().databasePath();
        }
        const QByteArray before = sha256(dbPath);
        qputenv("NATTER_PASSPHRASE", "the wrong one");
        auto refused = ProfileStore::open(QStringLiteral("wrong"), {}, {});
        QVERIFY(!refused);
        COMPARE_KIND(refused.error().kind, ErrorKind::WrongPassphrase);
        QCOMPARE(sha256(dbPath), before);
        QVERIFY(!QFile::exists(dbPath + QStringLiteral("-wal")));
        // The failed attempt released the lock.
        qputenv("NATTER_PASSPHRASE", "the right one");
        QVERIFY(ProfileStore::open(QStringLiteral("wrong"), {}, {}));
    }

    void aPromptSuppliesThePassphraseWhenTheEnvironmentHasNone() {
        int asked = 0;
        auto prompt = [&asked]() -> std::optional<QByteArray> {
            ++asked;
            return QByteArrayLiteral("typed by the user");
        };
        {
            auto opened = ProfileStore::open(QStringLiteral("prompted"), {}, prompt);
            QVERIFY(opened);
            QCOMPARE((*opened)->passphraseSource(), PassphraseSource::Prompt);
        }
        QVERIFY(ProfileStore::open(QStringLiteral("prompted"), {}, prompt));
        QCOMPARE(asked, 2);
        auto none = ProfileStore::open(QStringLiteral("prompted"), {}, [] { return std::optional<QByteArray>(); });
        QVERIFY(!none);
        COMPARE_KIND(none.error().kind, ErrorKind::InvalidArgument);
    }

    void theKeychainIsSkippedWhenDisabled() {
        QVERIFY(!PassphraseProvider::keychainEnabled());
        QVERIFY(!readKeychainSecret(QStringLiteral("store:/nowhere")));
    }
};

QTEST_GUILESS_MAIN(TestProfile)
#include "tst_profile.moc"
