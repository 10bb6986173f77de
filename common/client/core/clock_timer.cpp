// ClockTimer: a real single-shot timer plus a deadline on the Clock, checked when the clock jumps.
#include "client/core/clock_timer.h"

#include "client/core/clock.h"

#include <algorithm>
#include <limits>

namespace natter::client {

ClockTimer::ClockTimer(Clock& clock, QObject* parent) : QObject(parent), m_clock(clock) {
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &ClockTimer::fire);
    connect(&m_clock, &Clock::jumped, this, &ClockTimer::onJumped);
}

void ClockTimer::start(std::chrono::milliseconds in) {
    m_interval = std::max(in, std::chrono::milliseconds(0));
    m_deadlineMs = m_clock.nowMs() + m_interval.count();
    m_timer.start(int(std::min<qint64>(m_interval.count(), std::numeric_limits<int>::max())));
}

void ClockTimer::stop() {
    m_deadlineMs.reset();
    m_timer.stop();
}

void ClockTimer::onJumped() {
    if (m_deadlineMs && m_clock.nowMs() >= *m_deadlineMs) fire();
}

void ClockTimer::fire() {
    if (!m_deadlineMs) return;
    stop();
    emit timeout();
}

} // namespace natter::client
