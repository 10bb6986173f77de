// Message requests and blocking through the client core, with real clients against a real
// natterd: a stranger's first message is a request that gets no read receipt and no typing
// until accepted; blocking it makes natterd drop their next messages and shows on the
// account's linked device; unblocking lets them through; contacts' chats and chats the user
// started are never requests.
#include "client_harness.h"
#include "natterd_process.h"

#include "client/client.h"
#include "client/store/chat_store.h"
#include "client/store/message_store.h"
#include "client/store/profile_store.h"

#include <QSignalSpy>
#include <QTest>

using namespace natter::test;
using natter::client::Client;
using natter::client::MessageRecord;
using natter::client::MessageState;

class TestClientRequests : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<ClientWorld> m_world;
    Client* m_alice = nullptr;
    Client* m_carol = nullptr; // Alice's contact
    Client* m_bob = nullptr;   // a stranger to Alice: he has her number, she does not have his
    const QString m_alicePhone = QStringLiteral("+4915170000101");

    static bool isRequest(Client* c, const QString& chat) {
        auto record = c->store().chats().byId(chat);
        return record && *record && (*record)->request;
    }
    static MessageState stateOf(Client* c, qint64 localId) {
        auto m = c->store().messages().byLocalId(localId);
        return m && *m ? (*m)->state : MessageState::failed;
    }
    // Bob writes to Alice's number (he adds her as his contact first, as `natter send` does).
    QString bobWritesToAlice(const QString& text) {
        auto chat = await<QString>([&](auto done) { m_bob->resolveChatAddingNumber(m_alicePhone, done); });
        if (!chat) return {};
        if (!ClientHarness::sendAndWait(m_bob, m_alice, *chat, text)) return {};
        return *chat;
    }
    // Bob sends and waits until natterd stored it and Alice's device acknowledged it (delivered):
    // whatever Alice's client sent Bob before that ack has reached natterd by then.
    qint64 bobSendsDelivered(const QString& chat, const QString& text) {
        auto localId = m_bob->sendText(chat, text);
        if (!localId) return 0;
        const auto reached = [&] {
            const MessageState state = stateOf(m_bob, *localId);
            return state == MessageState::delivered || state == MessageState::read;
        };
        if (!QTest::qWaitFor(reached, 10000)) return 0;
        return *localId;
    }

    static bool hasRequestFrom(Client* c, Client* sender) {
        const auto requests = c->messageRequests();
        return !requests || std::any_of(requests->begin(), requests->end(), [&](const natter::client::ChatRecord& chat) {
                   return chat.peerId == sender->account().userId;
               });
    }
    // Carol's chat with Alice, her contact (created on Carol's side as writing to her does).
    QString carolsChat() { return natter::client::valueOr(m_carol->resolveChat(QStringLiteral("Alice")), QString()); }

