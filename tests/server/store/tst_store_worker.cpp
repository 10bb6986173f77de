// StoreWorker's group commit (SQLite): results arrive on the io thread in submission order and
// only after their batch is on disk; a failing request leaves no trace while the rest of its
// batch commits. Its lanes (PostgreSQL): one device's jobs keep their order across lanes, a
// failing job is undone alone, a job that collides with another writer runs again, the jobs
// queued on a lane share one transaction, and two such transactions that lock the same rows in
// opposite orders do not wait for each other forever.
#include "store/sqlite/sqlite_store.h"
#include "store/store_worker.h"
#include "store_engines.h"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>
#include <atomic>
#include <future>
#include <thread>

using namespace natter::server;
using natter::protocol::ErrorCode;
using natter::protocol::Result;
using natter::test::PostgresProcess;

class TestStoreWorker : public QObject {
    Q_OBJECT

private:
    QTemporaryDir dir_;
    int counter_ = 0;
    std::filesystem::path freshFile() {
        return std::filesystem::path(dir_.path().toStdString()) / ("w" + std::to_string(++counter_) + ".db");
    }
    static std::string phone(int i) { return "+49151" + std::to_string(1000000 + i); }

    // K PgStores on a fresh database, for a worker with K lanes.
    static std::vector<std::unique_ptr<Store>> pgLanes(std::size_t k, std::string& uri) {
        uri = PostgresProcess::shared().createDatabase();
        std::vector<std::unique_ptr<Store>> stores;
        if (uri.empty()) return stores;
        for (std::size_t i = 0; i < k; ++i) stores.push_back(std::make_unique<PgStore>(uri, "natter-test"));
        return stores;
    }
    static std::vector<Store*> pointers(const std::vector<std::unique_ptr<Store>>& stores) {
        std::vector<Store*> out;
        for (const auto& s : stores) out.push_back(s.get());
        return out;
    }

private slots:
    void resultsArriveInOrderAndAreVisibleToAnotherConnection() {
        const auto file = freshFile();
        SqliteStore store(file);
        boost::asio::io_context io;
        std::vector<int> order;
        bool committedWhenReported = true;
        {
            StoreWorker worker(store, io);
            for (int i = 0; i < 200; ++i) {
                worker.submit([i](Store& s) { return Result<UserId>(s.createUser(phone(i), 1)); },
                              [&, i, file](Result<UserId> r) {
                                  QVERIFY(r.has_value());
                                  order.push_back(i);
                                  // A separate connection sees the row: it was committed first.
                                  sqlite::Connection reader(file);
                                  auto stmt = reader.prepare("SELECT 1 FROM users WHERE id = ?");
                                  stmt.bind(1, *r);
                                  committedWhenReported = committedWhenReported && stmt.step();
                              });
            }
            auto keepRunning = boost::asio::make_work_guard(io);
            while (order.size() < 200 && io.run_one_for(std::chrono::seconds(10))) {
            }
        }
        QCOMPARE(order.size(), std::size_t(200));
        for (int i = 0; i < 200; ++i) QCOMPARE(order[i], i);
        QVERIFY(committedWhenReported);
    }

    void failingRequestIsRolledBackWhileItsBatchCommits() {
        const auto file = freshFile();
        SqliteStore store(file);
        boost::asio::io_context io;
        std::vector<bool> ok;
        {
            StoreWorker worker(store, io);
            auto record = [&ok](auto r) { ok.push_back(r.has_value()); };
            worker.submit([](Store& s) { return Result<UserId>(s.createUser(phone(1), 1)); }, record);
            worker.submit(
                [](Store& s) -> Result<UserId> {
                    s.createUser(phone(2), 1);
                    return natter::protocol::makeError(ErrorCode::Conflict, "changed my mind");
                },
                record);
            worker.submit([](Store& s) -> Result<UserId> {
                s.createUser(phone(3), 1);
                throw StoreError("disk on fire");
            },
                          record);
            worker.submit([](Store& s) { return Result<UserId>(s.createUser(phone(4), 1)); }, record);
            worker.shutdown();
            io.run();
        }
        QCOMPARE(ok, (std::vector<bool>{true, false, false, true}));
        SqliteStore reopened(file);
        QVERIFY(reopened.findUserByPhone(phone(1)));
        QVERIFY(!reopened.findUserByPhone(phone(2)));
        QVERIFY(!reopened.findUserByPhone(phone(3)));
        QVERIFY(reopened.findUserByPhone(phone(4)));
    }

