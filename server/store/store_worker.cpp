#include "store/store_worker.h"

#include "logging/loggers.h"
#include "metrics/metrics.h"

#include <algorithm>
#include <utility>

namespace natter::server {
namespace {
constexpr int kMaxAttempts = 5;       // a job meeting conflicts this often fails with "internal"
constexpr std::size_t kMaxShared = 64; // PostgreSQL: jobs sharing one transaction
} // namespace

StoreWorker::StoreWorker(Store& store, boost::asio::io_context& io, std::size_t maxBatch, Metrics* metrics)
    : io_(io), maxBatch_(maxBatch), perJob_(false), metrics_(metrics) {
    lanes_.push_back(std::make_unique<Lane>(store));
    start();
}

StoreWorker::StoreWorker(const std::vector<Store*>& lanes, boost::asio::io_context& io, Metrics* metrics)
    : io_(io), maxBatch_(kMaxShared), perJob_(true), metrics_(metrics) {
    for (Store* store : lanes) lanes_.push_back(std::make_unique<Lane>(*store));
    start();
}

void StoreWorker::start() {
    for (auto& lane : lanes_) lane->thread = std::thread([this, l = lane.get()] { loop(*l); });
}

StoreWorker::~StoreWorker() { shutdown(); }

std::size_t StoreWorker::laneOf(DeviceKey key) const {
    const std::uint64_t mixed = key.user_id * 0x9E3779B97F4A7C15ULL ^ key.device_id;
    return static_cast<std::size_t>((mixed >> 17) % lanes_.size());
}

void StoreWorker::shutdown() {
    for (auto& lane : lanes_) {
        {
            std::lock_guard lock(lane->mutex);
            lane->stopping = true;
        }
        lane->wake.notify_all();
    }
    for (auto& lane : lanes_)
        if (lane->thread.joinable()) lane->thread.join();
}

void StoreWorker::enqueue(std::size_t index, std::unique_ptr<Job> job) {
    Lane& lane = *lanes_[index];
    {
        std::lock_guard lock(lane.mutex);
        if (lane.stopping) {
            job->fail("server is shutting down");
            auto shared = std::shared_ptr<Job>(std::move(job));
            boost::asio::post(io_, [shared] { shared->complete(); });
            return;
        }
        lane.pending.push_back(std::move(job));
    }
    lane.wake.notify_one();
}

void StoreWorker::loop(Lane& lane) {
    std::vector<std::unique_ptr<Job>> batch;
    for (;;) {
        {
            std::unique_lock lock(lane.mutex);
            lane.wake.wait(lock, [&] { return lane.stopping || !lane.pending.empty(); });
            if (lane.pending.empty() && lane.stopping) return;
            takeBatch(lane, batch);
        }
        if (!perJob_) runBatch(lane.store, batch);
        else if (batch.size() == 1) runAlone(lane.store, std::move(batch.front()));
        else runShared(lane, batch);
        batch.clear();
        bool idle = false;
        {
            std::lock_guard lock(lane.mutex);
            idle = lane.pending.empty();
        }
        try {
            lane.store.maintain(idle);
        } catch (const std::exception& e) {
            log::store()->warn("store maintenance failed: {}", e.what());
        }
    }
}

// The jobs at the head of the queue, in order, up to the batch limit; on PostgreSQL a job that
// must run alone is taken alone.
void StoreWorker::takeBatch(Lane& lane, std::vector<std::unique_ptr<Job>>& batch) const {
    while (!lane.pending.empty() && batch.size() < maxBatch_) {
        if (perJob_ && !batch.empty() && (batch.front()->alone || lane.pending.front()->alone)) break;
        batch.push_back(std::move(lane.pending.front()));
        lane.pending.pop_front();
    }
}

// Puts batch[from..] back at the head of the lane's queue, in order, ahead of anything
// submitted since: they run next, and every device's jobs keep their order.
void StoreWorker::putBack(Lane& lane, std::vector<std::unique_ptr<Job>>& batch, std::size_t from) const {
    {
        std::lock_guard lock(lane.mutex);
        for (std::size_t i = batch.size(); i-- > from;) lane.pending.push_front(std::move(batch[i]));
    }
    batch.resize(from);
}

void StoreWorker::post(std::vector<std::unique_ptr<Job>> jobs) {
    batches_.fetch_add(1, std::memory_order_relaxed);
    auto done = std::make_shared<std::vector<std::unique_ptr<Job>>>(std::move(jobs));
    boost::asio::post(io_, [done] {
        for (auto& job : *done) job->complete();
    });
}

void StoreWorker::committed(std::chrono::steady_clock::time_point began) {
    if (!metrics_) return;
    const auto took = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - began);
    metrics_->storeCommitted(static_cast<std::uint64_t>(took.count()));
}

void StoreWorker::failed(std::size_t jobs, bool transaction) {
    if (metrics_) metrics_->storeJobsFailed(jobs, transaction);
}

void StoreWorker::retried() {
    if (metrics_) metrics_->storeJobRetried();
}

