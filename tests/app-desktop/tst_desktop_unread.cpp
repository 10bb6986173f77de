// natter-desktop's message list, with the real QML, a real Client and a real natterd: a chat
// with unread messages opens at an "N unread messages" divider (not at the bottom), new
// messages arriving while the user looks at older ones never move the view but count on the
// jump-to-bottom button, which (like End and Ctrl+End) goes to the newest; at the bottom, new
// messages and a growing composer keep the newest message with its time and ticks in sight.
#include "desktop_test_main.h"
#include "client_harness.h"
#include "natterd_process.h"

#include "desktop_app.h"

#include "client/client.h"

#include <QApplication>
#include <QDir>
#include <QQuickItem>
#include <QQuickStyle>
#include <QQuickWindow>
#include <QTest>
#include <QWheelEvent>

using namespace natter;
using natter::test::ClientHarness;
using natter::test::NatterdProcess;

namespace {

constexpr int kWaitMs = 20000;
constexpr int kEarlier = 30;
constexpr int kUnread = 20;

QRectF sceneRect(QQuickItem* item) { return item->mapRectToScene(QRectF(0, 0, item->width(), item->height())); }

QQuickItem* childNamed(QQuickItem* root, const QString& name) {
    if (!root) return nullptr;
    if (root->objectName() == name && root->isVisible()) return root;
    for (QQuickItem* child : root->childItems())
        if (QQuickItem* found = childNamed(child, name)) return found;
    return nullptr;
}

} // namespace

class TstDesktopUnread : public QObject {
    Q_OBJECT
    NatterdProcess m_server;
    std::unique_ptr<ClientHarness> m_clients;
    std::unique_ptr<desktop::DesktopApp> m_app;
    client::Client* m_bob = nullptr;
    QString m_chat;
    quint64 m_wheelTime = 0;

    QQuickWindow* window() const { return m_app->window(); }
    QQuickItem* item(const char* name) const { return childNamed(window()->contentItem(), QString::fromLatin1(name)); }
    QQuickItem* list() const { return item("messageList"); }
    // The delegate of the newest message (row 0 of the bottom-to-top list), when it exists.
    QQuickItem* newest() const {
        QQuickItem* delegate = nullptr;
        QMetaObject::invokeMethod(list(), "itemAtIndex", Q_RETURN_ARG(QQuickItem*, delegate), Q_ARG(int, 0));
        return delegate;
    }
    QString newestText() const {
        QQuickItem* text = childNamed(newest(), QStringLiteral("messageText"));
        return text ? text->property("text").toString() : QString();
    }
    // The newest message is wholly inside the list's visible area.
    bool newestFullyVisible() const {
        QQuickItem* delegate = newest();
        if (!delegate || !delegate->isVisible()) return false;
        const QRectF r = sceneRect(delegate);
        const QRectF view = sceneRect(list());
        return r.top() >= view.top() - 0.5 && r.bottom() <= view.bottom() + 0.5;
    }
    QString jumpCount() const {
        QQuickItem* count = item("jumpToBottomCount");
        return count ? count->property("text").toString() : QString();
    }
    void bobSends(const QString& text) {
        const int before = list() ? list()->property("count").toInt() : 0;
        QVERIFY(m_bob->sendText(m_chat, text));
        QTRY_VERIFY_WITH_TIMEOUT(ClientHarness::findMessage(m_app->controller().client(), m_chat, text), kWaitMs);
        if (list()) QTRY_COMPARE_WITH_TIMEOUT(list()->property("count").toInt(), before + 1, kWaitMs);
    }
    // One notch of the mouse wheel up over the messages (older ones come into view).
    void wheelUp() {
        const QPointF at = sceneRect(list()).center();
        QWheelEvent wheel(at, window()->mapToGlobal(at), QPoint(), QPoint(0, 120), Qt::NoButton, Qt::NoModifier,
                          Qt::NoScrollPhase, false);
        // Flickable measures wheel speed by the events' times: each notch comes 100 ms later.
        m_wheelTime += 100;
        wheel.setTimestamp(m_wheelTime);
        QCoreApplication::sendEvent(window(), &wheel);
    }

private slots:
    void initTestCase() {
        qputenv("XDG_CONFIG_HOME", QDir::tempPath().toUtf8() + "/natter-desktop-unread-config");
        QVERIFY2(m_server.start(), qPrintable(m_server.errorString()));
        m_clients = std::make_unique<ClientHarness>(m_server.baseUrl());
        auto* alice = m_clients->signUp(QStringLiteral("alice"), QStringLiteral("+15552501"), QStringLiteral("Alice"));
        m_bob = m_clients->signUp(QStringLiteral("bob"), QStringLiteral("+15552502"), QStringLiteral("Bob"));
        QVERIFY2(alice && m_bob, qPrintable(m_clients->lastError()));
        QVERIFY2(m_clients->befriend(alice, QStringLiteral("Bob"), m_bob, QStringLiteral("Alice")), qPrintable(m_clients->lastError()));
        QVERIFY(m_bob->resolveChat(QStringLiteral("Alice")));
        m_chat = ClientHarness::directChat(m_bob, alice);
        for (int i = 1; i <= kEarlier; ++i) QVERIFY(m_bob->sendText(m_chat, QStringLiteral("Earlier %1").arg(i)));
        QTRY_VERIFY_WITH_TIMEOUT(ClientHarness::findMessage(alice, m_chat, QStringLiteral("Earlier %1").arg(kEarlier)), kWaitMs);
        QVERIFY(alice->markRead(m_chat));
        m_clients->close(QStringLiteral("alice")); // the app opens Alice's profile

        desktop::AppController::Options options;
        options.profile = QStringLiteral("alice");
        options.dataRoot = m_clients->dataRoot();
        m_app = std::make_unique<desktop::DesktopApp>(options);
        QVERIFY(m_app->start());
        window()->resize(900, 640);
        QTRY_VERIFY_WITH_TIMEOUT(m_app->controller().client() && m_app->controller().client()->isSynced(), kWaitMs);
        window()->requestActivate();
        QTRY_VERIFY_WITH_TIMEOUT(window()->isActive(), kWaitMs);
        // Bob writes on while Alice has his chat closed.
        for (int i = 1; i <= kUnread; ++i) QVERIFY(m_bob->sendText(m_chat, QStringLiteral("New %1").arg(i)));
        auto* client = m_app->controller().client();
        QTRY_VERIFY_WITH_TIMEOUT(ClientHarness::findMessage(client, m_chat, QStringLiteral("New %1").arg(kUnread)), kWaitMs);
        QTRY_COMPARE_WITH_TIMEOUT(client->chatInfo(m_chat)->unread, qint64(kUnread), kWaitMs);
    }

