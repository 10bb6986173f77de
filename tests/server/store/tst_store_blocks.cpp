// The store on every engine: each account's block list (added once, removed, listed oldest
// first, counted, and one-directional), and that it survives reopening the store.
#include "store_engines.h"

#include <QtTest>

using namespace natter::server;
using natter::test::StoreCase;
using natter::test::StoreEngines;

class TestStoreBlocks : public QObject, protected StoreCase {
    Q_OBJECT

private:
    UserId user(int n) { return makeUser("+49151" + std::to_string(4000000 + n)); }

private slots:
    void initTestCase_data() { StoreEngines::addRows(); }

    void init() { QVERIFY2(openFresh(), StoreEngines::error().c_str()); }

    void cleanup() { store_.reset(); }

    void blockIsAddedOnceAndListedOldestFirst() {
        const UserId a = user(1), b = user(2), c = user(3);
        QVERIFY(inTransaction([&](Store& s) { return s.addBlock(a, c, 2000); }));
        QVERIFY(inTransaction([&](Store& s) { return s.addBlock(a, b, 3000); }));
        QVERIFY(!inTransaction([&](Store& s) { return s.addBlock(a, c, 4000); }));
        QCOMPARE(store_->blockedBy(a), (std::vector<UserId>{c, b}));
        QCOMPARE(store_->countBlocked(a), std::uint64_t(2));
        QVERIFY(store_->blockedBy(b).empty());
    }

    void blockingIsOneDirectional() {
        const UserId a = user(1), b = user(2);
        inTransaction([&](Store& s) { return s.addBlock(a, b, 2000); });
        QVERIFY(store_->hasBlocked(a, b));
        QVERIFY(!store_->hasBlocked(b, a));
        QCOMPARE(store_->countBlocked(b), std::uint64_t(0));
    }

    void unblockRemovesOnlyThatEntry() {
        const UserId a = user(1), b = user(2), c = user(3);
        inTransaction([&](Store& s) { return s.addBlock(a, b, 2000) && s.addBlock(a, c, 2001); });
        QVERIFY(inTransaction([&](Store& s) { return s.removeBlock(a, b); }));
        QVERIFY(!inTransaction([&](Store& s) { return s.removeBlock(a, b); }));
        QVERIFY(!store_->hasBlocked(a, b));
        QVERIFY(store_->hasBlocked(a, c));
        QCOMPARE(store_->blockedBy(a), (std::vector<UserId>{c}));
    }

    void blockListSurvivesReopening() {
        const UserId a = user(1), b = user(2);
        inTransaction([&](Store& s) { return s.addBlock(a, b, 2000); });
        reopen();
        QVERIFY(store_->hasBlocked(a, b));
    }

    void rolledBackBlockLeavesNothing() {
        const UserId a = user(1), b = user(2);
        store_->begin();
        store_->addBlock(a, b, 2000);
        store_->rollback();
        QVERIFY(!store_->hasBlocked(a, b));
        QVERIFY(store_->blockedBy(a).empty());
    }
};

QTEST_GUILESS_MAIN(TestStoreBlocks)
#include "tst_store_blocks.moc"
