// Runs store work on dedicated threads ("lanes"), each with its own Store (connection), and
// posts every completion to the io thread only after its transaction committed, so
// "acknowledged" always means "on disk".
//  - SQLite: one lane with group commit: every job waiting when a batch starts shares one
//    transaction (one fsync), each inside its own savepoint so a failing job leaves no trace.
//  - PostgreSQL: K lanes, each putting the jobs queued on it into one transaction. Batches of
//    lock-taking jobs from several writers deadlock when each waits for the other, so only the
//    first job that may wait for a row lock another writer holds (RowLocks::contended) waits
//    freely; later ones give up at once and run again, first in the next transaction.
//    Concurrent lanes and nodes share fsyncs through the WAL's group flush. A job that meets a
//    serialization failure, a deadlock or a unique violation is run again (bounded), alone.
// A job goes to a lane by key: one device's jobs keep their order and their completions
// arrive in submission order. Unkeyed jobs all run on lane 0, one at a time, which is what
// services with in-memory state (code and lookup budgets, pre-key limits) rely on; on
// PostgreSQL each has a transaction of its own, so that one acting outside the store (sending
// a verification code) is not run again because another job's lock wait undid a shared one.
#pragma once

#include "protocol/error.h"
#include "store/store.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

namespace natter::server {

class Metrics;

// What happens to a job's writes when it returns an error.
enum class OnError {
    rollback, // undone: the job runs inside a savepoint (or its own transaction)
    keep,     // kept, e.g. a count the failure itself must leave behind
    // The job returns errors only before its first write, so it runs without a savepoint
    // (SQLite copies every page a savepoint's job touches: 9% of a message's server CPU).
    // Checked: should such a job write and then fail, or throw, its whole batch is undone.
    nothingWritten,
};

// Whether a job may wait for a row lock that another writer (lane or node) holds.
enum class RowLocks {
    contended,   // it may: chat rows, device queue counters, anything shared (the default)
    uncontended, // it only reads, or writes rows no other writer locks (its own device's queue)
};

class StoreWorker {
public:
    // One lane with group commit (SQLite). `metrics` (optional) gets commit times, failures and retries.
    StoreWorker(Store& store, boost::asio::io_context& io, std::size_t maxBatch = 1024, Metrics* metrics = nullptr);
    // One lane per store, one job per transaction (PostgreSQL).
    StoreWorker(const std::vector<Store*>& lanes, boost::asio::io_context& io, Metrics* metrics = nullptr);
    ~StoreWorker(); // drains and commits what was submitted, then joins
    StoreWorker(const StoreWorker&) = delete;
    StoreWorker& operator=(const StoreWorker&) = delete;

    // Runs fn(Store&) -> protocol::Result<T> on lane 0; done(result) runs on the io thread
    // after the job committed (or with an "internal" error if it could not).
    // An error result undoes the job's writes unless onError is keep.
    template <class Fn, class Done>
    void submit(Fn fn, Done done, OnError onError = OnError::rollback) {
        auto job = makeJob(std::move(fn), std::move(done), onError);
        job->alone = true;
        enqueue(0, std::move(job));
    }
    // The same on the device's lane: a device's jobs run and complete in submission order.
    template <class Fn, class Done>
    void submit(DeviceKey key, Fn fn, Done done, OnError onError = OnError::rollback,
                RowLocks locks = RowLocks::contended) {
        auto job = makeJob(std::move(fn), std::move(done), onError);
        job->contended = locks == RowLocks::contended;
        enqueue(laneOf(key), std::move(job));
    }

    // Stops accepting work, finishes what is queued, joins the threads.
    void shutdown();
    std::uint64_t batchesCommitted() const { return batches_.load(std::memory_order_relaxed); }
    std::size_t lanes() const { return lanes_.size(); }
    // Store::denseQueueIds() of the engine (a constant: safe from any thread).
    bool denseQueueIds() const { return lanes_.front()->store.denseQueueIds(); }

private:
    struct Job {
        virtual ~Job() = default;
        virtual bool run(Store& store) = 0; // false if the job's result is an error
        virtual void fail(const std::string& why) = 0;
        virtual void complete() = 0;        // on the io thread
        OnError onError = OnError::rollback;
        bool contended = true;
        bool alone = false; // PostgreSQL: in a transaction of its own (unkeyed jobs)
    };

    template <class R, class Fn, class Done>
    struct TypedJob final : Job {
        TypedJob(Fn f, Done d) : fn(std::move(f)), done(std::move(d)) {}
        bool run(Store& store) override {
            result.emplace(fn(store));
            return result->has_value();
        }
        void fail(const std::string& why) override {
            result.emplace(protocol::makeError(protocol::ErrorCode::Internal, why));
        }
        void complete() override { done(std::move(*result)); }
        Fn fn;
        Done done;
        std::optional<R> result;
    };

    struct Lane {
        explicit Lane(Store& s) : store(s) {}
        Store& store;
        std::mutex mutex;
        std::condition_variable wake;
        std::deque<std::unique_ptr<Job>> pending;
        bool stopping = false;
        std::thread thread;
    };

    template <class Fn, class Done>
    static std::unique_ptr<Job> makeJob(Fn fn, Done done, OnError onError) {
        using R = std::invoke_result_t<Fn&, Store&>;
        auto job = std::make_unique<TypedJob<R, Fn, Done>>(std::move(fn), std::move(done));
        job->onError = onError;
        return job;
    }

    std::size_t laneOf(DeviceKey key) const;
    void start();
    void enqueue(std::size_t lane, std::unique_ptr<Job> job);
    void loop(Lane& lane);
    void runBatch(Store& store, std::vector<std::unique_ptr<Job>>& batch);
    void runInSavepoint(Store& store, Job& job);
    void runWithoutSavepoint(Store& store, Job& job);
    void runAlone(Store& store, std::unique_ptr<Job> job);
    void runShared(Lane& lane, std::vector<std::unique_ptr<Job>>& batch);
    void takeBatch(Lane& lane, std::vector<std::unique_ptr<Job>>& batch) const;
    void putBack(Lane& lane, std::vector<std::unique_ptr<Job>>& batch, std::size_t from) const;
    void post(std::vector<std::unique_ptr<Job>> jobs);
    // Metrics, when given: a transaction begun at `began` committed; `jobs` failed (with their
    // whole transaction, or alone in a savepoint); a job runs again.
    void committed(std::chrono::steady_clock::time_point began);
    void failed(std::size_t jobs, bool transaction);
    void retried();

    boost::asio::io_context& io_;
    const std::size_t maxBatch_;
    const bool perJob_; // PostgreSQL: bounded lock waits, jobs run again alone after a conflict
    Metrics* metrics_;
    std::vector<std::unique_ptr<Lane>> lanes_;
    std::atomic<std::uint64_t> batches_{0};
};

} // namespace natter::server
