// Schema migrations from hand-written fixtures: upgrading keeps every row, the v1 fixture
// matches migration 1, a v2 store gains the revocation state (migration 3) without losing its
// account or queued messages, later ones gain their columns and tables (v8: message requests
// and the block list; v10: profile names; v11: profile about text), and a failing migration changes nothing (one transaction).
#include "store_test_support.h"

#include "client/store/account_store.h"
#include "client/store/block_store.h"
#include "client/store/chat_store.h"
#include "client/store/contact_store.h"
#include "client/store/device_list_store.h"
#include "client/store/message_store.h"
#include "client/store/migrations.h"
#include "client/store/outbox_store.h"
#include "client/store/peer_profile_store.h"
#include "client/store/revocation_store.h"

#include <QFile>

#include <limits>
#include <vector>

using namespace natter::client;
using namespace natter::client::store;
using namespace natter::client::store::test;

namespace {

QByteArray fixture(const char* name) {
    QFile f(QStringLiteral(NATTER_STORE_FIXTURES "/") + QLatin1String(name));
    if (!f.open(QIODevice::ReadOnly)) qFatal("missing fixture %s", name);
    return f.readAll();
}

// A store at schema 1 with the fixture's rows, closed again.
void createV1Store(const QString& path) {
    auto db = Database::open(path, kPassphrase, {});
    QVERIFY2(db, db ? "" : qPrintable(db.error().message));
    QVERIFY((*db)->exec(fixture("schema_v1.sql").toStdString()));
    QCOMPARE((*db)->schemaVersion(), 1);
}

qint64 scalar(Database& db, const char* sql) {
    auto stmt = db.prepare(sql);
    if (!stmt) return -1;
    auto row = stmt->step();
    return row && *row ? stmt->int64(0) : -1;
}

// Table name -> normalised CREATE statement (whitespace collapsed), for schema comparisons.
QMap<QString, QString> tables(Database& db) {
    QMap<QString, QString> out;
    auto stmt = db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'table' ORDER BY name");
    while (stmt && *stmt->step()) out[stmt->text(0)] = stmt->text(1).simplified().remove(QLatin1Char(' '));
    return out;
}

} // namespace

class TestClientMigrations : public QObject {
    Q_OBJECT
private slots:
    void theV1FixtureMatchesMigrationOne() {
        TempStore fromFixture;
        createV1Store(fromFixture.path());
        TempStore fromMigration;
        auto migrated = Database::open(fromMigration.path(), kPassphrase, clientMigrations().first(1));
        QVERIFY(migrated);
        auto fixtureDb = Database::open(fromFixture.path(), kPassphrase, clientMigrations().first(1));
        QVERIFY(fixtureDb);
        QCOMPARE(tables(**fixtureDb), tables(**migrated));
    }

    void aV1StoreUpgradesToTheLatestVersionKeepingItsRows() {
        TempStore store;
        createV1Store(store.path());
        QVERIFY(store.open());
        QCOMPARE(store.db->schemaVersion(), clientMigrations().back().version);
        Database& db = *store.db;
        QCOMPARE(scalar(db, "SELECT registration_id FROM local_identity"), 4242);
        QCOMPARE(scalar(db, "SELECT count(*) FROM prekeys"), 3);
        QCOMPARE(scalar(db, "SELECT created_at FROM signed_prekeys WHERE key_id = 7"), 1700000000000);
        QCOMPARE(scalar(db, "SELECT count(*) FROM sessions WHERE name = '42'"), 2);
        QCOMPARE(scalar(db, "SELECT count(*) FROM sender_keys"), 1);
        QCOMPARE(scalar(db, "SELECT count(*) FROM identities"), 1);
        QCOMPARE(scalar(db, "SELECT next_id FROM key_ids WHERE sequence = 1"), 8);
        // The v2 tables work, search included.
        MessageStore messages(db);
        QVERIFY(messages.insert(message(QStringLiteral("d:1:42"), 42, QStringLiteral("m1"), 1, QStringLiteral("upgraded fine"))));
        auto hits = messages.search(QStringLiteral("upgraded"));
        QVERIFY(hits);
        QCOMPARE(hits->size(), size_t(1));
        // v3: no list is pinned yet (the first one seen of each user is), and pinning works.
        DeviceListStore lists(db);
        QVERIFY(!lists.pinned(42).value().has_value());
        QVERIFY(lists.pin(42, {QByteArray(33, '\x05'), 2, {1, 3}}));
        const auto pinned = lists.pinned(42).value();
        QVERIFY(pinned);
        QCOMPARE(pinned->version, quint64(2));
        QCOMPARE(pinned->devices, (std::vector<DeviceId>{1, 3}));
    }

