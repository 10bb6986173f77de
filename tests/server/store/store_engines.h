// Runs a store suite on every engine: initTestCase_data() rows "sqlite" (a file in a temporary
// directory) and "postgres" (a fresh database on the executable's private PostgreSQL server,
// tests/support/postgres_process.h), so each case sees only its own rows.
#pragma once

#include "postgres_process.h"
#include "store/postgres/pg_store.h"
#include "store/sqlite/sqlite_store.h"

#include <QTemporaryDir>
#include <QtTest>

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

} // namespace natter::test
