// natter-desktop's message actions with the real QML, a real Client and a real natterd: Ctrl+R
// replies (Bob's copy quotes the right message), a quote jumps to its original even when that
// is not loaded yet, the menu's reaction reaches Bob and his shows as a chip with its count,
// Ctrl+E edits ("edited" and the new text on both sides; an edit the core refuses shows its
// reason in the toast), Delete → "Delete for me" removes it here only, "Delete for everyone" leaves
// "This message was deleted" on both, Forward creates the message in another chat, Info lists
// Bob as reader once he reads; and screenshots (light and dark) of a conversation with all of it.
#include "desktop_test_main.h"
#include "client_harness.h"
#include "desktop_test_support.h"
#include "natterd_process.h"

#include "conversation_view.h"
#include "desktop_app.h"
#include "message_proxy.h"

#include "client/client.h"
#include "client/models/message_list_model.h"

#include <QAccessible>
#include <QDir>
#include <QFont>
#include <QGuiApplication>
#include <QPalette>
#include <QRegularExpression>
#include <QQuickItem>
#include <QQuickWindow>
#include <QTest>

#include <functional>

using namespace natter;
using natter::test::ClientHarness;
using natter::test::NatterdProcess;
using natter::test::typeInto;
using natter::test::accessibleName;
using natter::test::visibleItemsNamed;
using natter::test::walkItems;

namespace {

constexpr int kWaitMs = 20000;
constexpr int kFiller = 110; // pages of 50: more than the chat opens with (and a page it may load at once)

} // namespace

class TstDesktopMessageActions : public QObject {
    Q_OBJECT
    NatterdProcess m_server;
    std::unique_ptr<ClientHarness> m_clients;
    std::unique_ptr<desktop::DesktopApp> m_app;
    client::Client* m_bob = nullptr;
    client::Client* m_carol = nullptr;
    QString m_bobChat;
    QString m_carolChat;

    client::Client* alice() const { return m_app->controller().client(); }
    desktop::ConversationView* view() const { return m_app->controller().conversationView(); }
    desktop::MessageProxy* proxy() const { return view() ? qobject_cast<desktop::MessageProxy*>(view()->messages()) : nullptr; }
    QQuickWindow* window() const { return m_app->window(); }
    QQuickItem* item(const char* name) const { return window()->findChild<QQuickItem*>(QString::fromLatin1(name)); }
    QQuickItem* list() const { return item("messageList"); }
    QQuickItem* current() const { return list()->property("currentItem").value<QQuickItem*>(); }

