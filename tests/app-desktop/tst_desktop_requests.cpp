// natter-desktop and message requests, with the real QML, a real Client and a real natterd:
// a stranger's chat is marked "Request" in the list; opened, it shows the banner with Accept /
// Block / Delete (reached by Tab, named for screen readers) instead of the composer (a
// screenshot is saved and checked); Accept turns it into a normal chat with the composer, Block
// closes it and natterd holds the block.
#include "client_harness.h"
#include "desktop_test_support.h"
#include "natterd_process.h"

#include "conversation_view.h"
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
using natter::test::accessibleName;
using natter::test::itemsNamed;

namespace {
constexpr int kWaitMs = 20000;
} // namespace

class TstDesktopRequests : public QObject {
    Q_OBJECT
    NatterdProcess m_server;
    std::unique_ptr<ClientHarness> m_clients;
    client::Client* m_dave = nullptr; // strangers: Alice does not have them as contacts
    client::Client* m_erin = nullptr;
    QString m_daveChat;
    QString m_erinChat;
    std::unique_ptr<desktop::DesktopApp> m_app;

    QQuickWindow* window() const { return m_app->window(); }
    QQuickItem* item(const char* name) const { return window()->findChild<QQuickItem*>(QString::fromLatin1(name)); }
    QQuickItem* focused() const { return window()->activeFocusItem(); }
    // The "Request" tag of the chat-list row whose preview is `preview` (nullptr: none shown).
    QQuickItem* requestTagOf(const QString& preview) const {
        for (QQuickItem* label : itemsNamed(item("chatList"), QStringLiteral("previewText")))
            if (label->property("text").toString() == preview) {
                const auto tags = itemsNamed(label->parentItem(), QStringLiteral("requestTag"));
                return tags.isEmpty() ? nullptr : tags.front();
            }
        return nullptr;
    }

private slots:
    void initTestCase() {
        qputenv("XDG_CONFIG_HOME", QDir::tempPath().toUtf8() + "/natter-desktop-requests-config");
        QVERIFY2(m_server.start(), qPrintable(m_server.errorString()));
        m_clients = std::make_unique<ClientHarness>(m_server.baseUrl());
        auto* alice = m_clients->signUp(QStringLiteral("alice"), QStringLiteral("+15553001"), QStringLiteral("Alice"));
        m_dave = m_clients->signUp(QStringLiteral("dave"), QStringLiteral("+15553002"), QStringLiteral("Dave"));
        m_erin = m_clients->signUp(QStringLiteral("erin"), QStringLiteral("+15553003"), QStringLiteral("Erin"));
        QVERIFY2(alice && m_dave && m_erin, qPrintable(m_clients->lastError()));
        for (client::Client* stranger : {m_dave, m_erin}) {
            const auto added = test::await<client::ContactRecord>([&](client::Client::Callback<client::ContactRecord> done) {
                stranger->addContact(QStringLiteral("+15553001"), QStringLiteral("Alice"), done);
            });
            QVERIFY(added);
        }
        m_daveChat = ClientHarness::directChat(alice, m_dave);
        m_erinChat = ClientHarness::directChat(alice, m_erin);
        QVERIFY(m_dave->sendText(m_daveChat, QStringLiteral("Hi, I found your wallet")));
        QVERIFY(m_erin->sendText(m_erinChat, QStringLiteral("You won a prize!")));
        QTRY_VERIFY_WITH_TIMEOUT(ClientHarness::findMessage(alice, m_erinChat, QStringLiteral("You won a prize!")), kWaitMs);
        QTRY_VERIFY_WITH_TIMEOUT(ClientHarness::findMessage(alice, m_daveChat, QStringLiteral("Hi, I found your wallet")), kWaitMs);
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

    // The list marks both requests; the open request shows the banner, not the composer, and
    // Tab from the messages reaches Accept, Block and Delete, each named for screen readers.
    void requestIsMarkedInTheListAndOpensWithTheBannerInsteadOfTheComposer() {
        QTRY_VERIFY_WITH_TIMEOUT(requestTagOf(QStringLiteral("Hi, I found your wallet")), kWaitMs);
        QTRY_VERIFY_WITH_TIMEOUT(requestTagOf(QStringLiteral("You won a prize!")), kWaitMs);
        QCOMPARE(accessibleName(requestTagOf(QStringLiteral("You won a prize!"))), QStringLiteral("Message request"));

        QVERIFY(m_app->controller().openChat(m_daveChat));
        QTRY_VERIFY_WITH_TIMEOUT(item("requestBanner") && item("requestBanner")->isVisible(), kWaitMs);
        QVERIFY(!item("composerInput")->isVisible());
        QVERIFY(!item("sendButton")->isVisible());
        auto* accept = item("acceptRequestButton");
        auto* block = item("blockRequestButton");
        auto* remove = item("deleteRequestButton");
        QVERIFY(accept && block && remove);
        QTRY_COMPARE_WITH_TIMEOUT(focused(), accept, kWaitMs); // the request opens on Accept
        item("messageList")->forceActiveFocus(Qt::TabFocusReason);
        QTest::keyClick(window(), Qt::Key_Tab);
        QCOMPARE(focused(), accept);
        QTest::keyClick(window(), Qt::Key_Tab);
        QCOMPARE(focused(), block);
        QTest::keyClick(window(), Qt::Key_Tab);
        QCOMPARE(focused(), remove);
        QTest::keyClick(window(), Qt::Key_Backtab);
        QCOMPARE(focused(), block);
        const QString title = m_app->controller().conversationView()->title();
        QCOMPARE(accessibleName(accept), QStringLiteral("Accept the message request from %1").arg(title));
        QVERIFY(accessibleName(block).startsWith(QStringLiteral("Block %1").arg(title)));
        QCOMPARE(accessibleName(remove), QStringLiteral("Delete the message request from %1 and its messages").arg(title));

        QDir().mkpath(QStringLiteral(NATTER_SCREENSHOT_DIR));
        QTRY_VERIFY_WITH_TIMEOUT(test::distinctColours(window()->grabWindow()) > 8, kWaitMs);
        const QImage shot = window()->grabWindow();
        QVERIFY(shot.save(QStringLiteral(NATTER_SCREENSHOT_DIR "/request-1280.png")));
        // The banner is drawn: its part of the window is not blank.
        const QRectF banner = item("requestBanner")->mapRectToScene(item("requestBanner")->boundingRect());
        QVERIFY(test::distinctColours(shot.copy(banner.toRect())) > 2);
    }

    // Accept (Space on the focused button): the composer comes back, the tag goes, and Dave
    // gets the read receipt that was held back.
    void acceptingTurnsTheRequestIntoANormalChat() {
        QVERIFY(m_app->controller().openChat(m_daveChat));
        auto* accept = item("acceptRequestButton");
        QTRY_VERIFY_WITH_TIMEOUT(accept && accept->isVisible(), kWaitMs);
        accept->forceActiveFocus(Qt::TabFocusReason);
        QTest::keyClick(window(), Qt::Key_Space);
        QTRY_VERIFY_WITH_TIMEOUT(!m_app->controller().conversationView()->isRequest(), kWaitMs);
        QTRY_VERIFY_WITH_TIMEOUT(item("composerInput")->isVisible(), kWaitMs);
        QVERIFY(!item("requestBanner")->isVisible());
        QTRY_VERIFY_WITH_TIMEOUT(!requestTagOf(QStringLiteral("Hi, I found your wallet")), kWaitMs);
        QTRY_COMPARE_WITH_TIMEOUT(ClientHarness::findMessage(m_dave, m_daveChat, QStringLiteral("Hi, I found your wallet"))->state,
                                  client::MessageState::read, kWaitMs);
    }

    // Block: the chat closes and leaves the list, and natterd holds Erin on Alice's block list.
    void blockingClosesTheRequestAndNatterdHoldsTheBlock() {
        QVERIFY(m_app->controller().openChat(m_erinChat));
        auto* block = item("blockRequestButton");
        QTRY_VERIFY_WITH_TIMEOUT(block && block->isVisible(), kWaitMs);
        QMetaObject::invokeMethod(block, "clicked");
        QTRY_VERIFY_WITH_TIMEOUT(m_app->controller().currentChatId().isEmpty(), kWaitMs);
        QTRY_VERIFY_WITH_TIMEOUT(!m_app->controller().client()->chatInfo(m_erinChat), kWaitMs);
        const auto blocked = test::await<std::vector<protocol::UserId>>(
            [&](client::Client::Callback<std::vector<protocol::UserId>> done) { m_app->controller().client()->blockedUsers(done); });
        QVERIFY(blocked);
        QCOMPARE(*blocked, std::vector<protocol::UserId>{m_erin->account().userId});
    }

    void cleanupTestCase() { m_app.reset(); }
};

int main(int argc, char** argv) {
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    QQuickStyle::setStyle(QStringLiteral("Fusion"));
    TstDesktopRequests test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_desktop_requests.moc"
