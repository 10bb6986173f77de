// One KeyStore suite run against MemoryKeyStore and SqlcipherKeyStore (data rows "memory" and
// "sqlcipher"), plus SQLCipher persistence across reopening the profile file.
#include "client/crypto/memory_key_store.h"
#include "client/crypto/sqlcipher_key_store.h"
#include "client/store/database.h"

#include <QTemporaryDir>
#include <QtTest>

using namespace natter::client;
using namespace natter::client::crypto;

namespace {

const QByteArray kPassphrase = "correct horse battery staple";

// A store of the requested kind with everything it needs kept alive.
struct StoreFixture {
    std::unique_ptr<QTemporaryDir> dir;
    std::unique_ptr<store::Database> db;
    std::unique_ptr<KeyStore> keys;
};

StoreFixture makeStore(const QString& kind) {
    StoreFixture f;
    if (kind == QLatin1String("memory")) {
        f.keys = std::make_unique<MemoryKeyStore>();
        return f;
    }
    f.dir = std::make_unique<QTemporaryDir>();
    auto db = store::Database::open(f.dir->filePath("profile.db"), kPassphrase);
    if (!db) qFatal("cannot open the test database: %s", qPrintable(db.error().message));
    f.db = std::move(*db);
    f.keys = std::make_unique<SqlcipherKeyStore>(*f.db);
    return f;
}

template <class T>
T ok(Expected<T> r) {
    if (!r) qFatal("unexpected store failure: %s", qPrintable(r.error().message));
    return std::move(*r);
}
void ok(Expected<void> r) {
    if (!r) qFatal("unexpected store failure: %s", qPrintable(r.error().message));
}

} // namespace

class TestKeyStore : public QObject {
    Q_OBJECT

private:
    void kinds() {
        QTest::addColumn<QString>("kind");
        QTest::newRow("memory") << QStringLiteral("memory");
        QTest::newRow("sqlcipher") << QStringLiteral("sqlcipher");
    }

private slots:
    void localIdentityIsAbsentUntilStoredThenLoadsBack_data() { kinds(); }
    void localIdentityIsAbsentUntilStoredThenLoadsBack() {
        QFETCH(QString, kind);
        auto f = makeStore(kind);
        QVERIFY(!ok(f.keys->loadLocalIdentity()).has_value());
        ok(f.keys->storeLocalIdentity({QByteArray(33, 'p'), QByteArray(32, 's'), 4242}));
        auto identity = ok(f.keys->loadLocalIdentity());
        QVERIFY(identity.has_value());
        QCOMPARE(identity->publicKey, QByteArray(33, 'p'));
        QCOMPARE(identity->privateKey, QByteArray(32, 's'));
        QCOMPARE(identity->registrationId, 4242u);
    }

    void keyIdSequencesStartAtOneAndAreIndependent_data() { kinds(); }
    void keyIdSequencesStartAtOneAndAreIndependent() {
        QFETCH(QString, kind);
        auto f = makeStore(kind);
        QCOMPARE(ok(f.keys->nextKeyId(KeyIdSequence::PreKey)), 1u);
        ok(f.keys->setNextKeyId(KeyIdSequence::PreKey, 101));
        QCOMPARE(ok(f.keys->nextKeyId(KeyIdSequence::PreKey)), 101u);
        QCOMPARE(ok(f.keys->nextKeyId(KeyIdSequence::SignedPreKey)), 1u);
    }

    void preKeysAreStoredFoundAndRemoved_data() { kinds(); }
    void preKeysAreStoredFoundAndRemoved() {
        QFETCH(QString, kind);
        auto f = makeStore(kind);
        QVERIFY(!ok(f.keys->loadPreKey(7)).has_value());
        ok(f.keys->storePreKey(7, "seven"));
        ok(f.keys->storePreKey(8, "eight"));
        QVERIFY(ok(f.keys->containsPreKey(7)));
        QCOMPARE(*ok(f.keys->loadPreKey(7)), QByteArray("seven"));
        QCOMPARE(ok(f.keys->preKeyCount()), 2);
        ok(f.keys->removePreKey(7));
        ok(f.keys->removePreKey(7)); // removing an absent key is fine
        QVERIFY(!ok(f.keys->containsPreKey(7)));
        QCOMPARE(ok(f.keys->preKeyCount()), 1);
    }