    // Opening the chat shows "20 unread messages" above the first unread one, in view, and
    // not the bottom: the newest message is out of sight and the jump button offers 20.
    void openingAChatWithUnreadMessagesStartsAtTheUnreadDivider() {
        QVERIFY(m_app->controller().openChat(QStringLiteral("Bob")));
        QTRY_VERIFY_WITH_TIMEOUT(list() && item("unreadDividerText"), kWaitMs);
        QCOMPARE(item("unreadDividerText")->property("text").toString(), QStringLiteral("20 unread messages"));
        const QRectF divider = sceneRect(item("unreadDivider"));
        const QRectF view = sceneRect(list());
        QVERIFY2(divider.top() >= view.top() && divider.bottom() <= view.center().y(),
                 qPrintable(QStringLiteral("divider %1..%2 in view %3..%4").arg(divider.top()).arg(divider.bottom()).arg(view.top()).arg(view.bottom())));
        // The first unread message is right below the divider; the earlier ones above it.
        QQuickItem* first = childNamed(item("unreadDivider")->parentItem()->parentItem(), QStringLiteral("messageText"));
        QVERIFY(first);
        QCOMPARE(first->property("text").toString(), QStringLiteral("New 1"));
        QVERIFY(!newestFullyVisible());
        QTRY_VERIFY_WITH_TIMEOUT(item("jumpToBottom"), kWaitMs);
        QCOMPARE(jumpCount(), QStringLiteral("20"));
        // Opening marked them read (the window is active): the chat list counts none.
        QTRY_COMPARE_WITH_TIMEOUT(m_app->controller().client()->chatInfo(m_chat)->unread, qint64(0), kWaitMs);
    }

    // A new message while the user reads older ones: the view stays put, the button counts it.
    void aNewMessageWhileReadingOlderOnesDoesNotMoveTheView() {
        const qreal dividerTop = sceneRect(item("unreadDivider")).top();
        bobSends(QStringLiteral("Are you there?"));
        QTRY_COMPARE_WITH_TIMEOUT(jumpCount(), QStringLiteral("21"), kWaitMs);
        QCOMPARE(sceneRect(item("unreadDivider")).top(), dividerTop);
        QVERIFY(!newestFullyVisible());
    }

