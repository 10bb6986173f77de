// Message requests and blocking through the client core against a real natterd (issue 14): a
// stranger's first message is a request that gets no read receipt until accepted (or answered);
// deleting removes it; blocking (on one device) is in force for every device of the account and
// visible on them, the blocked sender still sees "sent"; unblocking lets later messages through.
#include "client_harness.h"
#include "natterd_process.h"
#include "test_client.h"

#include "client/client.h"
#include "client/store/message_store.h"
#include "client/store/profile_store.h"

#include <QSignalSpy>
#include <QTest>

using namespace natter::test;
using natter::client::Client;
using natter::client::ContactRecord;
using natter::client::MessageState;
using natter::protocol::UserId;

class TestClientRequests : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<ClientWorld> m_world;
    Client* m_alice = nullptr;
    Client* m_bob = nullptr;
    Client* m_carol = nullptr; // knows Alice's number; Alice does not know Carol
    QString m_request;         // the direct chat of Alice and Carol
    QString m_bobChat;

    MessageState stateOf(Client* c, const QString& text) {
        const auto m = ClientHarness::findMessage(c, m_request, text);
        return m ? m->state : MessageState::failed;
    }
    bool isRequest(Client* c) {
        const auto chat = c->chatInfo(m_request);
        return chat && chat->request;
    }
    // What natterd recorded for Alice about one of Carol's messages ("sent", "delivered", "read").
    QString aliceStatusOf(const QString& text) {
        const auto m = ClientHarness::findMessage(m_carol, m_request, text);
        if (!m) return QStringLiteral("(no such message)");
        auto carol = actAs(m_world->server(), m_carol);
        if (!carol) return QStringLiteral("(natterd refused Carol)");
        const HttpResult r = carol->request("GET", QStringLiteral("/api/messages/%1/receipts").arg(m->messageId));
        for (const auto& recipient : r.object().value("recipients").toArray())
            if (recipient.toObject().value("user_id").toInteger() == qint64(m_alice->account().userId))
                return recipient.toObject().value("status").toString();
        return r.describe();
    }
    // Bob writes to Alice, she reads it, and Bob sees "read": every ack Alice's device sent
    // before has been handled by natterd (one device's frames are handled in order).
    bool aliceAcksSettled(const QString& text) {
        if (!ClientHarness::sendAndWait(m_bob, m_alice, m_bobChat, text)) return false;
        if (!m_alice->markRead(m_bobChat)) return false;
        return QTest::qWaitFor(
            [&] {
                const auto m = ClientHarness::findMessage(m_bob, m_bobChat, text);
                return m && m->state == MessageState::read;
            },
            10000);
    }
    bool block(Client* by, Client* whom) {
        return await<int>([&](Client::Callback<int> done) { by->blockUser(whom->account().userId, done); }).has_value();
    }

