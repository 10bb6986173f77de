// natter-desktop clear at a glance, with the real QML, a real Client and a real natterd: your
// own last message in the chat list, Search → Down → Enter, the group-info icon reached by Tab
// with a focus ring, member name colours and count, a member's name and avatar on runs of their
// messages, the archived-chats entry, and the Light / Dark choice in Settings (with screenshots
// checked for their brightness), and Tab reaching every control the accessibility tree lists.
// tst_desktop_e2e walks the Tab order of a direct chat.
#include "desktop_test_main.h"
#include "client_harness.h"
#include "desktop_test_support.h"
#include "natterd_process.h"

#include "appearance.h"
#include "conversation_view.h"
#include "desktop_app.h"

#include "client/client.h"

#include <QAccessible>
#include <QApplication>
#include <QDir>
#include <QPointer>
#include <QQuickItem>
#include <QQuickStyle>
#include <QQuickWindow>
#include <QTest>

#include <functional>

using namespace natter;
using natter::test::ClientHarness;
using natter::test::NatterdProcess;
using natter::test::accessibleName;
using natter::test::visibleItemsNamed;

namespace {

constexpr int kWaitMs = 20000;

// The mean lightness of an image (0 black .. 1 white), sampled on a grid.
double meanLightness(const QImage& image) {
    double sum = 0;
    int n = 0;
    for (int y = 0; y < image.height(); y += 5)
        for (int x = 0; x < image.width(); x += 5, ++n) sum += QColor(image.pixel(x, y)).lightnessF();
    return n ? sum / n : 0;
}

} // namespace

class TstDesktopGlance : public QObject {
    Q_OBJECT
    NatterdProcess m_server;
    std::unique_ptr<ClientHarness> m_clients;
    client::Client* m_bob = nullptr;
    client::Client* m_carol = nullptr;
    QString m_bobChat;
    QString m_carolChat;
    QString m_group;
    std::unique_ptr<desktop::DesktopApp> m_app;

    QQuickWindow* window() const { return m_app->window(); }
    QQuickItem* item(const char* name) const { return window()->findChild<QQuickItem*>(QString::fromLatin1(name)); }
    QQuickItem* focused() const { return window()->activeFocusItem(); }
    bool focusIn(QQuickItem* item) const { return focused() && (focused() == item || item->isAncestorOf(focused())); }
    QColor themeColour(const char* name) const {
        return window()->property("theme").value<QObject*>()->property(name).value<QColor>();
    }

private slots:
    void initTestCase() {
        qputenv("XDG_CONFIG_HOME", QDir::tempPath().toUtf8() + "/natter-desktop-glance-config");
        QVERIFY2(m_server.start(), qPrintable(m_server.errorString()));
        m_clients = std::make_unique<ClientHarness>(m_server.baseUrl());
        auto* alice = m_clients->signUp(QStringLiteral("alice"), QStringLiteral("+15552001"), QStringLiteral("Alice"));
        m_bob = m_clients->signUp(QStringLiteral("bob"), QStringLiteral("+15552002"), QStringLiteral("Bob"));
        m_carol = m_clients->signUp(QStringLiteral("carol"), QStringLiteral("+15552003"), QStringLiteral("Carol"));
        QVERIFY2(alice && m_bob && m_carol, qPrintable(m_clients->lastError()));
        QVERIFY2(m_clients->befriend(alice, QStringLiteral("Bob"), m_bob, QStringLiteral("Alice")), qPrintable(m_clients->lastError()));
        QVERIFY2(m_clients->befriend(alice, QStringLiteral("Carol"), m_carol, QStringLiteral("Alice")), qPrintable(m_clients->lastError()));
        QVERIFY2(m_clients->befriend(m_bob, QStringLiteral("Carol"), m_carol, QStringLiteral("Bob")), qPrintable(m_clients->lastError()));
        m_bobChat = ClientHarness::directChat(alice, m_bob);
        m_carolChat = ClientHarness::directChat(alice, m_carol);
        QVERIFY(m_carol->resolveChat(QStringLiteral("Alice")) && m_bob->resolveChat(QStringLiteral("Alice")));
        QVERIFY(m_carol->sendText(ClientHarness::directChat(m_carol, alice), QStringLiteral("Carol here")));
        QTRY_VERIFY_WITH_TIMEOUT(ClientHarness::findMessage(alice, m_carolChat, QStringLiteral("Carol here")), kWaitMs);
        m_clients->close(QStringLiteral("alice")); // the app opens Alice's profile

        desktop::AppController::Options options;
        options.profile = QStringLiteral("alice");
        options.dataRoot = m_clients->dataRoot();
        m_app = std::make_unique<desktop::DesktopApp>(options);
        m_app->appearance().setChoice(QStringLiteral("light"));
        QVERIFY(m_app->start());
        window()->resize(1280, 800);
        QTRY_VERIFY_WITH_TIMEOUT(m_app->controller().client() && m_app->controller().client()->isSynced(), kWaitMs);
        window()->requestActivate();
        QTRY_VERIFY_WITH_TIMEOUT(window()->isActive(), kWaitMs);
    }

