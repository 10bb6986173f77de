// Completing "@name" in a group's composer: which members a typed "@prefix" offers, what the
// text becomes when one is chosen (and that sending it then mentions that member), and the
// "@word"s of a finished text that mention nobody.
#include "client/messaging/mention_candidates.h"

#include <QTest>

using natter::client::completeMention;
using natter::client::looseMentions;
using natter::client::mentionedMembers;
using natter::client::MentionMembers;
using natter::client::mentionQueryAt;
using natter::client::mentionStartAt;
using natter::client::UserId;

namespace {

constexpr UserId kSelf = 1;
const MentionMembers kMembers{{kSelf, "Bodo"}, {2, "Bob"}, {3, "boris"}, {4, "Carol"}, {5, "Ann Lee"}, {6, "Ann"}};

// The names offered with the cursor at the end of text (empty list when there is no token).
QStringList offered(const QString& text, const MentionMembers& members = kMembers) {
    QStringList names;
    if (auto query = mentionQueryAt(text, text.size(), members, kSelf))
        for (const auto& candidate : query->candidates) names << candidate.second;
    return names;
}

} // namespace

class TestMentionCandidates : public QObject {
    Q_OBJECT

private slots:
    void anAtAloneOffersEveryOtherMemberByName() {
        QCOMPARE(offered("Hi @"), (QStringList{"Ann", "Ann Lee", "Bob", "boris", "Carol"}));
    }

    void aPrefixOffersTheMembersWhoseNameStartsWithItInAnyCaseButNotTheUser() {
        QCOMPARE(offered("Lunch, @bo"), (QStringList{"Bob", "boris"})); // not Bodo: that is the user
        QCOMPARE(offered("@CAR"), QStringList{"Carol"});
        QCOMPARE(offered("@ann l"), QStringList{"Ann Lee"}); // a name with a space goes on matching
        QVERIFY(mentionQueryAt("@Zed", 4, kMembers, kSelf).has_value());
        QVERIFY(offered("@Zed").isEmpty()); // a token, but nobody matches
    }

    void nothingIsOfferedOutsideAnAtToken() {
        QVERIFY(!mentionQueryAt("mail bob@bo", 11, kMembers, kSelf)); // inside a word: an address
        QVERIFY(!mentionQueryAt("@Bob see you", 12, kMembers, kSelf)); // the mention is finished
        QVERIFY(!mentionQueryAt("@Bo\nsee", 7, kMembers, kSelf));      // another line
        QVERIFY(!mentionQueryAt("@ Bob", 5, kMembers, kSelf));
        QVERIFY(!mentionQueryAt("no at here", 10, kMembers, kSelf));
        QVERIFY(!mentionQueryAt("@Bob", 0, kMembers, kSelf)); // the cursor before the '@'
        // The '@' that may be completed is found without members; the members then decide.
        QCOMPARE(mentionStartAt("Hi @Bob see", 11), std::optional<qsizetype>(3));
        QVERIFY(!mentionStartAt("mail bob@bo", 11));
        QVERIFY(!mentionStartAt("@" + QString(101, 'x'), 102)); // too far back for any name
        QCOMPARE(mentionStartAt("@" + QString(100, 'x'), 101), std::optional<qsizetype>(0));
    }

    void theOfferIsBoundedAndInAStableOrder() {
        MentionMembers many;
        for (UserId user = 40; user > 10; --user) many.emplace_back(user, QStringLiteral("Member %1").arg(user));
        many.emplace_back(50, "Member 11"); // the same name twice: the lower user id first
        const auto query = mentionQueryAt("@mem", 4, many, kSelf);
        QVERIFY(query);
        QCOMPARE(query->candidates.size(), natter::client::kMaxMentionCandidates);
        QCOMPARE(query->candidates.front(), (std::pair<UserId, QString>{11, "Member 11"}));
        QCOMPARE(query->candidates.at(1), (std::pair<UserId, QString>{50, "Member 11"}));
        QCOMPARE(query->candidates.back().second, QStringLiteral("Member 17"));
    }

    void choosingAMemberReplacesThePrefixWithTheNameAndASpace() {
        auto query = mentionQueryAt("Hi @bo", 6, kMembers, kSelf);
        QVERIFY(query);
        auto done = completeMention("Hi @bo", *query, "Bob");
        QCOMPARE(done.text, QStringLiteral("Hi @Bob "));
        QCOMPARE(done.cursor, qsizetype(8));

        // The cursor inside the word: the whole word is replaced; punctuation keeps its place.
        query = mentionQueryAt("@Cxyz, lunch?", 2, kMembers, kSelf);
        QVERIFY(query);
        QCOMPARE(query->prefix, QStringLiteral("C"));
        done = completeMention("@Cxyz, lunch?", *query, "Carol");
        QCOMPARE(done.text, QStringLiteral("@Carol, lunch?"));
        QCOMPARE(done.cursor, qsizetype(6));

        // A space already there is not doubled; the cursor goes past it.
        query = mentionQueryAt("see @an you", 7, kMembers, kSelf);
        QVERIFY(query);
        done = completeMention("see @an you", *query, "Ann Lee");
        QCOMPARE(done.text, QStringLiteral("see @Ann Lee you"));
        QCOMPARE(done.cursor, qsizetype(13));
    }

    // What completion inserts is what sending recognises: the chosen member, and only them.
    void aCompletedNameIsAMentionOfThatMember() {
        MentionMembers others = kMembers;
        std::erase_if(others, [](const auto& m) { return m.first == kSelf; });
        for (const auto& [user, name] : others) {
            const QString typed = "Are you in, @" + name.left(2).toLower();
            const auto query = mentionQueryAt(typed, typed.size(), kMembers, kSelf);
            QVERIFY(query);
            const QString text = completeMention(typed, *query, name).text + "tonight?";
            QCOMPARE(mentionedMembers(text, others), std::vector<UserId>{user});
        }
    }

    void aFinishedTextNamesItsAtWordsThatMentionNobody() {
        const auto loose = looseMentions("@Bo and @Bob, @zed; mail x@Bo, @Bodo @bo", kMembers, kSelf);
        QCOMPARE(loose.size(), std::size_t(3)); // @Bob mentions Bob; x@Bo is an address; @bo is @Bo again
        QCOMPARE(loose.at(0).word, QStringLiteral("@Bo"));
        QCOMPARE(loose.at(0).candidates, (MentionMembers{{2, "Bob"}, {3, "boris"}}));
        QCOMPARE(loose.at(1).word, QStringLiteral("@zed"));
        QVERIFY(loose.at(1).candidates.empty());
        QCOMPARE(loose.at(2).word, QStringLiteral("@Bodo")); // the user's own name mentions nobody
        QVERIFY(looseMentions("@Ann Lee and @Carol", kMembers, kSelf).empty());
    }
};

QTEST_APPLESS_MAIN(TestMentionCandidates)
#include "tst_mention_candidates.moc"