private slots:
    void init() {
        m_world = std::make_unique<ClientWorld>();
        QVERIFY2(m_world->start({{"Alice", "+4915120000001"}, {"Bob", "+4915120000002"}}), qPrintable(m_world->error()));
        m_alice = m_world->user("Alice");
        m_bob = m_world->user("Bob");
        m_carol = m_world->clients().signUp("carol", "+4915120000003", "Carol");
        QVERIFY2(m_carol, qPrintable(m_world->clients().lastError()));
        const auto added = await<ContactRecord>(
            [&](Client::Callback<ContactRecord> done) { m_carol->addContact("+4915120000001", "Alice", done); });
        QVERIFY2(added, qPrintable(added ? QString() : added.error().message));
        const auto chat = m_carol->resolveChat("Alice");
        QVERIFY(chat);
        m_request = *chat;
        m_bobChat = ClientHarness::directChat(m_alice, m_bob);
    }

    void cleanup() { m_world.reset(); }

    void aStrangersMessageIsARequestThatGetsNoReadReceiptUntilAccepted() {
        QVERIFY(m_carol->sendText(m_request, "hi, it's Carol from the climbing gym"));
        QTRY_VERIFY_WITH_TIMEOUT(ClientHarness::findMessage(m_alice, m_request, "hi, it's Carol from the climbing gym"), 10000);
        QVERIFY(isRequest(m_alice));
        const auto requests = m_alice->messageRequests();
        QVERIFY(requests);
        QCOMPARE(requests->size(), std::size_t(1));
        QCOMPARE(requests->front().chatId, m_request);
        // Delivery receipts still go (as Signal): Carol sees ✓✓.
        QTRY_COMPARE_WITH_TIMEOUT(stateOf(m_carol, "hi, it's Carol from the climbing gym"), MessageState::delivered, 10000);

        QCOMPARE(m_alice->markRead(m_request).value(), 1);
        QVERIFY(aliceAcksSettled("are you coming tonight?"));
        QCOMPARE(aliceStatusOf("hi, it's Carol from the climbing gym"), QStringLiteral("delivered"));

        QCOMPARE(m_alice->acceptRequest(m_request).value(), 1); // the held read receipt goes now
        QVERIFY(!isRequest(m_alice));
        QVERIFY(m_alice->messageRequests()->empty());
        QTRY_COMPARE_WITH_TIMEOUT(stateOf(m_carol, "hi, it's Carol from the climbing gym"), MessageState::read, 10000);
    }

    void answeringARequestAcceptsIt() {
        QVERIFY(m_carol->sendText(m_request, "is the bike still for sale?"));
        QTRY_VERIFY_WITH_TIMEOUT(ClientHarness::findMessage(m_alice, m_request, "is the bike still for sale?"), 10000);
        QVERIFY(m_alice->markRead(m_request));
        QVERIFY(m_alice->sendText(m_request, "yes, come by on Saturday"));
        QVERIFY(!isRequest(m_alice));
        QTRY_COMPARE_WITH_TIMEOUT(stateOf(m_carol, "is the bike still for sale?"), MessageState::read, 10000);
        QTRY_VERIFY_WITH_TIMEOUT(ClientHarness::findMessage(m_carol, m_request, "yes, come by on Saturday"), 10000);
    }

    void deletingARequestRemovesItAndItsMessagesFromTheDevice() {
        QVERIFY(m_carol->sendText(m_request, "first"));
        QVERIFY(m_carol->sendText(m_request, "second"));
        QTRY_VERIFY_WITH_TIMEOUT(ClientHarness::findMessage(m_alice, m_request, "second"), 10000);
        QCOMPARE(m_alice->deleteRequest(m_request).value(), 2);
        QVERIFY(!m_alice->chatInfo(m_request));
        QVERIFY(ClientHarness::messagesOf(m_alice, m_request).isEmpty());
        QVERIFY(m_alice->messageRequests()->empty());
        QVERIFY(!m_alice->deleteRequest(m_bobChat)); // only requests are deleted this way
        QVERIFY(m_alice->chatInfo(m_bobChat));
        // Writing again starts a new request.
        QVERIFY(m_carol->sendText(m_request, "third"));
        QTRY_VERIFY_WITH_TIMEOUT(isRequest(m_alice), 10000);
        QVERIFY(!ClientHarness::findMessage(m_alice, m_request, "first"));
    }

    void blockedSendersMessagesReachNoDeviceOfTheBlockerUntilUnblocked() {
        Client* laptop = m_world->clients().link(m_alice, "alice-laptop");
        QVERIFY2(laptop, qPrintable(m_world->clients().lastError()));
        QSignalSpy laptopNoticed(laptop, &Client::blocksChanged);
        QVERIFY(m_carol->sendText(m_request, "buy cheap watches"));
        QTRY_VERIFY_WITH_TIMEOUT(isRequest(m_alice), 10000);

        QVERIFY(block(m_alice, m_carol));
        QVERIFY(!m_alice->chatInfo(m_request)); // the request went with the block
        // The block made on the phone is visible on the laptop.
        QTRY_VERIFY_WITH_TIMEOUT(laptopNoticed.count() >= 1, 10000);
        const auto onLaptop = await<std::vector<UserId>>(
            [&](Client::Callback<std::vector<UserId>> done) { laptop->blockedUsers(done); });
        QVERIFY(onLaptop);
        QCOMPARE(*onLaptop, std::vector<UserId>{m_carol->account().userId});

        const auto spam = m_carol->sendText(m_request, "did you get my message?");
        QVERIFY(spam);
        QTRY_COMPARE_WITH_TIMEOUT(stateOf(m_carol, "did you get my message?"), MessageState::sent, 10000);
        // Bob writes after natterd took Carol's message: once his reached both devices, hers would have.
        QVERIFY(ClientHarness::sendAndWait(m_bob, m_alice, m_bobChat, "lunch?"));
        QTRY_VERIFY_WITH_TIMEOUT(ClientHarness::findMessage(laptop, m_bobChat, "lunch?"), 10000);
        for (Client* device : {m_alice, laptop}) {
            QVERIFY(!ClientHarness::findMessage(device, m_request, "did you get my message?"));
            QVERIFY(!device->chatInfo(m_request));
        }
        QCOMPARE(stateOf(m_carol, "did you get my message?"), MessageState::sent); // never ✓✓

        // Unblocked on the laptop: later messages arrive again (the one sent meanwhile does not).
        QVERIFY(await<void>([&](Client::Callback<void> done) { laptop->unblockUser(m_carol->account().userId, done); }));
        QVERIFY(m_carol->sendText(m_request, "sorry, wrong number"));
        QTRY_VERIFY_WITH_TIMEOUT(ClientHarness::findMessage(m_alice, m_request, "sorry, wrong number"), 10000);
        QTRY_VERIFY_WITH_TIMEOUT(ClientHarness::findMessage(laptop, m_request, "sorry, wrong number"), 10000);
        QVERIFY(!ClientHarness::findMessage(m_alice, m_request, "did you get my message?"));
    }
};

QTEST_GUILESS_MAIN(TestClientRequests)
#include "tst_client_requests.moc"
