// Several connections writing at once (two lanes of one natterd, or two natterd nodes on one
// PostgreSQL), on every engine: a chat's seqs stay gap-free and increasing, a device's queue
// ids commit in order (dense on PostgreSQL) so a reader following its cursor skips nothing,
// and one client_msg_id sent through two connections at once is stored once.
#include "messaging/message_service.h"
#include "protocol/identifiers.h"
#include "store/store_worker.h"
#include "store_engines.h"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

#include <QtTest>

#include <atomic>
#include <chrono>
#include <future>
#include <thread>

using namespace natter::server;
using natter::protocol::Result;
using natter::test::StoreEngines;

namespace {
constexpr int kPerWriter = 100;

// One transaction as a lane runs it: again from the start after a conflict.
template <class Fn>
auto retrying(Store& store, Fn fn) {
    for (int attempt = 1;; ++attempt) {
        try {
            store.begin();
            auto result = fn(store);
            store.commit();
            return result;
        } catch (const StoreError& e) {
            store.rollback();
            if (!e.retryable() || attempt == 5) throw;
        }
    }
}
} // namespace

class TestStoreConcurrency : public QObject {
    Q_OBJECT

private:
    StoreEngines engines_;
    std::string location_;

    UserId makeUser(Store& s, const std::string& phone) {
        return retrying(s, [&](Store& tx) {
            const UserId id = tx.createUser(phone, 1);
            tx.addDevice(id, "phone", "hash", 1);
            return id;
        });
    }

private slots:
    void initTestCase_data() { StoreEngines::addRows(); }

    void init() {
        location_ = engines_.freshLocation();
        QVERIFY2(!location_.empty(), StoreEngines::error().c_str());
    }

    void twoConnectionsAppendingToOneChatGetGapFreeIncreasingSeqs() {
        auto setup = StoreEngines::open(location_);
        const UserId a = makeUser(*setup, "+4915100000001"), b = makeUser(*setup, "+4915100000002");
        retrying(*setup, [&](Store& s) {
            s.createChat("dm:1:2", ChatKind::direct, {a, b}, 1);
            return 0;
        });
        auto writer = [this](DeviceKey sender, UserId to) {
            auto store = StoreEngines::open(location_);
            std::vector<Seq> seqs;
            for (int i = 0; i < kPerWriter; ++i)
                seqs.push_back(retrying(*store, [&](Store& s) {
                    return s.appendMessage("dm:1:2", sender, "m" + std::to_string(i), {to}, i).seq;
                }));
            return seqs;
        };
        auto first = std::async(std::launch::async, writer, DeviceKey{a, 1}, b);
        auto second = std::async(std::launch::async, writer, DeviceKey{b, 1}, a);
        const auto one = first.get(), two = second.get();
        QVERIFY(std::is_sorted(one.begin(), one.end()));
        QVERIFY(std::is_sorted(two.begin(), two.end()));
        std::vector<Seq> all(one);
        all.insert(all.end(), two.begin(), two.end());
        std::sort(all.begin(), all.end());
        for (std::size_t i = 0; i < all.size(); ++i) QCOMPARE(all[i], Seq(i + 1));
        QCOMPARE(setup->lastSeq("dm:1:2"), Seq(2 * kPerWriter));
    }

    // Two chats write to one device's queue at once while a reader follows it as a session
    // does (fetch after its cursor): an id that committed after a higher one would be skipped.
    void twoConnectionsEnqueueingToOneDeviceCommitQueueIdsInOrder() {
        auto setup = StoreEngines::open(location_);
        const UserId a = makeUser(*setup, "+4915100000011"), b = makeUser(*setup, "+4915100000012"),
                     c = makeUser(*setup, "+4915100000013");
        retrying(*setup, [&](Store& s) {
            s.createChat("dm:a:b", ChatKind::direct, {a, b}, 1);
            s.createChat("dm:b:c", ChatKind::direct, {b, c}, 1);
            return 0;
        });
        std::atomic<int> writing{2};
        auto writer = [this, b, &writing](std::string chat, DeviceKey sender) {
            auto store = StoreEngines::open(location_);
            for (int i = 0; i < kPerWriter; ++i)
                retrying(*store, [&](Store& s) {
                    const auto m = s.appendMessage(chat, sender, chat + std::to_string(i), {b}, i);
                    return s.enqueueMessage({b, 1}, m.id);
                });
            --writing;
        };
        auto first = std::async(std::launch::async, writer, std::string("dm:a:b"), DeviceKey{a, 1});
        auto second = std::async(std::launch::async, writer, std::string("dm:b:c"), DeviceKey{c, 1});
        auto reader = StoreEngines::open(location_);
        std::vector<std::uint64_t> seen;
        std::uint64_t cursor = 0;
        for (bool last = false; !last;) {
            last = writing.load() == 0; // one more read after both writers finished
            for (const auto& entry : retrying(*reader, [&](Store& s) { return s.fetchQueue({b, 1}, cursor, 1000); })) {
                seen.push_back(entry.qid);
                cursor = entry.qid;
            }
        }
        first.get();
        second.get();
        QCOMPARE(seen.size(), std::size_t(2 * kPerWriter)); // none skipped
        QVERIFY(std::is_sorted(seen.begin(), seen.end()));
        if (reader->denseQueueIds())
            for (std::size_t i = 0; i < seen.size(); ++i) QCOMPARE(seen[i], std::uint64_t(i + 1));
    }

