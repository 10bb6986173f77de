// natterd's schema migrations: applied in one transaction, refused when the database is
// newer than the binary, and carrying each released version's data forward (fixtures/).
#include "store/sqlite/sqlite_migrations.h"
#include "store/sqlite/sqlite_store.h"

#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

using namespace natter::server;
using natter::server::sqlite::Migration;

class TestSqliteMigrations : public QObject {
    Q_OBJECT

private:
    QTemporaryDir dir_;
    int counter_ = 0;

    std::filesystem::path freshFile() {
        return std::filesystem::path(dir_.path().toStdString()) / ("db" + std::to_string(++counter_) + ".sqlite");
    }
    static bool tableExists(sqlite::Connection& db, const char* name) {
        auto stmt = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?");
        stmt.bind(1, name);
        return stmt.step();
    }

private slots:
    void freshDatabaseReachesTheLatestVersion() {
        const auto file = freshFile();
        { SqliteStore store(file); }
        sqlite::Connection db(file);
        QCOMPARE(sqlite::schemaVersion(db), sqlite::migrations().back().version);
        for (const char* table : {"users", "devices", "messages", "queue", "receipts", "contacts", "chats"})
            QVERIFY2(tableExists(db, table), table);
    }

    void versionsAreAppendOnlyAndConsecutive() {
        int expected = 1;
        for (const auto& m : sqlite::migrations()) QCOMPARE(m.version, expected++);
    }

    void databaseNewerThanTheBinaryIsRefusedUntouched() {
        const auto file = freshFile();
        {
            sqlite::Connection db(file);
            db.exec("PRAGMA user_version = 999");
        }
        QVERIFY_THROWS_EXCEPTION(StoreError, SqliteStore{file});
        sqlite::Connection db(file);
        QCOMPARE(sqlite::schemaVersion(db), 999);
        QVERIFY(!tableExists(db, "users"));
    }

    void failingMigrationLeavesTheDatabaseAsItWas() {
        const auto file = freshFile();
        sqlite::Connection db(file);
        const std::vector<Migration> firstOnly{sqlite::migrations().front()};
        QCOMPARE(sqlite::migrate(db, firstOnly), 1);
        const std::vector<Migration> broken{sqlite::migrations().front(),
                                            Migration{2, "broken", "CREATE TABLE half_done(x); THIS IS NOT SQL;"}};
        QVERIFY_THROWS_EXCEPTION(StoreError, sqlite::migrate(db, broken));
        QCOMPARE(sqlite::schemaVersion(db), 1);
        QVERIFY(!tableExists(db, "half_done"));
    }

    void pendingUnkeyedCodesAreDroppedAndDevicesGainTheirLastConnection() {
        const auto file = freshFile();
        {
            sqlite::Connection db(file);
            const std::vector<Migration> v3(sqlite::migrations().begin(), sqlite::migrations().begin() + 3);
            sqlite::migrate(db, v3);
            db.exec("INSERT INTO verifications(phone, code_hash, expires_at) VALUES('+4915100000001', x'00', 9e15)");
            db.exec("INSERT INTO users(id, phone, created_at) VALUES(1, '+4915100000001', 1)");
            db.exec("INSERT INTO devices(user_id, device_id, secret_hash, created_at) VALUES(1, 1, x'00', 1)");
        }
        SqliteStore store(file);
        QVERIFY(!store.findVerification("+4915100000001")); // a bare SHA-256 cannot be checked any more
        QVERIFY(store.findDevice({1, 1}));
        store.begin();
        store.recordConnection({1, 1}, 1234);
        store.commit();
        sqlite::Connection db(file);
        auto stmt = db.prepare("SELECT last_connected_at FROM devices WHERE user_id = 1 AND device_id = 1");
        QVERIFY(stmt.step());
        QCOMPARE(stmt.int64(0), std::int64_t(1234));
    }