    // The list row (newest first) of Alice's message `localId`, -1 while it is not loaded.
    int rowOf(qint64 localId) const {
        auto* p = proxy();
        const int source = p ? p->messages()->rowOf(localId) : -1;
        return source < 0 ? -1 : p->mapFromSource(p->messages()->index(source, 0)).row();
    }
    qint64 localIdOn(client::Client* c, const QString& chat, const QString& text) const {
        const auto m = ClientHarness::findMessage(c, chat, text);
        return m ? m->localId : 0;
    }
    // Alice's message `localId` becomes the current one of the focused list (false: it did not).
    bool select(qint64 localId) {
        if (!QTest::qWaitFor([&] { return rowOf(localId) >= 0; }, kWaitMs)) return false;
        list()->setProperty("currentIndex", rowOf(localId));
        list()->forceActiveFocus();
        return QTest::qWaitFor([&] {
            return list()->hasActiveFocus() && current() &&
                   current()->property("model").value<QObject*>()->property("localId").toLongLong() == localId;
        }, kWaitMs);
    }
    // Alice sends `text` to Bob from the client core, and Bob has it (0: he did not get it).
    qint64 sendToBob(const QString& text) {
        const auto id = alice()->sendText(m_bobChat, text);
        if (!id) return 0;
        const bool arrived = QTest::qWaitFor([&] {
            return alice()->messageInfo(*id)->messageId != 0 && ClientHarness::findMessage(m_bob, m_bobChat, text);
        }, kWaitMs);
        return arrived ? *id : 0;
    }
    QString composerText() const { return item("composerInput")->property("text").toString(); }
    QString bubbleText(QQuickItem* bubble) const {
        const auto texts = visibleItemsNamed(bubble, "messageText");
        return texts.isEmpty() ? QString() : texts.first()->property("text").toString();
    }

private slots:
    void initTestCase() {
        qputenv("XDG_CONFIG_HOME", QDir::tempPath().toUtf8() + "/natter-desktop-actions-config");
        QVERIFY2(m_server.start(), qPrintable(m_server.errorString()));
        m_clients = std::make_unique<ClientHarness>(m_server.baseUrl());
        auto* alice = m_clients->signUp(QStringLiteral("alice"), QStringLiteral("+15551501"), QStringLiteral("Alice"));
        m_bob = m_clients->signUp(QStringLiteral("bob"), QStringLiteral("+15551502"), QStringLiteral("Bob"));
        m_carol = m_clients->signUp(QStringLiteral("carol"), QStringLiteral("+15551503"), QStringLiteral("Carol"));
        QVERIFY2(alice && m_bob && m_carol, qPrintable(m_clients->lastError()));
        QVERIFY2(m_clients->befriend(alice, QStringLiteral("Bob"), m_bob, QStringLiteral("Alice")), qPrintable(m_clients->lastError()));
        QVERIFY2(m_clients->befriend(alice, QStringLiteral("Carol"), m_carol, QStringLiteral("Alice")), qPrintable(m_clients->lastError()));
        m_bobChat = ClientHarness::directChat(alice, m_bob);
        m_carolChat = ClientHarness::directChat(alice, m_carol);
        QVERIFY(m_bob->resolveChat(QStringLiteral("Alice")));
        QVERIFY(m_carol->resolveChat(QStringLiteral("Alice")));
        QVERIFY(m_bob->sendText(m_bobChat, QStringLiteral("Hi Alice")));
        QTRY_VERIFY_WITH_TIMEOUT(ClientHarness::findMessage(alice, m_bobChat, QStringLiteral("Hi Alice")), kWaitMs);
        // Carol: an original, many messages after it, then a reply quoting it.
        const auto original = m_carol->sendText(m_carolChat, QStringLiteral("The spare keys are with Dan"));
        QVERIFY(original);
        QTRY_VERIFY_WITH_TIMEOUT(m_carol->messageInfo(*original)->messageId != 0, kWaitMs);
        for (int i = 1; i <= kFiller; ++i) QVERIFY(m_carol->sendText(m_carolChat, QStringLiteral("filler %1").arg(i)));
        QVERIFY(m_carol->reply(m_carolChat, *original, QStringLiteral("About the keys: Dan is away")));
        QTRY_VERIFY_WITH_TIMEOUT(ClientHarness::findMessage(alice, m_carolChat, QStringLiteral("About the keys: Dan is away")), kWaitMs);
        QVERIFY(alice->markRead(m_carolChat));
        m_clients->close(QStringLiteral("alice")); // the app opens Alice's profile

        desktop::AppController::Options options;
        options.profile = QStringLiteral("alice");
        options.dataRoot = m_clients->dataRoot();
        m_app = std::make_unique<desktop::DesktopApp>(options);
        QVERIFY(m_app->start());
        QTRY_VERIFY_WITH_TIMEOUT(this->alice()->isSynced(), kWaitMs);
        window()->resize(1100, 1000);
    }

