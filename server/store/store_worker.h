// Runs store work on one dedicated thread with group commit: every job waiting when a
// batch starts shares one transaction (one fsync), each inside its own savepoint so a
// failing job leaves no trace. Completions are posted to the io thread only after the
// commit, in submission order, so "acknowledged" always means "on disk".
#pragma once

#include "protocol/error.h"
#include "store/store.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

namespace natter::server {

// What happens to a job's writes when it returns an error.
enum class OnError {
    rollback, // undone: the job runs inside a savepoint
    keep,     // kept, e.g. a count the failure itself must leave behind
    // The job returns errors only before its first write, so it runs without a savepoint
    // (SQLite copies every page a savepoint's job touches: 9% of a message's server CPU).
    // Checked: should such a job write and then fail, or throw, its whole batch is undone.
    nothingWritten,
};

class StoreWorker {
public:
    StoreWorker(Store& store, boost::asio::io_context& io, std::size_t maxBatch = 1024);
    ~StoreWorker(); // drains and commits what was submitted, then joins
    StoreWorker(const StoreWorker&) = delete;
    StoreWorker& operator=(const StoreWorker&) = delete;

    // Runs fn(Store&) -> protocol::Result<T> on the worker; done(result) runs on the io
    // thread after the batch committed (or with an "internal" error if it could not).
    // An error result undoes the job's writes unless onError is keep.
    template <class Fn, class Done>
    void submit(Fn fn, Done done, OnError onError = OnError::rollback) {
        using R = std::invoke_result_t<Fn&, Store&>;
        auto job = std::make_unique<TypedJob<R, Fn, Done>>(std::move(fn), std::move(done));
        job->onError = onError;
        enqueue(std::move(job));
    }

    // Stops accepting work, finishes what is queued, joins the thread.
    void shutdown();
    std::uint64_t batchesCommitted() const { return batches_.load(std::memory_order_relaxed); }

private:
    struct Job {
        virtual ~Job() = default;
        virtual bool run(Store& store) = 0; // false if the job's result is an error
        virtual void fail(const std::string& why) = 0;
        virtual void complete() = 0;        // on the io thread
        OnError onError = OnError::rollback;
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

    void enqueue(std::unique_ptr<Job> job);
    void loop();
    void runBatch(std::vector<std::unique_ptr<Job>>& batch);
    void runInSavepoint(Job& job);
    void runWithoutSavepoint(Job& job);

    Store& store_;
    boost::asio::io_context& io_;
    const std::size_t maxBatch_;
    std::mutex mutex_;
    std::condition_variable wake_;
    std::deque<std::unique_ptr<Job>> pending_;
    bool stopping_ = false;
    std::atomic<std::uint64_t> batches_{0};
    std::thread thread_;
};

} // namespace natter::server
