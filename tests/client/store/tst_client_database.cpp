// The SQLCipher store at rest: no plaintext on disk, refused without the right passphrase
// (and untouched by the attempt), intact on reopening, and transactions all-or-nothing.
#include "store_test_support.h"

#include "client/store/account_store.h"
#include "client/store/chat_store.h"
#include "client/store/contact_store.h"
#include "client/store/message_store.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>

using namespace natter::client;
using namespace natter::client::store;
using namespace natter::client::store::test;

namespace {

const QString kSecretText = QStringLiteral("meet me under the clocktower at midnight");
const QString kContactName = QStringLiteral("Zebulon Quackenbush");
const QString kPhone = QStringLiteral("+15550123987");

QByteArray fileBytes(const QString& path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

// Names and SHA-256 of every file in dir: detects any write, truncation or new -wal/-shm.
QMap<QString, QByteArray> snapshot(const QString& dir) {
    QMap<QString, QByteArray> out;
    for (const QString& name : QDir(dir).entryList(QDir::Files))
        out[name] = QCryptographicHash::hash(fileBytes(dir + QLatin1Char('/') + name), QCryptographicHash::Sha256);
    return out;
}

void writeKnownData(Database& db) {
    ContactStore contacts(db);
    QVERIFY(contacts.upsert(ContactRecord{42, kPhone, kContactName, false}));
    ChatStore chats(db);
    ChatRecord chat;
    chat.chatId = QStringLiteral("d:1:42");
    chat.title = kContactName;
    chat.peerId = 42;
    QVERIFY(chats.ensure(chat));
    MessageStore messages(db);
    QVERIFY(messages.insert(message(chat.chatId, 42, QStringLiteral("c1"), 1, kSecretText, 1001)));
    AccountStore account(db);
    AccountRecord a;
    a.server = QUrl(QStringLiteral("http://127.0.0.1:8787"));
    a.userId = 1;
    a.deviceId = 1;
    a.phone = kPhone;
    a.deviceSecret = QByteArrayLiteral("device-secret-value-0123456789");
    a.displayName = QStringLiteral("Ophelia Marchbanks");
    QVERIFY(account.save(a));
}

void verifyNoPlaintext(const QString& dir) {
    const QList<QByteArray> needles{kSecretText.toUtf8(), QByteArrayLiteral("clocktower"), kContactName.toUtf8(),
                                    kPhone.toUtf8(), QByteArrayLiteral("device-secret-value"),
                                    QByteArrayLiteral("SQLite format 3"), QByteArrayLiteral("CREATE TABLE")};
    int scanned = 0;
    for (const QString& name : {QStringLiteral("store.db"), QStringLiteral("store.db-wal")}) {
        const QByteArray raw = fileBytes(dir + QLatin1Char('/') + name);
        if (raw.isEmpty()) continue;
        ++scanned;
        for (const QByteArray& needle : needles)
            QVERIFY2(!raw.contains(needle), qPrintable(name + QStringLiteral(" contains ") + QString::fromUtf8(needle)));
    }
    QVERIFY(scanned > 0);
}

} // namespace

class TestClientDatabase : public QObject {
    Q_OBJECT
private slots:
    void aNewStoreFileContainsNoPlaintext() {
        TempStore store;
        QVERIFY(store.open());
        writeKnownData(*store.db);
        verifyNoPlaintext(store.dir.path()); // while open: the WAL holds the fresh pages
        store.db.reset();
        verifyNoPlaintext(store.dir.path());
    }

    void itCannotBeOpenedWithoutAPassphraseAndTheFileIsUntouched() {
        TempStore store;
        QVERIFY(store.open());
        writeKnownData(*store.db);
        store.db.reset();
        const auto before = snapshot(store.dir.path());
        auto opened = Database::open(store.path(), QByteArray());
        QVERIFY(!opened);
        COMPARE_KIND(opened.error().kind, ErrorKind::InvalidArgument);
        QCOMPARE(snapshot(store.dir.path()), before);
    }

    void aWrongPassphraseIsRefusedAndTheFileIsByteIdentical() {
        TempStore store;
        QVERIFY(store.open());
        writeKnownData(*store.db);
        store.db.reset();
        const auto before = snapshot(store.dir.path());
        QVERIFY(before.contains(QStringLiteral("store.db")));
        auto opened = Database::open(store.path(), QByteArrayLiteral("not the passphrase"));
        QVERIFY(!opened);
        COMPARE_KIND(opened.error().kind, ErrorKind::WrongPassphrase);
        QVERIFY(!opened.error().message.contains(QStringLiteral("not the passphrase")));
        QCOMPARE(snapshot(store.dir.path()), before);
    }

    void itReopensWithTheRightPassphraseWithDataIntact() {
        TempStore store;
        QVERIFY(store.open());
        writeKnownData(*store.db);
        store.db.reset();
        QVERIFY(store.open());
        auto contact = ContactStore(*store.db).byId(42);
        QVERIFY(contact && *contact);
        QCOMPARE((*contact)->name, kContactName);
        auto stored = MessageStore(*store.db).byMessageId(1001);
        QVERIFY(stored && *stored);
        QCOMPARE((*stored)->text, kSecretText);
        auto account = AccountStore(*store.db).load();
        QVERIFY(account && *account);
        QCOMPARE((*account)->deviceSecret, QByteArrayLiteral("device-secret-value-0123456789"));
        QCOMPARE((*account)->server, QUrl(QStringLiteral("http://127.0.0.1:8787")));
    }

    void aFailedTransactionRollsBackEverythingItWrote() {
        TempStore store;
        QVERIFY(store.open());
        ContactStore contacts(*store.db);
        auto result = store.db->transaction([&]() -> Expected<void> {
            if (auto r = contacts.upsert(ContactRecord{7, QStringLiteral("+1555000007"), QStringLiteral("Seven"), false}); !r)
                return r;
            return makeClientError(ErrorKind::InvalidArgument, QStringLiteral("changed my mind"));
        });
        QVERIFY(!result);
        COMPARE_KIND(result.error().kind, ErrorKind::InvalidArgument);
        auto seven = contacts.byId(7);
        QVERIFY(seven);
        QVERIFY(!*seven);
    }

    void aFailedNestedTransactionRollsBackOnlyItsOwnWrites() {
        TempStore store;
        QVERIFY(store.open());
        ContactStore contacts(*store.db);
        auto outer = store.db->transaction([&]() -> Expected<void> {
            if (auto r = contacts.upsert(ContactRecord{1, {}, QStringLiteral("Outer"), false}); !r) return r;
            auto inner = store.db->transaction([&]() -> Expected<void> {
                if (auto r = contacts.upsert(ContactRecord{2, {}, QStringLiteral("Inner"), false}); !r) return r;
                return makeClientError(ErrorKind::InvalidArgument, QStringLiteral("inner fails"));
            });
            if (inner) return makeClientError(ErrorKind::Storage, QStringLiteral("inner should have failed"));
            return {};
        });
        QVERIFY(outer);
        QVERIFY(*contacts.byId(1));
        QVERIFY(!*contacts.byId(2));
    }
};

QTEST_GUILESS_MAIN(TestClientDatabase)
#include "tst_client_database.moc"