    void ctrlRRepliesAndBobsCopyQuotesTheRightMessage() {
        const QString question = QStringLiteral("Are we still on for Saturday?");
        QVERIFY(m_bob->sendText(m_bobChat, question));
        QTRY_VERIFY_WITH_TIMEOUT(ClientHarness::findMessage(alice(), m_bobChat, question), kWaitMs);
        QVERIFY(m_bob->sendText(m_bobChat, QStringLiteral("Or Sunday")));
        QTRY_VERIFY_WITH_TIMEOUT(ClientHarness::findMessage(alice(), m_bobChat, QStringLiteral("Or Sunday")), kWaitMs);
        QVERIFY(m_app->controller().openChat(m_bobChat));

        // Escape in the field cancels a reply.
        QVERIFY(select(localIdOn(alice(), m_bobChat, QStringLiteral("Or Sunday"))));
        QTest::keyClick(window(), Qt::Key_R, Qt::ControlModifier);
        QTRY_VERIFY_WITH_TIMEOUT(item("composingBar")->isVisible(), kWaitMs);
        QVERIFY(item("composerInput")->hasActiveFocus());
        QTest::keyClick(window(), Qt::Key_Escape);
        QTRY_VERIFY_WITH_TIMEOUT(!item("composingBar")->isVisible(), kWaitMs);

        QVERIFY(select(localIdOn(alice(), m_bobChat, question)));
        QTest::keyClick(window(), Qt::Key_R, Qt::ControlModifier);
        QTRY_VERIFY_WITH_TIMEOUT(item("composingBar")->isVisible(), kWaitMs);
        QCOMPARE(item("composingTitle")->property("text").toString(), QStringLiteral("Replying to Bob"));
        QCOMPARE(item("composingSnippet")->property("text").toString(), question);
        typeInto(window(), "Yes, at ten");
        QTest::keyClick(window(), Qt::Key_Return);

        QTRY_VERIFY_WITH_TIMEOUT(ClientHarness::findMessage(m_bob, m_bobChat, QStringLiteral("Yes, at ten")), kWaitMs);
        const auto reply = ClientHarness::findMessage(m_bob, m_bobChat, QStringLiteral("Yes, at ten"));
        QVERIFY(reply->quote);
        QCOMPARE(reply->quote->messageId, ClientHarness::findMessage(m_bob, m_bobChat, question)->messageId);
        QVERIFY(!item("composingBar")->isVisible());
        QCOMPARE(composerText(), QString());
        // The desktop's bubble quotes Bob's question.
        QVERIFY(select(localIdOn(alice(), m_bobChat, QStringLiteral("Yes, at ten"))));
        const auto snippets = visibleItemsNamed(current(), "quoteSnippet");
        QCOMPARE(snippets.size(), 1);
        QCOMPARE(snippets.first()->property("text").toString(), question);
        QCOMPARE(visibleItemsNamed(current(), "quoteSender").first()->property("text").toString(), QStringLiteral("Bob"));
    }

    void clickingAQuoteJumpsToAnOriginalNotLoadedYet() {
        QVERIFY(m_app->controller().openChat(m_carolChat));
        const qint64 original = localIdOn(alice(), m_carolChat, QStringLiteral("The spare keys are with Dan"));
        QVERIFY(original);
        QTRY_VERIFY_WITH_TIMEOUT(proxy() && proxy()->rowCount() > 0, kWaitMs);
        QCOMPARE(rowOf(original), -1); // beyond the first page
        QVERIFY(select(localIdOn(alice(), m_carolChat, QStringLiteral("About the keys: Dan is away"))));
        const auto quotes = visibleItemsNamed(current(), "quoteBlock");
        QCOMPARE(quotes.size(), 1);
        QQuickItem* quote = quotes.first();
        QMetaObject::invokeMethod(list(), "positionViewAtBeginning");
        const auto quoteShown = [&] { return quote->mapRectToItem(list(), QRectF(0, 0, quote->width(), quote->height())); };
        QTRY_VERIFY_WITH_TIMEOUT(quoteShown().top() >= 0 && quoteShown().bottom() <= list()->height(), kWaitMs);
        QTest::mouseClick(window(), Qt::LeftButton, {}, quote->mapToScene(QPointF(quote->width() / 2, quote->height() / 2)).toPoint());
        QTRY_VERIFY_WITH_TIMEOUT(rowOf(original) >= 0, kWaitMs);
        QTRY_COMPARE_WITH_TIMEOUT(list()->property("currentIndex").toInt(), rowOf(original), kWaitMs);
        // In sight: inside the list's viewport.
        const auto shown = [&] { return current()->mapRectToItem(list(), QRectF(0, 0, current()->width(), current()->height())); };
        QTRY_VERIFY2_WITH_TIMEOUT(shown().bottom() > 0 && shown().top() < list()->height(),
                                  qPrintable(QStringLiteral("at %1").arg(shown().top())), kWaitMs);
        QCOMPARE(bubbleText(current()), QStringLiteral("The spare keys are with Dan"));
    }

