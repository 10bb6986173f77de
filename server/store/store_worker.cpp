#include "store/store_worker.h"

#include "logging/loggers.h"

namespace natter::server {

StoreWorker::StoreWorker(Store& store, boost::asio::io_context& io, std::size_t maxBatch)
    : store_(store), io_(io), maxBatch_(maxBatch), thread_([this] { loop(); }) {}

StoreWorker::~StoreWorker() { shutdown(); }

void StoreWorker::shutdown() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
}

void StoreWorker::enqueue(std::unique_ptr<Job> job) {
    {
        std::lock_guard lock(mutex_);
        if (stopping_) {
            job->fail("server is shutting down");
            auto shared = std::shared_ptr<Job>(std::move(job));
            boost::asio::post(io_, [shared] { shared->complete(); });
            return;
        }
        pending_.push_back(std::move(job));
    }
    wake_.notify_one();
}

void StoreWorker::loop() {
    std::vector<std::unique_ptr<Job>> batch;
    for (;;) {
        {
            std::unique_lock lock(mutex_);
            wake_.wait(lock, [this] { return stopping_ || !pending_.empty(); });
            if (pending_.empty() && stopping_) return;
            while (!pending_.empty() && batch.size() < maxBatch_) {
                batch.push_back(std::move(pending_.front()));
                pending_.pop_front();
            }
        }
        runBatch(batch);
        batch.clear();
        bool idle = false;
        {
            std::lock_guard lock(mutex_);
            idle = pending_.empty();
        }
        try {
            store_.maintain(idle);
        } catch (const std::exception& e) {
            log::store()->warn("store maintenance failed: {}", e.what());
        }
    }
}

void StoreWorker::runInSavepoint(Job& job) {
    store_.savepoint();
    try {
        if (job.run(store_) || job.onError == OnError::keep) store_.releaseSavepoint();
        else store_.rollbackToSavepoint();
    } catch (const std::exception& e) {
        log::store()->error("request failed: {}", e.what());
        job.fail("storage failure");
        store_.rollbackToSavepoint();
    }
}

// A throw leaves the batch's transaction to runBatch, which undoes and fails all of it.
void StoreWorker::runWithoutSavepoint(Job& job) {
    const auto before = store_.rowsChanged();
    if (!job.run(store_) && store_.rowsChanged() != before)
        throw StoreError("a request declared to fail before writing wrote and then failed");
}

void StoreWorker::runBatch(std::vector<std::unique_ptr<Job>>& batch) {
    bool committed = false;
    try {
        store_.begin();
        for (auto& job : batch) {
            if (job->onError == OnError::nothingWritten) runWithoutSavepoint(*job);
            else runInSavepoint(*job);
        }
        store_.commit();
        committed = true;
    } catch (const std::exception& e) {
        log::store()->error("batch of {} could not be committed: {}", batch.size(), e.what());
        try {
            store_.rollback();
        } catch (const std::exception&) {
        }
    }
    if (!committed)
        for (auto& job : batch) job->fail("storage failure");
    batches_.fetch_add(1, std::memory_order_relaxed);
    auto done = std::make_shared<std::vector<std::unique_ptr<Job>>>(std::move(batch));
    boost::asio::post(io_, [done] {
        for (auto& job : *done) job->complete();
    });
}

} // namespace natter::server
