#include "media/media_sweeper.h"

#include "app/clock.h"
#include "logging/loggers.h"
#include "media/blob_store.h"
#include "media/media_worker.h"

#include <algorithm>

namespace natter::server {

namespace {
struct SweepCounts {
    bool swept = false; // false: another node holds the sweep lock
    std::size_t expired = 0;
    std::size_t incomplete = 0;
};
} // namespace

MediaSweeper::MediaSweeper(boost::asio::io_context& io, MediaWorker& worker, BlobStore& store, SweepLock lock,
                           std::chrono::seconds retention)
    : worker_(worker), store_(store), lock_(std::move(lock)), retention_(retention), timer_(io) {}

std::chrono::milliseconds MediaSweeper::intervalFor(std::chrono::seconds retention) {
    const auto quarter = std::chrono::duration_cast<std::chrono::milliseconds>(retention) / 4;
    return std::clamp<std::chrono::milliseconds>(quarter, std::chrono::milliseconds(1), std::chrono::hours(1));
}

void MediaSweeper::start() { sweep(); }

void MediaSweeper::stop() {
    stopped_ = true;
    timer_.cancel();
}

void MediaSweeper::sweep() {
    if (stopped_) return;
    const auto cutoff = nowMs() - std::chrono::duration_cast<std::chrono::milliseconds>(retention_).count();
    worker_.submit(
        [&store = store_, &lock = lock_, cutoff]() -> protocol::Result<SweepCounts> {
            SweepCounts counts;
            const auto held = lock.tryAcquire();
            if (!held) return counts;
            counts.swept = true;
            auto expired = store.listOlderThan(cutoff);
            if (!expired) return expired.error();
            for (const auto& id : *expired)
                if (store.remove(id)) ++counts.expired;
            counts.incomplete = store.removeIncomplete();
            return counts;
        },
        [this](protocol::Result<SweepCounts> counts) {
            if (!counts) log::app()->warn("media sweep failed: {}", counts.error().message);
            else if (!counts->swept) log::app()->debug("media sweep skipped: another node is sweeping");
            else if (counts->expired + counts->incomplete > 0)
                log::app()->info("media sweep: deleted {} expired and {} incomplete", counts->expired,
                                 counts->incomplete);
            if (stopped_) return;
            timer_.expires_after(intervalFor(retention_));
            timer_.async_wait([this](boost::system::error_code ec) {
                if (!ec) sweep();
            });
        });
}

} // namespace natter::server