    void aReactionFromTheMenuReachesBobAndHisShowsAsAChip() {
        QVERIFY(m_app->controller().openChat(m_bobChat));
        const QString lunch = QStringLiteral("Lunch at the canteen?");
        QVERIFY(m_bob->sendText(m_bobChat, lunch));
        QTRY_VERIFY_WITH_TIMEOUT(ClientHarness::findMessage(alice(), m_bobChat, lunch), kWaitMs);
        QVERIFY(select(localIdOn(alice(), m_bobChat, lunch)));
        QTest::keyClick(window(), Qt::Key_Menu);
        QObject* menu = window()->findChild<QObject*>(QStringLiteral("messageMenu"));
        QTRY_VERIFY_WITH_TIMEOUT(menu->property("opened").toBool(), kWaitMs);
        // Down reaches the reactions, Right picks the second (❤️), Enter reacts.
        QTest::keyClick(window(), Qt::Key_Down);
        QQuickItem* row = nullptr;
        QMetaObject::invokeMethod(menu, "itemAt", Q_RETURN_ARG(QQuickItem*, row), Q_ARG(int, menu->property("currentIndex").toInt()));
        QVERIFY(row && row->objectName() == QLatin1String("reactionRow"));
        QTRY_VERIFY_WITH_TIMEOUT(row->hasActiveFocus(), kWaitMs);
        QTest::keyClick(window(), Qt::Key_Right);
        QTest::keyClick(window(), Qt::Key_Return);
        QTRY_VERIFY_WITH_TIMEOUT(!menu->property("opened").toBool(), kWaitMs);

        const auto reactionsOnBob = [&] {
            const auto m = ClientHarness::findMessage(m_bob, m_bobChat, lunch);
            return m ? m->reactions : std::vector<client::ReactionRecord>{};
        };
        QTRY_COMPARE_WITH_TIMEOUT(reactionsOnBob().size(), std::size_t(1), kWaitMs);
        QCOMPARE(reactionsOnBob().front().emoji, QStringLiteral("❤️"));
        QCOMPARE(reactionsOnBob().front().reactorId, alice()->account().userId);

        // Bob reacts the same: one chip, count 2, mine; his name in its list of who reacted.
        QVERIFY(m_bob->react(ClientHarness::findMessage(m_bob, m_bobChat, lunch)->localId, QStringLiteral("❤️")));
        QVERIFY(select(localIdOn(alice(), m_bobChat, lunch)));
        QTRY_VERIFY_WITH_TIMEOUT(visibleItemsNamed(current(), "reactionChip").size() == 1
                                     && visibleItemsNamed(current(), "reactionChip").first()->property("count").toInt() == 2,
                                 kWaitMs);
        QQuickItem* chip = visibleItemsNamed(current(), "reactionChip").first();
        QCOMPARE(chip->property("emoji").toString(), QStringLiteral("❤️"));
        QVERIFY(chip->property("mine").toBool());
        QVERIFY2(accessibleName(chip).contains(QStringLiteral("Bob")), qPrintable(accessibleName(chip)));

        // A click on my chip takes my reaction back: Bob's alone is left, on both sides.
        QTest::mouseClick(window(), Qt::LeftButton, {}, chip->mapToScene(QPointF(chip->width() / 2, chip->height() / 2)).toPoint());
        QTRY_COMPARE_WITH_TIMEOUT(reactionsOnBob().size(), std::size_t(1), kWaitMs);
        QCOMPARE(reactionsOnBob().front().reactorId, m_bob->account().userId);
        QTRY_VERIFY_WITH_TIMEOUT(visibleItemsNamed(current(), "reactionChip").size() == 1
                                     && visibleItemsNamed(current(), "reactionChip").first()->property("count").toInt() == 1
                                     && !visibleItemsNamed(current(), "reactionChip").first()->property("mine").toBool(),
                                 kWaitMs);
    }