    // Jobs that fail before writing run without a savepoint; the batch around them commits.
    void requestWithoutSavepointThatFailsBeforeWritingLeavesItsBatchCommitted() {
        const auto file = freshFile();
        SqliteStore store(file);
        boost::asio::io_context io;
        std::vector<bool> ok;
        {
            StoreWorker worker(store, io);
            auto record = [&ok](auto r) { ok.push_back(r.has_value()); };
            worker.submit([](Store& s) { return Result<UserId>(s.createUser(phone(1), 1)); }, record,
                          OnError::nothingWritten);
            worker.submit([](Store&) -> Result<UserId> { return natter::protocol::makeError(ErrorCode::NotFound, "no"); },
                          record, OnError::nothingWritten);
            worker.submit([](Store& s) { return Result<UserId>(s.createUser(phone(2), 1)); }, record,
                          OnError::nothingWritten);
            worker.shutdown();
            io.run();
        }
        QCOMPARE(ok, (std::vector<bool>{true, false, true}));
        SqliteStore reopened(file);
        QVERIFY(reopened.findUserByPhone(phone(1)));
        QVERIFY(reopened.findUserByPhone(phone(2)));
    }

    // Breaking the promise (a write, then an error) must not commit a half-done request:
    // the whole batch is undone and every request in it fails.
    void requestWithoutSavepointThatWritesThenFailsUndoesItsWholeBatch() {
        const auto file = freshFile();
        SqliteStore store(file);
        boost::asio::io_context io;
        std::vector<bool> ok;
        {
            StoreWorker worker(store, io);
            auto record = [&ok](auto r) { ok.push_back(r.has_value()); };
            // A first batch holds the worker until the next three are queued: they share one batch.
            std::promise<void> started, release;
            auto gate = release.get_future().share();
            worker.submit(
                [gate, &started](Store&) {
                    started.set_value();
                    gate.wait();
                    return Result<int>(0);
                },
                record);
            started.get_future().wait();
            worker.submit([](Store& s) { return Result<int>(static_cast<int>(s.createUser(phone(1), 1))); }, record,
                          OnError::nothingWritten);
            worker.submit(
                [](Store& s) -> Result<int> {
                    s.createUser(phone(2), 1);
                    return natter::protocol::makeError(ErrorCode::Conflict, "wrote, then failed");
                },
                record, OnError::nothingWritten);
            worker.submit([](Store& s) { return Result<int>(static_cast<int>(s.createUser(phone(3), 1))); }, record);
            release.set_value();
            worker.shutdown();
            io.run();
        }
        QCOMPARE(ok, (std::vector<bool>{true, false, false, false}));
        SqliteStore reopened(file);
        QVERIFY(!reopened.findUserByPhone(phone(1)));
        QVERIFY(!reopened.findUserByPhone(phone(2)));
        QVERIFY(!reopened.findUserByPhone(phone(3)));
    }

    // SQLite's automatic checkpoint is replaced by one between batches: the log must still be
    // copied into the database and start over, or it would grow with every commit.
    void writeAheadLogStaysBoundedAcrossManyBatches() {
        const auto file = freshFile();
        SqliteStore store(file);
        boost::asio::io_context io;
        int done = 0;
        {
            StoreWorker worker(store, io);
            auto keepRunning = boost::asio::make_work_guard(io);
            for (int i = 0; i < 1500; ++i) { // one batch each: every commit adds frames to the log
                worker.submit([i](Store& s) { return Result<UserId>(s.createUser(phone(i), 1)); },
                              [&done](Result<UserId> r) { done += r.has_value() ? 1 : 0; });
                while (done <= i && io.run_one_for(std::chrono::seconds(10))) {
                }
            }
            keepRunning.reset();
            worker.shutdown();
            io.run();
        }
        QCOMPARE(done, 1500);
        sqlite::Connection reader(file);
        auto stmt = reader.prepare("PRAGMA wal_checkpoint(PASSIVE)");
        QVERIFY(stmt.step());
        const auto logFrames = stmt.int64(1);
        // Without checkpoints 1,500 commits leave over 3,000 frames (each writes at least the
        // table and the phone index pages). With them the log starts over after ~1,000 pages;
        // under load the worker may find the next job already waiting (not idle) for a few more
        // commits, so the bound leaves room for that (1,189 frames seen under ctest -j2).
        QVERIFY2(logFrames < 2000, qPrintable(QStringLiteral("%1 frames in the log").arg(logFrames)));
        QVERIFY(SqliteStore(file).findUserByPhone(phone(1499)));
    }

