// What natterd does after a failed accept (typically EMFILE/ENFILE: out of descriptors): wait
// before accepting again, longer after each failure in a row, and report failures in the log at
// most once per interval with a count of those left out. Plain C++ with the time passed in.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <optional>
#include <utility>

namespace natter::server {

class AcceptBackoff {
public:
    using Clock = std::chrono::steady_clock;
    static constexpr std::chrono::milliseconds kFirstDelay{10};
    static constexpr std::chrono::milliseconds kMaxDelay{1000};
    static constexpr std::chrono::milliseconds kReportInterval{1000};

    struct Failure {
        std::chrono::milliseconds delay;     // wait this long before the next accept
        std::optional<std::uint64_t> report; // set: log this failure now, saying how many were left out before it
    };

    // One more accept failed at `now`.
    Failure failed(Clock::time_point now) {
        delay_ = delay_.count() == 0 ? kFirstDelay : std::min(delay_ * 2, kMaxDelay);
        Failure out{delay_, std::nullopt};
        if (!reported_ || now - *reported_ >= kReportInterval) {
            reported_ = now;
            out.report = std::exchange(unreported_, 0);
        } else {
            ++unreported_;
        }
        return out;
    }

    // An accept succeeded: the next failure starts again from the first delay. The report
    // interval still holds, so alternating failures and successes cannot flood the log.
    void succeeded() { delay_ = std::chrono::milliseconds(0); }

private:
    std::chrono::milliseconds delay_{0};
    std::optional<Clock::time_point> reported_;
    std::uint64_t unreported_ = 0;
};

} // namespace natter::server
