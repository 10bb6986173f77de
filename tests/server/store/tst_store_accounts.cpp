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

    void rolledBackWritesLeaveNoTrace() {
        store_->begin();
        store_->createUser("+4915100000002", 1);
        store_->rollback();
        QVERIFY(!store_->findUserByPhone("+4915100000002"));
    }

    void presenceAudienceIsContactsAndDirectPartners() {
        const UserId a = makeUser("+4915100000070"), b = makeUser("+4915100000071"), c = makeUser("+4915100000072"),
                     d = makeUser("+4915100000073");
        inTransaction([&](Store& s) {
            s.addContact(a, b);
            s.createChat("dm:ac", ChatKind::direct, {a, c}, 1);
            s.addContact(d, a); // d has a in contacts; that does not make d hear about a
            return 0;
        });
        auto audience = store_->presenceAudience(a);
        std::sort(audience.begin(), audience.end());
        QCOMPARE(audience, (std::vector<UserId>{b, c}));
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
