// Profile names in groups before anyone writes, with real clients against a real natterd: a
// member's chosen name reaches the others as soon as they share a group (profile-only content,
// never a message, no unread), a member added later and the existing members learn each other's
// names at once, also a member offline meanwhile, at the cost of one profile per member and new
// member; a rename reaches them without a message; a contact name given locally still wins.
#include "client_harness.h"
#include "natterd_process.h"
#include "server_database.h"

#include "client/client.h"
#include "client/messaging/group_directory.h"
#include "client/store/chat_store.h"
#include "client/store/database.h"
#include "client/store/outbox_store.h"
#include "client/store/peer_profile_store.h"
#include "client/store/profile_store.h"

#include <QTest>

using namespace natter::test;
using natter::client::Client;

class TestClientGroupProfiles : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<ClientWorld> m_world;
    Client* m_alice = nullptr; // creates the groups
    Client* m_bob = nullptr;   // a stranger to the others, who chose "Bob the Builder"
    Client* m_zoe = nullptr;   // a stranger to the others, who chose "Zoë Keller"

    static natter::client::UserId idOf(Client* c) { return c->account().userId; }
    static QString nameShown(Client* viewer, Client* member) { return viewer->displayNameOf(idOf(member)); }
    QString createGroup(const QString& name, const std::vector<natter::client::UserId>& members) {
        auto group = await<QString>([&](auto done) { m_alice->groups().create(name, members, done); });
        return group ? *group : QString();
    }
    // Nothing but the group's own system lines ("... created the group", "... added ..."), none unread.
    static bool onlyGroupEvents(Client* c, const QString& chatId) {
        for (const auto& m : ClientHarness::messagesOf(c, chatId))
            if (m.kind != natter::client::MessageKind::system) return false;
        auto chat = c->store().chats().byId(chatId);
        return chat && *chat && (*chat)->unread == 0;
    }

