// The wall clock and the hand-moved clock of clock.h.
#include "client/core/clock.h"

#include <QDateTime>

namespace natter::client {

qint64 SystemClock::nowMs() const { return QDateTime::currentMSecsSinceEpoch(); }

ManualClock::ManualClock(QObject* parent) : Clock(parent), m_now(QDateTime::currentMSecsSinceEpoch()) {}

void ManualClock::advance(std::chrono::milliseconds by) {
    m_now += by.count();
    emit jumped();
}

} // namespace natter::client
