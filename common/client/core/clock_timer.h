// A single-shot timer that a Clock can bring forward: it fires when its interval has passed in
// real (monotonic) time, or earlier when the clock is moved (Clock::jumped) to its deadline. A
// test that advances a ManualClock so sees at once what would follow a wait; a wall clock set
// back never delays it.
#pragma once

#include <QObject>
#include <QTimer>

#include <chrono>
#include <optional>

namespace natter::client {

class Clock;

class ClockTimer final : public QObject {
    Q_OBJECT
public:
    explicit ClockTimer(Clock& clock, QObject* parent = nullptr);

    // Fires `in` from the clock's now (0: on the next event-loop pass); restarts if active.
    void start(std::chrono::milliseconds in);
    // Starts again with the last interval given to start().
    void start() { start(m_interval); }
    void stop();
    bool isActive() const { return m_deadlineMs.has_value(); }

signals:
    void timeout();

private:
    // The clock was moved: fires when it reached the deadline.
    void onJumped();
    void fire();

    Clock& m_clock;
    QTimer m_timer;
    std::chrono::milliseconds m_interval{0};
    std::optional<qint64> m_deadlineMs;
};

} // namespace natter::client