    void signedPreKeysAreListedOldestFirstWithTheirCreationTime_data() { kinds(); }
    void signedPreKeysAreListedOldestFirstWithTheirCreationTime() {
        QFETCH(QString, kind);
        auto f = makeStore(kind);
        ok(f.keys->storeSignedPreKey(3, "newest", 3000));
        ok(f.keys->storeSignedPreKey(1, "oldest", 1000));
        ok(f.keys->storeSignedPreKey(2, "middle", 2000));
        auto list = ok(f.keys->listSignedPreKeys());
        QCOMPARE(list.size(), std::size_t(3));
        QCOMPARE(list[0].id, 1u);
        QCOMPARE(list[0].createdAt, 1000);
        QCOMPARE(list[2].id, 3u);
        QCOMPARE(*ok(f.keys->loadSignedPreKey(2)), QByteArray("middle"));
        ok(f.keys->removeSignedPreKey(1));
        QVERIFY(!ok(f.keys->containsSignedPreKey(1)));
        QVERIFY(ok(f.keys->containsSignedPreKey(2)));
        QCOMPARE(ok(f.keys->listSignedPreKeys()).size(), std::size_t(2));
    }

    void sessionsAreListedPerUserAndDeletedOneOrAll_data() { kinds(); }
    void sessionsAreListedPerUserAndDeletedOneOrAll() {
        QFETCH(QString, kind);
        auto f = makeStore(kind);
        ok(f.keys->storeSession("42", 2, "b2"));
        ok(f.keys->storeSession("42", 1, "b1"));
        ok(f.keys->storeSession("420", 1, "other user"));
        ok(f.keys->storeSession("42", 1, "b1 again")); // replaces
        QCOMPARE(*ok(f.keys->loadSession("42", 1)), QByteArray("b1 again"));
        QCOMPARE(ok(f.keys->sessionDevices("42")), (std::vector<DeviceId>{1, 2}));
        QVERIFY(ok(f.keys->containsSession("42", 2)));
        QVERIFY(ok(f.keys->deleteSession("42", 2)));
        QVERIFY(!ok(f.keys->deleteSession("42", 2)));
        QVERIFY(!ok(f.keys->containsSession("42", 2)));
        ok(f.keys->storeSession("42", 3, "b3"));
        QCOMPARE(ok(f.keys->deleteAllSessions("42")), 2);
        QVERIFY(ok(f.keys->sessionDevices("42")).empty());
        QCOMPARE(ok(f.keys->sessionDevices("420")), (std::vector<DeviceId>{1}));
    }

    void senderKeysOfOneGroupAreResetWithoutTouchingOtherGroups_data() { kinds(); }
    void senderKeysOfOneGroupAreResetWithoutTouchingOtherGroups() {
        QFETCH(QString, kind);
        auto f = makeStore(kind);
        ok(f.keys->storeSenderKey("g:a", "1", 1, "own"));
        ok(f.keys->storeSenderKey("g:a", "2", 1, "member"));
        ok(f.keys->storeSenderKey("g:b", "1", 1, "other group"));
        QCOMPARE(*ok(f.keys->loadSenderKey("g:a", "2", 1)), QByteArray("member"));
        QVERIFY(ok(f.keys->deleteSenderKey("g:a", "1", 1)));
        QVERIFY(!ok(f.keys->loadSenderKey("g:a", "1", 1)).has_value());
        QVERIFY(ok(f.keys->loadSenderKey("g:a", "2", 1)).has_value());
        QCOMPARE(ok(f.keys->deleteSenderKeysOfGroup("g:a")), 1);
        QVERIFY(!ok(f.keys->loadSenderKey("g:a", "2", 1)).has_value());
        QCOMPARE(*ok(f.keys->loadSenderKey("g:b", "1", 1)), QByteArray("other group"));
    }

