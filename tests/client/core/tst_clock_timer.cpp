// ClockTimer on a ManualClock: moving the clock to the deadline fires it at once (what the
// connection's backoff, heartbeat and silence tests rely on), moving it short of the deadline
// or after a stop does not, and the real interval still bounds it.
#include "client/core/clock.h"
#include "client/core/clock_timer.h"

#include <QSignalSpy>
#include <QTest>

using natter::client::ClockTimer;
using natter::client::ManualClock;
using namespace std::chrono_literals;

class TstClockTimer : public QObject {
    Q_OBJECT
private slots:
    void advancingTheClockToTheDeadlineFiresAtOnceAndOnlyOnce() {
        ManualClock clock;
        ClockTimer timer(clock);
        QSignalSpy fired(&timer, &ClockTimer::timeout);
        timer.start(10min);
        clock.advance(9min);
        QCOMPARE(fired.count(), 0);
        QVERIFY(timer.isActive());
        clock.advance(1min);
        QCOMPARE(fired.count(), 1);
        QVERIFY(!timer.isActive());
        clock.advance(1h);
        QCOMPARE(fired.count(), 1);
    }

    void aStoppedTimerNeverFires() {
        ManualClock clock;
        ClockTimer timer(clock);
        QSignalSpy fired(&timer, &ClockTimer::timeout);
        timer.start(1s);
        timer.stop();
        clock.advance(1h);
        QCOMPARE(fired.count(), 0);
        QVERIFY(!timer.isActive());
    }

    void restartingCountsFromTheClocksNowWithTheLastInterval() {
        ManualClock clock;
        ClockTimer timer(clock);
        QSignalSpy fired(&timer, &ClockTimer::timeout);
        timer.start(10min);
        clock.advance(8min);
        timer.start(); // 10 minutes again, from here
        clock.advance(8min);
        QCOMPARE(fired.count(), 0);
        clock.advance(2min);
        QCOMPARE(fired.count(), 1);
    }

    void theRealIntervalFiresItWhileTheClockStandsStill() {
        ManualClock clock;
        ClockTimer timer(clock);
        QSignalSpy fired(&timer, &ClockTimer::timeout);
        timer.start(0ms); // on the next pass of the event loop, as QTimer::start(0)
        QCOMPARE(fired.count(), 0);
        QVERIFY(fired.wait(5000));
        QCOMPARE(fired.count(), 1);
    }
};

QTEST_GUILESS_MAIN(TstClockTimer)
#include "tst_clock_timer.moc"