    void thrownStoreErrorBecomesAnInternalError() {
        SqliteStore store(freshFile());
        boost::asio::io_context io;
        std::optional<natter::protocol::Error> error;
        {
            StoreWorker worker(store, io);
            worker.submit([](Store&) -> Result<int> { throw StoreError("boom"); },
                          [&](Result<int> r) { error = r.error(); });
            worker.shutdown();
            io.run();
        }
        QVERIFY(error);
        QVERIFY(error->code == ErrorCode::Internal);
        QVERIFY(error->message.find("boom") == std::string::npos); // internals are not leaked
    }

    void keepOnErrorCommitsTheWritesOfAFailedRequest() {
        const auto file = freshFile();
        SqliteStore store(file);
        boost::asio::io_context io;
        {
            StoreWorker worker(store, io);
            worker.submit(
                [](Store& s) -> Result<int> {
                    s.createUser(phone(9), 1);
                    return natter::protocol::makeError(ErrorCode::VerificationFailed, "wrong code");
                },
                [](Result<int>) {}, OnError::keep);
            worker.shutdown();
            io.run();
        }
        SqliteStore reopened(file);
        QVERIFY(reopened.findUserByPhone(phone(9)));
    }

    void workSubmittedAfterShutdownFailsCleanly() {
        SqliteStore store(freshFile());
        boost::asio::io_context io;
        StoreWorker worker(store, io);
        worker.shutdown();
        std::optional<bool> ok;
        worker.submit([](Store& s) { return Result<UserId>(s.createUser(phone(5), 1)); },
                      [&](Result<UserId> r) { ok = r.has_value(); });
        io.run();
        QVERIFY(ok.has_value());
        QVERIFY(!*ok);
    }

    // Each job checks that the device's previous job committed before it ran.
    void jobsOfOneDeviceRunAndCompleteInSubmissionOrderAcrossLanes() {
        std::string uri;
        auto stores = pgLanes(4, uri);
        QVERIFY2(!stores.empty(), PostgresProcess::shared().errorString().c_str());
        boost::asio::io_context io;
        constexpr int kDevices = 6, kJobs = 40;
        std::vector<std::vector<int>> completed(kDevices);
        int inOrderAfterPrevious = 0, total = 0;
        {
            StoreWorker worker(pointers(stores), io);
            QCOMPARE(worker.lanes(), std::size_t(4));
            for (int i = 0; i < kJobs; ++i)
                for (int d = 0; d < kDevices; ++d)
                    worker.submit(
                        DeviceKey{UserId(d + 1), 1},
                        [d, i](Store& s) {
                            const bool previousThere = i == 0 || s.findVerification(phone(d * 1000 + i - 1)).has_value();
                            s.saveVerification(phone(d * 1000 + i), {"h", 1});
                            return Result<bool>(previousThere);
                        },
                        [&, d, i](Result<bool> r) {
                            completed[d].push_back(i);
                            inOrderAfterPrevious += r.has_value() && *r ? 1 : 0;
                            ++total;
                        });
            auto keepRunning = boost::asio::make_work_guard(io);
            while (total < kDevices * kJobs && io.run_one_for(std::chrono::seconds(20))) {
            }
        }
        QCOMPARE(total, kDevices * kJobs);
        QCOMPARE(inOrderAfterPrevious, kDevices * kJobs);
        for (const auto& order : completed) QVERIFY(std::is_sorted(order.begin(), order.end()));
    }

