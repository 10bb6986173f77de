// A message's hot path on every engine (store/message_path.h): the one-call reads and writes of a
// 1:1 send and of an ack give what the per-domain calls they stand for would.
#include "store_engines.h"

#include "protocol/base64.h"
#include "protocol/identifiers.h"

#include <QtTest>

#include <algorithm>

using namespace natter::server;
using natter::protocol::DeliveryStatus;
using natter::test::StoreCase;
using natter::test::StoreEngines;

class TestStoreMessagePath : public QObject, protected StoreCase {
    Q_OBJECT

    static std::vector<DeviceKey> keysOf(const std::vector<DeviceRecord>& devices) {
        std::vector<DeviceKey> out;
        for (const auto& d : devices) out.push_back(d.key);
        std::sort(out.begin(), out.end());
        return out;
    }

private slots:
    void initTestCase_data() { StoreEngines::addRows(); }

    void init() { QVERIFY2(openFresh(), StoreEngines::error().c_str()); }

    void cleanup() { store_.reset(); }

    void sendFactsOfANewChatListBothAccountsActiveDevicesAndNothingElse() {
        const UserId a = makeUser("+4915100000110", 1000, {"phone", "laptop"});
        const UserId b = makeUser("+4915100000111");
        const UserId c = makeUser("+4915100000112");
        inTransaction([&](Store& s) { return s.revokeDevice({a, 2}, natter::protocol::RevocationReason::unlinked, 5); });
        const auto facts = store_->directSendFacts({a, 1}, "m-1", "dm:a:b", b);
        QVERIFY(!facts.original);
        QVERIFY(!facts.blocked);
        QVERIFY(!facts.chat_exists);
        QCOMPARE(keysOf(facts.devices), (std::vector<DeviceKey>{{a, 1}, {b, 1}}));
        QVERIFY(std::all_of(facts.devices.begin(), facts.devices.end(), [](const auto& d) { return d.listed; }));
        QVERIFY(c != 0);
    }

    void sendFactsFindAResendTheChatAndTheRecipientsBlock() {
        const UserId a = makeUser("+4915100000120"), b = makeUser("+4915100000121");
        const auto stored = inTransaction([&](Store& s) {
            s.createChat("dm:a:b", ChatKind::direct, {a, b}, 1);
            s.addBlock(b, a, 3);
            return s.appendMessage("dm:a:b", {a, 1}, "m-1", {b}, 7);
        });
        const auto facts = store_->directSendFacts({a, 1}, "m-1", "dm:a:b", b);
        QVERIFY(facts.original);
        QCOMPARE(facts.original->id, stored.id);
        QCOMPARE(facts.original->seq, stored.seq);
        QCOMPARE(facts.original->chat_id, std::string("dm:a:b"));
        QCOMPARE(facts.original->client_msg_id, std::string("m-1"));
        QCOMPARE(facts.original->created_at, TimestampMs(7));
        QVERIFY(facts.blocked);
        QVERIFY(facts.chat_exists);
        // The block is one-way, and a resend is the same device's only.
        QVERIFY(!store_->directSendFacts({b, 1}, "m-1", "dm:a:b", a).blocked);
        QVERIFY(!store_->directSendFacts({a, 2}, "m-1", "dm:a:b", b).original);
    }

    void appendedMessageIsQueuedForEachEnvelopeWithItsBytesAndMovesTheReadersCursors() {
        const UserId a = makeUser("+4915100000130"), b = makeUser("+4915100000131", 1000, {"phone", "laptop"});
        inTransaction([&](Store& s) {
            s.createChat("dm:a:b", ChatKind::direct, {a, b}, 1);
            return s.enqueueMessage({b, 2}, s.appendMessage("dm:a:b", {a, 1}, "earlier", {b}, 2).id);
        });
        const std::string binary("\x00\x01\xff payload", 11);
        const auto appended = inTransaction([&](Store& s) {
            return s.appendDirect("dm:a:b", {a, 1}, "m-2", {b}, {a, b}, {{{b, 1}, binary}, {{b, 2}, "laptop"}},
                                  std::nullopt, 9);
        });
        QCOMPARE(appended.record.seq, Seq(2));
        QCOMPARE(appended.qids.size(), std::size_t(2));
        const auto phone = store_->fetchQueue({b, 1}, 0, 10);
        const auto laptop = store_->fetchQueue({b, 2}, 0, 10);
        QCOMPARE(phone.size(), std::size_t(1));
        QCOMPARE(laptop.size(), std::size_t(2));
        QCOMPARE(phone[0].qid, appended.qids[0]);
        QCOMPARE(laptop[1].qid, appended.qids[1]);
        QVERIFY(laptop[1].qid > laptop[0].qid);
        QCOMPARE(std::get<natter::protocol::MessageDelivery>(phone[0].frame).content,
                 natter::protocol::base64::encode(binary));
        QCOMPARE(std::get<natter::protocol::MessageDelivery>(laptop[1].frame).seq, Seq(2));
        QVERIFY(store_->hasEnvelope(appended.record.id, {b, 1}));
        QVERIFY(!store_->hasEnvelope(appended.record.id, {a, 1}));
        QCOMPARE(store_->recipientStatuses(appended.record.id).size(), std::size_t(1));
        for (UserId reader : {a, b}) {
            const auto chats = store_->listChats(reader);
            QCOMPARE(chats.size(), std::size_t(1));
            QCOMPARE(chats[0].unread_count, std::uint64_t(0));
        }
    }