    // The chat list shows my own last message as "You: …" with its tick, described in words.
    void ownLastMessageReadsYouWithItsTick() {
        QVERIFY(m_app->controller().openChat(QStringLiteral("Bob")));
        QVERIFY(m_app->controller().conversationView()->send(QStringLiteral("See you at eight")));
        QTRY_VERIFY_WITH_TIMEOUT(ClientHarness::findMessage(m_bob, m_bobChat, QStringLiteral("See you at eight")), kWaitMs);
        // Rows are rebuilt when the chat list reloads: look the tick up each time.
        const auto tick = [this]() -> QQuickItem* {
            for (QQuickItem* label : visibleItemsNamed(window()->contentItem(), QStringLiteral("previewText"))) {
                if (label->property("text").toString() != QStringLiteral("You: See you at eight")) continue;
                const auto ticks = visibleItemsNamed(label->parentItem(), QStringLiteral("previewTicks"));
                return ticks.size() == 1 ? ticks.front() : nullptr;
            }
            return nullptr;
        };
        QTRY_VERIFY_WITH_TIMEOUT(tick(), kWaitMs);
        QCOMPARE(tick()->property("status").toInt(), 1); // Image.Ready: the icon is drawn
        const QString said = accessibleName(tick());
        QVERIFY2(said == QStringLiteral("Sent") || said == QStringLiteral("Delivered"), qPrintable(said));
        // Bob reads it: the row's tick says so, in the read colour.
        QVERIFY(m_bob->markRead(m_bobChat));
        QTRY_COMPARE_WITH_TIMEOUT(accessibleName(tick()), QStringLiteral("Read"), kWaitMs);
        QCOMPARE(tick()->property("color").value<QColor>(), desktop::Appearance::tickColor(QStringLiteral("read"), false));
        // Carol's chat ends with her message: no "You:" there.
        bool carolRowFound = false;
        for (QQuickItem* label : visibleItemsNamed(window()->contentItem(), QStringLiteral("previewText")))
            if (label->property("text").toString() == QStringLiteral("Carol here")) carolRowFound = true;
        QVERIFY(carolRowFound);
    }

    // Typing in the search field, Down, Enter opens the chat the search highlights.
    void searchDownEnterOpensTheHighlightedChat() {
        QVERIFY(m_app->controller().openChat(QStringLiteral("Bob")));
        // Carol writes again: her chat moves to the top, Bob's (open, current) row is the second.
        QVERIFY(m_carol->sendText(m_carolChat, QStringLiteral("Carol again")));
        auto* list = item("chatList");
        QVERIFY(list);
        QTRY_COMPARE_WITH_TIMEOUT(list->property("count").toInt(), 2, kWaitMs);
        QTRY_VERIFY_WITH_TIMEOUT(ClientHarness::findMessage(m_app->controller().client(), m_carolChat, QStringLiteral("Carol again")), kWaitMs);
        list->forceActiveFocus(Qt::TabFocusReason);
        QTest::keyClick(window(), Qt::Key_Down);
        QTRY_COMPARE_WITH_TIMEOUT(list->property("currentIndex").toInt(), 1, kWaitMs); // Bob's row, which the search hides
        QTest::keyClick(window(), Qt::Key_F, Qt::ControlModifier);
        test::typeInto(window(), "Carol");
        QTRY_COMPARE_WITH_TIMEOUT(list->property("count").toInt(), 1, kWaitMs);
        QTest::keyClick(window(), Qt::Key_Down);
        QVERIFY(focusIn(list));
        QTest::keyClick(window(), Qt::Key_Return);
        QTRY_COMPARE_WITH_TIMEOUT(m_app->controller().currentChatId(), m_carolChat, kWaitMs);
        QTest::keyClick(window(), Qt::Key_F, Qt::ControlModifier);
        QTest::keyClick(window(), Qt::Key_Escape);
        QTRY_COMPARE_WITH_TIMEOUT(list->property("count").toInt(), 2, kWaitMs);
    }

