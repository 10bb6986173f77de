// The store on every engine: per-chat seq, idempotency lookups, per-device queues (ordered, never
// reusing ids, expiring) and receipts.
#include "store_engines.h"

#include <QtTest>

#include <algorithm>
#include <memory>

using namespace natter::server;
using natter::protocol::DeliveryStatus;
using natter::test::StoreCase;
using natter::test::StoreEngines;

class TestStoreMessages : public QObject, protected StoreCase {
    Q_OBJECT

private slots:
    void initTestCase_data() { StoreEngines::addRows(); }

    void init() { QVERIFY2(openFresh(), StoreEngines::error().c_str()); }

    void cleanup() { store_.reset(); }

    void seqIncreasesByOnePerChatIndependently() {
        const UserId a = makeUser("+4915100000010"), b = makeUser("+4915100000011"), c = makeUser("+4915100000012");
        inTransaction([&](Store& s) {
            s.createChat("dm:a:b", ChatKind::direct, {a, b}, 1);
            s.createChat("dm:a:c", ChatKind::direct, {a, c}, 1);
            return 0;
        });
        std::vector<Seq> ab, ac;
        inTransaction([&](Store& s) {
            for (int i = 0; i < 3; ++i) ab.push_back(s.appendMessage("dm:a:b", {a, 1}, "ab" + std::to_string(i), {b}, 5).seq);
            for (int i = 0; i < 2; ++i) ac.push_back(s.appendMessage("dm:a:c", {a, 1}, "ac" + std::to_string(i), {c}, 5).seq);
            return 0;
        });
        QCOMPARE(ab, (std::vector<Seq>{1, 2, 3}));
        QCOMPARE(ac, (std::vector<Seq>{1, 2}));
    }

    void resendIsFoundByClientMessageIdOfTheSameDeviceOnly() {
        const UserId a = makeUser("+4915100000020"), b = makeUser("+4915100000021");
        const auto stored = inTransaction([&](Store& s) {
            s.createChat("dm:x", ChatKind::direct, {a, b}, 1);
            return s.appendMessage("dm:x", {a, 1}, "c-1", {b}, 7);
        });
        const auto found = store_->findMessageByClientId({a, 1}, "c-1");
        QVERIFY(found);
        QCOMPARE(found->id, stored.id);
        QCOMPARE(found->seq, stored.seq);
        QVERIFY(!store_->findMessageByClientId({a, 2}, "c-1"));
        QVERIFY(!store_->findMessageByClientId({b, 1}, "c-1"));
    }

    void queueReturnsEntriesOfOneDeviceInOrderAfterACursor() {
        const UserId a = makeUser("+4915100000030"), b = makeUser("+4915100000031");
        std::vector<std::uint64_t> qids;
        inTransaction([&](Store& s) {
            s.createChat("dm:q", ChatKind::direct, {a, b}, 1);
            for (int i = 0; i < 5; ++i) {
                const auto m = s.appendMessage("dm:q", {a, 1}, "q" + std::to_string(i), {b}, 10 + i);
                s.storeEnvelope(m.id, {b, 1}, std::string("\x00\x01payload", 9));
                s.storeEnvelope(m.id, {b, 2}, "other device");
                qids.push_back(s.enqueueMessage({b, 1}, m.id));
                s.enqueueMessage({b, 2}, m.id);
            }
            return 0;
        });
        const auto all = store_->fetchQueue({b, 1}, 0, 100);
        QCOMPARE(all.size(), std::size_t(5));
        for (std::size_t i = 0; i < all.size(); ++i) {
            QCOMPARE(all[i].qid, qids[i]);
            const auto& d = std::get<natter::protocol::MessageDelivery>(all[i].frame);
            QCOMPARE(d.seq, Seq(i + 1));
            QCOMPARE(d.content, std::string("AAFwYXlsb2Fk")); // base64 of the stored bytes
            QCOMPARE(d.sender_id, a);
        }
        const auto tail = store_->fetchQueue({b, 1}, qids[2], 100);
        QCOMPARE(tail.size(), std::size_t(2));
        QCOMPARE(tail[0].qid, qids[3]);
        QCOMPARE(store_->fetchQueue({b, 1}, 0, 2).size(), std::size_t(2));
    }

