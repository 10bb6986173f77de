// Reply, react, edit and delete through the client core, with real clients against a real
// natterd: in 1:1 chats and groups, on a linked second device, for a member who was offline;
// edits and deletes from someone other than the author or too late are ignored; a deleted
// message leaves no trace of its text in the SQLCipher store; Client::receipts says who got and
// read a message of one's own (the desktop's message info).
#include "client_harness.h"
#include "natterd_process.h"
#include "test_client.h"

#include "client/client.h"
#include "client/messaging/group_directory.h"
#include "client/store/chat_store.h"
#include "client/store/database.h"
#include "client/store/message_store.h"
#include "client/store/profile_store.h"
#include "protocol/limits.h"

#include <QSignalSpy>
#include <QTest>

using namespace natter::test;
using natter::client::Client;
using natter::client::MessageRecord;

class TestClientMessageActions : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<ClientWorld> m_world;
    Client* m_alice = nullptr;
    Client* m_bob = nullptr;
    Client* m_carol = nullptr;

    static std::optional<MessageRecord> byServerId(Client* c, quint64 messageId) {
        return ClientHarness::byServerId(c, messageId);
    }
    static quint64 serverIdOf(Client* c, qint64 localId) {
        auto m = c->store().messages().byLocalId(localId);
        return m && *m ? (*m)->messageId : 0;
    }
    static quint64 sendAndWait(Client* from, Client* to, const QString& chat, const QString& text) {
        return ClientHarness::sendAndWait(from, to, chat, text);
    }
    QString createGroup() {
        auto chat = await<QString>([&](auto done) {
            m_alice->groups().create("Climbing", {m_bob->account().userId, m_carol->account().userId}, done);
        });
        return chat ? *chat : QString();
    }
    static qint64 unreadOf(Client* c, const QString& chat) {
        auto record = c->store().chats().byId(chat);
        return record && *record ? (*record)->unread : -1;
    }
    static QString emojiOf(Client* c, quint64 messageId, Client* reactor) {
        auto m = byServerId(c, messageId);
        if (!m) return QStringLiteral("<no message>");
        for (const auto& r : m->reactions)
            if (r.reactorId == reactor->account().userId) return r.emoji;
        return {};
    }