    void ctrlEEditsAndBothSidesShowTheNewTextAsEdited() {
        QVERIFY(m_app->controller().openChat(m_bobChat));
        const qint64 id = sendToBob(QStringLiteral("See you at 9"));
        QVERIFY(id);
        QVERIFY(select(id));
        QTest::keyClick(window(), Qt::Key_E, Qt::ControlModifier);
        QTRY_COMPARE_WITH_TIMEOUT(composerText(), QStringLiteral("See you at 9"), kWaitMs);
        QCOMPARE(item("composingTitle")->property("text").toString(), QStringLiteral("Editing"));
        QVERIFY(item("composerInput")->hasActiveFocus());
        QTest::keyClick(window(), Qt::Key_Backspace);
        typeInto(window(), "10");
        QTest::keyClick(window(), Qt::Key_Return);

        QTRY_VERIFY_WITH_TIMEOUT(ClientHarness::findMessage(m_bob, m_bobChat, QStringLiteral("See you at 10")), kWaitMs);
        QVERIFY(ClientHarness::findMessage(m_bob, m_bobChat, QStringLiteral("See you at 10"))->edited());
        QVERIFY(!ClientHarness::findMessage(m_bob, m_bobChat, QStringLiteral("See you at 9")));
        QCOMPARE(alice()->messageInfo(id)->text, QStringLiteral("See you at 10"));
        QCOMPARE(composerText(), QString());
        QVERIFY(select(id));
        QTRY_COMPARE_WITH_TIMEOUT(bubbleText(current()), QStringLiteral("See you at 10"), kWaitMs);
        QCOMPARE(visibleItemsNamed(current(), "editedMark").size(), 1);
    }

    // The core refuses an edit longer than 64 KiB: its reason shows in the error toast, the
    // composer keeps the text and stays in "Editing", and Bob keeps the old text.
    void anEditTheCoreRefusesShowsItsReasonAndKeepsEditing() {
        QVERIFY(m_app->controller().openChat(m_bobChat));
        const qint64 id = sendToBob(QStringLiteral("Short and sweet"));
        QVERIFY(id);
        QVERIFY(select(id));
        QTest::keyClick(window(), Qt::Key_E, Qt::ControlModifier);
        QTRY_COMPARE_WITH_TIMEOUT(composerText(), QStringLiteral("Short and sweet"), kWaitMs);
        const QString huge(70 * 1024, QLatin1Char('x'));
        item("composerInput")->setProperty("text", huge);
        QTest::keyClick(window(), Qt::Key_Return);
        QObject* toast = window()->findChild<QObject*>(QStringLiteral("toast"));
        QTRY_VERIFY_WITH_TIMEOUT(toast->property("opened").toBool(), kWaitMs);
        QVERIFY(toast->property("error").toBool());
        QVERIFY2(toast->property("text").toString().contains(QStringLiteral("64 KiB")), qPrintable(toast->property("text").toString()));
        QCOMPARE(composerText().size(), huge.size());
        QVERIFY(item("composingBar")->isVisible());
        QCOMPARE(alice()->messageInfo(id)->text, QStringLiteral("Short and sweet"));
        QVERIFY(!alice()->messageInfo(id)->edited());
        // Escape leaves editing and empties the field.
        QTest::keyClick(window(), Qt::Key_Escape);
        QTRY_VERIFY_WITH_TIMEOUT(!item("composingBar")->isVisible(), kWaitMs);
        QCOMPARE(composerText(), QString());
        QMetaObject::invokeMethod(toast, "close");
    }

    // Delete for me: gone here, Bob keeps it.
    void deleteForMeRemovesItHereOnly() {
        QVERIFY(m_app->controller().openChat(m_bobChat));
        const qint64 id = sendToBob(QStringLiteral("Note to self: buy rope"));
        QVERIFY(id);
        QVERIFY(select(id));
        QTest::keyClick(window(), Qt::Key_Delete);
        QObject* dialog = window()->findChild<QObject*>(QStringLiteral("deleteMessageDialog"));
        QTRY_VERIFY_WITH_TIMEOUT(dialog->property("opened").toBool(), kWaitMs);
        QVERIFY(item("deleteForMeButton")->isVisible());
        QMetaObject::invokeMethod(item("deleteForMeButton"), "clicked");
        QTRY_VERIFY_WITH_TIMEOUT(!dialog->property("opened").toBool(), kWaitMs);
        QTRY_COMPARE_WITH_TIMEOUT(rowOf(id), -1, kWaitMs);
        QVERIFY(!alice()->messageInfo(id));
        const auto bobs = ClientHarness::findMessage(m_bob, m_bobChat, QStringLiteral("Note to self: buy rope"));
        QVERIFY(bobs && !bobs->deleted());
    }

