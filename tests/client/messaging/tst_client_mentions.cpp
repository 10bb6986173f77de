// Mentions in groups: "@Name" in a group text names that member (no markup needed), and the
// member's device marks the message as mentioning them, which is what notifies them in a group
// they muted; nobody else's copy is marked. A name the composer completes from the group's
// members is such a mention.
#include "client_harness.h"
#include "natterd_process.h"

#include "client/client.h"
#include "client/messaging/group_directory.h"
#include "client/messaging/mention_candidates.h"
#include "client/messaging/mentions.h"
#include "client/store/chat_store.h"
#include "client/store/profile_store.h"

#include <QTest>

using namespace natter::test;
using natter::client::Client;
using natter::client::mentionedMembers;
using natter::client::UserId;

class TestClientMentions : public QObject {
    Q_OBJECT

    using Members = std::vector<std::pair<UserId, QString>>;

private slots:
    void anAtNameMentionsThatMemberOnceWhateverItsCase() {
        const Members members{{2, "Bob"}, {3, "Carol"}};
        QCOMPARE(mentionedMembers("@bob are you coming? @Bob!", members), std::vector<UserId>{2});
        QCOMPARE(mentionedMembers("@Carol and @Bob", members), (std::vector<UserId>{3, 2}));
        QCOMPARE(mentionedMembers("no mention of Bob here", members), std::vector<UserId>{});
        QCOMPARE(mentionedMembers("mail bob@Bobby.example", members), std::vector<UserId>{}); // a longer word
        QCOMPARE(mentionedMembers("@Dave?", members), std::vector<UserId>{});                 // no such member
    }

    void theLongestMatchingNameWins() {
        const Members members{{2, "Ann"}, {3, "Ann Lee"}};
        QCOMPARE(mentionedMembers("@Ann Lee, lunch?", members), std::vector<UserId>{3});
        QCOMPARE(mentionedMembers("@Ann Lee and @Ann", members), (std::vector<UserId>{3, 2}));
    }

    void aMentionedMemberGetsTheMessageMarkedEvenInAMutedGroupAndOthersDoNot() {
        ClientWorld world;
        QVERIFY2(world.start({{"Alice", "+4915120000101"}, {"Bob", "+4915120000102"}, {"Carol", "+4915120000103"}}),
                 qPrintable(world.error()));
        Client* alice = world.user("Alice");
        Client* bob = world.user("Bob");
        Client* carol = world.user("Carol");
        auto group = await<QString>([&](auto done) {
            alice->groups().create("Lunch", {bob->account().userId, carol->account().userId}, done);
        });
        QVERIFY(group);
        QTRY_VERIFY_WITH_TIMEOUT(bob->chatInfo(*group).has_value(), 10000);
        QVERIFY(bob->setChatFlags(*group, false, true, false)); // Bob muted the group

        const QString text = "@" + alice->displayNameOf(bob->account().userId) + " are you coming?";
        QVERIFY(alice->sendText(*group, text));
        QTRY_VERIFY_WITH_TIMEOUT(ClientHarness::findMessage(bob, *group, text).has_value(), 10000);
        QTRY_VERIFY_WITH_TIMEOUT(ClientHarness::findMessage(carol, *group, text).has_value(), 10000);
        QVERIFY(ClientHarness::findMessage(bob, *group, text)->mentionsMe);
        QVERIFY(!ClientHarness::findMessage(carol, *group, text)->mentionsMe);
        QVERIFY(!ClientHarness::findMessage(alice, *group, text)->mentionsMe);

        // A plain message in the group marks nobody.
        QVERIFY(alice->sendText(*group, "Table at 12"));
        QTRY_VERIFY_WITH_TIMEOUT(ClientHarness::findMessage(bob, *group, "Table at 12").has_value(), 10000);
        QVERIFY(!ClientHarness::findMessage(bob, *group, "Table at 12")->mentionsMe);
    }

    // Complete "@car" from the group's members as Alice's device names them, send, and Carol's
    // device marks it; Bob's does not. Alice is not offered.
    void aCompletedNameSentToTheGroupMentionsThatMember() {
        ClientWorld world;
        QVERIFY2(world.start({{"Alice", "+4915120000111"}, {"Bob", "+4915120000112"}, {"Carol", "+4915120000113"}}),
                 qPrintable(world.error()));
        Client* alice = world.user("Alice");
        Client* bob = world.user("Bob");
        Client* carol = world.user("Carol");
        auto group = await<QString>([&](auto done) {
            alice->groups().create("Choir", {bob->account().userId, carol->account().userId}, done);
        });
        QVERIFY(group);
        QTRY_VERIFY_WITH_TIMEOUT(carol->chatInfo(*group).has_value(), 10000);
        const auto members = alice->mentionMembers(*group);
        QCOMPARE(members.size(), std::size_t(3));
        QVERIFY(alice->mentionMembers(ClientHarness::directChat(alice, bob)).empty()); // a 1:1 chat has none

        const QString typed = "Who sings first, @" + alice->displayNameOf(carol->account().userId).left(3).toLower();
        const auto query = natter::client::mentionQueryAt(typed, typed.size(), members, alice->account().userId);
        QVERIFY(query);
        QCOMPARE(query->candidates.size(), std::size_t(1));
        QCOMPARE(query->candidates.front().first, carol->account().userId);
        const QString text = natter::client::completeMention(typed, *query, query->candidates.front().second).text + "or Bob?";
        QVERIFY(alice->sendText(*group, text));
        QTRY_VERIFY_WITH_TIMEOUT(ClientHarness::findMessage(carol, *group, text).has_value(), 10000);
        QTRY_VERIFY_WITH_TIMEOUT(ClientHarness::findMessage(bob, *group, text).has_value(), 10000);
        QVERIFY(ClientHarness::findMessage(carol, *group, text)->mentionsMe);
        QVERIFY(!ClientHarness::findMessage(bob, *group, text)->mentionsMe);
    }
};

QTEST_GUILESS_MAIN(TestClientMentions)
#include "tst_client_mentions.moc"
