// natter-desktop's message request banner, with the real QML, a real Client and a real natterd:
// a stranger's chat shows "X is not in your contacts" with Accept / Block / Delete above the
// composer, reached by Tab from the messages; Accept (pressed from the keyboard) removes it;
// Block blocks the sender and closes the request.
#include "desktop_test_main.h"
#include "client_harness.h"
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

namespace {
constexpr int kWaitMs = 20000;
} // namespace

class TstDesktopRequests : public QObject {
    Q_OBJECT
    NatterdProcess m_server;
    std::unique_ptr<ClientHarness> m_clients;
    std::unique_ptr<desktop::DesktopApp> m_app;
    client::Client* m_bob = nullptr;
    QString m_chat;

    desktop::ConversationView* view() const { return m_app->controller().conversationView(); }
    QQuickItem* item(const char* name) const { return m_app->window()->findChild<QQuickItem*>(QString::fromLatin1(name)); }

private slots:
    void initTestCase() {
        qputenv("XDG_CONFIG_HOME", QDir::tempPath().toUtf8() + "/natter-desktop-requests-config");
        QVERIFY2(m_server.start(), qPrintable(m_server.errorString()));
        m_clients = std::make_unique<ClientHarness>(m_server.baseUrl());
        auto* alice = m_clients->signUp(QStringLiteral("alice"), QStringLiteral("+15551301"), QStringLiteral("Alice"));
        m_bob = m_clients->signUp(QStringLiteral("bob"), QStringLiteral("+15551302"), QStringLiteral("Bob"));
        QVERIFY2(alice && m_bob, qPrintable(m_clients->lastError()));
        // Bob has Alice's number; she does not have his.
        auto chat = test::await<QString>([&](auto done) { m_bob->resolveChatAddingNumber(QStringLiteral("+15551301"), done); });
        QVERIFY2(chat, chat ? "" : qPrintable(chat.error().message));
        m_chat = *chat;
        QVERIFY(ClientHarness::sendAndWait(m_bob, alice, m_chat, QStringLiteral("Hi Alice, it's Bob from the choir")));
        m_clients->close(QStringLiteral("alice")); // the app opens Alice's profile

        desktop::AppController::Options options;
        options.profile = QStringLiteral("alice");
        options.dataRoot = m_clients->dataRoot();
        m_app = std::make_unique<desktop::DesktopApp>(options);
        QVERIFY(m_app->start());
        QTRY_VERIFY_WITH_TIMEOUT(m_app->controller().client()->isSynced(), kWaitMs);
    }

    void aRequestShowsTheBannerAndAcceptFromTheKeyboardRemovesIt() {
        QVERIFY(m_app->controller().openChat(m_chat));
        QVERIFY(view()->isRequest());
        auto* banner = item("requestBanner");
        QVERIFY(banner);
        QTRY_VERIFY_WITH_TIMEOUT(banner->isVisible() && banner->height() > 0, kWaitMs);
        const auto labels = banner->findChildren<QQuickItem*>();
        const bool names = std::any_of(labels.begin(), labels.end(), [&](QQuickItem* i) {
            return i->property("text").toString().startsWith(view()->title() + QStringLiteral(" is not in your contacts"));
        });
        QVERIFY(names);
        for (const char* button : {"requestAcceptButton", "requestBlockButton", "requestDeleteButton"})
            QVERIFY2(item(button) && item(button)->isVisible(), button);

        // Tab from the messages reaches Accept; Space presses it.
        auto* messages = item("messageList");
        QVERIFY(messages);
        messages->forceActiveFocus(Qt::TabFocusReason);
        QTest::keyClick(m_app->window(), Qt::Key_Tab);
        QTRY_COMPARE_WITH_TIMEOUT(m_app->window()->activeFocusItem(), item("requestAcceptButton"), kWaitMs);
        QTest::keyClick(m_app->window(), Qt::Key_Space);
        QTRY_VERIFY_WITH_TIMEOUT(!view()->isRequest(), kWaitMs);
        QTRY_VERIFY_WITH_TIMEOUT(!banner->isVisible(), kWaitMs);
        QVERIFY(m_app->controller().client()->messageRequests()->empty());
    }

    void blockOnTheBannerBlocksTheSenderAndClosesTheRequest() {
        auto* carol = m_clients->signUp(QStringLiteral("carol"), QStringLiteral("+15551303"), QStringLiteral("Carol"));
        QVERIFY2(carol, qPrintable(m_clients->lastError()));
        auto chat = test::await<QString>([&](auto done) { carol->resolveChatAddingNumber(QStringLiteral("+15551301"), done); });
        QVERIFY(chat);
        QVERIFY(carol->sendText(*chat, QStringLiteral("Win a free cruise")));
        client::Client* alice = m_app->controller().client();
        QTRY_VERIFY_WITH_TIMEOUT(ClientHarness::findMessage(alice, *chat, QStringLiteral("Win a free cruise")), kWaitMs);
        QVERIFY(m_app->controller().openChat(*chat));
        QTRY_VERIFY_WITH_TIMEOUT(item("requestBanner")->isVisible(), kWaitMs);

        QMetaObject::invokeMethod(item("requestBlockButton"), "clicked");
        QTRY_VERIFY_WITH_TIMEOUT(!m_app->controller().conversationView(), kWaitMs);
        QCOMPARE(alice->blocked().value(), std::vector<client::UserId>{carol->account().userId});
        QVERIFY(!alice->chatInfo(*chat));
    }

    void cleanupTestCase() { m_app.reset(); }
};

NATTER_DESKTOP_TEST_MAIN(TstDesktopRequests)

#include "tst_desktop_requests.moc"
