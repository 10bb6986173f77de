// The store on every engine: users and devices survive reopening, rolled-back writes leave no
// trace, presence audiences and verification codes.
#include "store_engines.h"

#include <QtTest>

#include <algorithm>
#include <memory>

using namespace natter::server;
using natter::protocol::DeliveryStatus;
using natter::test::StoreCase;
using natter::test::StoreEngines;

class TestStoreAccounts : public QObject, protected StoreCase {
    Q_OBJECT

private slots:
    void initTestCase_data() { StoreEngines::addRows(); }

    void init() { QVERIFY2(openFresh(), StoreEngines::error().c_str()); }

    void cleanup() { store_.reset(); }

    void committedUsersAndDevicesSurviveReopening() {
        const UserId alice = makeUser("+4915100000001");
        const auto second = inTransaction([&](Store& s) { return s.addDevice(alice, "laptop", "h2", 2000); });
        QCOMPARE(second, DeviceId(2));
        reopen();
        const auto user = store_->findUserByPhone("+4915100000001");
        QVERIFY(user);
        QCOMPARE(user->id, alice);
        const auto devices = store_->activeDevices(alice);
        QCOMPARE(devices.size(), std::size_t(2));
        QCOMPARE(devices[1].name, std::string("laptop"));
        QCOMPARE(devices[1].secret_hash, std::string("h2"));
    }

    // A send checks every member's devices with one look-up: users in order, then devices,
    // without revoked devices or users who have none.
    void activeDevicesOfSeveralUsersComeByUserThenDeviceWithoutRevokedOnes() {
        const UserId a = makeUser("+4915100000081"), b = makeUser("+4915100000082"), c = makeUser("+4915100000083");
        inTransaction([&](Store& s) {
            s.addDevice(b, "laptop", "hb2", 2);
            s.addDevice(a, "laptop", "ha2", 3);
            s.addDevice(a, "tablet", "ha3", 4);
            return s.revokeDevice({a, 2}, natter::protocol::RevocationReason::unlinked, 5);
        });
        inTransaction([&](Store& s) { return s.revokeDevice({c, 1}, natter::protocol::RevocationReason::unlinked, 6); });
        std::vector<DeviceKey> keys;
        for (const auto& d : store_->activeDevicesOf({c, b, a, b})) keys.push_back(d.key);
        QCOMPARE(keys, (std::vector<DeviceKey>{{a, 1}, {a, 3}, {b, 1}, {b, 2}}));
        QCOMPARE(store_->activeDevicesOf({b})[1].name, std::string("laptop"));
        QVERIFY(store_->activeDevicesOf({}).empty());
    }

    void rolledBackWritesLeaveNoTrace() {
        store_->begin();
        store_->createUser("+4915100000002", 1);
        store_->rollback();
        QVERIFY(!store_->findUserByPhone("+4915100000002"));
    }

    void presenceAudienceIsContactsAndDirectPartnersTheUserAnsweredOrRead() {
        const UserId a = makeUser("+4915100000070"), b = makeUser("+4915100000071"), c = makeUser("+4915100000072"),
                     d = makeUser("+4915100000073"), e = makeUser("+4915100000074");
        inTransaction([&](Store& s) {
            s.addContact(a, b);
            s.createChat("dm:ac", ChatKind::direct, {a, c}, 1);
            s.appendMessage("dm:ac", {c, 1}, "c-1", {a}, 2);
            s.markReadUpTo("dm:ac", a, 1); // a read c's message (or wrote to c)
            s.createChat("dm:ae", ChatKind::direct, {a, e}, 1);
            s.appendMessage("dm:ae", {e, 1}, "e-1", {a}, 2); // e wrote first; a has not answered: a request
            s.markReadUpTo("dm:ae", e, 1);                  // as a send does for its sender
            s.addContact(d, a); // d has a in contacts; that does not make d hear about a
            return 0;
        });
        auto audience = store_->presenceAudience(a);
        std::sort(audience.begin(), audience.end());
        QCOMPARE(audience, (std::vector<UserId>{b, c}));
        QCOMPARE(store_->presenceAudience(e), (std::vector<UserId>{a})); // e wrote: e shares with a
    }

    void verificationIsSavedReplacedAndDeleted() {
        inTransaction([&](Store& s) {
            s.saveVerification("+4915100000080", {"h", 99});
            s.saveVerification("+4915100000080", {"h2", 100});
            return 0;
        });
        QCOMPARE(store_->findVerification("+4915100000080")->code_hash, std::string("h2"));
        QCOMPARE(store_->findVerification("+4915100000080")->expires_at, TimestampMs(100));
        inTransaction([&](Store& s) {
            s.deleteVerification("+4915100000080");
            return 0;
        });
        QVERIFY(!store_->findVerification("+4915100000080"));
    }
};

QTEST_GUILESS_MAIN(TestStoreAccounts)
#include "tst_store_accounts.moc"
