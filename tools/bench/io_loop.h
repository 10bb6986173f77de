// Runs the bench's io_context until a condition holds or a deadline passes: every wait in
// natter-bench is bounded in time.
#pragma once

#include <boost/asio/io_context.hpp>

#include <chrono>
#include <functional>

namespace natter::bench {

using Clock = std::chrono::steady_clock;

// True if `done()` became true before `deadline`.
inline bool runUntil(boost::asio::io_context& io, const std::function<bool()>& done, Clock::time_point deadline) {
    while (!done()) {
        if (Clock::now() >= deadline) return false;
        if (io.stopped()) io.restart();
        io.run_for(std::chrono::milliseconds(5));
    }
    return true;
}

// Milliseconds between two time points.
inline double msBetween(Clock::time_point from, Clock::time_point to) {
    return std::chrono::duration<double, std::milli>(to - from).count();
}

} // namespace natter::bench