    // Like a resend arriving on a second node while the first is still storing: both writers
    // are held at the chat's row until both wait, then race for the same client_msg_id.
    void oneClientMessageIdSentThroughTwoConnectionsAtOnceIsStoredOnce() {
        auto setup = StoreEngines::open(location_);
        const UserId a = makeUser(*setup, "+4915100000021"), b = makeUser(*setup, "+4915100000022");
        const auto chat = natter::protocol::directChatId(a, b);
        retrying(*setup, [&](Store& s) {
            s.createChat(chat, ChatKind::direct, {a, b}, 1);
            return 0;
        });
        natter::protocol::SendMessage send;
        send.chat_id = chat;
        send.client_msg_id = "resent-once";
        send.envelopes.push_back({b, 1, "aGVsbG8="});

        auto storeA = StoreEngines::open(location_), storeB = StoreEngines::open(location_);
        boost::asio::io_context io;
        MessageService serviceA, serviceB;
        std::unique_ptr<StoreWorker> workerA, workerB;
        if (StoreEngines::postgres()) {
            workerA = std::make_unique<StoreWorker>(std::vector<Store*>{storeA.get()}, io);
            workerB = std::make_unique<StoreWorker>(std::vector<Store*>{storeB.get()}, io);
        } else {
            workerA = std::make_unique<StoreWorker>(*storeA, io);
            workerB = std::make_unique<StoreWorker>(*storeB, io);
        }
        auto holder = StoreEngines::open(location_);
        holder->begin();
        holder->appendMessage(chat, {b, 1}, "holds-the-chat", {a}, 1); // the chat stays locked until commit
        std::vector<Result<SendOutcome>> outcomes;
        auto record = [&outcomes](Result<SendOutcome> r) { outcomes.push_back(std::move(r)); };
        workerA->submit([&serviceA, send, a](Store& s) { return serviceA.send(s, {a, 1}, send, 2); },
                        record, OnError::nothingWritten);
        workerB->submit([&serviceB, send, a](Store& s) { return serviceB.send(s, {a, 1}, send, 2); }, record,
                        OnError::nothingWritten);
        if (StoreEngines::postgres()) { // both wait for the chat's row before it is released
            natter::server::pg::Connection observer(location_, "natter-observer");
            const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
            std::int64_t waiting = 0;
            while (waiting < 2 && std::chrono::steady_clock::now() < deadline)
                waiting = observer.query("SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() "
                                         "AND wait_event_type = 'Lock'")
                              .int64(0, 0);
            QCOMPARE(waiting, std::int64_t(2));
        }
        holder->commit();
        auto keepRunning = boost::asio::make_work_guard(io);
        while (outcomes.size() < 2 && io.run_one_for(std::chrono::seconds(20))) {
        }
        workerA->shutdown();
        workerB->shutdown();
        QCOMPARE(outcomes.size(), std::size_t(2));
        QVERIFY(outcomes[0].has_value() && outcomes[1].has_value());
        QCOMPARE(outcomes[0]->ack.message_id, outcomes[1]->ack.message_id);
        QCOMPARE(outcomes[0]->ack.seq, Seq(2));
        QCOMPARE(outcomes[1]->ack.seq, Seq(2));
        QCOMPARE(int(outcomes[0]->duplicate) + int(outcomes[1]->duplicate), 1);
        auto check = StoreEngines::open(location_);
        QCOMPARE(check->messageCount(), std::uint64_t(2)); // the holder's and one copy of the resend
        QCOMPARE(check->lastSeq(chat), Seq(2));            // the loser's seq was rolled back: no gap
        QCOMPARE(check->countQueued({b, 1}), std::uint64_t(1));
    }
};

QTEST_GUILESS_MAIN(TestStoreConcurrency)
#include "tst_store_concurrency.moc"