private slots:
    void init() {
        m_world = std::make_unique<ClientWorld>();
        QVERIFY2(m_world->start({{"Alice", "+4915170000301"}}), qPrintable(m_world->error()));
        m_alice = m_world->user("Alice");
        m_bob = m_world->clients().signUp("bob", "+4915170000302", "Bob the Builder");
        QVERIFY2(m_bob, qPrintable(m_world->clients().lastError()));
        m_zoe = m_world->clients().signUp("zoe", "+4915170000303", "Zoë Keller");
        QVERIFY2(m_zoe, qPrintable(m_world->clients().lastError()));
    }

    void cleanup() { m_world.reset(); }

    void membersWhoNeverWroteSeeEachOtherByTheirChosenNames() {
        const QString group = createGroup(QStringLiteral("Climbing Saturday"), {idOf(m_bob), idOf(m_zoe)});
        QVERIFY(!group.isEmpty());
        QTRY_COMPARE_WITH_TIMEOUT(nameShown(m_bob, m_zoe), QStringLiteral("Zoë Keller"), 15000);
        QTRY_COMPARE_WITH_TIMEOUT(nameShown(m_zoe, m_bob), QStringLiteral("Bob the Builder"), 15000);
        QTRY_COMPARE_WITH_TIMEOUT(nameShown(m_bob, m_alice), QStringLiteral("Alice"), 15000);
        QTRY_COMPARE_WITH_TIMEOUT(nameShown(m_zoe, m_alice), QStringLiteral("Alice"), 15000);
        QTRY_COMPARE_WITH_TIMEOUT(nameShown(m_alice, m_bob), QStringLiteral("Bob the Builder"), 15000);
        QTRY_COMPARE_WITH_TIMEOUT(nameShown(m_alice, m_zoe), QStringLiteral("Zoë Keller"), 15000);
        // The names came without a message: no row besides the group's events, nothing unread.
        QVERIFY(onlyGroupEvents(m_alice, group));
        QVERIFY(onlyGroupEvents(m_bob, group));
        QVERIFY(onlyGroupEvents(m_zoe, group));
    }

    void aMemberAddedLaterAndTheMembersLearnEachOthersNamesAtOnce() {
        const QString group = createGroup(QStringLiteral("Book club"), {idOf(m_bob)});
        QVERIFY(!group.isEmpty());
        QTRY_COMPARE_WITH_TIMEOUT(nameShown(m_alice, m_bob), QStringLiteral("Bob the Builder"), 15000);
        QVERIFY(await<natter::client::GroupRecord>([&](auto done) { m_alice->groups().addMembers(group, {idOf(m_zoe)}, done); }));
        QTRY_COMPARE_WITH_TIMEOUT(nameShown(m_zoe, m_alice), QStringLiteral("Alice"), 15000);
        QTRY_COMPARE_WITH_TIMEOUT(nameShown(m_zoe, m_bob), QStringLiteral("Bob the Builder"), 15000);
        QTRY_COMPARE_WITH_TIMEOUT(nameShown(m_bob, m_zoe), QStringLiteral("Zoë Keller"), 15000);
        QTRY_COMPARE_WITH_TIMEOUT(nameShown(m_alice, m_zoe), QStringLiteral("Zoë Keller"), 15000);
        QVERIFY(onlyGroupEvents(m_zoe, group));
        QVERIFY(onlyGroupEvents(m_bob, group));
        // Sent once: a later refresh of the group (as a command or a restart does) queues nothing.
        QTRY_COMPARE_WITH_TIMEOUT(natter::client::valueOr(m_bob->store().outbox().count(), -1), 0, 15000);
        QVERIFY(await<natter::client::GroupRecord>([&](auto done) { m_bob->groups().refresh(group, done); }));
        QCOMPARE(natter::client::valueOr(m_bob->store().outbox().count(), -1), 0);
    }

    void aMemberOfflineWhileSomeoneJoinedLearnsTheNameAfterReconnecting() {
        const QString group = createGroup(QStringLiteral("Choir"), {idOf(m_bob)});
        QVERIFY(!group.isEmpty());
        QTRY_COMPARE_WITH_TIMEOUT(nameShown(m_bob, m_alice), QStringLiteral("Alice"), 15000);
        QTRY_COMPARE_WITH_TIMEOUT(nameShown(m_alice, m_bob), QStringLiteral("Bob the Builder"), 15000);
        QTRY_COMPARE_WITH_TIMEOUT(natter::client::valueOr(m_bob->store().outbox().count(), -1), 0, 15000);
        m_world->clients().close(QStringLiteral("bob"));
        QVERIFY(await<natter::client::GroupRecord>([&](auto done) { m_alice->groups().addMembers(group, {idOf(m_zoe)}, done); }));
        QTRY_COMPARE_WITH_TIMEOUT(nameShown(m_zoe, m_alice), QStringLiteral("Alice"), 15000);
        m_bob = m_world->clients().reopen(QStringLiteral("bob"));
        QVERIFY2(m_bob, qPrintable(m_world->clients().lastError()));
        QTRY_COMPARE_WITH_TIMEOUT(nameShown(m_bob, m_zoe), QStringLiteral("Zoë Keller"), 15000);
        QTRY_COMPARE_WITH_TIMEOUT(nameShown(m_zoe, m_bob), QStringLiteral("Bob the Builder"), 15000);
        QVERIFY(onlyGroupEvents(m_bob, group));
    }

    void membersAddedOneByOneGetOneProfileFromEachMemberAndNobodyElseDoes() {
        Client* carl = m_world->clients().signUp("carl", "+4915170000304", "Carl Sagan");
        QVERIFY2(carl, qPrintable(m_world->clients().lastError()));
        const QString group = createGroup(QStringLiteral("Astronomy"), {idOf(m_bob)});
        QVERIFY(!group.isEmpty());
        QTRY_COMPARE_WITH_TIMEOUT(nameShown(m_alice, m_bob), QStringLiteral("Bob the Builder"), 15000);
        for (Client* joining : {m_zoe, carl}) {
            QVERIFY(await<natter::client::GroupRecord>(
                [&](auto done) { m_alice->groups().addMembers(group, {idOf(joining)}, done); }));
            QTRY_VERIFY_WITH_TIMEOUT(nameShown(joining, m_bob) == QStringLiteral("Bob the Builder") &&
                                         nameShown(m_bob, joining) != QStringLiteral("User %1").arg(idOf(joining)),
                                     15000);
        }
        QTRY_COMPARE_WITH_TIMEOUT(nameShown(carl, m_zoe), QStringLiteral("Zoë Keller"), 15000);
        QTRY_COMPARE_WITH_TIMEOUT(natter::client::valueOr(m_bob->store().outbox().count(), -1), 0, 15000);
        // Bob announced himself to the group once, when he joined; each later member got his
        // profile once, in the direct chat, and nothing more went to the group for them.
        const ServerDatabase server(m_world->server().dataDir());
        QCOMPARE(server.messagesSentBy(idOf(m_bob), group), 1);
        QCOMPARE(server.messagesSentBy(idOf(m_bob), ClientHarness::directChat(m_bob, m_zoe)), 1);
        QCOMPARE(server.messagesSentBy(idOf(m_bob), ClientHarness::directChat(m_bob, carl)), 1);
    }

    void aGroupWhoseProfileNeverWentGetsItAfterTheNextStart() {
        const QString group = createGroup(QStringLiteral("Sailing"), {idOf(m_bob)});
        QVERIFY(!group.isEmpty());
        QTRY_COMPARE_WITH_TIMEOUT(nameShown(m_alice, m_bob), QStringLiteral("Bob the Builder"), 15000);
        // Everything for Bob arrived (the event, Alice's name and the group's secret, which names it).
        QTRY_COMPARE_WITH_TIMEOUT(nameShown(m_bob, m_alice), QStringLiteral("Alice"), 15000);
        QTRY_COMPARE_WITH_TIMEOUT(m_bob->chatInfo(group).value_or(natter::client::ChatRecord{}).title, QStringLiteral("Sailing"), 15000);
        QTRY_COMPARE_WITH_TIMEOUT(natter::client::valueOr(m_bob->store().outbox().count(), -1), 0, 15000);
        const ServerDatabase server(m_world->server().dataDir());
        QCOMPARE(server.messagesSentBy(idOf(m_bob), group), 1);
        // As if Bob's app had closed between the "added" event and the member list it fetches.
        m_world->clients().close(QStringLiteral("bob"));
        m_bob = m_world->clients().reopen(QStringLiteral("bob"), false);
        QVERIFY2(m_bob, qPrintable(m_world->clients().lastError()));
        QVERIFY(m_bob->store().database().exec("UPDATE chats SET profile_sent = 0 WHERE chat_id LIKE 'g:%'"));
        m_bob->connectToServer();
        QTRY_COMPARE_WITH_TIMEOUT(server.messagesSentBy(idOf(m_bob), group), 2, 15000);
        // ...and only once: another start sends nothing more.
        m_world->clients().close(QStringLiteral("bob"));
        m_bob = m_world->clients().reopen(QStringLiteral("bob"));
        QVERIFY2(m_bob, qPrintable(m_world->clients().lastError()));
        QVERIFY(m_world->clients().waitSynced(m_bob));
        QTRY_COMPARE_WITH_TIMEOUT(natter::client::valueOr(m_bob->store().outbox().count(), -1), 0, 15000);
        QCOMPARE(server.messagesSentBy(idOf(m_bob), group), 2);
    }

    void aRenameReachesGroupMembersWithoutAMessage() {
        const QString group = createGroup(QStringLiteral("Pottery"), {idOf(m_bob), idOf(m_zoe)});
        QVERIFY(!group.isEmpty());
        QTRY_COMPARE_WITH_TIMEOUT(nameShown(m_zoe, m_bob), QStringLiteral("Bob the Builder"), 15000);
        QVERIFY(await<void>([&](auto done) { m_bob->setProfileName(QStringLiteral("Robert"), done); }));
        QTRY_COMPARE_WITH_TIMEOUT(nameShown(m_zoe, m_bob), QStringLiteral("Robert"), 15000);
        QTRY_COMPARE_WITH_TIMEOUT(nameShown(m_alice, m_bob), QStringLiteral("Robert"), 15000);
        QVERIFY(onlyGroupEvents(m_zoe, group));
    }

    void aContactNameGivenLocallyStillWinsInAGroup() {
        QVERIFY(m_world->clients().befriend(m_alice, "Bobby", m_bob, "Alice"));
        const QString group = createGroup(QStringLiteral("Gym"), {idOf(m_bob), idOf(m_zoe)});
        QVERIFY(!group.isEmpty());
        // Bob's profile reached Alice too (Zoë sees it), yet Alice shows her own name for him.
        QTRY_COMPARE_WITH_TIMEOUT(nameShown(m_zoe, m_bob), QStringLiteral("Bob the Builder"), 15000);
        QTRY_COMPARE_WITH_TIMEOUT(natter::client::valueOr(m_alice->store().peerProfiles().name(idOf(m_bob)),
                                                          std::optional<QString>()).value_or(QString()),
                                  QStringLiteral("Bob the Builder"), 15000);
        QCOMPARE(nameShown(m_alice, m_bob), QStringLiteral("Bobby"));
    }
};

QTEST_GUILESS_MAIN(TestClientGroupProfiles)
#include "tst_client_group_profiles.moc"