    void aV2StoreUpgradesKeepingItsAccountAndQueueAndIsNotRevoked() {
        TempStore store;
        {
            auto db = Database::open(store.path(), kPassphrase, clientMigrations().first(2));
            QVERIFY(db);
            QVERIFY((*db)->exec(fixture("rows_v2.sql").toStdString()));
            QCOMPARE((*db)->schemaVersion(), 2);
        }
        QVERIFY(store.open());
        QVERIFY(store.db->schemaVersion() >= 3);
        Database& db = *store.db;
        const auto account = AccountStore(db).load();
        QVERIFY(account && *account);
        QCOMPARE((*account)->phone, QStringLiteral("+4915100000007"));
        QCOMPARE(OutboxStore(db).pending()->size(), size_t(1));
        QCOMPARE(MessageStore(db).count(QStringLiteral("dm:7:9")).value(), qint64(2));

        // Upgraded stores are not revoked; the state is kept once stored.
        RevocationStore revocation(db);
        QVERIFY(!revocation.load().value());
        QVERIFY(revocation.save(natter::protocol::RevocationReason::reregistered, 1700000002000));
        QVERIFY(revocation.load().value() == natter::protocol::RevocationReason::reregistered);

        // Starting over forgets the device (account, keys, sessions, queue, the revocation)
        // and keeps the history, the contacts and the identity keys seen of others.
        QVERIFY(revocation.forgetDevice());
        QVERIFY(!AccountStore(db).load().value());
        QVERIFY(!revocation.load().value());
        QCOMPARE(scalar(db, "SELECT count(*) FROM local_identity"), 0);
        QCOMPARE(scalar(db, "SELECT count(*) FROM sessions"), 0);
        QCOMPARE(scalar(db, "SELECT count(*) FROM contact_devices"), 0);
        QCOMPARE(OutboxStore(db).pending()->size(), size_t(0));
        QCOMPARE(MessageStore(db).count(QStringLiteral("dm:7:9")).value(), qint64(2));
        QVERIFY(ContactStore(db).byId(9).value());
        QCOMPARE(scalar(db, "SELECT count(*) FROM identities"), 1);
    }

