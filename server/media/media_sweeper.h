// Deletes media past the retention period, and what interrupted uploads left behind: once at
// start-up, then every min(retention / 4, 1 h). Timer on the io thread, deletes on the
// MediaWorker.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>

namespace natter::server {

class BlobStore;
class MediaWorker;

class MediaSweeper {
public:
    MediaSweeper(boost::asio::io_context& io, MediaWorker& worker, BlobStore& store, std::chrono::seconds retention);

    void start(); // sweeps now, then periodically
    void stop();  // no further sweeps (one already running finishes)

    static std::chrono::milliseconds intervalFor(std::chrono::seconds retention);

private:
    void sweep();

    MediaWorker& worker_;
    BlobStore& store_;
    std::chrono::seconds retention_;
    boost::asio::steady_timer timer_;
    bool stopped_ = false;
};

} // namespace natter::server