    void schemaV1FixtureKeepsItsConversationAfterMigration() {
        const auto file = freshFile();
        {
            sqlite::Connection db(file);
            const std::vector<Migration> v1{sqlite::migrations().front()};
            sqlite::migrate(db, v1);
            QFile fixture(QStringLiteral(NATTER_STORE_FIXTURES "/schema_v1.sql"));
            QVERIFY(fixture.open(QIODevice::ReadOnly));
            db.exec(fixture.readAll().toStdString());
        }
        SqliteStore store(file);
        const auto bob = store.findUserByPhone("+4915100000002");
        QVERIFY(bob);
        QCOMPARE(bob->display_name, std::string("Bob"));
        const auto queued = store.fetchQueue({2, 1}, 0, 10);
        QCOMPARE(queued.size(), std::size_t(1));
        const auto& delivery = std::get<natter::protocol::MessageDelivery>(queued[0].frame);
        QCOMPARE(delivery.content, std::string("aGVsbG8=")); // "hello"
        QCOMPARE(delivery.seq, Seq(1));
        // Migration 4: devices from before signed device lists stay addressable, with no list.
        const auto devices = store.activeDevices(bob->id);
        QVERIFY(!devices.empty());
        QVERIFY(devices.front().listed);
        QVERIFY(!store.findDeviceList(bob->id));
        store.begin();
        const auto next = store.appendMessage("dm:1:2", {2, 1}, "c-2", {1}, 1700000000002, MessageKind::user);
        store.commit();
        QCOMPARE(next.seq, Seq(2));
    }

    void contactsFromBeforeVersion5KeepShowingTheirPhone() {
        const auto file = freshFile();
        {
            sqlite::Connection db(file);
            const auto all = sqlite::migrations();
            const std::vector<Migration> v3(all.begin(), all.begin() + 3);
            sqlite::migrate(db, v3);
            db.exec("INSERT INTO users(id, phone, created_at) VALUES (1, '+4915100000001', 1), (2, '+4915100000002', 1),"
                    " (3, '+4915100000003', 1);"
                    "INSERT INTO contacts(owner_id, contact_id) VALUES (1, 2);"
                    "INSERT INTO verifications(phone, code_hash, expires_at, attempts) VALUES ('+4915100000003', x'00', 9, 4);");
        }
        SqliteStore store(file);
        QVERIFY(store.knowsPhone(1, 2));
        QVERIFY(!store.knowsPhone(2, 1));
        QVERIFY(!store.knowsPhone(1, 3));
        QVERIFY(!store.findVerification("+4915100000003")); // pending codes go with migration 7 (keyed codes)
    }

    void deviceRevokedBeforeReasonsWereKeptReadsAsUnlinked() {
        const auto file = freshFile();
        {
            sqlite::Connection db(file);
            const std::vector<Migration> v3(sqlite::migrations().begin(), sqlite::migrations().begin() + 3);
            sqlite::migrate(db, v3);
            db.exec("INSERT INTO users (id, phone, created_at) VALUES (1, '+4915100000001', 1);"
                    "INSERT INTO devices (user_id, device_id, secret_hash, created_at, revoked_at) VALUES "
                    "(1, 1, x'00', 1, NULL), (1, 2, x'00', 1, 5);");
        }
        SqliteStore store(file);
        const auto kept = store.findDevice({1, 1});
        QVERIFY(kept && !kept->revoked);
        const auto gone = store.findDevice({1, 2});
        QVERIFY(gone && gone->revoked);
        QVERIFY(gone->revoked_reason == natter::protocol::RevocationReason::unlinked);
        const auto revoked = store.revokedDevices();
        QCOMPARE(revoked.size(), std::size_t(1));
        QVERIFY(revoked[0].key == (DeviceKey{1, 2}));
        QVERIFY(revoked[0].reason == natter::protocol::RevocationReason::unlinked);
    }
};

QTEST_GUILESS_MAIN(TestSqliteMigrations)
#include "tst_sqlite_migrations.moc"
