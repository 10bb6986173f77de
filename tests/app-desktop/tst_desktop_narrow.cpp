// natter-desktop in a narrow window, with the real QML, a real Client and a real natterd: below
// 700 px one pane at a time (the chat list, or the open chat with a back button; Escape,
// Alt+Left or the button go back), the header whole down to 480 px, both panes at 1280 px.
// Screenshots at 560 and 1280 px go to build*/screenshots/.
#include "desktop_test_main.h"
#include "client_harness.h"
#include "natterd_process.h"

#include "appearance.h"
#include "desktop_app.h"

#include "client/client.h"

#include <QApplication>
#include <QDir>
#include <QQuickItem>
#include <QQuickStyle>
#include <QQuickWindow>
#include <QTest>

using namespace natter;
using natter::test::ClientHarness;
using natter::test::NatterdProcess;

namespace {

constexpr int kWaitMs = 20000;
const QString kLongName = QStringLiteral("Bartholomew Fitzgerald-Montgomery of the Choir");

// The item's rectangle in window coordinates.
QRectF sceneRect(QQuickItem* item) { return item->mapRectToScene(QRectF(0, 0, item->width(), item->height())); }

// Visible on screen: itself and all its ancestors visible, with a size.
bool shown(QQuickItem* item) { return item && item->isVisible() && item->width() > 0 && item->height() > 0; }

} // namespace

class TstDesktopNarrow : public QObject {
    Q_OBJECT
    NatterdProcess m_server;
    std::unique_ptr<ClientHarness> m_clients;
    std::unique_ptr<desktop::DesktopApp> m_app;

    QQuickWindow* window() const { return m_app->window(); }
    QQuickItem* item(const char* name) const { return window()->findChild<QQuickItem*>(QString::fromLatin1(name)); }
    bool focusIn(QQuickItem* item) const {
        QQuickItem* focused = window()->activeFocusItem();
        return item && focused && (focused == item || item->isAncestorOf(focused));
    }

    void resizeTo(int width) {
        window()->resize(width, 700);
        QTRY_COMPARE_WITH_TIMEOUT(int(window()->contentItem()->width()), width, kWaitMs);
    }
    // Opens the first chat of the list the way a user does: Tab into the list, Enter.
    void openFromList() {
        auto* list = item("chatList");
        QVERIFY(shown(list));
        list->forceActiveFocus(Qt::TabFocusReason);
        QTest::keyClick(window(), Qt::Key_Return);
        QTRY_VERIFY_WITH_TIMEOUT(m_app->controller().conversationView(), kWaitMs);
    }
    void verifyListAlone() {
        QTRY_VERIFY_WITH_TIMEOUT(!m_app->controller().conversationView(), kWaitMs);
        QTRY_VERIFY_WITH_TIMEOUT(shown(item("chatListPane")), kWaitMs);
        QCOMPARE(item("chatListPane")->width(), window()->contentItem()->width());
        QVERIFY(!shown(item("conversationPane")));
    }
    void verifyChatAlone() {
        QTRY_VERIFY_WITH_TIMEOUT(shown(item("conversationPane")), kWaitMs);
        QVERIFY(!shown(item("chatListPane")));
        QCOMPARE(item("conversationPane")->width(), window()->contentItem()->width());
        QTRY_VERIFY_WITH_TIMEOUT(shown(item("backButton")), kWaitMs);
    }

private slots:
    void initTestCase() {
        qputenv("XDG_CONFIG_HOME", QDir::tempPath().toUtf8() + "/natter-desktop-narrow-config");
        QVERIFY2(m_server.start(), qPrintable(m_server.errorString()));
        m_clients = std::make_unique<ClientHarness>(m_server.baseUrl());
        auto* alice = m_clients->signUp(QStringLiteral("alice"), QStringLiteral("+15552401"), QStringLiteral("Alice"));
        auto* bob = m_clients->signUp(QStringLiteral("bob"), QStringLiteral("+15552402"), QStringLiteral("Bob"));
        QVERIFY2(alice && bob, qPrintable(m_clients->lastError()));
        QVERIFY2(m_clients->befriend(alice, kLongName, bob, QStringLiteral("Alice")), qPrintable(m_clients->lastError()));
        QVERIFY(bob->resolveChat(QStringLiteral("Alice")));
        const QString chat = ClientHarness::directChat(bob, alice);
        QVERIFY(ClientHarness::sendAndWait(bob, alice, chat, QStringLiteral("Are you coming to rehearsal tonight?")));
        m_clients->close(QStringLiteral("alice")); // the app opens Alice's profile

        desktop::AppController::Options options;
        options.profile = QStringLiteral("alice");
        options.dataRoot = m_clients->dataRoot();
        m_app = std::make_unique<desktop::DesktopApp>(options);
        m_app->appearance().setChoice(QStringLiteral("light"));
        QVERIFY(m_app->start());
        QTRY_VERIFY_WITH_TIMEOUT(m_app->controller().client() && m_app->controller().client()->isSynced(), kWaitMs);
        window()->requestActivate();
        QTRY_VERIFY_WITH_TIMEOUT(window()->isActive(), kWaitMs);
        QDir().mkpath(QStringLiteral(NATTER_SCREENSHOT_DIR));
    }

