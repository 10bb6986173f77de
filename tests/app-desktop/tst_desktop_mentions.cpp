// natter-desktop's @-mentions with the real QML, a real Client and a real natterd: a received
// group message that mentions you shows an "@" beside its time (a plain one does not); typing
// "@" and letters in a group's composer lists the matching members above it, Up/Down move,
// Enter, Tab or a click insert the name, Escape closes, and what is sent mentions that member
// on their own device; in a 1:1 chat no list opens.
#include "desktop_test_main.h"
#include "client_harness.h"
#include "desktop_test_support.h"
#include "natterd_process.h"

#include "conversation_view.h"
#include "desktop_app.h"
#include "mention_completer.h"

#include "client/client.h"
#include "client/messaging/group_directory.h"

#include <QApplication>
#include <QDir>
#include <QQuickItem>
#include <QQuickStyle>
#include <QQuickWindow>
#include <QTest>

#include <functional>

using namespace natter;
using natter::test::ClientHarness;
using natter::test::NatterdProcess;
using natter::test::typeInto;
using natter::test::walkItems;

namespace {

constexpr int kWaitMs = 20000;

} // namespace

class TstDesktopMentions : public QObject {
    Q_OBJECT
    NatterdProcess m_server;
    std::unique_ptr<ClientHarness> m_clients;
    std::unique_ptr<desktop::DesktopApp> m_app;
    client::Client* m_bob = nullptr;
    client::Client* m_boris = nullptr;
    client::Client* m_carol = nullptr;
    QString m_group;

    desktop::ConversationView* view() const { return m_app->controller().conversationView(); }
    QQuickWindow* window() const { return m_app->window(); }
    QQuickItem* item(const char* name) const { return window()->findChild<QQuickItem*>(QString::fromLatin1(name)); }
    QString composerText() const { return item("composerInput")->property("text").toString(); }

    // The names the list above the composer shows.
    QStringList listed() const {
        QStringList names;
        auto* mentions = view()->mentionCompleter();
        for (int row = 0; row < mentions->rowCount(); ++row)
            names << mentions->index(row).data(desktop::MentionCompleter::NameRole).toString();
        return names;
    }

    // The text of each bubble whose "@" mark shows.
    QStringList markedBubbles() const {
        QStringList texts;
        QQuickItem* list = item("messageList");
        if (!list) return texts;
        walkItems(list, [&](QQuickItem* i) {
            if (i->objectName() != QLatin1String("mentionMark") || !i->isVisible()) return;
            for (QQuickItem* up = i->parentItem(); up; up = up->parentItem())
                if (auto* text = up->findChild<QQuickItem*>(QStringLiteral("messageText"))) {
                    texts << text->property("text").toString();
                    return;
                }
        });
        return texts;
    }