private slots:
    void init() {
        m_world = std::make_unique<ClientWorld>();
        QVERIFY2(m_world->start({{"Alice", "+4915170000001"}, {"Bob", "+4915170000002"}, {"Carol", "+4915170000003"}}),
                 qPrintable(m_world->error()));
        m_alice = m_world->user("Alice");
        m_bob = m_world->user("Bob");
        m_carol = m_world->user("Carol");
    }

    void cleanup() { m_world.reset(); }

    void theWindowsClientsEnforceArePublishedInConfig() {
        const QJsonObject config = TestClient(m_world->server()).request("GET", "/api/config").object();
        QCOMPARE(config.value("edit_window_s").toInteger(), qint64(natter::protocol::limits::kEditWindowS));
        QCOMPARE(config.value("edit_window_s").toInteger(), 900);
        QCOMPARE(config.value("delete_for_everyone_window_s").toInteger(),
                 qint64(natter::protocol::limits::kDeleteForEveryoneWindowS));
    }

    void aReplyShowsItsQuoteOnEveryDeviceEvenOneThatNeverHadTheOriginal() {
        const QString chat = *m_alice->resolveChat("Bob");
        const quint64 original = sendAndWait(m_alice, m_bob, chat, "See you at 8 at the station");
        QVERIFY(original);
        // Alice's laptop is linked after the original: it only ever sees the reply.
        Client* laptop = m_world->clients().link(m_alice, "alice-laptop");
        QVERIFY2(laptop, qPrintable(m_world->clients().lastError()));

        const auto bobsCopy = byServerId(m_bob, original);
        QVERIFY(bobsCopy);
        auto reply = m_bob->reply(chat, bobsCopy->localId, "Make it 9?");
        QVERIFY2(reply, reply ? "" : qPrintable(reply.error().message));
        for (Client* device : {m_alice, laptop}) {
            QTRY_VERIFY_WITH_TIMEOUT(ClientHarness::findMessage(device, chat, "Make it 9?").has_value(), 10000);
            const auto received = *ClientHarness::findMessage(device, chat, "Make it 9?");
            QVERIFY(received.quote);
            QCOMPARE(received.quote->messageId, original);
            QCOMPARE(received.quote->senderId, m_alice->account().userId);
            QCOMPARE(received.quote->snippet, QStringLiteral("See you at 8 at the station"));
        }
        QVERIFY(!byServerId(laptop, original)); // the quote showed without the original

        // A reply to a message of another chat, or one not sent yet, is refused with a reason.
        const QString other = *m_bob->resolveChat("Carol");
        auto wrongChat = m_bob->reply(other, bobsCopy->localId, "hm");
        QVERIFY(!wrongChat);
        QVERIFY(wrongChat.error().message.contains("not in this chat"));
    }

    void reactionsReachEveryMemberOnePerPersonWithoutRaisingUnread() {
        const QString group = createGroup();
        QVERIFY(!group.isEmpty());
        const quint64 photo = sendAndWait(m_alice, m_bob, group, "Summit!");
        QVERIFY(photo);
        QTRY_VERIFY_WITH_TIMEOUT(byServerId(m_carol, photo).has_value(), 10000);
        QVERIFY(m_alice->markRead(group));
        // Carol goes offline; Bob reacts, changes his mind, and Carol's own reaction follows.
        m_world->clients().close("carol");
        QSignalSpy notified(m_alice, &Client::reactionReceived);
        const qint64 bobsLocal = byServerId(m_bob, photo)->localId;
        QVERIFY(m_bob->react(bobsLocal, "👍"));
        QTRY_COMPARE_WITH_TIMEOUT(emojiOf(m_alice, photo, m_bob), QStringLiteral("👍"), 10000);
        QVERIFY(m_bob->react(bobsLocal, "❤️"));
        QTRY_COMPARE_WITH_TIMEOUT(emojiOf(m_alice, photo, m_bob), QStringLiteral("❤️"), 10000);
        QCOMPARE(byServerId(m_alice, photo)->reactions.size(), std::size_t(1)); // one per person
        QCOMPARE(notified.size(), 2);                                          // Alice wrote it
        QCOMPARE(unreadOf(m_alice, group), 0);                                  // not a message

        m_carol = m_world->clients().reopen("carol");
        QVERIFY2(m_carol, qPrintable(m_world->clients().lastError()));
        QTRY_COMPARE_WITH_TIMEOUT(emojiOf(m_carol, photo, m_bob), QStringLiteral("❤️"), 10000);
        QCOMPARE(byServerId(m_carol, photo)->reactions.size(), std::size_t(1));
        QSignalSpy bobNotified(m_bob, &Client::reactionReceived);
        QVERIFY(m_carol->react(byServerId(m_carol, photo)->localId, "🎉"));
        QTRY_COMPARE_WITH_TIMEOUT(emojiOf(m_bob, photo, m_carol), QStringLiteral("🎉"), 10000);
        QCOMPARE(bobNotified.size(), 0); // not Bob's message: no notification for him

        // Removing a reaction removes it everywhere; more than one emoji is refused.
        QVERIFY(m_bob->react(bobsLocal, QString()));
        QTRY_COMPARE_WITH_TIMEOUT(emojiOf(m_carol, photo, m_bob), QString(), 10000);
        QTRY_COMPARE_WITH_TIMEOUT(emojiOf(m_alice, photo, m_bob), QString(), 10000);
        auto two = m_bob->react(bobsLocal, "👍👍");
        QVERIFY(!two);
        QVERIFY(two.error().message.contains("not one emoji"));
    }

    void anEditShowsTheNewTextOnEveryDeviceAndSearchFindsOnlyIt() {
        Client* laptop = m_world->clients().link(m_alice, "alice-laptop");
        QVERIFY2(laptop, qPrintable(m_world->clients().lastError()));
        const QString chat = *m_alice->resolveChat("Bob");
        auto sent = m_alice->sendText(chat, "Dinner at the marmalade bistro");
        QVERIFY(sent);
        QTRY_VERIFY_WITH_TIMEOUT(serverIdOf(m_alice, *sent) != 0, 10000);
        const quint64 id = serverIdOf(m_alice, *sent);
        QTRY_VERIFY_WITH_TIMEOUT(byServerId(m_bob, id).has_value(), 10000);
        QTRY_VERIFY_WITH_TIMEOUT(byServerId(laptop, id).has_value(), 10000);

        QVERIFY(m_alice->editMessage(*sent, "Dinner at the pumpernickel bistro"));
        for (Client* device : {m_alice, m_bob, laptop}) {
            QTRY_COMPARE_WITH_TIMEOUT(byServerId(device, id)->text, QStringLiteral("Dinner at the pumpernickel bistro"), 10000);
            QVERIFY(byServerId(device, id)->edited());
            QCOMPARE(device->search("pumpernickel").value().size(), std::size_t(1));
            QCOMPARE(device->search("marmalade").value().size(), std::size_t(0));
        }
        QCOMPARE(m_bob->store().chats().byId(chat).value()->lastPreview, QStringLiteral("Dinner at the pumpernickel bistro"));
        // Someone else's message cannot be edited.
        auto notMine = m_bob->editMessage(byServerId(m_bob, id)->localId, "mine now");
        QVERIFY(!notMine);
        QVERIFY(notMine.error().message.contains("only its sender"));
    }

    void anEditOrDeleteFromSomeoneElseOrTooLateIsIgnored() {
        const QString chat = *m_alice->resolveChat("Bob");
        const quint64 alices = sendAndWait(m_alice, m_bob, chat, "Alice wrote this");
        QVERIFY(alices);
        // Bob's client is made to believe Alice's message is his: it sends a real edit and a
        // real delete for it, which Alice's client must refuse to apply.
        QVERIFY(m_bob->store().database().exec(
            ("UPDATE messages SET sender_id = " + std::to_string(m_bob->account().userId) +
             ", direction = 1 WHERE message_id = " + std::to_string(alices)).c_str()));
        const qint64 forged = byServerId(m_bob, alices)->localId;
        QVERIFY(m_bob->editMessage(forged, "Bob rewrote this"));
        QVERIFY(sendAndWait(m_bob, m_alice, chat, "marker one")); // after the edit, in order
        QCOMPARE(byServerId(m_alice, alices)->text, QStringLiteral("Alice wrote this"));
        QVERIFY(!byServerId(m_alice, alices)->edited());
        QVERIFY(m_bob->deleteMessage(forged, true));
        QVERIFY(sendAndWait(m_bob, m_alice, chat, "marker two"));
        QVERIFY(!byServerId(m_alice, alices)->deleted());
        QCOMPARE(byServerId(m_alice, alices)->text, QStringLiteral("Alice wrote this"));

        // Bob's own message, which Alice received long ago (her copy says an hour before now):
        // past the 15-minute window, Bob's edit and delete change nothing for her.
        const quint64 bobs = sendAndWait(m_bob, m_alice, chat, "Bob's old news");
        QVERIFY(bobs);
        const qint64 hourAgo = QDateTime::currentMSecsSinceEpoch() - 3600 * 1000;
        QVERIFY(m_alice->store().database().exec(
            ("UPDATE messages SET timestamp = " + std::to_string(hourAgo) + " WHERE message_id = " + std::to_string(bobs)).c_str()));
        QVERIFY(m_bob->editMessage(byServerId(m_bob, bobs)->localId, "Bob's fresh news"));
        QVERIFY(sendAndWait(m_bob, m_alice, chat, "marker three"));
        QCOMPARE(byServerId(m_alice, bobs)->text, QStringLiteral("Bob's old news"));
        // ...and within the window the same edit applies (the receiver's check is the time).
        const quint64 recent = sendAndWait(m_bob, m_alice, chat, "Bob's recent news");
        QVERIFY(m_bob->editMessage(byServerId(m_bob, recent)->localId, "Bob's corrected news"));
        QTRY_COMPARE_WITH_TIMEOUT(byServerId(m_alice, recent)->text, QStringLiteral("Bob's corrected news"), 10000);
    }

    void deleteForEveryoneLeavesNoTraceOfTheTextInAnyStoreIncludingAnOfflineMembers() {
        const QString group = createGroup();
        QVERIFY(!group.isEmpty());
        const quint64 secret = sendAndWait(m_alice, m_bob, group, "the quokkaplatypus code is 4711");
        QVERIFY(secret);
        QTRY_VERIFY_WITH_TIMEOUT(byServerId(m_carol, secret).has_value(), 10000);
        auto reply = m_bob->reply(group, byServerId(m_bob, secret)->localId, "noted");
        QVERIFY(reply);
        QTRY_VERIFY_WITH_TIMEOUT(ClientHarness::findMessage(m_carol, group, "noted").has_value(), 10000);
        QVERIFY(m_bob->react(byServerId(m_bob, secret)->localId, "👀"));
        QTRY_COMPARE_WITH_TIMEOUT(emojiOf(m_carol, secret, m_bob), QStringLiteral("👀"), 10000);

        m_world->clients().close("carol");
        const qint64 alicesLocal = byServerId(m_alice, secret)->localId;
        // Only the author can delete for everyone.
        auto notMine = m_bob->deleteMessage(byServerId(m_bob, secret)->localId, true);
        QVERIFY(!notMine);
        QVERIFY(notMine.error().message.contains("only its sender"));
        QVERIFY(m_alice->deleteMessage(alicesLocal, true));
        QVERIFY(byServerId(m_alice, secret)->deleted());
        QTRY_VERIFY_WITH_TIMEOUT(byServerId(m_bob, secret)->deleted(), 10000);
        for (Client* device : {m_alice, m_bob}) {
            const auto gone = *byServerId(device, secret);
            QVERIFY(gone.text.isEmpty());
            QVERIFY(gone.reactions.empty());
            const auto quoting = *ClientHarness::findMessage(device, group, "noted");
            QVERIFY(quoting.quote && quoting.quote->deleted && quoting.quote->snippet.isEmpty());
            QCOMPARE(device->search("quokkaplatypus").value().size(), std::size_t(0));
        }
        m_carol = m_world->clients().reopen("carol");
        QVERIFY2(m_carol, qPrintable(m_world->clients().lastError()));
        QTRY_VERIFY_WITH_TIMEOUT(byServerId(m_carol, secret)->deleted(), 10000);

        // Read with the passphrase, no table of any member's store holds the text any more.
        for (const QString profile : {"alice", "bob", "carol"})
            QCOMPARE(m_world->clients().storeValuesContaining(profile, "kkaplatyp"), QStringList());
    }

    void receiptsSayWhichMemberGotAndWhichReadAMessageOfYourOwn() {
        const QString group = createGroup();
        QVERIFY(!group.isEmpty());
        const auto sent = m_alice->sendText(group, "Rope check at eight");
        QVERIFY(sent);
        QTRY_VERIFY_WITH_TIMEOUT(serverIdOf(m_alice, *sent) != 0, kClientTimeoutMs);
        const quint64 id = serverIdOf(m_alice, *sent);
        QTRY_VERIFY_WITH_TIMEOUT(byServerId(m_bob, id) && byServerId(m_carol, id), kClientTimeoutMs);
        QVERIFY(m_bob->markRead(group));
        const auto statusOf = [&](Client* member) {
            auto receipts = m_alice->receipts(*sent);
            if (!receipts) return QStringLiteral("error: %1").arg(receipts.error().message);
            for (const auto& r : *receipts)
                if (r.userId == member->account().userId)
                    return r.status == natter::protocol::DeliveryStatus::read ? QStringLiteral("read") : QStringLiteral("delivered");
            return QStringLiteral("none");
        };
        QTRY_COMPARE_WITH_TIMEOUT(statusOf(m_bob), QStringLiteral("read"), kClientTimeoutMs);
        QTRY_COMPARE_WITH_TIMEOUT(statusOf(m_carol), QStringLiteral("delivered"), kClientTimeoutMs);

        // Only for one's own messages, and only known ones.
        const auto bobs = m_bob->sendText(group, "On my way");
        QVERIFY(bobs);
        QTRY_VERIFY_WITH_TIMEOUT(serverIdOf(m_bob, *bobs) && byServerId(m_alice, serverIdOf(m_bob, *bobs)), kClientTimeoutMs);
        const auto notMine = m_alice->receipts(byServerId(m_alice, serverIdOf(m_bob, *bobs))->localId);
        QVERIFY(!notMine);
        QVERIFY(notMine.error().kind == natter::client::ErrorKind::InvalidArgument);
        const auto unknown = m_alice->receipts(987654);
        QVERIFY(!unknown);
        QVERIFY(unknown.error().kind == natter::client::ErrorKind::NotFound);
    }

    void deleteForMeRemovesItOnTheOtherDevicesOfTheAccountOnly() {
        Client* laptop = m_world->clients().link(m_alice, "alice-laptop");
        QVERIFY2(laptop, qPrintable(m_world->clients().lastError()));
        const QString chat = *m_alice->resolveChat("Bob");
        QCOMPARE(*m_bob->resolveChat("Alice"), chat);
        const quint64 id = sendAndWait(m_bob, m_alice, chat, "a message Alice will not keep");
        QVERIFY(id);
        QTRY_VERIFY_WITH_TIMEOUT(byServerId(laptop, id).has_value(), 10000);
        QSignalSpy removed(laptop, &Client::messageRemoved);
        QVERIFY(m_alice->deleteMessage(byServerId(m_alice, id)->localId, false));
        QVERIFY(!byServerId(m_alice, id));
        QTRY_VERIFY_WITH_TIMEOUT(!byServerId(laptop, id).has_value(), 10000);
        QCOMPARE(removed.size(), 1);
        QCOMPARE(laptop->search("keep").value().size(), std::size_t(0));
        QVERIFY(byServerId(m_bob, id).has_value()); // Bob keeps his copy
        QVERIFY(!byServerId(m_bob, id)->deleted());
    }
};

QTEST_GUILESS_MAIN(TestClientMessageActions)
#include "tst_client_message_actions.moc"
