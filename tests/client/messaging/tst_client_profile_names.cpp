// Profile names through the client core, with real clients against a real natterd: the name a
// person chose reaches whoever they write to inside the encrypted content, so a stranger who
// writes first and a group member who is no contact (also one added later) show by that name
// instead of "User N", also on a device linked later; a contact name given locally wins; a rename
// shows after the next message; an about text travels with the name (and to the account's other
// devices), a longer one is refused; natterd learns nothing beyond the display name it was given at
// registration.
#include "client_harness.h"
#include "natterd_process.h"
#include "server_database.h"

#include "client/client.h"
#include "client/messaging/group_directory.h"
#include "client/models/message_list_model.h"
#include "client/store/chat_store.h"
#include "client/store/database.h"
#include "client/store/outbox_store.h"
#include "client/store/profile_store.h"

#include <QTest>

using namespace natter::test;
using natter::client::Client;
using natter::client::MessageListModel;

class TestClientProfileNames : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<ClientWorld> m_world;
    Client* m_alice = nullptr;
    Client* m_carol = nullptr; // Alice's contact, under the name "Carol"
    Client* m_bob = nullptr;   // a stranger to Alice, who chose the name "Bob the Builder"
    const QString m_alicePhone = QStringLiteral("+4915170000201");

    static QString titleOf(Client* c, const QString& chatId) {
        auto chat = c->store().chats().byId(chatId);
        return chat && *chat ? (*chat)->title : QString();
    }
    QString nameOfBob(Client* c) { return c->displayNameOf(m_bob->account().userId); }
    // Bob writes to Alice's number (he adds her as his contact first, as `natter send` does).
    QString bobWritesToAlice(const QString& text) {
        auto chat = await<QString>([&](auto done) { m_bob->resolveChatAddingNumber(m_alicePhone, done); });
        if (!chat) return {};
        if (!ClientHarness::sendAndWait(m_bob, m_alice, *chat, text)) return {};
        return *chat;
    }
    bool rename(Client* c, const QString& name) {
        return bool(await<void>([&](auto done) { c->setProfileName(name, done); }));
    }
    // The sender's name as the conversation view shows it on the newest message.
    static QString shownSenderOfLast(Client* c, const QString& chatId) {
        MessageListModel* model = c->openConversation(chatId, nullptr);
        const QString name = model && model->rowCount() > 0
                                 ? model->data(model->index(model->rowCount() - 1), MessageListModel::SenderNameRole).toString()
                                 : QString();
        delete model;
        return name;
    }