    void openComposerOf(const QString& chat) {
        QVERIFY(m_app->controller().openChat(chat));
        QTRY_VERIFY_WITH_TIMEOUT(item("composerInput"), kWaitMs);
        item("composerInput")->forceActiveFocus();
        QTRY_VERIFY_WITH_TIMEOUT(item("composerInput")->hasActiveFocus(), kWaitMs);
    }

private slots:
    void initTestCase() {
        qputenv("XDG_CONFIG_HOME", QDir::tempPath().toUtf8() + "/natter-desktop-mentions-config");
        QVERIFY2(m_server.start(), qPrintable(m_server.errorString()));
        m_clients = std::make_unique<ClientHarness>(m_server.baseUrl());
        auto* alice = m_clients->signUp(QStringLiteral("alice"), QStringLiteral("+15551401"), QStringLiteral("Alice"));
        m_bob = m_clients->signUp(QStringLiteral("bob"), QStringLiteral("+15551402"), QStringLiteral("Bob"));
        m_boris = m_clients->signUp(QStringLiteral("boris"), QStringLiteral("+15551403"), QStringLiteral("Boris"));
        m_carol = m_clients->signUp(QStringLiteral("carol"), QStringLiteral("+15551404"), QStringLiteral("Carol"));
        QVERIFY2(alice && m_bob && m_boris && m_carol, qPrintable(m_clients->lastError()));
        for (auto [peer, name] : {std::pair{m_bob, "Bob"}, std::pair{m_boris, "Boris"}, std::pair{m_carol, "Carol"}})
            QVERIFY2(m_clients->befriend(alice, QString::fromLatin1(name), peer, QStringLiteral("Alice")), qPrintable(m_clients->lastError()));
        auto group = test::await<QString>([&](auto done) {
            m_bob->groups().create(QStringLiteral("Allotment"),
                                   {alice->account().userId, m_boris->account().userId, m_carol->account().userId}, done);
        });
        QVERIFY(group);
        m_group = *group;
        QTRY_VERIFY_WITH_TIMEOUT(alice->groupInfo(m_group) && alice->groupInfo(m_group)->members.size() == 4, kWaitMs);
        QVERIFY(m_bob->resolveChat(QStringLiteral("Alice")));
        m_clients->close(QStringLiteral("alice")); // the app opens Alice's profile

        desktop::AppController::Options options;
        options.profile = QStringLiteral("alice");
        options.dataRoot = m_clients->dataRoot();
        m_app = std::make_unique<desktop::DesktopApp>(options);
        QVERIFY(m_app->start());
        QTRY_VERIFY_WITH_TIMEOUT(m_app->controller().client()->isSynced(), kWaitMs);
    }

    void aReceivedMessageThatMentionsYouShowsTheAtMark() {
        client::Client* alice = m_app->controller().client();
        const QString mention = QStringLiteral("@%1 the shed key is under the pot").arg(m_bob->displayNameOf(alice->account().userId));
        QVERIFY(m_bob->sendText(m_group, QStringLiteral("Plain news: the tomatoes are in")));
        QVERIFY(m_bob->sendText(m_group, mention));
        QTRY_VERIFY_WITH_TIMEOUT(ClientHarness::findMessage(alice, m_group, mention), kWaitMs);
        QVERIFY(ClientHarness::findMessage(alice, m_group, QStringLiteral("Plain news: the tomatoes are in")));
        QVERIFY(m_app->controller().openChat(m_group));
        QTRY_COMPARE_WITH_TIMEOUT(markedBubbles().size(), 1, kWaitMs);
        QVERIFY2(markedBubbles().first().contains(QStringLiteral("the shed key is under the pot")), qPrintable(markedBubbles().first()));
    }