    void failingJobOnALaneIsUndoneAloneWhileTheOthersCommit() {
        std::string uri;
        auto stores = pgLanes(2, uri);
        QVERIFY2(!stores.empty(), PostgresProcess::shared().errorString().c_str());
        boost::asio::io_context io;
        std::vector<bool> ok;
        {
            StoreWorker worker(pointers(stores), io);
            auto record = [&ok](auto r) { ok.push_back(r.has_value()); };
            const DeviceKey device{1, 1};
            worker.submit(device, [](Store& s) { return Result<UserId>(s.createUser(phone(1), 1)); }, record);
            worker.submit(
                device,
                [](Store& s) -> Result<UserId> {
                    s.createUser(phone(2), 1);
                    return natter::protocol::makeError(ErrorCode::Conflict, "changed my mind");
                },
                record, OnError::nothingWritten);
            worker.submit(
                device, [](Store& s) -> Result<UserId> {
                    s.createUser(phone(3), 1);
                    throw StoreError("disk on fire");
                },
                record);
            worker.submit(device, [](Store& s) { return Result<UserId>(s.createUser(phone(4), 1)); }, record);
            worker.shutdown();
            io.run();
        }
        QCOMPARE(ok, (std::vector<bool>{true, false, false, true}));
        PgStore check(uri);
        QVERIFY(check.findUserByPhone(phone(1)));
        QVERIFY(!check.findUserByPhone(phone(2)));
        QVERIFY(!check.findUserByPhone(phone(3)));
        QVERIFY(check.findUserByPhone(phone(4)));
    }

    // The jobs queued on a lane share one transaction, whether or not they may wait for a row
    // lock; a job's error result still undoes that job alone.
    void jobsQueuedOnALaneShareOneTransactionEachUndoneAloneOnError() {
        std::string uri;
        auto stores = pgLanes(1, uri);
        QVERIFY2(!stores.empty(), PostgresProcess::shared().errorString().c_str());
        boost::asio::io_context io;
        std::vector<bool> ok;
        std::uint64_t transactions = 0;
        {
            StoreWorker worker(pointers(stores), io);
            const DeviceKey device{1, 1};
            auto record = [&ok](auto r) { ok.push_back(r.has_value()); };
            std::promise<void> running, queued; // the others are queued while the first job runs
            worker.submit(
                device,
                [&running, f = queued.get_future().share()](Store&) {
                    running.set_value();
                    f.wait();
                    return Result<bool>(true);
                },
                record);
            running.get_future().wait();
            auto write = [&](int i, RowLocks locks) {
                worker.submit(device, [i](Store& s) { return Result<UserId>(s.createUser(phone(i), 1)); }, record,
                              OnError::rollback, locks);
            };
            write(10, RowLocks::uncontended);
            write(11, RowLocks::contended);
            write(12, RowLocks::contended);
            write(13, RowLocks::uncontended);
            write(14, RowLocks::contended);
            worker.submit(
                device,
                [](Store& s) -> Result<UserId> {
                    s.createUser(phone(15), 1);
                    return natter::protocol::makeError(ErrorCode::Conflict, "changed my mind");
                },
                record, OnError::rollback, RowLocks::contended);
            write(16, RowLocks::contended);
            queued.set_value();
            worker.shutdown();
            transactions = worker.batchesCommitted();
            io.run();
        }
        QCOMPARE(ok, (std::vector<bool>{true, true, true, true, true, true, false, true}));
        QCOMPARE(transactions, std::uint64_t(2)); // the blocker; 10-16
        PgStore check(uri);
        for (int i : {10, 11, 12, 13, 14, 16}) QVERIFY2(check.findUserByPhone(phone(i)), phone(i).c_str());
        QVERIFY(!check.findUserByPhone(phone(15)));
    }