    void appendWithoutEnvelopesStoresTheMessageOnly() {
        const UserId a = makeUser("+4915100000140"), b = makeUser("+4915100000141");
        inTransaction([&](Store& s) { s.createChat("dm:a:b", ChatKind::direct, {a, b}, 1); return 0; });
        const auto appended = inTransaction([&](Store& s) { return s.appendDirect("dm:a:b", {a, 1}, "m", {b}, {a}, {}, std::nullopt, 3); });
        QCOMPARE(appended.record.seq, Seq(1));
        QVERIFY(appended.qids.empty());
        QVERIFY(store_->findMessage(appended.record.id));
        QCOMPARE(store_->listChats(b).at(0).unread_count, std::uint64_t(1));
    }

    void aWithheldMessageIsMissingFromTheBlockersHistoryAndChatListOnly() {
        const UserId a = makeUser("+4915100000145"), b = makeUser("+4915100000146");
        const std::string chat = natter::protocol::directChatId(a, b);
        inTransaction([&](Store& s) {
            s.createChat(chat, ChatKind::direct, {a, b}, 1);
            s.appendDirect(chat, {a, 1}, "before", {b}, {a}, {{{b, 1}, "x"}}, std::nullopt, 3);
            s.appendDirect(chat, {a, 1}, "while blocked", {b}, {a, b}, {}, b, 4);
            return 0;
        });
        const auto theirs = store_->history(chat, {b, 1}, 100, 10);
        QCOMPARE(theirs.size(), std::size_t(1));
        QCOMPARE(theirs[0].client_msg_id, std::string("before"));
        QCOMPARE(store_->history(chat, {a, 1}, 100, 10).size(), std::size_t(2));
        QCOMPARE(store_->listChats(b).at(0).last_message->seq, Seq(1));
        QCOMPARE(store_->listChats(b).at(0).unread_count, std::uint64_t(0));
        QCOMPARE(store_->listChats(a).at(0).last_message->seq, Seq(2));
    }

    void ackTakesTheDevicesEntryOnceAndTellsWhetherTheMessageWasForIt() {
        const UserId a = makeUser("+4915100000150"), b = makeUser("+4915100000151", 1000, {"phone", "laptop"});
        const std::string chat = natter::protocol::directChatId(a, b);
        inTransaction([&](Store& s) { s.createChat(chat, ChatKind::direct, {a, b}, 1); return 0; });
        const auto appended =
            inTransaction([&](Store& s) { return s.appendDirect(chat, {a, 1}, "m", {b}, {a}, {{{b, 1}, "x"}}, std::nullopt, 3); });
        const MessageId id = appended.record.id;
        const auto first = inTransaction([&](Store& s) { return s.takeForAck({b, 1}, id); });
        QVERIFY(first.message);
        QCOMPARE(first.message->sender, (DeviceKey{a, 1}));
        QCOMPARE(first.removed_qid, std::optional<std::uint64_t>(appended.qids[0]));
        QVERIFY(first.addressed);
        QVERIFY(store_->fetchQueue({b, 1}, 0, 10).empty());
        const auto again = inTransaction([&](Store& s) { return s.takeForAck({b, 1}, id); });
        QVERIFY(!again.removed_qid);
        QVERIFY(again.addressed); // a repeated ack: its envelope says it was addressed
        QVERIFY(!inTransaction([&](Store& s) { return s.takeForAck({b, 2}, id); }).addressed); // no envelope
        QVERIFY(!inTransaction([&](Store& s) { return s.takeForAck({a, 1}, id); }).addressed); // its sender
        QVERIFY(!inTransaction([&](Store& s) { return s.takeForAck({b, 1}, id + 100); }).message);
    }