    void deleteForEveryoneLeavesThisMessageWasDeletedOnBoth() {
        QVERIFY(m_app->controller().openChat(m_bobChat));
        const qint64 id = sendToBob(QStringLiteral("Oops, wrong chat"));
        QVERIFY(id);
        QVERIFY(select(id));
        QTest::keyClick(window(), Qt::Key_Delete);
        QObject* dialog = window()->findChild<QObject*>(QStringLiteral("deleteMessageDialog"));
        QTRY_VERIFY_WITH_TIMEOUT(dialog->property("opened").toBool(), kWaitMs);
        QQuickItem* everyone = item("deleteForEveryoneButton");
        QVERIFY(everyone->isVisible());
        QMetaObject::invokeMethod(everyone, "clicked");
        QTRY_VERIFY_WITH_TIMEOUT(!dialog->property("opened").toBool(), kWaitMs);

        QTRY_VERIFY_WITH_TIMEOUT(ClientHarness::byServerId(m_bob, alice()->messageInfo(id)->messageId)->deleted(), kWaitMs);
        QCOMPARE(ClientHarness::byServerId(m_bob, alice()->messageInfo(id)->messageId)->text, QString());
        QVERIFY(alice()->messageInfo(id)->deleted());
        QVERIFY(select(id));
        QTRY_COMPARE_WITH_TIMEOUT(bubbleText(current()), QStringLiteral("This message was deleted"), kWaitMs);
        QVERIFY(visibleItemsNamed(current(), "messageText").first()->property("font").value<QFont>().italic());
        QVERIFY(visibleItemsNamed(current(), "editedMark").isEmpty());
    }

    // Light and dark: a reply's quote, reaction chips, an edited and a deleted message in sight.
    void screenshotsShowQuoteReactionsEditedAndDeleted() {
        QTest::failOnWarning(QRegularExpression(QStringLiteral("qrc:/")));
        QVERIFY(m_app->controller().openChat(m_bobChat));
        QMetaObject::invokeMethod(list(), "positionViewAtBeginning");
        const auto inSight = [&](const char* name) {
            for (QQuickItem* i : visibleItemsNamed(list(), name)) {
                const QRectF r = i->mapRectToItem(list(), QRectF(0, 0, i->width(), i->height()));
                if (r.top() >= 0 && r.bottom() <= list()->height()) return true;
            }
            return false;
        };
        QTRY_VERIFY2_WITH_TIMEOUT(inSight("quoteBlock") && inSight("reactionChip") && inSight("editedMark"),
                                  qPrintable(QStringLiteral("in sight: quote %1, reactions %2, edited %3")
                                                 .arg(inSight("quoteBlock")).arg(inSight("reactionChip")).arg(inSight("editedMark"))),
                                  kWaitMs);
        bool deletedShown = false;
        for (QQuickItem* text : visibleItemsNamed(list(), "messageText")) {
            const QRectF r = text->mapRectToItem(list(), QRectF(0, 0, text->width(), text->height()));
            deletedShown = deletedShown || (text->property("text").toString() == QStringLiteral("This message was deleted") &&
                                            r.top() >= 0 && r.bottom() <= list()->height());
        }
        QVERIFY(deletedShown);
        QDir().mkpath(QStringLiteral(NATTER_SCREENSHOT_DIR));
        const QImage light = window()->grabWindow();
        QVERIFY(light.save(QStringLiteral(NATTER_SCREENSHOT_DIR "/message-actions-light.png")));
        QVERIFY2(test::distinctColours(light) > 8, "the light screenshot is blank");

        const QPalette system = QGuiApplication::palette();
        QPalette dark;
        for (auto [role, colour] : {std::pair{QPalette::Window, 0x202124}, {QPalette::WindowText, 0xe8eaed}, {QPalette::Base, 0x2b2c2f},
                                    {QPalette::Text, 0xe8eaed}, {QPalette::Button, 0x303134}, {QPalette::ButtonText, 0xe8eaed},
                                    {QPalette::Highlight, 0x8ab4f8}})
            dark.setColor(role, QColor::fromRgb(QRgb(colour)));
        QGuiApplication::setPalette(dark);
        QTRY_VERIFY_WITH_TIMEOUT(window()->property("color").value<QColor>().lightnessF() < 0.5, kWaitMs);
        QTRY_VERIFY_WITH_TIMEOUT(QColor(window()->grabWindow().pixel(window()->width() - 20, 120)).lightnessF() < 0.5, kWaitMs);
        const QImage darkShot = window()->grabWindow();
        QGuiApplication::setPalette(system);
        QVERIFY(darkShot.save(QStringLiteral(NATTER_SCREENSHOT_DIR "/message-actions-dark.png")));
        QVERIFY2(test::distinctColours(darkShot) > 8, "the dark screenshot is blank");
        QVERIFY(darkShot != light);
    }

