// The store on every engine: the key directory (one-time pre-keys handed out once, identity
// changes), link codes and device revocation.
#include "store_engines.h"

#include <QtTest>

#include <algorithm>
#include <memory>

using namespace natter::server;
using natter::protocol::GroupRole;
using natter::protocol::DeliveryStatus;
using natter::test::StoreCase;
using natter::test::StoreEngines;

class TestStoreKeys : public QObject, protected StoreCase {
    Q_OBJECT

private:
    UserId user(int n) { return makeUser("+49151" + std::to_string(2000000 + n), 1, {"phone"}); }

private slots:
    void initTestCase_data() { StoreEngines::addRows(); }

    void init() { QVERIFY2(openFresh(), StoreEngines::error().c_str()); }

    void cleanup() { store_.reset(); }

    void bundleServesEachOneTimeKeyOnceThenNone() {
        const UserId a = user(1);
        inTransaction([&](Store& s) {
            s.saveIdentity({a, 1}, 7, "identity", 1);
            s.saveSignedPreKey({a, 1}, 1, "spk", "sig");
            s.addOneTimePreKeys({a, 1}, {{10, "k10"}, {11, "k11"}});
            return 0;
        });
        const auto withheld = inTransaction([&](Store& s) { return s.takeBundle({a, 1}, false); });
        QVERIFY(withheld && !withheld->one_time);
        QCOMPARE(store_->countOneTimePreKeys({a, 1}), std::uint64_t(2));
        const auto first = inTransaction([&](Store& s) { return s.takeBundle({a, 1}, true); });
        const auto second = inTransaction([&](Store& s) { return s.takeBundle({a, 1}, true); });
        const auto third = inTransaction([&](Store& s) { return s.takeBundle({a, 1}, true); });
        QVERIFY(first && second && third);
        QCOMPARE(first->one_time->first, 10u);
        QCOMPARE(second->one_time->first, 11u);
        QVERIFY(!third->one_time);
        QCOMPARE(third->identity_key, std::string("identity"));
        QCOMPARE(store_->countOneTimePreKeys({a, 1}), std::uint64_t(0));
    }

    void newIdentityKeyIsReportedAndDropsOldOneTimeKeys() {
        const UserId a = user(2);
        QVERIFY(!inTransaction([&](Store& s) { return s.saveIdentity({a, 1}, 7, "old", 1); }));
        inTransaction([&](Store& s) {
            s.addOneTimePreKeys({a, 1}, {{1, "k"}});
            return 0;
        });
        QVERIFY(!inTransaction([&](Store& s) { return s.saveIdentity({a, 1}, 7, "old", 2); }));
        QCOMPARE(store_->countOneTimePreKeys({a, 1}), std::uint64_t(1));
        QVERIFY(inTransaction([&](Store& s) { return s.saveIdentity({a, 1}, 7, "new", 3); }));
        QCOMPARE(store_->countOneTimePreKeys({a, 1}), std::uint64_t(0));
    }

    void linkCodeWorksOnceAndNotAfterExpiry() {
        const UserId a = user(7);
        inTransaction([&](Store& s) {
            s.saveLinkCode("h1", {a, "c2VhbGVk"}, 100);
            s.saveLinkCode("h2", {a, "c2VhbGVk"}, 100);
            return 0;
        });
        const auto taken = inTransaction([&](Store& s) { return s.takeLinkCode("h1", 50); });
        QVERIFY(taken);
        QCOMPARE(taken->user, a);
        QCOMPARE(taken->provision, std::string("c2VhbGVk")); // the sealed identity goes to the new device
        QVERIFY(!inTransaction([&](Store& s) { return s.takeLinkCode("h1", 50); }));
        QVERIFY(!inTransaction([&](Store& s) { return s.takeLinkCode("h2", 100); }));
    }

    void revokedDeviceLosesKeysAndLeavesTheActiveList() {
        const UserId a = user(8);
        inTransaction([&](Store& s) {
            s.addDevice(a, "laptop", "h", 1);
            s.saveIdentity({a, 2}, 1, "id", 1);
            s.saveSignedPreKey({a, 2}, 1, "spk", "sig");
            return 0;
        });
        using natter::protocol::RevocationReason;
        QVERIFY(inTransaction([&](Store& s) { return s.revokeDevice({a, 2}, RevocationReason::reregistered, 5); }));
        QVERIFY(!inTransaction([&](Store& s) { return s.revokeDevice({a, 2}, RevocationReason::unlinked, 6); }));
        QCOMPARE(store_->activeDevices(a).size(), std::size_t(1));
        QVERIFY(!store_->hasIdentity({a, 2}));
        // The first revocation's reason is kept, for the device to be told why.
        const auto revoked = store_->revokedDevices();
        const auto it = std::find_if(revoked.begin(), revoked.end(), [&](const RevokedDevice& r) { return r.key == DeviceKey{a, 2}; });
        QVERIFY(it != revoked.end());
        QVERIFY(it->reason == RevocationReason::reregistered);
        const auto device = store_->findDevice({a, 2});
        QVERIFY(device && device->revoked);
        QVERIFY(device->revoked_reason == RevocationReason::reregistered);
    }
};

QTEST_GUILESS_MAIN(TestStoreKeys)
#include "tst_store_keys.moc"