// One job, one transaction: its error result rolls it back (unless keep); a conflict with
// another writer runs it again from the start, in a new transaction.
void StoreWorker::runAlone(Store& store, std::unique_ptr<Job> job) {
    for (int attempt = 1;; ++attempt) {
        try {
            const auto began = std::chrono::steady_clock::now();
            store.begin();
            if (job->run(store) || job->onError == OnError::keep) {
                store.commit();
                committed(began);
            } else {
                store.rollback();
            }
            break;
        } catch (const StoreError& e) {
            try {
                store.rollback();
            } catch (const std::exception&) {
            }
            if (e.retryable() && attempt < kMaxAttempts) {
                log::store()->warn("request met a concurrent writer (SQLSTATE {}), running it again", e.sqlstate);
                retried();
                continue;
            }
            log::store()->error("request failed: {}", e.what());
            job->fail("storage failure");
            failed(1, true);
            break;
        } catch (const std::exception& e) {
            try {
                store.rollback();
            } catch (const std::exception&) {
            }
            log::store()->error("request failed: {}", e.what());
            job->fail("storage failure");
            failed(1, true);
            break;
        }
    }
    std::vector<std::unique_ptr<Job>> one;
    one.push_back(std::move(job));
    post(std::move(one));
}

// PostgreSQL: the lane's queued jobs in one transaction, each in its own savepoint (its error
// result undoes it alone). The first job that may wait for another writer's row lock waits as
// long as it must; from then on lock waits are bounded (Store::boundLockWaits), so this
// transaction never waits for another while that one waits for it. A wait cut short undoes the
// transaction: the jobs from the one that was running on go back to the head of the queue (the
// first of them then runs as the one that may wait) and the jobs before it run again. Should
// anything else throw — a conflict, a broken connection — the transaction is rolled back and
// each job runs again alone, with runAlone's retries and errors.
void StoreWorker::runShared(Lane& lane, std::vector<std::unique_ptr<Job>>& batch) {
    Store& store = lane.store;
    std::size_t reached = 0; // the job that was running when something threw; batch.size(): the COMMIT
    try {
        const auto began = std::chrono::steady_clock::now();
        store.begin();
        bool waitsBounded = false, contendedRan = false;
        for (; reached < batch.size(); ++reached) {
            Job& job = *batch[reached];
            if (contendedRan && job.contended && !std::exchange(waitsBounded, true)) store.boundLockWaits();
            contendedRan = contendedRan || job.contended;
            if (job.onError == OnError::nothingWritten) {
                runWithoutSavepoint(store, job);
                continue;
            }
            store.savepoint();
            if (job.run(store) || job.onError == OnError::keep) store.releaseSavepoint();
            else store.rollbackToSavepoint();
        }
        store.commit();
        committed(began);
        post(std::move(batch));
        return;
    } catch (const std::exception& e) {
        try {
            store.rollback();
        } catch (const std::exception&) {
        }
        const auto* storeError = dynamic_cast<const StoreError*>(&e);
        if (storeError && storeError->lockTimeout() && batch.size() > 1) {
            retried();
            putBack(lane, batch, std::clamp<std::size_t>(reached, 1, batch.size() - 1));
            if (batch.size() == 1) runAlone(store, std::move(batch.front()));
            else runShared(lane, batch);
            return;
        }
        log::store()->debug("a shared transaction of {} jobs failed ({}); running them one by one", batch.size(),
                            e.what());
    }
    for (auto& job : batch) runAlone(store, std::move(job));
}

void StoreWorker::runInSavepoint(Store& store, Job& job) {
    store.savepoint();
    try {
        if (job.run(store) || job.onError == OnError::keep) store.releaseSavepoint();
        else store.rollbackToSavepoint();
    } catch (const std::exception& e) {
        log::store()->error("request failed: {}", e.what());
        job.fail("storage failure");
        failed(1, false);
        store.rollbackToSavepoint();
    }
}

// A throw leaves the batch's transaction to runBatch, which undoes and fails all of it.
void StoreWorker::runWithoutSavepoint(Store& store, Job& job) {
    const auto before = store.rowsChanged();
    if (!job.run(store) && store.rowsChanged() != before)
        throw StoreError("a request declared to fail before writing wrote and then failed");
}

void StoreWorker::runBatch(Store& store, std::vector<std::unique_ptr<Job>>& batch) {
    bool done = false;
    try {
        const auto began = std::chrono::steady_clock::now();
        store.begin();
        for (auto& job : batch) {
            if (job->onError == OnError::nothingWritten) runWithoutSavepoint(store, *job);
            else runInSavepoint(store, *job);
        }
        store.commit();
        committed(began);
        done = true;
    } catch (const std::exception& e) {
        log::store()->error("batch of {} could not be committed: {}", batch.size(), e.what());
        try {
            store.rollback();
        } catch (const std::exception&) {
        }
    }
    if (!done) {
        for (auto& job : batch) job->fail("storage failure");
        failed(batch.size(), true);
    }
    post(std::move(batch));
}

} // namespace natter::server