    void forwardCreatesTheMessageInTheChosenChat() {
        QVERIFY(m_app->controller().openChat(m_bobChat));
        const QString code = QStringLiteral("The gate code is 4711");
        QVERIFY(m_bob->sendText(m_bobChat, code));
        QTRY_VERIFY_WITH_TIMEOUT(ClientHarness::findMessage(alice(), m_bobChat, code), kWaitMs);
        QVERIFY(select(localIdOn(alice(), m_bobChat, code)));
        QTest::keyClick(window(), Qt::Key_F, Qt::ControlModifier | Qt::ShiftModifier);
        QObject* dialog = window()->findChild<QObject*>(QStringLiteral("forwardDialog"));
        QTRY_VERIFY_WITH_TIMEOUT(dialog->property("opened").toBool(), kWaitMs);
        QQuickItem* carol = nullptr;
        for (auto* target : visibleItemsNamed(window()->contentItem(), "forwardTarget")) {
            QVERIFY(target->property("text").toString() != QStringLiteral("Bob")); // not the chat it is in
            if (target->property("text").toString() == QStringLiteral("Carol")) carol = target;
        }
        QVERIFY(carol);
        QVERIFY(!item("forwardButton")->isEnabled());
        QTest::mouseClick(window(), Qt::LeftButton, {}, carol->mapToScene(QPointF(carol->width() / 2, carol->height() / 2)).toPoint());
        QTRY_VERIFY_WITH_TIMEOUT(item("forwardButton")->isEnabled(), kWaitMs);
        QMetaObject::invokeMethod(item("forwardButton"), "clicked");
        QTRY_VERIFY_WITH_TIMEOUT(!dialog->property("opened").toBool(), kWaitMs);

        QTRY_VERIFY_WITH_TIMEOUT(ClientHarness::findMessage(m_carol, m_carolChat, code), kWaitMs);
        QVERIFY(ClientHarness::findMessage(m_carol, m_carolChat, code)->forwarded);
        QVERIFY(ClientHarness::findMessage(alice(), m_carolChat, code));
    }

    void infoListsBobAsReaderOnceHeReads() {
        QVERIFY(m_app->controller().openChat(m_bobChat));
        const qint64 id = sendToBob(QStringLiteral("Did you read the minutes?"));
        QVERIFY(id);
        QVERIFY(select(id));
        QTest::keyClick(window(), Qt::Key_I, Qt::ControlModifier);
        QObject* dialog = window()->findChild<QObject*>(QStringLiteral("messageInfoDialog"));
        QTRY_VERIFY_WITH_TIMEOUT(dialog->property("opened").toBool(), kWaitMs);
        const auto bobsStatus = [&] {
            for (QQuickItem* row : visibleItemsNamed(window()->contentItem(), "infoRow"))
                if (accessibleName(row).startsWith(QStringLiteral("Bob: "))) return accessibleName(row);
            return QString();
        };
        QTRY_VERIFY_WITH_TIMEOUT(!bobsStatus().isEmpty(), kWaitMs);
        QVERIFY2(!bobsStatus().startsWith(QStringLiteral("Bob: Read")), qPrintable(bobsStatus()));
        QVERIFY(m_bob->markRead(m_bobChat));
        const auto stored = [&] {
            const auto m = alice()->messageInfo(id);
            const auto receipts = alice()->receipts(id);
            QStringList got;
            for (const auto& r : receipts ? *receipts : std::vector<client::ReceiptRecord>{}) got << QString::number(int(r.status));
            return QStringLiteral("shown '%1', state %2, receipts [%3]")
                .arg(bobsStatus(), m ? client::stateName(m->state) : QStringLiteral("gone"), got.join(','));
        };
        QTRY_VERIFY2_WITH_TIMEOUT(bobsStatus().startsWith(QStringLiteral("Bob: Read")), qPrintable(stored()), kWaitMs);
        QMetaObject::invokeMethod(dialog, "close");
    }

    void cleanupTestCase() { m_app.reset(); }
};

NATTER_DESKTOP_TEST_MAIN(TstDesktopMessageActions)

#include "tst_desktop_message_actions.moc"