    void ackOfAGroupMessageIsAddressedToCurrentMembersOnly() {
        const UserId a = makeUser("+4915100000160"), b = makeUser("+4915100000161"), c = makeUser("+4915100000162");
        const auto m = inTransaction([&](Store& s) {
            s.createChat("g:1", ChatKind::group, {a, b}, 1);
            return s.appendMessage("g:1", {a, 1}, "g", {b}, 2);
        });
        QVERIFY(inTransaction([&](Store& s) { return s.takeForAck({b, 1}, m.id); }).addressed);
        QVERIFY(!inTransaction([&](Store& s) { return s.takeForAck({c, 1}, m.id); }).addressed);
    }

    void deliveredAckMarksTheMessageOnceAndQueuesTheReceiptForEverySenderDevice() {
        const UserId a = makeUser("+4915100000180", 1000, {"phone", "laptop"});
        const UserId b = makeUser("+4915100000181", 1000, {"phone", "laptop"});
        const std::string chat = natter::protocol::directChatId(a, b);
        inTransaction([&](Store& s) { s.createChat(chat, ChatKind::direct, {a, b}, 1); return 0; });
        const auto appended = inTransaction([&](Store& s) {
            return s.appendDirect(chat, {a, 1}, "m", {b}, {a}, {{{a, 2}, "x"}, {{b, 1}, "y"}, {{b, 2}, "z"}},
                                  std::nullopt, 3);
        });
        const MessageId id = appended.record.id;
        const auto first = inTransaction([&](Store& s) { return s.takeDelivered({b, 1}, id, 40); });
        QVERIFY(first.target.addressed);
        QCOMPARE(first.target.removed_qid, std::optional<std::uint64_t>(appended.qids[1]));
        QCOMPARE(first.receipts.size(), std::size_t(2));
        QCOMPARE(first.receipts[0].first, (DeviceKey{a, 1}));
        QCOMPARE(first.receipts[1].first, (DeviceKey{a, 2}));
        QVERIFY(store_->fetchQueue({b, 1}, 0, 10).empty());
        const auto statuses = store_->recipientStatuses(id);
        QCOMPARE(statuses.size(), std::size_t(1));
        QCOMPARE(statuses[0].delivered_at, std::optional<TimestampMs>(40));
        const auto onLaptop = store_->fetchQueue({a, 2}, 0, 10);
        QCOMPARE(onLaptop.size(), std::size_t(2)); // its copy of the message, then the receipt
        QCOMPARE(onLaptop[1].qid, first.receipts[1].second);
        const auto& event = std::get<natter::protocol::ReceiptEvent>(onLaptop[1].frame);
        QCOMPARE(event.message_id, id);
        QCOMPARE(event.user_id, b);
        QCOMPARE(event.device_id, DeviceId(1));
        QCOMPARE(event.status, DeliveryStatus::delivered);
        QCOMPARE(event.timestamp, TimestampMs(40));

        // Bob's second device, then a repeated ack: entries taken, no second receipt.
        const auto second = inTransaction([&](Store& s) { return s.takeDelivered({b, 2}, id, 50); });
        QCOMPARE(second.target.removed_qid, std::optional<std::uint64_t>(appended.qids[2]));
        QVERIFY(second.receipts.empty());
        const auto again = inTransaction([&](Store& s) { return s.takeDelivered({b, 1}, id, 60); });
        QVERIFY(again.target.addressed && !again.target.removed_qid && again.receipts.empty());
        QCOMPARE(store_->recipientStatuses(id)[0].delivered_at, std::optional<TimestampMs>(40));
        QCOMPARE(store_->fetchQueue({a, 1}, 0, 10).size(), std::size_t(1));
    }