    // A group: the group-info button is an icon reached by Tab, the dialog counts "3 members",
    // and each member's name has its own readable colour.
    void groupShowsMemberCountAndNameColours() {
        auto& controller = m_app->controller();
        controller.createGroup(QStringLiteral("Picnic"), {QVariant::fromValue<qulonglong>(m_bob->account().userId),
                                                          QVariant::fromValue<qulonglong>(m_carol->account().userId)});
        QTRY_VERIFY_WITH_TIMEOUT(controller.conversationView() && controller.conversationView()->isGroup(), kWaitMs);
        const QString group = controller.conversationView()->chatId();
        m_group = group;
        QTRY_COMPARE_WITH_TIMEOUT(controller.conversationView()->members().size(), 3, kWaitMs);
        for (auto [member, text] : {std::pair{m_bob, "Bob brings bread"}, std::pair{m_carol, "Carol brings cheese"}}) {
            QTRY_VERIFY_WITH_TIMEOUT(member->groupInfo(group).has_value(), kWaitMs);
            QVERIFY(member->sendText(group, QString::fromLatin1(text)));
        }
        const auto nameColour = [this](const QString& who) {
            for (QQuickItem* label : visibleItemsNamed(window()->contentItem(), QStringLiteral("senderName")))
                if (label->property("text").toString() == who) return label->property("color").value<QColor>();
            return QColor();
        };
        QTRY_VERIFY_WITH_TIMEOUT(nameColour(QStringLiteral("Bob")).isValid() && nameColour(QStringLiteral("Carol")).isValid(), kWaitMs);
        for (auto [member, who] : {std::pair{m_bob, "Bob"}, std::pair{m_carol, "Carol"}}) {
            const QColor shown = nameColour(QString::fromLatin1(who));
            QCOMPARE(shown, desktop::Appearance::memberColor(member->account().userId, false));
            QVERIFY(desktop::contrastRatio(shown, themeColour("bubbleIn")) >= 4.5);
        }

        auto* list = item("chatList");
        list->forceActiveFocus(Qt::TabFocusReason);
        QTest::keyClick(window(), Qt::Key_Tab);
        auto* info = item("groupInfoButton");
        QVERIFY(info && focusIn(info));
        QVERIFY(info->property("focusRingVisible").toBool());
        QCOMPARE(accessibleName(info), QStringLiteral("Group info"));
        QCOMPARE(info->property("display").toInt(), 0); // AbstractButton.IconOnly: an SVG icon, no text glyph
        QTest::keyClick(window(), Qt::Key_Space);
        auto* dialog = window()->findChild<QObject*>(QStringLiteral("groupInfoDialog"));
        QTRY_VERIFY_WITH_TIMEOUT(dialog->property("opened").toBool(), kWaitMs);
        auto* count = item("memberCount");
        QVERIFY(count);
        QCOMPARE(count->property("text").toString(), QStringLiteral("3 members"));
        QMetaObject::invokeMethod(dialog, "close");
        QTRY_VERIFY_WITH_TIMEOUT(!dialog->property("visible").toBool(), kWaitMs);
    }

