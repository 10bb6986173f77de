// SqliteStore's groups, history, chat list, key directory and link codes on a real file.
#include "store/sqlite/sqlite_store.h"

#include <QTemporaryDir>
#include <QtTest>

#include <memory>

using namespace natter::server;
using natter::protocol::GroupRole;

class TestSqliteStoreGroups : public QObject {
    Q_OBJECT

private:
    QTemporaryDir dir_;
    std::unique_ptr<SqliteStore> store_;
    int counter_ = 0;

    template <class Fn>
    auto tx(Fn fn) {
        store_->begin();
        auto result = fn(*store_);
        store_->commit();
        return result;
    }
    UserId user(int n) {
        return tx([&](Store& s) {
            const UserId id = s.createUser("+49151" + std::to_string(2000000 + n), 1);
            s.addDevice(id, "phone", "hash", 1);
            return id;
        });
    }

private slots:
    void init() {
        store_ = std::make_unique<SqliteStore>(std::filesystem::path(dir_.path().toStdString()) /
                                               ("g" + std::to_string(++counter_) + ".db"));
    }

    void bundleServesEachOneTimeKeyOnceThenNone() {
        const UserId a = user(1);
        tx([&](Store& s) {
            s.saveIdentity({a, 1}, 7, "identity", 1);
            s.saveSignedPreKey({a, 1}, 1, "spk", "sig");
            s.addOneTimePreKeys({a, 1}, {{10, "k10"}, {11, "k11"}});
            return 0;
        });
        const auto withheld = tx([&](Store& s) { return s.takeBundle({a, 1}, false); });
        QVERIFY(withheld && !withheld->one_time);
        QCOMPARE(store_->countOneTimePreKeys({a, 1}), std::uint64_t(2));
        const auto first = tx([&](Store& s) { return s.takeBundle({a, 1}, true); });
        const auto second = tx([&](Store& s) { return s.takeBundle({a, 1}, true); });
        const auto third = tx([&](Store& s) { return s.takeBundle({a, 1}, true); });
        QVERIFY(first && second && third);
        QCOMPARE(first->one_time->first, 10u);
        QCOMPARE(second->one_time->first, 11u);
        QVERIFY(!third->one_time);
        QCOMPARE(third->identity_key, std::string("identity"));
        QCOMPARE(store_->countOneTimePreKeys({a, 1}), std::uint64_t(0));
    }

    void newIdentityKeyIsReportedAndDropsOldOneTimeKeys() {
        const UserId a = user(2);
        QVERIFY(!tx([&](Store& s) { return s.saveIdentity({a, 1}, 7, "old", 1); }));
        tx([&](Store& s) {
            s.addOneTimePreKeys({a, 1}, {{1, "k"}});
            return 0;
        });
        QVERIFY(!tx([&](Store& s) { return s.saveIdentity({a, 1}, 7, "old", 2); }));
        QCOMPARE(store_->countOneTimePreKeys({a, 1}), std::uint64_t(1));
        QVERIFY(tx([&](Store& s) { return s.saveIdentity({a, 1}, 7, "new", 3); }));
        QCOMPARE(store_->countOneTimePreKeys({a, 1}), std::uint64_t(0));
    }

    void historyCoversOnlyTheMembershipWindow() {
        const UserId a = user(3), b = user(4);
        tx([&](Store& s) {
            s.createGroup({"g:1", "name", std::nullopt, std::nullopt, false, 1}, 1);
            s.addMember("g:1", a, GroupRole::admin, 0);
            for (int i = 1; i <= 3; ++i) s.appendMessage("g:1", {a, 1}, "m" + std::to_string(i), {}, i);
            s.addMember("g:1", b, GroupRole::member, s.lastSeq("g:1") + 1); // joins at seq 4
            for (int i = 4; i <= 6; ++i) s.appendMessage("g:1", {a, 1}, "m" + std::to_string(i), {b}, i);
            s.removeMember("g:1", b, 5); // leaves after seq 5
            s.appendMessage("g:1", {a, 1}, "m7", {}, 7);
            return 0;
        });
        std::vector<Seq> seen;
        for (const auto& item : store_->history("g:1", {b, 1}, 100, 50)) seen.push_back(item.seq);
        QCOMPARE(seen, (std::vector<Seq>{4, 5}));
        QVERIFY(!store_->isChatMember("g:1", b));
        QCOMPARE(store_->chatMembers("g:1"), (std::vector<UserId>{a}));
        QCOMPARE(store_->history("g:1", {a, 1}, 100, 50).size(), std::size_t(7));
        QCOMPARE(store_->history("g:1", {a, 1}, 4, 2).front().seq, Seq(2));
    }

    void chatListCountsOthersMessagesAfterTheReadCursor() {
        const UserId a = user(5), b = user(6);
        tx([&](Store& s) {
            s.createChat("dm:x", ChatKind::direct, {a, b}, 1);
            for (int i = 1; i <= 4; ++i) s.appendMessage("dm:x", {b, 1}, "b" + std::to_string(i), {a}, 10 + i);
            s.appendMessage("dm:x", {a, 1}, "a1", {b}, 20);
            s.markReadUpTo("dm:x", a, 2);
            return 0;
        });
        const auto chats = store_->listChats(a);
        QCOMPARE(chats.size(), std::size_t(1));
        QCOMPARE(chats[0].unread_count, std::uint64_t(2)); // b's seq 3 and 4; a's own message is not unread
        QCOMPARE(chats[0].last_message->seq, Seq(5));
        QCOMPARE(chats[0].last_activity, TimestampMs(20));
        tx([&](Store& s) {
            s.markReadUpTo("dm:x", a, 1); // never moves back
            return 0;
        });
        QCOMPARE(store_->listChats(a)[0].unread_count, std::uint64_t(2));
    }

    void linkCodeWorksOnceAndNotAfterExpiry() {
        const UserId a = user(7);
        tx([&](Store& s) {
            s.saveLinkCode("h1", {a, "c2VhbGVk"}, 100);
            s.saveLinkCode("h2", {a, "c2VhbGVk"}, 100);
            return 0;
        });
        const auto taken = tx([&](Store& s) { return s.takeLinkCode("h1", 50); });
        QVERIFY(taken);
        QCOMPARE(taken->user, a);
        QCOMPARE(taken->provision, std::string("c2VhbGVk")); // the sealed identity goes to the new device
        QVERIFY(!tx([&](Store& s) { return s.takeLinkCode("h1", 50); }));
        QVERIFY(!tx([&](Store& s) { return s.takeLinkCode("h2", 100); }));
    }

    void revokedDeviceLosesKeysAndLeavesTheActiveList() {
        const UserId a = user(8);
        tx([&](Store& s) {
            s.addDevice(a, "laptop", "h", 1);
            s.saveIdentity({a, 2}, 1, "id", 1);
            s.saveSignedPreKey({a, 2}, 1, "spk", "sig");
            return 0;
        });
        using natter::protocol::RevocationReason;
        QVERIFY(tx([&](Store& s) { return s.revokeDevice({a, 2}, RevocationReason::reregistered, 5); }));
        QVERIFY(!tx([&](Store& s) { return s.revokeDevice({a, 2}, RevocationReason::unlinked, 6); }));
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

QTEST_GUILESS_MAIN(TestSqliteStoreGroups)
#include "tst_sqlite_store_groups.moc"
