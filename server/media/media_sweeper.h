// Deletes media past the retention period, and what interrupted uploads left behind: once at
// start-up, then every min(retention / 4, 1 h). Timer on the io thread, deletes on the
// MediaWorker. Nodes sharing the media directory take turns: a sweep runs only under the
// directory's SweepLock, and a node that finds it taken skips that round.
#pragma once

#include <boost/asio/io_context.hpp>
#include "media/sweep_lock.h"

#include <boost/asio/steady_timer.hpp>

#include <chrono>

namespace natter::server {

class BlobStore;
class MediaWorker;

class MediaSweeper {
public:
    MediaSweeper(boost::asio::io_context& io, MediaWorker& worker, BlobStore& store, SweepLock lock,
                 std::chrono::seconds retention);

    void start(); // sweeps now, then periodically
    void stop();  // no further sweeps (one already running finishes)

    static std::chrono::milliseconds intervalFor(std::chrono::seconds retention);

private:
    void sweep();

    MediaWorker& worker_;
    BlobStore& store_;
    SweepLock lock_;
    std::chrono::seconds retention_;
    boost::asio::steady_timer timer_;
    bool stopped_ = false;
};

} // namespace natter::server
