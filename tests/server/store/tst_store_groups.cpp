// The store on every engine: group memberships and the history each member may read, and the
// chat list with unread counts.
#include "store_engines.h"

#include <QtTest>

#include <algorithm>
#include <memory>

using namespace natter::server;
using natter::protocol::GroupRole;
using natter::protocol::DeliveryStatus;
using natter::test::StoreCase;
using natter::test::StoreEngines;

class TestStoreGroups : public QObject, protected StoreCase {
    Q_OBJECT

private:
    UserId user(int n) { return makeUser("+49151" + std::to_string(2000000 + n), 1, {"phone"}); }

private slots:
    void initTestCase_data() { StoreEngines::addRows(); }

    void init() { QVERIFY2(openFresh(), StoreEngines::error().c_str()); }

    void cleanup() { store_.reset(); }

    void historyCoversOnlyTheMembershipWindow() {
        const UserId a = user(3), b = user(4);
        inTransaction([&](Store& s) {
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
        inTransaction([&](Store& s) {
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
        inTransaction([&](Store& s) {
            s.markReadUpTo("dm:x", a, 1); // never moves back
            return 0;
        });
        QCOMPARE(store_->listChats(a)[0].unread_count, std::uint64_t(2));
    }

};

QTEST_GUILESS_MAIN(TestStoreGroups)
#include "tst_store_groups.moc"