    void aV4StoreGainsQuotesReactionsEditsAndDeletesKeepingItsMessages() {
        TempStore store;
        {
            auto db = Database::open(store.path(), kPassphrase, clientMigrations().first(4));
            QVERIFY(db);
            QVERIFY((*db)->exec(fixture("rows_v2.sql").toStdString()));
            QCOMPARE((*db)->schemaVersion(), 4);
        }
        QVERIFY(store.open());
        QVERIFY(store.db->schemaVersion() >= 5);
        MessageStore messages(*store.db);
        // The old rows read back as before: no quote, never edited, not deleted, no reactions.
        auto sent = messages.byMessageId(11);
        QVERIFY(sent && *sent);
        QCOMPARE((*sent)->text, QStringLiteral("already sent"));
        QVERIFY(!(*sent)->quote && !(*sent)->edited() && !(*sent)->deleted() && (*sent)->reactions.empty());
        QCOMPARE(OutboxStore(*store.db).pending()->size(), size_t(1));

        // ...and take the new data: a reaction, an edit search finds, a reply quoting it.
        QVERIFY(messages.setReaction(QStringLiteral("dm:7:9"), 11, 9, QStringLiteral("👍"), 1700000002000));
        QVERIFY(messages.applyEdit((*sent)->localId, QStringLiteral("already edited"), QStringLiteral("already edited"),
                                   1700000003000));
        MessageRecord reply = message(QStringLiteral("dm:7:9"), 9, QStringLiteral("c-3"), 3, QStringLiteral("quoting"), 12);
        reply.quote = QuoteRecord{11, 7, QStringLiteral("already sent"), false};
        QVERIFY(messages.insert(reply));
        auto edited = messages.byMessageId(11).value();
        QCOMPARE(edited->text, QStringLiteral("already edited"));
        QCOMPARE(edited->editedAt, 1700000003000);
        QCOMPARE(edited->reactions.size(), size_t(1));
        QCOMPARE(edited->reactions.front().emoji, QStringLiteral("👍"));
        QCOMPARE(messages.search(QStringLiteral("edited")).value().size(), size_t(1));
        QCOMPARE(messages.search(QStringLiteral("sent")).value().size(), size_t(0));
        auto quoting = messages.byMessageId(12).value();
        QVERIFY(quoting->quote);
        QCOMPARE(quoting->quote->senderId, UserId(7));
        QVERIFY(!quoting->quote->deleted);
    }