    // The jump button goes to the newest message and goes away; so do End and Ctrl+End.
    void jumpToBottomShowsTheNewestMessage() {
        QQuickItem* jump = item("jumpToBottom");
        QVERIFY(jump);
        QTest::mouseClick(window(), Qt::LeftButton, {}, sceneRect(jump).center().toPoint());
        QTRY_VERIFY_WITH_TIMEOUT(newestFullyVisible(), kWaitMs);
        QCOMPARE(newestText(), QStringLiteral("Are you there?"));
        QTRY_VERIFY_WITH_TIMEOUT(!item("jumpToBottom"), kWaitMs);

        list()->forceActiveFocus(Qt::TabFocusReason);
        for (int i = 0; i < 5; ++i) wheelUp();
        QTRY_VERIFY_WITH_TIMEOUT(!newestFullyVisible(), kWaitMs);
        QTRY_VERIFY_WITH_TIMEOUT(item("jumpToBottom"), kWaitMs);
        QTest::keyClick(window(), Qt::Key_End);
        QTRY_VERIFY_WITH_TIMEOUT(newestFullyVisible(), kWaitMs);

        for (int i = 0; i < 5; ++i) wheelUp();
        QTRY_VERIFY_WITH_TIMEOUT(!newestFullyVisible(), kWaitMs);
        QTest::keyClick(window(), Qt::Key_End, Qt::ControlModifier);
        QTRY_VERIFY_WITH_TIMEOUT(newestFullyVisible(), kWaitMs);
        QTRY_VERIFY_WITH_TIMEOUT(!item("jumpToBottom"), kWaitMs);
    }

    // Scrolled up a little (one wheel notch): a new message does not pull the view down.
    void scrollingUpALittleIsKeptWhenAMessageArrives() {
        wheelUp();
        QTRY_VERIFY_WITH_TIMEOUT(!newestFullyVisible(), kWaitMs);
        QTRY_VERIFY_WITH_TIMEOUT(!list()->property("moving").toBool(), kWaitMs);
        QQuickItem* wasNewest = newest();
        const qreal wasAt = sceneRect(wasNewest).top();
        bobSends(QStringLiteral("Hello?"));
        QTRY_COMPARE_WITH_TIMEOUT(newestText(), QStringLiteral("Hello?"), kWaitMs);
        QTRY_COMPARE_WITH_TIMEOUT(jumpCount(), QStringLiteral("1"), kWaitMs);
        QVERIFY(!newestFullyVisible());
        QCOMPARE(sceneRect(wasNewest).top(), wasAt);
        QTest::keyClick(window(), Qt::Key_End, Qt::ControlModifier);
        QTRY_VERIFY_WITH_TIMEOUT(newestFullyVisible(), kWaitMs);
    }

    // At the bottom, a new incoming message shows whole without scrolling.
    void aNewMessageAtTheBottomShowsWhole() {
        QVERIFY(newestFullyVisible());
        bobSends(QStringLiteral("Last call for the train: platform 4, leaving in ten minutes"));
        QTRY_COMPARE_WITH_TIMEOUT(newestText(), QStringLiteral("Last call for the train: platform 4, leaving in ten minutes"), kWaitMs);
        QTRY_VERIFY_WITH_TIMEOUT(newestFullyVisible(), kWaitMs);
        QVERIFY(!item("jumpToBottom"));
    }

    // A multi-line draft grows the composer: my newest message keeps its time and ticks in view.
    void aGrowingComposerKeepsTheNewestMessageInView() {
        QQuickItem* input = item("composerInput");
        QVERIFY(input);
        input->forceActiveFocus();
        for (const char c : QByteArray("On my way")) if (c) QTest::keyClick(window(), c);
        QTest::keyClick(window(), Qt::Key_Return);
        QTRY_COMPARE_WITH_TIMEOUT(newestText(), QStringLiteral("On my way"), kWaitMs);
        QTRY_VERIFY_WITH_TIMEOUT(newestFullyVisible(), kWaitMs);
        const qreal composerTop = sceneRect(item("composerInput")).top();
        for (int line = 0; line < 6; ++line) {
            QTest::keyClick(window(), 'x');
            QTest::keyClick(window(), Qt::Key_Return, Qt::ShiftModifier);
        }
        QTRY_VERIFY_WITH_TIMEOUT(sceneRect(item("composerInput")).top() < composerTop - 60, kWaitMs);
        QTRY_VERIFY_WITH_TIMEOUT(newestFullyVisible(), kWaitMs);
        const QRectF view = sceneRect(list());
        for (const char* part : {"messageTime", "messageTicks"}) {
            QQuickItem* shown = childNamed(newest(), QString::fromLatin1(part));
            QVERIFY2(shown, part);
            QVERIFY2(sceneRect(shown).bottom() <= view.bottom(), part);
        }
    }

    void cleanupTestCase() { m_app.reset(); }
};

NATTER_DESKTOP_TEST_MAIN(TstDesktopUnread)

#include "tst_desktop_unread.moc"
