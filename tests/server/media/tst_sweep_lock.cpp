// SweepLock on a real lock file: of the nodes sharing a media directory one sweeps at a time,
// and the next one can take over as soon as the sweep ends.
#include "media/sweep_lock.h"

#include <QTemporaryDir>
#include <QtTest>

using namespace natter::server;

class TestSweepLock : public QObject {
    Q_OBJECT

private slots:
    void secondSweeperIsTurnedAwayUntilTheFirstFinishes() {
        QTemporaryDir dir;
        const std::filesystem::path file = dir.filePath("sweep.lock").toStdString();
        const SweepLock nodeA(file), nodeB(file);
        {
            auto held = nodeA.tryAcquire();
            QVERIFY(held);
            QVERIFY(!nodeB.tryAcquire());
            QVERIFY(!nodeA.tryAcquire());
        }
        auto held = nodeB.tryAcquire();
        QVERIFY(held);
        QVERIFY(!nodeA.tryAcquire());
    }

    void unwritableDirectoryMeansNoSweepRatherThanAnError() {
        const SweepLock lock("/proc/natter-no-such-dir/sweep.lock");
        QVERIFY(!lock.tryAcquire());
    }
};

QTEST_APPLESS_MAIN(TestSweepLock)
#include "tst_sweep_lock.moc"
