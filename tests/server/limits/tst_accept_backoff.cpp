// After a failed accept natterd waits longer after each failure in a row (up to a cap), starts
// over after a success, and reports failures at most once per second with the count left out.
#include "net/accept_backoff.h"

#include <QtTest>

using namespace natter::server;
using namespace std::chrono_literals;

class TestAcceptBackoff : public QObject {
    Q_OBJECT
private slots:
    void delayDoublesUpToItsCapAndStartsOverAfterASuccess() {
        AcceptBackoff backoff;
        const auto t0 = AcceptBackoff::Clock::time_point{};
        QCOMPARE(backoff.failed(t0).delay, 10ms);
        QCOMPARE(backoff.failed(t0).delay, 20ms);
        QCOMPARE(backoff.failed(t0).delay, 40ms);
        for (int i = 0; i < 20; ++i) backoff.failed(t0);
        QCOMPARE(backoff.failed(t0).delay, AcceptBackoff::kMaxDelay);
        backoff.succeeded();
        QCOMPARE(backoff.failed(t0).delay, 10ms);
    }

    void failuresAreReportedOncePerIntervalWithTheCountLeftOut() {
        AcceptBackoff backoff;
        const auto t0 = AcceptBackoff::Clock::time_point{} + 1h;
        const auto first = backoff.failed(t0);
        QVERIFY(first.report.has_value());
        QCOMPARE(*first.report, std::uint64_t(0));
        for (int i = 1; i <= 5; ++i) QVERIFY(!backoff.failed(t0 + i * 100ms).report);
        backoff.succeeded(); // a success between failures does not reopen the log
        QVERIFY(!backoff.failed(t0 + 900ms).report);
        const auto next = backoff.failed(t0 + 1s);
        QVERIFY(next.report.has_value());
        QCOMPARE(*next.report, std::uint64_t(6));
        QCOMPARE(*backoff.failed(t0 + 5s).report, std::uint64_t(0));
    }
};

QTEST_APPLESS_MAIN(TestAcceptBackoff)
#include "tst_accept_backoff.moc"
