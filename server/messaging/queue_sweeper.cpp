#include "messaging/queue_sweeper.h"

#include "app/clock.h"
#include "logging/loggers.h"
#include "media/media_sweeper.h"
#include "metrics/metrics.h"
#include "store/store_worker.h"

namespace natter::server {

namespace {
// Entries deleted per store job: a large backlog is cleared in several batches, so that
// requests are not held up behind one long transaction.
constexpr std::size_t kBatch = 10'000;
} // namespace

QueueSweeper::QueueSweeper(boost::asio::io_context& io, StoreWorker& worker, Metrics& metrics,
                           std::chrono::seconds retention)
    : worker_(worker), metrics_(metrics), retention_(retention), timer_(io) {}

void QueueSweeper::start() { sweep(); }

void QueueSweeper::stop() {
    stopped_ = true;
    timer_.cancel();
}

void QueueSweeper::sweep() {
    if (stopped_) return;
    const auto cutoff = nowMs() - std::chrono::duration_cast<std::chrono::milliseconds>(retention_).count();
    worker_.submit(
        [cutoff](Store& store) { return protocol::Result<std::uint64_t>(store.expireQueue(cutoff, kBatch)); },
        [this](protocol::Result<std::uint64_t> deleted) {
            if (!deleted) {
                log::delivery()->warn("queue expiry failed: {}", deleted.error().message);
            } else if (*deleted > 0) {
                metrics_.entriesExpired(*deleted);
                log::delivery()->info("queue expiry: deleted {} entries of devices absent for over {} s", *deleted,
                                      retention_.count());
            }
            const bool more = deleted && *deleted == kBatch;
            scheduleNext(more ? std::chrono::milliseconds(0) : MediaSweeper::intervalFor(retention_));
        },
        OnError::nothingWritten); // one DELETE
}

void QueueSweeper::scheduleNext(std::chrono::milliseconds after) {
    if (stopped_) return;
    timer_.expires_after(after);
    timer_.async_wait([this](boost::system::error_code ec) {
        if (!ec) sweep();
    });
}

} // namespace natter::server