    void deliveredAckFromADeviceTheMessageWasNotForChangesNothing() {
        const UserId a = makeUser("+4915100000190", 1000, {"phone", "laptop"});
        const UserId b = makeUser("+4915100000191", 1000, {"phone", "laptop"});
        const std::string chat = natter::protocol::directChatId(a, b);
        inTransaction([&](Store& s) { s.createChat(chat, ChatKind::direct, {a, b}, 1); return 0; });
        const auto appended = inTransaction([&](Store& s) {
            return s.appendDirect(chat, {a, 1}, "m", {b}, {a}, {{{a, 2}, "x"}, {{b, 1}, "y"}}, std::nullopt, 3);
        });
        const MessageId id = appended.record.id;
        for (const DeviceKey device : {DeviceKey{b, 2}, DeviceKey{a, 1}}) { // no envelope; its sender
            const auto taken = inTransaction([&](Store& s) { return s.takeDelivered(device, id, 40); });
            QVERIFY(taken.target.message);
            QVERIFY(!taken.target.addressed);
            QVERIFY(taken.receipts.empty());
        }
        // The sender's other device takes its copy; its own account gets no receipt.
        const auto own = inTransaction([&](Store& s) { return s.takeDelivered({a, 2}, id, 45); });
        QCOMPARE(own.target.removed_qid, std::optional<std::uint64_t>(appended.qids[0]));
        QVERIFY(own.receipts.empty());
        QVERIFY(!store_->recipientStatuses(id)[0].delivered_at);
        QVERIFY(store_->fetchQueue({a, 1}, 0, 10).empty());
        QCOMPARE(store_->fetchQueue({b, 1}, 0, 10).size(), std::size_t(1));
        QVERIFY(!inTransaction([&](Store& s) { return s.takeDelivered({b, 1}, id + 100, 40); }).target.message);
    }

    void deliveredAckOfAGroupEventMarksItWithoutAReceipt() {
        const UserId a = makeUser("+4915100000200"), b = makeUser("+4915100000201"), c = makeUser("+4915100000202");
        const auto [event, message] = inTransaction([&](Store& s) {
            s.createChat("g:2", ChatKind::group, {a, b}, 1);
            return std::pair(s.appendMessage("g:2", {a, 1}, "e", {b}, 2, MessageKind::group_event),
                             s.appendMessage("g:2", {a, 1}, "g", {b}, 3));
        });
        const auto ofEvent = inTransaction([&](Store& s) { return s.takeDelivered({b, 1}, event.id, 40); });
        QVERIFY(ofEvent.target.addressed);
        QVERIFY(ofEvent.receipts.empty());
        QCOMPARE(store_->recipientStatuses(event.id)[0].delivered_at, std::optional<TimestampMs>(40));
        const auto ofMessage = inTransaction([&](Store& s) { return s.takeDelivered({b, 1}, message.id, 41); });
        QCOMPARE(ofMessage.receipts.size(), std::size_t(1));
        QVERIFY(!inTransaction([&](Store& s) { return s.takeDelivered({c, 1}, message.id, 42); }).target.addressed);
        QCOMPARE(store_->fetchQueue({a, 1}, 0, 10).size(), std::size_t(1));
    }

    void receiptIsQueuedForEveryActiveDeviceOfTheSender() {
        const UserId a = makeUser("+4915100000170", 1000, {"phone", "laptop", "tablet"});
        inTransaction([&](Store& s) { return s.revokeDevice({a, 2}, natter::protocol::RevocationReason::unlinked, 5); });
        const natter::protocol::ReceiptEvent receipt{0, "dm:a:b", 42, 9, 1, DeliveryStatus::delivered, 77};
        const auto queued = inTransaction([&](Store& s) { return s.enqueueReceiptForUser(a, receipt); });
        QCOMPARE(queued.size(), std::size_t(2));
        QCOMPARE(queued[0].first, (DeviceKey{a, 1}));
        QCOMPARE(queued[1].first, (DeviceKey{a, 3}));
        const auto entries = store_->fetchQueue({a, 3}, 0, 10);
        QCOMPARE(entries.size(), std::size_t(1));
        QCOMPARE(entries[0].qid, queued[1].second);
        const auto& event = std::get<natter::protocol::ReceiptEvent>(entries[0].frame);
        QCOMPARE(event.message_id, MessageId(42));
        QCOMPARE(event.user_id, UserId(9));
        QCOMPARE(event.status, DeliveryStatus::delivered);
        QCOMPARE(event.timestamp, TimestampMs(77));
        QVERIFY(store_->fetchQueue({a, 2}, 0, 10).empty());
    }
};

QTEST_GUILESS_MAIN(TestStoreMessagePath)
#include "tst_store_message_path.moc"
