// Runs a store suite on every engine: initTestCase_data() rows "sqlite" (a file in a temporary
// directory) and "postgres" (a fresh database on the executable's private PostgreSQL server,
// tests/support/postgres_process.h), so each case sees only its own rows.
#pragma once

#include "postgres_process.h"
#include "store/postgres/pg_store.h"
#include "store/sqlite/sqlite_store.h"

#include <QTemporaryDir>
#include <QtTest>

#include <initializer_list>
#include <memory>
#include <string>

namespace natter::test {

class StoreEngines {
public:
    // For initTestCase_data().
    static void addRows() {
        QTest::addColumn<QString>("engine");
        QTest::newRow("sqlite") << QStringLiteral("sqlite");
        QTest::newRow("postgres") << QStringLiteral("postgres");
    }

    // The engine of the running row.
    static bool postgres() {
        const auto* engine = static_cast<const QString*>(QTest::qGlobalData("engine", qMetaTypeId<QString>()));
        return engine && *engine == QLatin1String("postgres");
    }

    // Where a new, empty store of the current engine lives: a file path or a database URI.
    // Empty (with error()) when PostgreSQL could not be started.
    std::string freshLocation() {
        if (!postgres()) return (std::filesystem::path(dir_.path().toStdString()) /
                                 ("s" + std::to_string(++counter_) + ".db")).string();
        auto& server = PostgresProcess::shared();
        return server.createDatabase();
    }

    static std::string error() { return PostgresProcess::shared().errorString(); }

    // Opens (creating and migrating) the store at `location`.
    static std::unique_ptr<server::Store> open(const std::string& location) {
        if (location.starts_with("postgres://")) return std::make_unique<server::PgStore>(location, "natter-test");
        return std::make_unique<server::SqliteStore>(location);
    }

private:
    QTemporaryDir dir_;
    int counter_ = 0;
};

// What every store suite's cases share: a fresh store of the running engine per case, reopening
// it, and transactions committed as the worker commits them. Test classes inherit it beside
// QObject and call openFresh() in init().
class StoreCase {
protected:
    // False (with StoreEngines::error()) when the engine could not give a fresh store.
    bool openFresh() {
        location_ = engines_.freshLocation();
        if (location_.empty()) return false;
        store_ = StoreEngines::open(location_);
        return true;
    }
    void reopen() {
        store_.reset();
        store_ = StoreEngines::open(location_);
    }
    // Runs `fn` in a committed transaction, as the worker does.
    template <class Fn>
    auto inTransaction(Fn fn) {
        store_->begin();
        auto result = fn(*store_);
        store_->commit();
        return result;
    }
    // A user created at `at` with a device per name.
    server::UserId makeUser(const std::string& phone, server::TimestampMs at = 1000,
                            std::initializer_list<const char*> devices = {"phone"}) {
        return inTransaction([&](server::Store& s) {
            const server::UserId id = s.createUser(phone, at);
            for (const char* name : devices) s.addDevice(id, name, "hash", at);
            return id;
        });
    }

    StoreEngines engines_;
    std::string location_;
    std::unique_ptr<server::Store> store_;
};

} // namespace natter::test