private slots:
    void init() {
        m_world = std::make_unique<ClientWorld>();
        QVERIFY2(m_world->start({{"Alice", m_alicePhone}, {"Carol", "+4915170000203"}}), qPrintable(m_world->error()));
        m_alice = m_world->user("Alice");
        m_carol = m_world->user("Carol");
        m_bob = m_world->clients().signUp("bob", "+4915170000202", "Bob the Builder");
        QVERIFY2(m_bob, qPrintable(m_world->clients().lastError()));
    }

    void cleanup() { m_world.reset(); }

    void aStrangerWhoWritesFirstShowsWithTheirChosenName() {
        const QString chat = bobWritesToAlice("hi, we met at the climbing gym");
        QVERIFY(!chat.isEmpty());
        QCOMPARE(titleOf(m_alice, chat), QStringLiteral("Bob the Builder"));
        QCOMPARE(nameOfBob(m_alice), QStringLiteral("Bob the Builder"));
        QCOMPARE(shownSenderOfLast(m_alice, chat), QStringLiteral("Bob the Builder"));
    }

    void aGroupMemberWhoIsNoContactShowsByName() {
        QVERIFY(m_world->clients().befriend(m_carol, "Bob", m_bob, "Carol"));
        auto group = await<QString>([&](auto done) {
            m_carol->groups().create(QStringLiteral("Climbing Saturday"), {m_alice->account().userId, m_bob->account().userId},
                                     done);
        });
        QVERIFY(group);
        QTRY_COMPARE_WITH_TIMEOUT(titleOf(m_alice, *group), QStringLiteral("Climbing Saturday"), 10000);
        QTRY_COMPARE_WITH_TIMEOUT(titleOf(m_bob, *group), QStringLiteral("Climbing Saturday"), 10000);
        QVERIFY(ClientHarness::sendAndWait(m_bob, m_alice, *group, "I'll bring the rope"));
        QCOMPARE(nameOfBob(m_alice), QStringLiteral("Bob the Builder"));
        QCOMPARE(shownSenderOfLast(m_alice, *group), QStringLiteral("Bob the Builder"));
    }

    void aMemberAddedLaterLearnsTheNameWithTheNextMessage() {
        QVERIFY(m_world->clients().befriend(m_carol, "Bob", m_bob, "Carol"));
        Client* dave = m_world->clients().signUp("dave", "+4915170000204", "Dave");
        QVERIFY2(dave, qPrintable(m_world->clients().lastError()));
        QVERIFY(m_world->clients().befriend(m_carol, "Dave", dave, "Carol"));
        auto group = await<QString>([&](auto done) {
            m_carol->groups().create(QStringLiteral("Book club"), {m_alice->account().userId, m_bob->account().userId}, done);
        });
        QVERIFY(group);
        QTRY_COMPARE_WITH_TIMEOUT(titleOf(m_bob, *group), QStringLiteral("Book club"), 10000);
        QVERIFY(ClientHarness::sendAndWait(m_bob, m_alice, *group, "chapter 3 by Friday"));
        QCOMPARE(nameOfBob(m_alice), QStringLiteral("Bob the Builder"));

        QVERIFY(await<natter::client::GroupRecord>([&](auto done) { m_carol->groups().addMembers(*group, {dave->account().userId}, done); }));
        // Bob's device applied the event itself (a member list refreshed from natterd is not enough).
        const QString added = QStringLiteral("Carol added User %1").arg(dave->account().userId);
        QTRY_VERIFY_WITH_TIMEOUT(ClientHarness::findMessage(m_bob, *group, added).has_value(), 10000);
        QVERIFY(ClientHarness::sendAndWait(m_bob, dave, *group, "welcome, Dave"));
        QCOMPARE(nameOfBob(dave), QStringLiteral("Bob the Builder"));
        QCOMPARE(shownSenderOfLast(dave, *group), QStringLiteral("Bob the Builder"));
    }

    void aContactNameGivenLocallyWinsOverTheChosenName() {
        QVERIFY(rename(m_carol, QStringLiteral("Caroline Keller")));
        const QString chat = natter::client::valueOr(m_carol->resolveChat(QStringLiteral("Alice")), QString());
        QVERIFY(!chat.isEmpty());
        QVERIFY(ClientHarness::sendAndWait(m_carol, m_alice, chat, "lunch tomorrow?"));
        QCOMPARE(m_alice->displayNameOf(m_carol->account().userId), QStringLiteral("Carol"));
        QCOMPARE(titleOf(m_alice, chat), QStringLiteral("Carol"));
        QCOMPARE(shownSenderOfLast(m_alice, chat), QStringLiteral("Carol"));
    }

    void aRenamedSenderShowsTheNewNameAfterTheirNextMessage() {
        const QString chat = bobWritesToAlice("hello from a stranger");
        QVERIFY(!chat.isEmpty());
        QCOMPARE(nameOfBob(m_alice), QStringLiteral("Bob the Builder"));
        QVERIFY(rename(m_bob, QStringLiteral("Robert")));
        QVERIFY(ClientHarness::sendAndWait(m_bob, m_alice, chat, "it's Robert now"));
        QCOMPARE(nameOfBob(m_alice), QStringLiteral("Robert"));
        QCOMPARE(titleOf(m_alice, chat), QStringLiteral("Robert"));
        QCOMPARE(shownSenderOfLast(m_alice, chat), QStringLiteral("Robert"));
        // A later message without the profile (already sent in this chat) keeps the new name.
        QVERIFY(ClientHarness::sendAndWait(m_bob, m_alice, chat, "see you"));
        QCOMPARE(nameOfBob(m_alice), QStringLiteral("Robert"));
    }

    void aRenameInAMessageThatCouldNotBeDecryptedArrivesWithItsResend() {
        const QString chat = bobWritesToAlice("hello again");
        QVERIFY(!chat.isEmpty());
        QVERIFY(rename(m_bob, QStringLiteral("Robert")));
        // Alice loses her session with Bob (as after restoring an old backup): his next message,
        // the one with the new name, cannot be read until he sends it again.
        QVERIFY(m_alice->store().database().exec("DELETE FROM sessions"));
        QVERIFY(m_bob->sendText(chat, "it's Robert now"));
        QTRY_VERIFY_WITH_TIMEOUT(ClientHarness::findMessage(m_alice, chat, "it's Robert now").has_value(), 15000);
        QCOMPARE(nameOfBob(m_alice), QStringLiteral("Robert"));
        QCOMPARE(titleOf(m_alice, chat), QStringLiteral("Robert"));
    }

    void aDeviceLinkedLaterShowsTheNamesOthersSentBefore() {
        const QString chat = bobWritesToAlice("see you at the gym");
        QVERIFY(!chat.isEmpty());
        Client* laptop = m_world->clients().link(m_alice, "alice-laptop");
        QVERIFY2(laptop, qPrintable(m_world->clients().lastError()));
        // The account snapshot brings the name; Bob's next message, without it, shows by it too.
        QTRY_COMPARE_WITH_TIMEOUT(nameOfBob(laptop), QStringLiteral("Bob the Builder"), 10000);
        QVERIFY(ClientHarness::sendAndWait(m_bob, laptop, chat, "are you there?"));
        QCOMPARE(titleOf(laptop, chat), QStringLiteral("Bob the Builder"));
        QCOMPARE(shownSenderOfLast(laptop, chat), QStringLiteral("Bob the Builder"));
    }

    void anAboutTextReachesAChatPartnerAndTheAccountsOtherDevices() {
        Client* laptop = m_world->clients().link(m_bob, "bob-laptop");
        QVERIFY2(laptop, qPrintable(m_world->clients().lastError()));
        QVERIFY(m_bob->setProfileAbout(QStringLiteral("Builds things 🔨")));
        QCOMPARE(m_bob->aboutOf(m_bob->account().userId), QStringLiteral("Builds things 🔨"));
        const QString chat = bobWritesToAlice("hi, it's Bob");
        QVERIFY(!chat.isEmpty());
        QCOMPARE(m_alice->aboutOf(m_bob->account().userId), QStringLiteral("Builds things 🔨"));
        QTRY_COMPARE_WITH_TIMEOUT(laptop->aboutOf(m_bob->account().userId), QStringLiteral("Builds things 🔨"), 10000);
        // Removed on the laptop: Bob's next message tells Alice there is none any more.
        QVERIFY(laptop->setProfileAbout(QString()));
        QTRY_COMPARE_WITH_TIMEOUT(m_bob->aboutOf(m_bob->account().userId), QString(), 10000);
        QVERIFY(ClientHarness::sendAndWait(m_bob, m_alice, chat, "no more about"));
        QCOMPARE(m_alice->aboutOf(m_bob->account().userId), QString());
        QCOMPARE(nameOfBob(m_alice), QStringLiteral("Bob the Builder"));
    }

    void aTooLongAboutTextIsRefusedAndNothingChanges() {
        QVERIFY(m_bob->setProfileAbout(QStringLiteral("Builds things")));
        const int queued = natter::client::valueOr(m_bob->store().outbox().count(), -1);
        auto refused = m_bob->setProfileAbout(QString(141, QLatin1Char('a')));
        QVERIFY(!refused);
        QVERIFY(refused.error().kind == natter::client::ErrorKind::InvalidArgument);
        QVERIFY2(refused.error().message.contains(QStringLiteral("140 bytes")), qPrintable(refused.error().message));
        // 36 emoji of 4 bytes each: 72 UTF-16 units, yet 144 bytes.
        QVERIFY(!m_bob->setProfileAbout(QString::fromUtf8(QByteArray("🔨").repeated(36))));
        QCOMPARE(m_bob->aboutOf(m_bob->account().userId), QStringLiteral("Builds things"));
        QCOMPARE(natter::client::valueOr(m_bob->store().outbox().count(), -1), queued);
        const QString chat = bobWritesToAlice("hello");
        QVERIFY(!chat.isEmpty());
        QCOMPARE(m_alice->aboutOf(m_bob->account().userId), QStringLiteral("Builds things"));
    }

    void natterdKeepsTheNameOnlyWhereRegistrationPutIt() {
        const QString chat = bobWritesToAlice("is this Alice?");
        QVERIFY(!chat.isEmpty());
        QCOMPARE(nameOfBob(m_alice), QStringLiteral("Bob the Builder"));
        QCOMPARE(ServerDatabase(m_world->server().dataDir()).valuesContaining("Bob the Builder"),
                 QStringList{QStringLiteral("users.display_name")});
    }
};

QTEST_GUILESS_MAIN(TestClientProfileNames)
#include "tst_client_profile_names.moc"
