// Expires the queues of devices that do not come back: an entry queued more than the queue
// retention ago for a device that has not connected since is deleted, so an abandoned device
// does not keep a copy of every message forever. Once at start-up, then every
// min(retention / 4, 1 h); deletes in bounded batches on the StoreWorker, timer on the io thread.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>

namespace natter::server {

class Metrics;
class StoreWorker;

class QueueSweeper {
public:
    QueueSweeper(boost::asio::io_context& io, StoreWorker& worker, Metrics& metrics, std::chrono::seconds retention);

    void start(); // sweeps now, then periodically
    void stop();  // no further sweeps (one already submitted finishes)

private:
    void sweep();
    void scheduleNext(std::chrono::milliseconds after);

    StoreWorker& worker_;
    Metrics& metrics_;
    std::chrono::seconds retention_;
    boost::asio::steady_timer timer_;
    bool stopped_ = false;
};

} // namespace natter::server