    // In the group, a member's name shows above the first message of each run of theirs and
    // their avatar beside its last; my own messages have neither.
    void aMembersAvatarSitsBesideTheLastMessageOfTheirRun() {
        auto& controller = m_app->controller();
        QVERIFY(controller.conversationView() && controller.conversationView()->chatId() == m_group);
        // Each message has reached another member (natterd gave it its place in the chat)
        // before the next is sent: the runs below depend on this order.
        QVERIFY(controller.conversationView()->send(QStringLiteral("I bring plates")));
        QTRY_VERIFY_WITH_TIMEOUT(ClientHarness::findMessage(m_bob, m_group, QStringLiteral("I bring plates")), kWaitMs);
        QVERIFY(m_carol->sendText(m_group, QStringLiteral("and grapes")));
        QTRY_VERIFY_WITH_TIMEOUT(ClientHarness::findMessage(controller.client(), m_group, QStringLiteral("and grapes")), kWaitMs);
        QVERIFY(m_carol->sendText(m_group, QStringLiteral("and a blanket")));
        QTRY_VERIFY_WITH_TIMEOUT(ClientHarness::findMessage(controller.client(), m_group, QStringLiteral("and a blanket")), kWaitMs);
        QVERIFY(m_bob->sendText(m_group, QStringLiteral("and lemonade")));
        QTRY_VERIFY_WITH_TIMEOUT(ClientHarness::findMessage(controller.client(), m_group, QStringLiteral("and lemonade")), kWaitMs);
        // The bubble's row of a text (the delegate, which has showSender).
        const auto row = [this](const QString& text) -> QQuickItem* {
            for (QQuickItem* t : visibleItemsNamed(item("messageList"), QStringLiteral("messageText"))) {
                if (t->property("text").toString() != text) continue;
                for (QQuickItem* up = t; up; up = up->parentItem())
                    if (up->property("showSender").isValid()) return up;
            }
            return nullptr;
        };
        struct Expected { const char* text; const char* name; const char* avatar; };
        const Expected expected[] = {{"Bob brings bread", "Bob", "Bob"},       {"Carol brings cheese", "Carol", "Carol"},
                                     {"I bring plates", "", ""},               {"and grapes", "Carol", ""},
                                     {"and a blanket", "", "Carol"},           {"and lemonade", "Bob", "Bob"}};
        // What a bubble shows: "name above / avatar beside", "" for none; the avatar left of the text.
        const auto shown = [&](const QString& text) -> QString {
            QQuickItem* bubble = row(text);
            if (!bubble) return QStringLiteral("no bubble");
            const auto names = visibleItemsNamed(bubble, QStringLiteral("senderName"));
            const auto avatars = visibleItemsNamed(bubble, QStringLiteral("senderAvatar"));
            QQuickItem* texts = visibleItemsNamed(bubble, QStringLiteral("messageText")).front();
            if (!avatars.isEmpty() && avatars.front()->mapToItem(bubble, QPointF(avatars.front()->width(), 0)).x() >
                                          texts->mapToItem(bubble, QPointF(0, 0)).x())
                return QStringLiteral("avatar under the bubble");
            return (names.isEmpty() ? QString() : names.front()->property("text").toString()) + QLatin1Char('/') +
                   (avatars.isEmpty() ? QString() : avatars.front()->property("name").toString());
        };
        for (const Expected& e : expected)
            QTRY_COMPARE_WITH_TIMEOUT(shown(QString::fromUtf8(e.text)), QString::fromUtf8(e.name) + QLatin1Char('/') + QString::fromUtf8(e.avatar), kWaitMs);
    }

    // "Archived chats" shows only when a chat is archived, as the last entry of the list.
    void archivedChatsEntryShowsOnlyWhenSomethingIsArchived() {
        auto& controller = m_app->controller();
        auto* list = item("chatList");
        QTRY_VERIFY_WITH_TIMEOUT(visibleItemsNamed(list, QStringLiteral("showArchived")).isEmpty(), kWaitMs);
        const int before = list->property("count").toInt();
        controller.setChatFlags(m_carolChat, false, false, true);
        QTRY_COMPARE_WITH_TIMEOUT(list->property("count").toInt(), before - 1, kWaitMs);
        QList<QQuickItem*> entries;
        QTRY_VERIFY_WITH_TIMEOUT((entries = visibleItemsNamed(list, QStringLiteral("showArchived"))).size() == 1, kWaitMs);
        QQuickItem* entry = entries.front();
        QCOMPARE(accessibleName(entry), QStringLiteral("Archived chats (1)"));
        for (QQuickItem* row : visibleItemsNamed(list, QStringLiteral("previewText")))
            QVERIFY(row->mapToItem(list, QPointF(0, 0)).y() < entry->mapToItem(list, QPointF(0, 0)).y()); // last in the list
        QMetaObject::invokeMethod(entry, "clicked");
        QTRY_VERIFY_WITH_TIMEOUT(controller.showArchived(), kWaitMs);
        QTRY_COMPARE_WITH_TIMEOUT(list->property("count").toInt(), before, kWaitMs);
        controller.setChatFlags(m_carolChat, false, false, false);
        controller.setShowArchived(false);
        QTRY_VERIFY_WITH_TIMEOUT(visibleItemsNamed(list, QStringLiteral("showArchived")).isEmpty(), kWaitMs);
    }