    void aV6StoreGainsDisappearingTimersAndItsOldMessagesNeverExpire() {
        TempStore store;
        {
            auto db = Database::open(store.path(), kPassphrase, clientMigrations().first(6));
            QVERIFY(db);
            QVERIFY((*db)->exec(fixture("rows_v2.sql").toStdString()));
            QCOMPARE((*db)->schemaVersion(), 6);
        }
        QVERIFY(store.open());
        QVERIFY(store.db->schemaVersion() >= 7);
        MessageStore messages(*store.db);
        ChatStore chats(*store.db);
        const QString chat = QStringLiteral("dm:7:9");
        // The old rows have no timer: nothing expires, however late it is.
        QCOMPARE(chats.byId(chat).value()->expireTimer, quint32(0));
        QCOMPARE(messages.byMessageId(11).value()->expireTimer, quint32(0));
        QCOMPARE(messages.expiredBy(std::numeric_limits<qint64>::max() / 2, 10).value().size(), size_t(0));
        QVERIFY(!messages.nextExpiry().value());

        // ...and take the new data: the chat's timer, a message that expires 300 s after it was sent.
        QVERIFY(chats.setExpireTimer(chat, 300));
        QCOMPARE(chats.byId(chat).value()->expireTimer, quint32(300));
        MessageRecord brief = message(chat, 9, QStringLiteral("c-3"), 3, QStringLiteral("ephemeral wombat"), 12);
        brief.expireTimer = 300;
        QVERIFY(messages.insert(brief));
        MessageRecord reply = message(chat, 7, QStringLiteral("c-4"), 4, QStringLiteral("quoting it"), 13);
        reply.quote = QuoteRecord{12, 9, QStringLiteral("ephemeral wombat"), false};
        QVERIFY(messages.insert(reply));
        QCOMPARE(messages.nextExpiry().value(), std::optional<qint64>(brief.timestamp + 300'000));
        QCOMPARE(messages.expiredBy(brief.timestamp + 299'999, 10).value().size(), size_t(0));
        const auto due = messages.expiredBy(brief.timestamp + 300'000, 10).value();
        QCOMPARE(due.size(), size_t(1));
        QCOMPARE(due.front().messageId, MessageId(12));

        QVERIFY(messages.eraseExpired(due.front().localId));
        QVERIFY(!messages.byMessageId(12).value());
        QCOMPARE(messages.search(QStringLiteral("wombat")).value().size(), size_t(0));
        QCOMPARE(messages.byMessageId(13).value()->quote->snippet, QString());
        QVERIFY(messages.hasSeq(chat, 3).value()); // its seq stays known: a redelivery is not shown again
        QVERIFY(!messages.nextExpiry().value());
    }

    void aV7StoreGainsMessageRequestsAndABlockListWithItsChatsStayingNormal() {
        TempStore store;
        {
            auto db = Database::open(store.path(), kPassphrase, clientMigrations().first(7));
            QVERIFY(db);
            QVERIFY((*db)->exec(fixture("rows_v2.sql").toStdString()));
            QCOMPARE((*db)->schemaVersion(), 7);
        }
        QVERIFY(store.open());
        QVERIFY(store.db->schemaVersion() >= 8);
        ChatStore chats(*store.db);
        const QString chat = QStringLiteral("dm:7:9");
        // A chat from before is no request, and nobody is blocked.
        QVERIFY(!chats.byId(chat).value()->request);
        BlockStore blocks(*store.db);
        QVERIFY(blocks.all().value().empty());

        // ...and take the new data: a request, accepted again; a block list in natterd's order.
        QVERIFY(chats.setRequest(chat, true));
        QVERIFY(chats.byId(chat).value()->request);
        QVERIFY(chats.setRequest(chat, false));
        QVERIFY(!chats.byId(chat).value()->request);
        QVERIFY(blocks.replace({12, 5}));
        QCOMPARE(blocks.all().value(), (std::vector<UserId>{12, 5}));
        QVERIFY(blocks.contains(5).value());
        QVERIFY(!blocks.contains(9).value());
        QVERIFY(blocks.replace({5}));
        QCOMPARE(blocks.all().value(), (std::vector<UserId>{5}));
    }

    void aV8StoreGainsMentionsWithItsMessagesMentioningNobody() {
        TempStore store;
        {
            auto db = Database::open(store.path(), kPassphrase, clientMigrations().first(8));
            QVERIFY(db);
            QVERIFY((*db)->exec(fixture("rows_v2.sql").toStdString()));
            QCOMPARE((*db)->schemaVersion(), 8);
        }
        QVERIFY(store.open());
        QVERIFY(store.db->schemaVersion() >= 9);
        MessageStore messages(*store.db);
        auto old = messages.byMessageId(11);
        QVERIFY(old && *old);
        QCOMPARE((*old)->text, QStringLiteral("already sent"));
        QVERIFY(!(*old)->mentionsMe);
        MessageRecord mention = message(QStringLiteral("dm:7:9"), 9, QStringLiteral("c-9"), 3, QStringLiteral("@Alice?"), 13);
        mention.mentionsMe = true;
        QVERIFY(messages.insert(mention));
        QVERIFY(messages.byMessageId(13).value()->mentionsMe);
    }

    void aV9StoreGainsProfileNamesWithNothingSentOrKnownYet() {
        TempStore store;
        {
            auto db = Database::open(store.path(), kPassphrase, clientMigrations().first(9));
            QVERIFY(db);
            QVERIFY((*db)->exec(fixture("rows_v2.sql").toStdString()));
            QCOMPARE((*db)->schemaVersion(), 9);
        }
        QVERIFY(store.open());
        QVERIFY(store.db->schemaVersion() >= 10);
        ChatStore chats(*store.db);
        const QString chat = QStringLiteral("dm:7:9");
        // A chat from before has had no profile sent, and nobody's chosen name is known.
        QCOMPARE(chats.profileSent(chat).value(), 0u);
        PeerProfileStore profiles(*store.db);
        QVERIFY(!profiles.name(9).value());

        // ...and take the new data: the newest version wins, an older one never brings a name back.
        QVERIFY(chats.setProfileSent(chat, 3));
        QCOMPARE(chats.profileSent(chat).value(), 3u);
        QVERIFY(profiles.save(9, QStringLiteral("Bob the Builder"), 2).value());
        QVERIFY(profiles.save(9, QStringLiteral("Robert"), 5).value());
        QVERIFY(!profiles.save(9, QStringLiteral("Bob the Builder"), 4).value());
        QVERIFY(!profiles.save(9, QStringLiteral("Bobby"), 5).value());
        QCOMPARE(profiles.name(9).value(), std::optional<QString>(QStringLiteral("Robert")));
    }

    void aV10StoreKeepsTheKnownNamesAndGainsAnEmptyAboutText() {
        TempStore store;
        {
            auto db = Database::open(store.path(), kPassphrase, clientMigrations().first(10));
            QVERIFY(db);
            QVERIFY((*db)->exec(fixture("rows_v2.sql").toStdString()));
            QVERIFY((*db)->exec("INSERT INTO peer_profiles (user_id, name, version) VALUES (9, 'Bob the Builder', 2)"));
            QCOMPARE((*db)->schemaVersion(), 10);
        }
        QVERIFY(store.open());
        QVERIFY(store.db->schemaVersion() >= 11);
        PeerProfileStore profiles(*store.db);
        // The name from before stays, with no about text.
        QCOMPARE(profiles.name(9).value(), std::optional<QString>(QStringLiteral("Bob the Builder")));
        QCOMPARE(profiles.about(9).value(), QString());

        // ...and a newer profile brings one; an older one never replaces it.
        QVERIFY(profiles.save(9, QStringLiteral("Bob the Builder"), 3, QStringLiteral("Builds things 🔨")).value());
        QVERIFY(!profiles.save(9, QStringLiteral("Bob"), 3, QStringLiteral("old")).value());
        QCOMPARE(profiles.about(9).value(), QStringLiteral("Builds things 🔨"));
        QCOMPARE(profiles.all().value().front().about, QStringLiteral("Builds things 🔨"));
    }

    void reopeningAnUpToDateStoreChangesNothing() {
        TempStore store;
        QVERIFY(store.open());
        QVERIFY(ContactStore(*store.db).upsert(ContactRecord{5, QStringLiteral("+1555"), QStringLiteral("Five"), false}));
        store.db.reset();
        QVERIFY(store.open());
        QCOMPARE(store.db->schemaVersion(), clientMigrations().back().version);
        QVERIFY(*ContactStore(*store.db).byId(5));
    }

    void aFailingMigrationLeavesTheVersionAndDataUnchanged() {
        TempStore store;
        createV1Store(store.path());
        std::vector<Migration> broken(clientMigrations().begin(), clientMigrations().end());
        const int next = broken.back().version + 1;
        broken.push_back(Migration{next, "CREATE TABLE half_done (a INTEGER); INSERT INTO no_such_table VALUES (1);"});
        auto failed = Database::open(store.path(), kPassphrase, broken);
        QVERIFY(!failed);
        COMPARE_KIND(failed.error().kind, ErrorKind::Storage);
        QVERIFY(failed.error().message.contains(QString::number(next)));

        auto db = Database::open(store.path(), kPassphrase, clientMigrations().first(1));
        QVERIFY(db);
        QCOMPARE((*db)->schemaVersion(), 1);
        QCOMPARE(scalar(**db, "SELECT count(*) FROM prekeys"), 3);
        QCOMPARE(scalar(**db, "SELECT count(*) FROM sqlite_master WHERE name IN ('half_done', 'messages', 'contacts')"), 0);
    }

    void aStoreWrittenByANewerNatterIsRefused() {
        TempStore store;
        QVERIFY(store.open());
        QVERIFY(store.db->exec("PRAGMA user_version = 999"));
        store.db.reset();
        auto db = Database::open(store.path(), kPassphrase);
        QVERIFY(!db);
        COMPARE_KIND(db.error().kind, ErrorKind::Storage);
    }
};

QTEST_GUILESS_MAIN(TestClientMigrations)
#include "tst_client_migrations.moc"
