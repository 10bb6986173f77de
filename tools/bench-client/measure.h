// Small measuring helpers shared by the scenarios: a stopwatch, our own CPU time, and
// must(), which turns a failed Expected into an exception that fails the current run.
#pragma once

#include "client/core/result.h"

#include <chrono>
#include <stdexcept>
#include <string>

namespace natter::benchclient {

class Stopwatch {
public:
    Stopwatch() : m_start(std::chrono::steady_clock::now()) {}
    double us() const { return std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - m_start).count(); }
    double seconds() const { return us() / 1e6; }

private:
    std::chrono::steady_clock::time_point m_start;
};

// User + system CPU seconds of this process so far.
double selfCpuSeconds();

// A run failed for a reason worth printing (caught per run by the runner).
struct RunFailure : std::runtime_error {
    using std::runtime_error::runtime_error;
};

template <class T>
T must(client::Expected<T> r, const char* what) {
    if (!r) throw RunFailure(std::string(what) + ": " + r.error().message.toStdString());
    return std::move(*r);
}
inline void must(client::Expected<void> r, const char* what) {
    if (!r) throw RunFailure(std::string(what) + ": " + r.error().message.toStdString());
}

} // namespace natter::benchclient
