// The client core's notion of "now": the wall clock in use, a hand-moved clock in tests, so
// that deadlines (disappearing messages) are tested by advancing time instead of sleeping.
#pragma once

#include <QObject>

#include <chrono>

namespace natter::client {

class Clock : public QObject {
    Q_OBJECT
public:
    using QObject::QObject;
    // Milliseconds since the Unix epoch, UTC.
    virtual qint64 nowMs() const = 0;

signals:
    // Time moved other than by running (a test advanced it): deadlines may be due now.
    void jumped();
};

class SystemClock final : public Clock {
    Q_OBJECT
public:
    using Clock::Clock;
    qint64 nowMs() const override;
};

// Stands still until advanced; starts at the wall clock's time unless told otherwise.
class ManualClock final : public Clock {
    Q_OBJECT
public:
    explicit ManualClock(QObject* parent = nullptr);
    qint64 nowMs() const override { return m_now; }
    void advance(std::chrono::milliseconds by);

private:
    qint64 m_now = 0;
};

} // namespace natter::client