    void theWindowGoesDownTo480PixelsWide() { QCOMPARE(window()->minimumWidth(), 480); }

    // At 560 px the list shows alone; opening a chat shows it alone with a back button;
    // Escape, Alt+Left and the back button each return to the list.
    void at560PixelsOnePaneShowsAtATime() {
        resizeTo(560);
        verifyListAlone();
        QVERIFY(window()->grabWindow().save(QStringLiteral(NATTER_SCREENSHOT_DIR "/narrow-list-560.png")));

        openFromList();
        verifyChatAlone();
        QVERIFY(window()->grabWindow().save(QStringLiteral(NATTER_SCREENSHOT_DIR "/narrow-chat-560.png")));
        QVERIFY(focusIn(item("composerInput")));
        QTest::keyClick(window(), Qt::Key_Escape);
        verifyListAlone();

        openFromList();
        verifyChatAlone();
        QTest::keyClick(window(), Qt::Key_Left, Qt::AltModifier);
        verifyListAlone();

        openFromList();
        verifyChatAlone();
        QTest::mouseClick(window(), Qt::LeftButton, {}, sceneRect(item("backButton")).center().toPoint());
        verifyListAlone();
    }

    // At 480 px the header keeps its buttons in the window and elides the long name.
    void at480PixelsTheHeaderIsWhole() {
        resizeTo(480);
        openFromList();
        verifyChatAlone();
        auto* title = item("conversationTitle");
        QVERIFY(shown(title));
        QTRY_VERIFY_WITH_TIMEOUT(title->property("truncated").toBool(), kWaitMs);
        const qreal right = window()->contentItem()->width();
        for (const char* name : {"backButton", "safetyNumberButton", "conversationTitle"}) {
            QQuickItem* part = item(name);
            QVERIFY2(shown(part), name);
            const QRectF r = sceneRect(part);
            QVERIFY2(r.left() >= 0 && r.right() <= right, qPrintable(QStringLiteral("%1 at %2..%3 of %4").arg(name).arg(r.left()).arg(r.right()).arg(right)));
        }
        QVERIFY(sceneRect(item("conversationTitle")).right() <= sceneRect(item("safetyNumberButton")).left());
        QTest::keyClick(window(), Qt::Key_Escape);
        verifyListAlone();
    }

    // At 1280 px the list and the open chat show side by side, with no back button.
    void at1280PixelsBothPanesShow() {
        resizeTo(560);
        openFromList();
        verifyChatAlone();
        resizeTo(1280);
        QTRY_VERIFY_WITH_TIMEOUT(shown(item("chatListPane")), kWaitMs);
        QVERIFY(shown(item("conversationPane")));
        QVERIFY(sceneRect(item("chatListPane")).right() <= sceneRect(item("conversationPane")).left());
        QVERIFY(!shown(item("backButton")));
        QTest::keyClick(window(), Qt::Key_Escape); // no going back when both panes show
        QVERIFY(m_app->controller().conversationView());
        QVERIFY(window()->grabWindow().save(QStringLiteral(NATTER_SCREENSHOT_DIR "/narrow-both-1280.png")));
    }

    void cleanupTestCase() { m_app.reset(); }
};

NATTER_DESKTOP_TEST_MAIN(TstDesktopNarrow)

#include "tst_desktop_narrow.moc"
