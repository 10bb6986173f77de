// natterd's wall clock under a test's control, so that a test moves server time forward (token
// expiry, distinct timestamps) instead of waiting for it. natterd runs under libfaketime
// (scripts/install-deps.sh installs it), which reads the clock's offset from a file at every
// call: natterd itself keeps no test-only switch. Only CLOCK_REALTIME moves; the monotonic clock
// stays real, so Asio's timers (heartbeat, presence, timeouts) run as they do in production.
#pragma once

#include <QProcessEnvironment>
#include <QString>
#include <QTemporaryDir>

#include <chrono>

namespace natter::test {

class AdjustableClock {
public:
    AdjustableClock(); // offset zero: natterd starts at the real time

    // False when libfaketime is not installed or the offset file cannot be written; errorString() says why.
    bool isReady() const { return m_error.isEmpty(); }
    QString errorString() const { return m_error; }

    // `base` plus what makes a process run on this clock.
    QProcessEnvironment environmentFor(QProcessEnvironment base) const;

    // Moves the clock forward; a running natterd sees it at its next read of the time.
    bool advance(std::chrono::milliseconds by);
    std::chrono::milliseconds offset() const { return m_offset; }

    // Where libfaketime is installed (compile definition LIBFAKETIME_PATH).
    static QString libraryPath();

private:
    bool writeOffset();

    QTemporaryDir m_dir;
    std::chrono::milliseconds m_offset{0};
    QString m_error;
};

} // namespace natter::test