    void aFirstIdentityIsTrustedAndOnlyADifferentKeyCountsAsChanged_data() { kinds(); }
    void aFirstIdentityIsTrustedAndOnlyADifferentKeyCountsAsChanged() {
        QFETCH(QString, kind);
        auto f = makeStore(kind);
        QVERIFY(!ok(f.keys->saveIdentity("42", 1, "key one")));  // first sighting
        QVERIFY(!ok(f.keys->saveIdentity("42", 1, "key one")));  // same key again
        QVERIFY(!ok(f.keys->saveIdentity("42", 2, "device two"))); // other device, first sighting
        QVERIFY(ok(f.keys->saveIdentity("42", 1, "key two")));   // changed: reported
        QCOMPARE(*ok(f.keys->loadIdentity("42", 1)), QByteArray("key two")); // and accepted
        QVERIFY(!ok(f.keys->saveIdentity("42", 1, "key two")));
        ok(f.keys->removeIdentity("42", 1));
        QVERIFY(!ok(f.keys->loadIdentity("42", 1)).has_value());
        QCOMPARE(*ok(f.keys->loadIdentity("42", 2)), QByteArray("device two"));
    }

    void theIdentitiesOfANameAreThoseOfEachOfItsDevices_data() { kinds(); }
    void theIdentitiesOfANameAreThoseOfEachOfItsDevices() {
        QFETCH(QString, kind);
        auto f = makeStore(kind);
        QVERIFY(ok(f.keys->identitiesOf("42")).empty());
        ok(f.keys->saveIdentity("42", 3, "third"));
        ok(f.keys->saveIdentity("42", 1, "first"));
        ok(f.keys->saveIdentity("420", 1, "another name"));
        QCOMPARE(ok(f.keys->identitiesOf("42")), (std::vector<QByteArray>{"first", "third"}));
        ok(f.keys->saveIdentity("42", 1, "replaced"));
        ok(f.keys->removeIdentity("42", 3));
        QCOMPARE(ok(f.keys->identitiesOf("42")), (std::vector<QByteArray>{"replaced"}));
    }

    void sqlcipherKeysSurviveReopeningTheFileWithThePassphrase() {
        QTemporaryDir dir;
        const QString path = dir.filePath("profile.db");
        {
            auto db = ok(store::Database::open(path, kPassphrase));
            SqlcipherKeyStore keys(*db);
            ok(keys.storeLocalIdentity({QByteArray(33, 'p'), QByteArray(32, 's'), 77}));
            ok(keys.setNextKeyId(KeyIdSequence::PreKey, 51));
            ok(keys.storePreKey(50, "prekey"));
            ok(keys.storeSignedPreKey(1, "signed", 1234));
            ok(keys.storeSession("42", 1, "session"));
            ok(keys.storeSenderKey("g:x", "42", 1, "sender key"));
            ok(keys.saveIdentity("42", 1, "identity"));
        }
        auto wrong = store::Database::open(path, "not the passphrase");
        QVERIFY(!wrong);
        QCOMPARE(toString(wrong.error().kind), toString(ErrorKind::WrongPassphrase));

        auto db = ok(store::Database::open(path, kPassphrase));
        SqlcipherKeyStore keys(*db);
        QCOMPARE(ok(keys.loadLocalIdentity())->registrationId, 77u);
        QCOMPARE(ok(keys.nextKeyId(KeyIdSequence::PreKey)), 51u);
        QCOMPARE(*ok(keys.loadPreKey(50)), QByteArray("prekey"));
        QCOMPARE(ok(keys.listSignedPreKeys()).at(0).createdAt, 1234);
        QCOMPARE(*ok(keys.loadSession("42", 1)), QByteArray("session"));
        QCOMPARE(*ok(keys.loadSenderKey("g:x", "42", 1)), QByteArray("sender key"));
        QVERIFY(!ok(keys.saveIdentity("42", 1, "identity")));
        QVERIFY(ok(keys.saveIdentity("42", 1, "another identity")));
    }

    void theSqlcipherFileContainsNoReadableKeyMaterial() {
        QTemporaryDir dir;
        const QString path = dir.filePath("profile.db");
        {
            auto db = ok(store::Database::open(path, kPassphrase));
            SqlcipherKeyStore keys(*db);
            ok(keys.storeSession("42", 1, "PLAINTEXT-SESSION-MARKER"));
        }
        for (const QString& name : {path, path + "-wal"}) {
            QFile file(name);
            if (!file.open(QIODevice::ReadOnly)) continue; // no WAL left after a clean close
            const QByteArray raw = file.readAll();
            QVERIFY(!raw.contains("PLAINTEXT-SESSION-MARKER"));
            QVERIFY(!raw.contains("CREATE TABLE"));
        }
        QVERIFY(QFileInfo(path).size() > 0);
    }
};

QTEST_GUILESS_MAIN(TestKeyStore)
#include "tst_key_store.moc"
