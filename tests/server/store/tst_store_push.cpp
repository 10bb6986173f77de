// The store on every engine: push endpoints and the per-device queue count (a wake-up's badge).
#include "store_engines.h"

#include <QtTest>

#include <algorithm>
#include <memory>

using namespace natter::server;
using natter::protocol::GroupRole;
using natter::protocol::DeliveryStatus;
using natter::test::StoreCase;
using natter::test::StoreEngines;

class TestStorePush : public QObject, protected StoreCase {
    Q_OBJECT

private:
    UserId user(int n) { return makeUser("+49151" + std::to_string(3000000 + n), 1, {"phone", "laptop"}); }

private slots:
    void initTestCase_data() { StoreEngines::addRows(); }

    void init() { QVERIFY2(openFresh(), StoreEngines::error().c_str()); }

    void cleanup() { store_.reset(); }

    void endpointIsSavedReplacedAndKeptPerDevice() {
        const UserId a = user(1);
        QVERIFY(!store_->findPushEndpoint({a, 1}));
        inTransaction([&](Store& s) {
            s.savePushEndpoint({a, 1}, "https://push.example.org/one");
            s.savePushEndpoint({a, 2}, "https://push.example.org/two");
            return 0;
        });
        inTransaction([&](Store& s) {
            s.savePushEndpoint({a, 1}, "https://push.example.org/three");
            return 0;
        });
        QCOMPARE(store_->findPushEndpoint({a, 1}), std::optional<std::string>("https://push.example.org/three"));
        QCOMPARE(store_->findPushEndpoint({a, 2}), std::optional<std::string>("https://push.example.org/two"));
        QVERIFY(!store_->findPushEndpoint({a + 1, 1}));
    }

    void deleteWithOnlyIfKeepsANewerEndpoint() {
        const UserId a = user(2);
        inTransaction([&](Store& s) {
            s.savePushEndpoint({a, 1}, "https://push.example.org/new");
            return 0;
        });
        const std::optional<std::string> older("https://push.example.org/old"), newer("https://push.example.org/new");
        QVERIFY(!inTransaction([&](Store& s) { return s.deletePushEndpoint({a, 1}, older); }));
        QVERIFY(store_->findPushEndpoint({a, 1}));
        QVERIFY(inTransaction([&](Store& s) { return s.deletePushEndpoint({a, 1}, newer); }));
        QVERIFY(!store_->findPushEndpoint({a, 1}));

        inTransaction([&](Store& s) {
            s.savePushEndpoint({a, 1}, "https://push.example.org/any");
            return 0;
        });
        QVERIFY(inTransaction([&](Store& s) { return s.deletePushEndpoint({a, 1}, std::nullopt); }));
        QVERIFY(!inTransaction([&](Store& s) { return s.deletePushEndpoint({a, 1}, std::nullopt); }));
    }

    void countQueuedCountsOneDevicesMessagesAndReceipts() {
        const UserId a = user(3), b = user(4);
        const auto first = inTransaction([&](Store& s) {
            s.createChat("dm:p", ChatKind::direct, {a, b}, 1);
            std::vector<MessageId> ids;
            for (int i = 0; i < 3; ++i) {
                const auto m = s.appendMessage("dm:p", {a, 1}, "p" + std::to_string(i), {b}, 10 + i);
                s.enqueueMessage({b, 1}, m.id);
                ids.push_back(m.id);
            }
            s.enqueueMessage({b, 2}, ids[0]);
            s.enqueueReceipt({b, 1}, natter::protocol::ReceiptEvent{0, "dm:p", ids[0], a, 1, DeliveryStatus::read, 20});
            return ids[0];
        });
        QCOMPARE(store_->countQueued({b, 1}), std::uint64_t(4));
        QCOMPARE(store_->countQueued({b, 2}), std::uint64_t(1));
        QCOMPARE(store_->countQueued({a, 1}), std::uint64_t(0));
        inTransaction([&](Store& s) { return s.dequeueMessage({b, 1}, first); });
        QCOMPARE(store_->countQueued({b, 1}), std::uint64_t(3));
    }

    void unlinkingADeviceDropsItsEndpoint() {
        const UserId a = user(5);
        inTransaction([&](Store& s) {
            s.savePushEndpoint({a, 1}, "https://push.example.org/keep");
            s.savePushEndpoint({a, 2}, "https://push.example.org/unlinked");
            return 0;
        });
        QVERIFY(inTransaction([&](Store& s) { return s.revokeDevice({a, 2}, natter::protocol::RevocationReason::unlinked, 50); }));
        QVERIFY(!store_->findPushEndpoint({a, 2}));
        QVERIFY(store_->findPushEndpoint({a, 1}));
    }
};

QTEST_GUILESS_MAIN(TestStorePush)
#include "tst_store_push.moc"