    // Settings offers Light / Dark / System; the choice restyles the window at once and is kept
    // for the profile. Screenshots of both, 1280 px wide, are saved and checked for brightness.
    void themeChoiceInSettingsRestylesAndIsKept() {
        QVERIFY(m_app->controller().openChat(QStringLiteral("Bob")));
        auto* dialog = window()->findChild<QObject*>(QStringLiteral("settingsDialog"));
        QMetaObject::invokeMethod(dialog, "open");
        auto* choice = item("themeChoice");
        QVERIFY(choice);
        QTRY_COMPARE_WITH_TIMEOUT(choice->property("currentIndex").toInt(), 1, kWaitMs); // Light, set at start
        QCOMPARE(accessibleName(choice), QStringLiteral("Theme"));
        choice->setProperty("currentIndex", 2);
        QMetaObject::invokeMethod(choice, "activated", Q_ARG(int, 2));
        QCOMPARE(m_app->appearance().choice(), QStringLiteral("dark"));
        QMetaObject::invokeMethod(dialog, "close");
        QTRY_VERIFY_WITH_TIMEOUT(!dialog->property("visible").toBool(), kWaitMs);
        QTRY_VERIFY_WITH_TIMEOUT(window()->color().lightnessF() < 0.2, kWaitMs);
        // The ticks of my message to Bob (read) take the dark theme's read colour.
        const auto ticks = visibleItemsNamed(item("messageList"), QStringLiteral("messageTicks"));
        QVERIFY(!ticks.isEmpty());
        QCOMPARE(ticks.front()->property("color").value<QColor>(), desktop::Appearance::tickColor(QStringLiteral("read"), true));
        QCOMPARE(accessibleName(ticks.front()), QStringLiteral("Read"));
        QDir().mkpath(QStringLiteral(NATTER_SCREENSHOT_DIR));
        // The scene follows the theme within a frame or two: grab until it has, bounded.
        QTRY_VERIFY_WITH_TIMEOUT(meanLightness(window()->grabWindow()) < 0.3, kWaitMs);
        const QImage dark = window()->grabWindow();
        QVERIFY(dark.save(QStringLiteral(NATTER_SCREENSHOT_DIR "/glance-dark-1280.png")));
        QVERIFY2(meanLightness(dark) < 0.3, qPrintable(QString::number(meanLightness(dark))));
        QVERIFY(test::distinctColours(dark) > 8);
        {
            desktop::Appearance sameProfile(QStringLiteral("alice"));
            QCOMPARE(sameProfile.choice(), QStringLiteral("dark"));
            desktop::Appearance otherProfile(QStringLiteral("bob"));
            QCOMPARE(otherProfile.choice(), QStringLiteral("system"));
        }
        m_app->appearance().setChoice(QStringLiteral("light"));
        QTRY_VERIFY_WITH_TIMEOUT(window()->color().lightnessF() > 0.8, kWaitMs);
        QTRY_VERIFY_WITH_TIMEOUT(meanLightness(window()->grabWindow()) > 0.7, kWaitMs);
        const QImage light = window()->grabWindow();
        QVERIFY(light.save(QStringLiteral(NATTER_SCREENSHOT_DIR "/glance-light-1280.png")));
        QVERIFY2(meanLightness(light) > 0.7, qPrintable(QString::number(meanLightness(light))));
    }