    void dequeuedMessagesAreGoneAndDequeueIsIdempotent() {
        const UserId a = makeUser("+4915100000040"), b = makeUser("+4915100000041");
        const auto m = inTransaction([&](Store& s) {
            s.createChat("dm:d", ChatKind::direct, {a, b}, 1);
            auto msg = s.appendMessage("dm:d", {a, 1}, "d", {b}, 1);
            s.enqueueMessage({b, 1}, msg.id);
            return msg;
        });
        QCOMPARE(store_->queueDepth(), std::uint64_t(1));
        const auto first = inTransaction([&](Store& s) { return s.dequeueMessage({b, 1}, m.id); });
        QVERIFY(first.has_value());
        const auto second = inTransaction([&](Store& s) { return s.dequeueMessage({b, 1}, m.id); });
        QVERIFY(!second.has_value());
        QCOMPARE(store_->queueDepth(), std::uint64_t(0));
        QVERIFY(store_->fetchQueue({b, 1}, 0, 10).empty());
    }

    void queueIdsAreNeverReusedAfterTheNewestEntryIsRemoved() {
        const UserId a = makeUser("+4915100000050"), b = makeUser("+4915100000051");
        const auto [m, qid] = inTransaction([&](Store& s) {
            s.createChat("dm:r", ChatKind::direct, {a, b}, 1);
            auto msg = s.appendMessage("dm:r", {a, 1}, "r1", {b}, 1);
            return std::pair{msg, s.enqueueMessage({b, 1}, msg.id)};
        });
        inTransaction([&](Store& s) { return s.dequeueMessage({b, 1}, m.id); });
        reopen();
        const auto next = inTransaction([&](Store& s) {
            auto msg = s.appendMessage("dm:r", {a, 1}, "r2", {b}, 2);
            return s.enqueueMessage({b, 1}, msg.id);
        });
        QVERIFY(next > qid);
    }

    void expiryDeletesOldEntriesOfDevicesAbsentSinceTheyWereQueued() {
        const UserId a = makeUser("+4915100000070"), b = makeUser("+4915100000071");
        inTransaction([&](Store& s) {
            s.addDevice(b, "laptop", "h", 1000); // b's device 2
            s.createChat("dm:x", ChatKind::direct, {a, b}, 1);
            const auto old = s.appendMessage("dm:x", {a, 1}, "old", {b}, 100);
            s.enqueueMessage({b, 1}, old.id); // device 1 never connects
            s.enqueueMessage({b, 2}, old.id); // device 2 connects at 150, after it was queued
            s.enqueueReceipt({b, 1}, {0, "dm:x", old.id, a, 1, DeliveryStatus::read, 120});
            const auto recent = s.appendMessage("dm:x", {a, 1}, "recent", {b}, 300);
            s.enqueueMessage({b, 1}, recent.id);
            s.recordConnection({b, 2}, 150);
            return 0;
        });
        QCOMPARE(inTransaction([](Store& s) { return s.expireQueue(200, 1); }), std::uint64_t(1)); // bounded
        QCOMPARE(inTransaction([](Store& s) { return s.expireQueue(200, 100); }), std::uint64_t(1));
        QCOMPARE(inTransaction([](Store& s) { return s.expireQueue(200, 100); }), std::uint64_t(0));
        const auto left = store_->fetchQueue({b, 1}, 0, 10);
        QCOMPARE(left.size(), std::size_t(1));
        QCOMPARE(std::get<natter::protocol::MessageDelivery>(left[0].frame).client_msg_id, std::string("recent"));
        QCOMPARE(store_->fetchQueue({b, 2}, 0, 10).size(), std::size_t(1));
    }

    void receiptsRecordFirstDeliveredAndReadPerRecipient() {
        const UserId a = makeUser("+4915100000060"), b = makeUser("+4915100000061");
        const auto m = inTransaction([&](Store& s) {
            s.createChat("dm:rc", ChatKind::direct, {a, b}, 1);
            return s.appendMessage("dm:rc", {a, 1}, "rc", {b}, 1);
        });
        auto statuses = store_->recipientStatuses(m.id);
        QCOMPARE(statuses.size(), std::size_t(1));
        QVERIFY(statuses[0].status == DeliveryStatus::sent);
        QVERIFY(inTransaction([&](Store& s) { return s.markDelivered(m.id, b, 100); }));
        QVERIFY(!inTransaction([&](Store& s) { return s.markDelivered(m.id, b, 200); }));
        QVERIFY(inTransaction([&](Store& s) { return s.markRead(m.id, b, 300); }));
        QVERIFY(!inTransaction([&](Store& s) { return s.markRead(m.id, b, 400); }));
        statuses = store_->recipientStatuses(m.id);
        QVERIFY(statuses[0].status == DeliveryStatus::read);
        QCOMPARE(*statuses[0].delivered_at, TimestampMs(100));
        QCOMPARE(*statuses[0].read_at, TimestampMs(300));
    }

};

QTEST_GUILESS_MAIN(TestStoreMessages)
#include "tst_store_messages.moc"