    void keysPickAMemberFromTheListAndTheSentTextMentionsThem() {
        openComposerOf(m_group);
        QVERIFY(!item("mentionList")->isVisible());
        typeInto(window(), "@bo");
        QTRY_VERIFY_WITH_TIMEOUT(item("mentionList")->isVisible(), kWaitMs);
        QCOMPARE(listed(), (QStringList{"Bob", "Boris"}));
        QCOMPARE(view()->mentionCompleter()->currentIndex(), 0);
        // Above the field, inside the window.
        const auto sceneRect = [](QQuickItem* i) { return i->mapRectToScene(QRectF(0, 0, i->width(), i->height())); };
        const QRectF list = sceneRect(item("mentionList"));
        QVERIFY2(list.top() >= 0 && list.bottom() <= sceneRect(item("composerInput")).top() && list.height() >= 2 * 32,
                 qPrintable(QStringLiteral("list at %1,%2 %3x%4").arg(list.x()).arg(list.y()).arg(list.width()).arg(list.height())));
        QTest::keyClick(window(), Qt::Key_Down);
        QCOMPARE(view()->mentionCompleter()->currentIndex(), 1);
        QTest::keyClick(window(), Qt::Key_Return);
        QCOMPARE(composerText(), QStringLiteral("@Boris "));
        QVERIFY(!item("mentionList")->isVisible());
        typeInto(window(), "water the beans please");
        QTest::keyClick(window(), Qt::Key_Return);
        const QString sent = QStringLiteral("@Boris water the beans please");
        QTRY_VERIFY_WITH_TIMEOUT(ClientHarness::findMessage(m_boris, m_group, sent), kWaitMs);
        QVERIFY(ClientHarness::findMessage(m_boris, m_group, sent)->mentionsMe);
        QTRY_VERIFY_WITH_TIMEOUT(ClientHarness::findMessage(m_carol, m_group, sent), kWaitMs);
        QVERIFY(!ClientHarness::findMessage(m_carol, m_group, sent)->mentionsMe);
        QCOMPARE(composerText(), QString());

        // Tab inserts too, and Up wraps to the last member.
        typeInto(window(), "@bo");
        QTRY_VERIFY_WITH_TIMEOUT(item("mentionList")->isVisible(), kWaitMs);
        QTest::keyClick(window(), Qt::Key_Up);
        QTest::keyClick(window(), Qt::Key_Up);
        QCOMPARE(view()->mentionCompleter()->currentIndex(), 0);
        QTest::keyClick(window(), Qt::Key_Tab);
        QCOMPARE(composerText(), QStringLiteral("@Bob "));
        QVERIFY(item("composerInput")->hasActiveFocus());
        QMetaObject::invokeMethod(item("composerInput"), "clear");
    }

    void escapeClosesTheListAndAClickInsertsAName() {
        openComposerOf(m_group);
        typeInto(window(), "Ask @c");
        QTRY_VERIFY_WITH_TIMEOUT(item("mentionList")->isVisible(), kWaitMs);
        QCOMPARE(listed(), QStringList{"Carol"});
        QTest::keyClick(window(), Qt::Key_Escape);
        QVERIFY(!item("mentionList")->isVisible());
        QCOMPARE(composerText(), QStringLiteral("Ask @c"));
        QVERIFY(m_app->controller().conversationView()); // Escape did not leave the chat either
        typeInto(window(), "a"); // another prefix: the list is back
        QTRY_VERIFY_WITH_TIMEOUT(item("mentionList")->isVisible(), kWaitMs);

        QQuickItem* carol = nullptr;
        walkItems(item("mentionList"), [&](QQuickItem* i) {
            if (i->objectName() == QLatin1String("mentionCandidate") && i->isVisible()) carol = i;
        });
        QVERIFY(carol);
        QTest::mouseClick(window(), Qt::LeftButton, {}, carol->mapToScene(QPointF(carol->width() / 2, carol->height() / 2)).toPoint());
        QTRY_COMPARE_WITH_TIMEOUT(composerText(), QStringLiteral("Ask @Carol "), kWaitMs);
        QVERIFY(item("composerInput")->hasActiveFocus());
        typeInto(window(), "about the gate");
        QTest::keyClick(window(), Qt::Key_Return);
        const QString sent = QStringLiteral("Ask @Carol about the gate");
        QTRY_VERIFY_WITH_TIMEOUT(ClientHarness::findMessage(m_carol, m_group, sent), kWaitMs);
        QVERIFY(ClientHarness::findMessage(m_carol, m_group, sent)->mentionsMe);
    }

    void noListOpensInADirectChat() {
        openComposerOf(QStringLiteral("Bob"));
        QVERIFY(!view()->isGroup());
        typeInto(window(), "@b");
        QCOMPARE(composerText(), QStringLiteral("@b"));
        QVERIFY(!item("mentionList")->isVisible());
        QCOMPARE(view()->mentionCompleter()->rowCount(), 0);
        QMetaObject::invokeMethod(item("composerInput"), "clear");
    }

    void cleanupTestCase() { m_app.reset(); }
};

NATTER_DESKTOP_TEST_MAIN(TstDesktopMentions)

#include "tst_desktop_mentions.moc"