    // A web address in a message is a link (and markup in it stays text); an emoji alone is large.
    void linksAreClickableAndAnEmojiAloneIsLarge() {
        QVERIFY(m_app->controller().openChat(QStringLiteral("Bob")));
        QVERIFY(m_app->controller().conversationView()->send(QStringLiteral("<b>guide</b>: https://example.org/guide")));
        QVERIFY(m_app->controller().conversationView()->send(QStringLiteral("🎉")));
        const auto textItem = [this](const std::function<bool(const QString&)>& match) -> QQuickItem* {
            for (QQuickItem* t : visibleItemsNamed(item("messageList"), QStringLiteral("messageText")))
                if (match(t->property("text").toString())) return t;
            return nullptr;
        };
        const auto linkItem = [&] {
            return textItem([](const QString& t) { return t.contains(QStringLiteral("<a href=\"https://example.org/guide\">")); });
        };
        QTRY_VERIFY_WITH_TIMEOUT(linkItem(), kWaitMs);
        QCOMPARE(linkItem()->property("textFormat").toInt(), 4); // Text.StyledText
        QVERIFY(linkItem()->property("text").toString().startsWith(QStringLiteral("&lt;b&gt;guide&lt;/b&gt;")));
        const auto party = [&] { return textItem([](const QString& t) { return t == QStringLiteral("🎉"); }); };
        QTRY_VERIFY_WITH_TIMEOUT(party(), kWaitMs);
        QCOMPARE(party()->property("textFormat").toInt(), 0); // Text.PlainText
        QVERIFY(party()->property("font").value<QFont>().pixelSize() > 2 * linkItem()->property("font").value<QFont>().pixelSize());
    }

    // Every control the accessibility tree shows in the window (a group open: chat list, header,
    // messages, composer) is reached by Tab in one round, with its focus ring; controls inside a
    // list's rows are reached through the list (arrows, then the row's keys), so the list counts.
    void everyControlInTheAccessibilityTreeIsReachedByTab() {
        QVERIFY(m_app->controller().openChat(m_group));
        QTRY_VERIFY_WITH_TIMEOUT(m_app->controller().conversationView() && m_app->controller().conversationView()->isGroup(), kWaitMs);
        QList<QPointer<QQuickItem>> controls; // delegates may be recreated while Tab moves
        std::function<void(QAccessibleInterface*)> walk = [&](QAccessibleInterface* a) {
            if (!a || a->state().invisible) return;
            static const QList<QAccessible::Role> interactive{QAccessible::Button, QAccessible::CheckBox, QAccessible::RadioButton,
                                                              QAccessible::ComboBox, QAccessible::EditableText, QAccessible::Slider,
                                                              QAccessible::SpinBox, QAccessible::List};
            auto* quick = qobject_cast<QQuickItem*>(a->object());
            bool inRow = false;
            for (QQuickItem* up = quick ? quick->parentItem() : nullptr; up && !inRow; up = up->parentItem())
                inRow = up->inherits("QQuickItemView");
            if (quick && !inRow && !a->state().disabled && interactive.contains(a->role())) controls << quick;
            for (int i = 0; i < a->childCount(); ++i) walk(a->child(i));
        };
        walk(QAccessible::queryAccessibleInterface(window()));
        QVERIFY2(controls.size() >= 6, qPrintable(QString::number(controls.size())));

        item("chatList")->forceActiveFocus(Qt::TabFocusReason);
        QTRY_VERIFY_WITH_TIMEOUT(focused(), kWaitMs);
        QList<QPointer<QQuickItem>> visited{focused()};
        bool round = false; // Tab came back to an item it had reached (rows of a list are made anew)
        for (int i = 0; i < 100 && !round; ++i) {
            QTest::keyClick(window(), Qt::Key_Tab);
            round = visited.contains(focused());
            if (!round) visited << focused();
        }
        QStringList order;
        for (const QPointer<QQuickItem>& f : visited)
            order << (f ? QStringLiteral("%1 '%2'").arg(QString::fromLatin1(f->metaObject()->className()), f->objectName()) : QStringLiteral("none"));
        QVERIFY2(round, qPrintable(QStringLiteral("Tab does not come round: ") + order.join(QStringLiteral(" → "))));
        QStringList missed;
        for (const QPointer<QQuickItem>& control : controls) {
            if (!control) continue;
            const bool reached = std::any_of(visited.begin(), visited.end(), [&control](const QPointer<QQuickItem>& f) {
                return f && (f == control || control->isAncestorOf(f) || f->isAncestorOf(control));
            });
            if (!reached) missed << QStringLiteral("%1 '%2'").arg(QString::fromLatin1(control->metaObject()->className()), accessibleName(control));
        }
        QVERIFY2(missed.isEmpty(), qPrintable(QStringLiteral("not reached by Tab: ") + missed.join(QStringLiteral(", "))));
    }

    void cleanupTestCase() { m_app.reset(); }
};

NATTER_DESKTOP_TEST_MAIN(TstDesktopGlance)

#include "tst_desktop_glance.moc"