private slots:
    void init() {
        m_world = std::make_unique<ClientWorld>();
        QVERIFY2(m_world->start({{"Alice", m_alicePhone}, {"Carol", "+4915170000103"}}), qPrintable(m_world->error()));
        m_alice = m_world->user("Alice");
        m_carol = m_world->user("Carol");
        m_bob = m_world->clients().signUp("bob", "+4915170000102", "Bob");
        QVERIFY2(m_bob, qPrintable(m_world->clients().lastError()));
    }

    void cleanup() { m_world.reset(); }

    void aStrangersFirstMessageArrivesAsARequest() {
        const QString chat = bobWritesToAlice("hi, we met at the climbing gym");
        QVERIFY(!chat.isEmpty());
        QVERIFY(isRequest(m_alice, chat));
        const auto requests = m_alice->messageRequests();
        QVERIFY(requests);
        QCOMPARE(requests->size(), size_t(1));
        QCOMPARE(requests->front().chatId, chat);
        QCOMPARE(requests->front().peerId, m_bob->account().userId);
        // Bob wrote first to someone in his contacts: his side is a normal chat.
        QVERIFY(!isRequest(m_bob, chat));
    }

    void aRequestGetsNoReadReceiptOrTypingUntilAcceptedThenItDoes() {
        const QString chat = bobWritesToAlice("are you coming on Sunday?");
        QVERIFY(!chat.isEmpty());
        const auto first = ClientHarness::findMessage(m_bob, chat, "are you coming on Sunday?");
        QVERIFY(first);
        QSignalSpy bobSeesTyping(m_bob, &Client::typingChanged);

        QCOMPARE(m_alice->markRead(chat).value(), 1);
        m_alice->userTyping(chat);
        // Alice's acknowledgement of a later message reaches Bob after anything she sent before it.
        QVERIFY(bobSendsDelivered(chat, "hello?"));
        QCOMPARE(stateOf(m_bob, first->localId), MessageState::delivered);
        QCOMPARE(bobSeesTyping.count(), 0);
        QVERIFY(m_bob->typingNames(chat).isEmpty());

        QVERIFY(m_alice->acceptRequest(chat));
        QVERIFY(!isRequest(m_alice, chat));
        QVERIFY(m_alice->messageRequests()->empty());
        // The read receipts held back go now, for what she read while it was a request.
        QTRY_COMPARE_WITH_TIMEOUT(stateOf(m_bob, first->localId), MessageState::read, 10000);
        m_alice->userTyping(chat);
        QTRY_VERIFY_WITH_TIMEOUT(!m_bob->typingNames(chat).isEmpty(), 10000);
    }

    void acceptingARequestOnOneDeviceAcceptsItOnTheLinkedDevice() {
        Client* laptop = m_world->clients().link(m_alice, "alice-laptop");
        QVERIFY2(laptop, qPrintable(m_world->clients().lastError()));
        const QString chat = bobWritesToAlice("hello from a stranger");
        QVERIFY(!chat.isEmpty());
        QTRY_VERIFY_WITH_TIMEOUT(ClientHarness::findMessage(laptop, chat, "hello from a stranger").has_value(), 10000);
        QVERIFY(isRequest(laptop, chat));
        QVERIFY(m_alice->acceptRequest(chat));
        QTRY_VERIFY_WITH_TIMEOUT(!isRequest(laptop, chat), 10000);
        QVERIFY(laptop->messageRequests()->empty());
    }

    void writingToARequestAcceptsIt() {
        const QString chat = bobWritesToAlice("is this Alice?");
        QVERIFY(!chat.isEmpty());
        QVERIFY(isRequest(m_alice, chat));
        QVERIFY(m_alice->sendText(chat, "yes, who is this?"));
        QVERIFY(!isRequest(m_alice, chat));
    }

    void blockingARequestDropsTheStrangersNextMessagesAndShowsOnTheLinkedDevice() {
        Client* laptop = m_world->clients().link(m_alice, "alice-laptop");
        QVERIFY2(laptop, qPrintable(m_world->clients().lastError()));
        const QString chat = bobWritesToAlice("buy cheap watches");
        QVERIFY(!chat.isEmpty());
        QTRY_VERIFY_WITH_TIMEOUT(ClientHarness::findMessage(laptop, chat, "buy cheap watches").has_value(), 10000);

        auto blocked = await<std::vector<natter::client::UserId>>([&](auto done) { m_alice->block(m_bob->account().userId, done); });
        QVERIFY2(blocked, blocked ? "" : qPrintable(blocked.error().message));
        QCOMPARE(*blocked, std::vector<natter::client::UserId>{m_bob->account().userId});
        QCOMPARE(m_alice->blocked().value(), *blocked);
        // The request is gone with its messages.
        QVERIFY(m_alice->messageRequests()->empty());
        QVERIFY(!m_alice->chatInfo(chat));
        // The linked device reads the new list when natterd says it changed.
        QTRY_COMPARE_WITH_TIMEOUT(laptop->blocked().value(), *blocked, 10000);

        // Bob's next message is taken by natterd (he sees it sent) and reaches none of Alice's devices.
        auto spam = m_bob->sendText(chat, "last chance for cheap watches");
        QVERIFY(spam);
        QTRY_COMPARE_WITH_TIMEOUT(stateOf(m_bob, *spam), MessageState::sent, 10000);
        const QString carolChat = carolsChat();
        QVERIFY(ClientHarness::sendAndWait(m_carol, m_alice, carolChat, "sent after the watches"));
        QTRY_VERIFY_WITH_TIMEOUT(ClientHarness::findMessage(laptop, carolChat, "sent after the watches").has_value(), 10000);
        for (Client* device : {m_alice, laptop}) {
            QVERIFY(!ClientHarness::findMessage(device, chat, "last chance for cheap watches"));
            QVERIFY(!hasRequestFrom(device, m_bob)); // the laptop dropped his request too
        }
        QCOMPARE(stateOf(m_bob, *spam), MessageState::sent);

        // Unblocked, his messages come through again (as a new request: he is still no contact).
        auto unblocked = await<std::vector<natter::client::UserId>>([&](auto done) { m_alice->unblock(m_bob->account().userId, done); });
        QVERIFY2(unblocked, unblocked ? "" : qPrintable(unblocked.error().message));
        QVERIFY(unblocked->empty());
        QTRY_VERIFY_WITH_TIMEOUT(laptop->blocked().value().empty(), 10000);
        QVERIFY(ClientHarness::sendAndWait(m_bob, m_alice, chat, "sorry, wrong number"));
        QVERIFY(isRequest(m_alice, chat));
    }

    void writingToSomeoneBlockedIsRefusedUntilUnblocked() {
        const QString chat = carolsChat();
        QVERIFY(!chat.isEmpty());
        QVERIFY(ClientHarness::sendAndWait(m_carol, m_alice, chat, "hi Alice"));
        auto blocked = await<std::vector<natter::client::UserId>>([&](auto done) { m_alice->block(m_carol->account().userId, done); });
        QVERIFY2(blocked, blocked ? "" : qPrintable(blocked.error().message));
        QVERIFY(m_alice->chatInfo(chat)); // a contact's chat stays
        auto refused = m_alice->sendText(chat, "this should not go");
        QVERIFY(!refused);
        QVERIFY(refused.error().kind == natter::client::ErrorKind::InvalidArgument);
        QVERIFY2(refused.error().message.contains("you blocked Carol: unblock them first"), qPrintable(refused.error().message));
        QVERIFY(!ClientHarness::findMessage(m_alice, chat, "this should not go"));
        QVERIFY(await<std::vector<natter::client::UserId>>([&](auto done) { m_alice->unblock(m_carol->account().userId, done); }));
        QVERIFY(ClientHarness::sendAndWait(m_alice, m_carol, chat, "sorry Carol"));
    }

    void aContactsMessageIsNotARequest() {
        const QString chat = carolsChat();
        QVERIFY(ClientHarness::sendAndWait(m_carol, m_alice, chat, "see you at eight"));
        QVERIFY(!isRequest(m_alice, chat));
        QVERIFY(m_alice->messageRequests()->empty());
    }

    void aChatIStartedIsNotARequestOnAnyOfMyDevicesWhenTheyAnswer() {
        // Bob starts it: on his side it never is a request, whatever Alice answers, also on his
        // linked laptop (which has no contacts: it learns of the chat from his sent copy).
        Client* laptop = m_world->clients().link(m_bob, "bob-laptop");
        QVERIFY2(laptop, qPrintable(m_world->clients().lastError()));
        const QString chat = bobWritesToAlice("hello from Bob");
        QVERIFY(!chat.isEmpty());
        QVERIFY(m_alice->sendText(chat, "hello Bob"));
        for (Client* device : {m_bob, laptop}) {
            QTRY_VERIFY_WITH_TIMEOUT(ClientHarness::findMessage(device, chat, "hello Bob").has_value(), 10000);
            QVERIFY(ClientHarness::findMessage(device, chat, "hello from Bob"));
            QVERIFY(!isRequest(device, chat));
            QVERIFY(device->messageRequests()->empty());
        }
    }

    void acceptingOrDeletingWhatIsNoRequestIsRefusedAndChangesNothing() {
        const QString chat = carolsChat();
        QVERIFY(ClientHarness::sendAndWait(m_carol, m_alice, chat, "a normal chat"));
        auto accepted = m_alice->acceptRequest(chat);
        QVERIFY(!accepted);
        QVERIFY(accepted.error().kind == natter::client::ErrorKind::NotFound);
        QVERIFY(!m_alice->deleteRequest(chat));
        QVERIFY(ClientHarness::findMessage(m_alice, chat, "a normal chat"));
    }

    void deletingARequestRemovesItAndItsMessagesHere() {
        const QString chat = bobWritesToAlice("a message to forget");
        QVERIFY(!chat.isEmpty());
        QVERIFY(m_alice->deleteRequest(chat));
        QVERIFY(!m_alice->chatInfo(chat));
        QVERIFY(!ClientHarness::findMessage(m_alice, chat, "a message to forget"));
        QVERIFY(m_alice->messageRequests()->empty());
    }

    // Deleted on the phone, the request and its messages go from the linked laptop too (as an
    // accept or a block does); Bob is not told and a new message from him is a new request.
    void deletingARequestOnOneDeviceDeletesItOnTheLinkedDevice() {
        Client* laptop = m_world->clients().link(m_alice, "alice-laptop");
        QVERIFY2(laptop, qPrintable(m_world->clients().lastError()));
        const QString chat = bobWritesToAlice("you won a prize");
        QVERIFY(!chat.isEmpty());
        QTRY_VERIFY_WITH_TIMEOUT(ClientHarness::findMessage(laptop, chat, "you won a prize").has_value(), 10000);
        QVERIFY(isRequest(laptop, chat));
        QVERIFY(m_alice->deleteRequest(chat));
        QTRY_VERIFY_WITH_TIMEOUT(!laptop->chatInfo(chat), 10000);
        QVERIFY(!ClientHarness::findMessage(laptop, chat, "you won a prize"));
        QVERIFY(laptop->messageRequests()->empty());

        QVERIFY(bobWritesToAlice("still there?") == chat);
        QTRY_VERIFY_WITH_TIMEOUT(ClientHarness::findMessage(laptop, chat, "still there?").has_value(), 10000);
        QVERIFY(isRequest(laptop, chat) && isRequest(m_alice, chat));
    }
};

QTEST_GUILESS_MAIN(TestClientRequests)
#include "tst_client_requests.moc"
