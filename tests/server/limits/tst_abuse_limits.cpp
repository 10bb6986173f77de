// The building blocks of natterd's abuse limits: per-key budgets that refill over their window
// and forget idle keys, the client address limits are keyed by, and the media quota's count of
// live bytes and uploads in progress.
#include "limits/budget_map.h"
#include "limits/client_address.h"
#include "media/media_quota.h"

#include <QTemporaryDir>
#include <QtTest>

#include <fstream>

using namespace natter::server;

class TestAbuseLimits : public QObject {
    Q_OBJECT
private slots:
    void budgetIsSpentAllOrNothingAndRefillsOverItsWindow() {
        BudgetMap<std::string> budget(10, 1000); // 10 per second
        QVERIFY(budget.trySpend("a", 7, 0));
        QVERIFY(!budget.trySpend("a", 4, 0)); // only 3 left: nothing spent
        QCOMPARE(budget.available("a", 0), 3.0);
        QCOMPARE(budget.available("b", 0), 10.0); // per key
        QCOMPARE(budget.available("a", 500), 8.0);
        QCOMPARE(budget.available("a", 5000), 10.0); // never more than the capacity
        QVERIFY(!budget.trySpend("a", 11, 5000));
    }

    void budgetForgetsKeysThatRefilled() {
        BudgetMap<int> budget(1, 1000);
        for (int key = 0; key < 64; ++key) budget.spend(key, 1, 0);
        QCOMPARE(budget.trackedKeys(), std::size_t(64));
        budget.spend(1000, 1, 2000); // everyone else has refilled by now
        QCOMPARE(budget.trackedKeys(), std::size_t(1));
    }

    void clientAddressDropsThePortAndGroupsIpv6By64_data() {
        QTest::addColumn<QString>("remote");
        QTest::addColumn<QString>("address");
        QTest::newRow("ipv4") << "203.0.113.7:51234" << "203.0.113.7";
        QTest::newRow("ipv6") << "[2001:db8:1:2:aaaa:bbbb:cccc:dddd]:443" << "2001:db8:1:2::/64";
        QTest::newRow("ipv6 same /64") << "[2001:db8:1:2::1]:1" << "2001:db8:1:2::/64";
        QTest::newRow("ipv4-mapped") << "[::ffff:198.51.100.2]:80" << "198.51.100.2";
        QTest::newRow("unparsable kept") << "somewhere" << "somewhere";
    }
    void clientAddressDropsThePortAndGroupsIpv6By64() {
        QFETCH(QString, remote);
        QFETCH(QString, address);
        QCOMPARE(QString::fromStdString(clientAddress(remote.toStdString())), address);
    }

    void mediaQuotaCountsLiveBytesAndUploadsWhileTheirFileExists() {
        QTemporaryDir dir;
        MediaQuota quota(MediaLimits{1000, 1, std::chrono::seconds(10)});
        quota.load({{"old", BlobMeta{7, 600, 0}}});
        const std::filesystem::path upload = dir.filePath("u1").toStdString();
        auto room = quota.admit(7, upload, std::nullopt, 1000);
        QVERIFY(room);
        QCOMPARE(*room, std::uint64_t(400));
        std::ofstream(upload) << "x"; // the transport creates the upload file
        const auto busy = quota.admit(7, dir.filePath("u2").toStdString(), std::nullopt, 1000);
        QVERIFY(!busy);
        QVERIFY(busy.error().code == natter::protocol::ErrorCode::RateLimited);
        std::filesystem::remove(upload); // stored or abandoned: no longer in progress
        QVERIFY(quota.admit(7, dir.filePath("u3").toStdString(), 401, 1000).error().code ==
                natter::protocol::ErrorCode::PayloadTooLarge);
        QVERIFY(!quota.checkFits(7, 401, 1000));
        QVERIFY(quota.checkFits(7, 400, 1000));
        QVERIFY(quota.checkFits(7, 1000, 10'001)); // "old" has expired
        quota.stored("new", BlobMeta{7, 900, 10'001});
        QVERIFY(!quota.checkFits(7, 101, 10'001));
        quota.removed(7, "new");
        QVERIFY(quota.checkFits(7, 1000, 10'001));
    }
};

QTEST_GUILESS_MAIN(TestAbuseLimits)
#include "tst_abuse_limits.moc"