    // Two lanes' transactions each lock one row and then want the other's. PostgreSQL's deadlock
    // detector is switched off for the test's database: without bounded waits the two would wait
    // for each other until the test gives up. The second lock-taking job of a transaction does
    // not wait: a transaction is undone, its jobs run again, and every job commits in order.
    void twoLanesLockingRowsInOppositeOrdersBothFinish() {
        const std::string uri = PostgresProcess::shared().createDatabase();
        QVERIFY2(!uri.empty(), PostgresProcess::shared().errorString().c_str());
        natter::server::pg::Connection admin(uri, "natter-test-admin");
        admin.exec("DO $$ BEGIN EXECUTE format('ALTER DATABASE %I SET deadlock_timeout = ''1h''', "
                   "current_database()); END $$");
        std::vector<std::unique_ptr<Store>> stores;
        for (int i = 0; i < 2; ++i) stores.push_back(std::make_unique<PgStore>(uri, "natter-test"));
        stores.front()->saveVerification(phone(40), {"-", 1});
        stores.front()->saveVerification(phone(41), {"-", 1});

        std::atomic<int> holding{0};
        // Locks its row (an upsert), then waits until the other lane holds its own.
        auto lockThenMeet = [&holding](int row, std::string mark) {
            return [&holding, row, mark](Store& s) {
                s.saveVerification(phone(row), {mark, 2});
                ++holding;
                const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(5);
                while (holding < 2 && std::chrono::steady_clock::now() < until) std::this_thread::yield();
                return Result<bool>(true);
            };
        };
        auto lock = [](int row, std::string mark) {
            return [row, mark](Store& s) {
                s.saveVerification(phone(row), {mark, 3});
                return Result<bool>(true);
            };
        };
        boost::asio::io_context io;
        std::vector<std::string> done;
        bool finishedByThemselves = false;
        {
            StoreWorker worker(pointers(stores), io);
            std::promise<void> start;
            auto gate = [f = start.get_future().share()](Store&) {
                f.wait();
                return Result<bool>(true);
            };
            auto record = [&done](std::string name) {
                return [&done, name](Result<bool> r) {
                    if (r) done.push_back(name);
                };
            };
            const DeviceKey laneA{1, 1}, laneB{2, 7}; // keys that land on the two lanes
            worker.submit(laneA, gate, record("gateA"));
            worker.submit(laneB, gate, record("gateB"));
            worker.submit(laneA, lockThenMeet(40, "A1"), record("A1"));
            worker.submit(laneA, lock(41, "A2"), record("A2"));
            worker.submit(laneB, lockThenMeet(41, "B1"), record("B1"));
            worker.submit(laneB, lock(40, "B2"), record("B2"));
            start.set_value();
            auto keepRunning = boost::asio::make_work_guard(io);
            const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(20);
            while (done.size() < 6 && std::chrono::steady_clock::now() < until)
                io.run_one_for(std::chrono::milliseconds(100));
            finishedByThemselves = done.size() == 6;
            if (!finishedByThemselves) // free the lanes, so that the worker can be joined
                admin.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                            "WHERE datname = current_database() AND pid <> pg_backend_pid()");
            worker.shutdown();
            keepRunning.reset();
            io.run();
        }
        QVERIFY2(finishedByThemselves, "the two lanes waited for each other");
        QCOMPARE(done.size(), std::size_t(6));
        const auto before = [&done](const char* a, const char* b) {
            return std::find(done.begin(), done.end(), a) < std::find(done.begin(), done.end(), b);
        };
        QVERIFY(before("A1", "A2"));
        QVERIFY(before("B1", "B2"));
        PgStore check(uri);
        const std::string row40 = check.findVerification(phone(40))->code_hash;
        const std::string row41 = check.findVerification(phone(41))->code_hash;
        // Each row holds the mark of whichever of its two writers committed last.
        QVERIFY2((row40 == "A1" || row40 == "B2") && (row41 == "B1" || row41 == "A2"), (row40 + " " + row41).c_str());
    }

    // A job submitted without a device key (lane 0: registration, key fetches) has a transaction
    // of its own. When a later job's lock wait undoes a shared transaction, the jobs before it
    // run again, and a job that acted outside the store (sent a verification code) must not.
    void jobWithoutADeviceKeyIsNotRunAgainWhenAnotherJobsLockWaitUndoesATransaction() {
        std::string uri;
        auto stores = pgLanes(1, uri);
        QVERIFY2(!stores.empty(), PostgresProcess::shared().errorString().c_str());
        PgStore holder(uri);
        holder.saveVerification(phone(50), {"-", 1});
        holder.begin();
        holder.saveVerification(phone(50), {"holder", 1}); // its row stays locked until the commit
        boost::asio::io_context io;
        std::atomic<int> codesSent{0};
        int finished = 0;
        std::int64_t waiting = 0;
        {
            StoreWorker worker(pointers(stores), io);
            const DeviceKey device{1, 1};
            auto count = [&finished](auto r) { finished += r.has_value() ? 1 : 0; };
            std::promise<void> start;
            worker.submit(device, [f = start.get_future().share()](Store&) { f.wait(); return Result<bool>(true); },
                          count);
            worker.submit(device, [](Store& s) { return Result<UserId>(s.createUser(phone(51), 1)); }, count);
            worker.submit(
                [&codesSent](Store& s) {
                    ++codesSent;
                    s.saveVerification(phone(52), {"code", 1});
                    return Result<bool>(true);
                },
                count);
            worker.submit(
                device,
                [](Store& s) {
                    s.saveVerification(phone(50), {"job", 2});
                    return Result<bool>(true);
                },
                count);
            start.set_value();
            natter::server::pg::Connection observer(uri, "natter-observer");
            const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
            // Until the code is committed and the last job waits for the holder's lock.
            while (waiting < 2 && std::chrono::steady_clock::now() < deadline)
                waiting = observer
                              .query("SELECT (SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() "
                                     "AND wait_event_type = 'Lock') + (SELECT COUNT(*) FROM verifications WHERE phone = $1)",
                                     natter::server::pg::Params().add(phone(52)))
                              .int64(0, 0);
            holder.commit();
            worker.shutdown();
            io.run();
        }
        QCOMPARE(waiting, std::int64_t(2));
        QCOMPARE(finished, 4);
        QCOMPARE(codesSent.load(), 1);
        PgStore check(uri);
        QVERIFY(check.findUserByPhone(phone(51)));
        QCOMPARE(check.findVerification(phone(50))->code_hash, std::string("job"));
        QCOMPARE(check.findVerification(phone(52))->code_hash, std::string("code"));
    }

    // When a shared transaction fails as a whole (here a job throws), every job in it runs
    // again alone: the others commit and only the thrower fails.
    void sharedTransactionThatFailsRunsItsJobsAgainOneByOne() {
        std::string uri;
        auto stores = pgLanes(1, uri);
        QVERIFY2(!stores.empty(), PostgresProcess::shared().errorString().c_str());
        boost::asio::io_context io;
        std::vector<bool> ok;
        {
            StoreWorker worker(pointers(stores), io);
            const DeviceKey device{1, 1};
            auto record = [&ok](auto r) { ok.push_back(r.has_value()); };
            std::promise<void> queued;
            worker.submit(device, [f = queued.get_future().share()](Store&) { f.wait(); return Result<bool>(true); },
                          record);
            worker.submit(device, [](Store& s) { return Result<UserId>(s.createUser(phone(20), 1)); }, record);
            worker.submit(
                device, [](Store& s) -> Result<UserId> {
                    s.createUser(phone(21), 1);
                    throw StoreError("disk on fire");
                },
                record, OnError::rollback, RowLocks::uncontended);
            worker.submit(device, [](Store& s) { return Result<UserId>(s.createUser(phone(22), 1)); }, record,
                          OnError::rollback, RowLocks::uncontended);
            queued.set_value();
            worker.shutdown();
            io.run();
        }
        QCOMPARE(ok, (std::vector<bool>{true, true, false, true}));
        PgStore check(uri);
        QVERIFY(check.findUserByPhone(phone(20)));
        QVERIFY(!check.findUserByPhone(phone(21)));
        QVERIFY(check.findUserByPhone(phone(22)));
    }

    // BEGIN travels in one pipeline with a transaction's first statement: when that statement
    // fails, the connection still leaves the pipeline clean and the next job runs on it.
    void jobWhoseFirstStatementFailsLeavesItsConnectionReadyForTheNext() {
        std::string uri;
        auto stores = pgLanes(1, uri);
        QVERIFY2(!stores.empty(), PostgresProcess::shared().errorString().c_str());
        boost::asio::io_context io;
        std::vector<bool> ok;
        {
            StoreWorker worker(pointers(stores), io);
            auto record = [&ok](auto r) { ok.push_back(r.has_value()); };
            worker.submit(
                [](Store& s) {
                    s.saveDeviceList(424242, {1, "no such user"}, {}); // a foreign key refuses it
                    return Result<bool>(true);
                },
                record);
            worker.submit([](Store& s) { return Result<UserId>(s.createUser(phone(5), 1)); }, record);
            worker.submit([](Store&) { return Result<bool>(true); }, record); // runs no statement at all
            worker.submit([](Store& s) { return Result<bool>(s.findUserByPhone(phone(5)).has_value()); },
                          [&ok](Result<bool> r) { ok.push_back(r && *r); });
            worker.shutdown();
            io.run();
        }
        QCOMPARE(ok, (std::vector<bool>{false, true, true, true}));
        PgStore check(uri);
        QVERIFY(check.findUserByPhone(phone(5)));
        QVERIFY(!check.findDeviceList(424242));
    }

    // Writes nobody reads (pg::Connection::defer) go out with the next statement or the COMMIT:
    // the next statement sees them, their error surfaces there, and a rollback drops them unsent.
    void deferredWritesRunWithTheNextStatementAndTheirErrorsSurfaceThere() {
        const std::string uri = PostgresProcess::shared().createDatabase();
        QVERIFY2(!uri.empty(), PostgresProcess::shared().errorString().c_str());
        namespace pg = natter::server::pg;
        pg::Connection db(uri, "natter-test"), observer(uri, "natter-observer");
        db.exec("CREATE TABLE t (id BIGINT PRIMARY KEY)");
        const auto count = [&observer] { return observer.query("SELECT COUNT(*) FROM t").int64(0, 0); };

        db.begin();
        db.defer("INSERT INTO t(id) VALUES($1)", pg::Params().add(1));
        QCOMPARE(db.query("SELECT COUNT(*) FROM t").int64(0, 0), std::int64_t(1));
        db.defer("INSERT INTO t(id) VALUES($1)", pg::Params().add(1)); // a duplicate key
        db.defer("INSERT INTO t(id) VALUES($1)", pg::Params().add(2));
        try {
            db.query("SELECT 1");
            QFAIL("the deferred duplicate did not fail the next statement");
        } catch (const StoreError& e) {
            QCOMPARE(e.sqlstate, std::string("23505"));
        }
        db.rollback();
        QCOMPARE(count(), std::int64_t(0));

        db.begin();
        db.defer("INSERT INTO t(id) VALUES($1)", pg::Params().add(3));
        db.commit(); // the COMMIT carries it
        QCOMPARE(count(), std::int64_t(1));

        db.begin();
        db.defer("INSERT INTO t(id) VALUES($1)", pg::Params().add(4));
        db.rollback();
        db.begin();
        db.defer("INSERT INTO t(id) VALUES($1)", pg::Params().add(3)); // fails in the COMMIT's pipeline
        QVERIFY_THROWS_EXCEPTION(StoreError, db.commit());
        db.rollback();
        QCOMPARE(db.query("SELECT COUNT(*) FROM t WHERE id = 4").int64(0, 0), std::int64_t(0));
        QCOMPARE(count(), std::int64_t(1));
    }

    // Two lanes create one phone's account while a third writer holds it uncommitted: both
    // meet the unique index (23505), run again, and find the account the other writer made.
    void jobMeetingAConcurrentWriterRunsAgainAndSeesItsCommit() {
        std::string uri;
        auto stores = pgLanes(2, uri);
        QVERIFY2(!stores.empty(), PostgresProcess::shared().errorString().c_str());
        PgStore holder(uri);
        holder.begin();
        const UserId made = holder.createUser(phone(7), 1);
        boost::asio::io_context io;
        std::vector<Result<UserId>> results;
        {
            StoreWorker worker(pointers(stores), io);
            for (UserId u : {UserId(1), UserId(2)}) // keys chosen to land on both lanes
                worker.submit(
                    DeviceKey{u, u == 1 ? 1u : 7u},
                    [](Store& s) {
                        if (auto user = s.findUserByPhone(phone(7))) return Result<UserId>(user->id);
                        return Result<UserId>(s.createUser(phone(7), 2));
                    },
                    [&results](Result<UserId> r) { results.push_back(r); });
            natter::server::pg::Connection observer(uri, "natter-observer");
            const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
            std::int64_t waiting = 0;
            while (waiting < 2 && std::chrono::steady_clock::now() < deadline)
                waiting = observer.query("SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() "
                                         "AND wait_event_type = 'Lock'")
                              .int64(0, 0);
            QCOMPARE(waiting, std::int64_t(2));
            holder.commit();
            worker.shutdown();
            io.run();
        }
        QCOMPARE(results.size(), std::size_t(2));
        for (const auto& r : results) {
            QVERIFY(r.has_value());
            QCOMPARE(*r, made);
        }
    }
};

QTEST_GUILESS_MAIN(TestStoreWorker)
#include "tst_store_worker.moc"
