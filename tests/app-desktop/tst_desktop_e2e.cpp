// natter-desktop end to end against a real natterd: a peer (client core) and the desktop
// profile exchange messages; the natter-desktop binary renders the chat list and the
// conversation offscreen to PNGs; the real QML with a real Client sends and sees the ticks.
#include "client_harness.h"
#include "natterd_process.h"

#include "conversation_view.h"
#include "desktop_app.h"
#include "message_proxy.h"

#include "client/client.h"
#include "client/models/message_list_model.h"

#include <QApplication>
#include <QDir>
#include <QImage>
#include <QProcess>
#include <QQuickItem>
#include <QQuickStyle>
#include <QQuickWindow>
#include <QSet>
#include <QSignalSpy>
#include <QTest>

using namespace natter;
using natter::test::ClientHarness;
using natter::test::NatterdProcess;

namespace {

constexpr int kWaitMs = 20000;

struct AppRun {
    bool finished = false;
    int exitCode = -1;
    QString out;
    QString err;
};

// Distinct colours on a coarse grid: a blank or single-colour image has one.
int distinctColours(const QImage& image) {
    QSet<QRgb> colours;
    for (int y = 0; y < image.height(); y += 7)
        for (int x = 0; x < image.width(); x += 7) colours.insert(image.pixel(x, y));
    return int(colours.size());
}

} // namespace

class TstDesktopE2e : public QObject {
    Q_OBJECT
    NatterdProcess m_server;
    std::unique_ptr<ClientHarness> m_clients;
    client::Client* m_bob = nullptr;
    QString m_chat;

    AppRun runApp(const QStringList& args, const QByteArray& passphrase = {}) {
        QProcess app;
        auto env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
        env.insert(QStringLiteral("XDG_DATA_HOME"), m_clients->dataRoot());
        env.insert(QStringLiteral("XDG_CONFIG_HOME"), m_clients->dataRoot() + QStringLiteral("/config"));
        env.insert(QStringLiteral("NATTER_NO_KEYCHAIN"), QStringLiteral("1"));
        if (!passphrase.isEmpty()) env.insert(QStringLiteral("NATTER_PASSPHRASE"), QString::fromUtf8(passphrase));
        app.setProcessEnvironment(env);
        app.start(QStringLiteral(NATTER_DESKTOP_BINARY), args);
        AppRun run;
        if (!app.waitForStarted(kWaitMs)) return run;
        run.finished = app.waitForFinished(60000);
        if (!run.finished) {
            app.kill();
            app.waitForFinished(5000);
        }
        run.exitCode = app.exitStatus() == QProcess::NormalExit ? app.exitCode() : -1;
        run.out = QString::fromUtf8(app.readAllStandardOutput());
        run.err = QString::fromUtf8(app.readAllStandardError());
        return run;
    }

    static void checkScreenshot(const QString& path) {
        QImage image(path);
        QVERIFY2(!image.isNull(), qPrintable(path));
        QVERIFY(image.width() >= 700 && image.height() >= 450);
        QVERIFY2(distinctColours(image) > 8, "the screenshot is blank");
    }

private slots:
    void initTestCase() {
        qputenv("XDG_CONFIG_HOME", QDir::tempPath().toUtf8() + "/natter-desktop-e2e-config");
        QVERIFY2(m_server.start(), qPrintable(m_server.errorString()));
        m_clients = std::make_unique<ClientHarness>(m_server.baseUrl());
        m_bob = m_clients->signUp(QStringLiteral("bob"), QStringLiteral("+15550002"), QStringLiteral("Bob"));
        QVERIFY2(m_bob, qPrintable(m_clients->lastError()));
        auto* alice = m_clients->signUp(QStringLiteral("alice"), QStringLiteral("+15550001"), QStringLiteral("Alice"));
        QVERIFY2(alice, qPrintable(m_clients->lastError()));
        QVERIFY2(m_clients->befriend(alice, QStringLiteral("Bob"), m_bob, QStringLiteral("Alice")), qPrintable(m_clients->lastError()));
        m_chat = ClientHarness::directChat(alice, m_bob);
        QVERIFY(m_bob->resolveChat(QStringLiteral("Alice")));
        QVERIFY(alice->resolveChat(QStringLiteral("Bob")));
        QVERIFY(m_bob->sendText(m_chat, QStringLiteral("Hi Alice! Lunch at noon?")));
        QTRY_VERIFY_WITH_TIMEOUT(ClientHarness::findMessage(alice, m_chat, QStringLiteral("Hi Alice! Lunch at noon?")), kWaitMs);
        QVERIFY(alice->sendText(m_chat, QStringLiteral("Sure, the usual place 🍜")));
        QTRY_VERIFY_WITH_TIMEOUT(ClientHarness::findMessage(m_bob, m_chat, QStringLiteral("Sure, the usual place 🍜")), kWaitMs);
        QVERIFY(m_bob->sendText(m_chat, QStringLiteral("Great, see you there")));
        QTRY_VERIFY_WITH_TIMEOUT(ClientHarness::findMessage(alice, m_chat, QStringLiteral("Great, see you there")), kWaitMs);
        m_clients->close(QStringLiteral("alice")); // the desktop app opens this profile from now on
        QDir().mkpath(QStringLiteral(NATTER_SCREENSHOT_DIR));
    }

    void screenshotOfTheChatList() {
        const QString path = QStringLiteral(NATTER_SCREENSHOT_DIR "/chat-list.png");
        QFile::remove(path);
        const AppRun run = runApp({QStringLiteral("--profile"), QStringLiteral("alice"), QStringLiteral("--screenshot"), path});
        QVERIFY2(run.finished && run.exitCode == 0, qPrintable(run.err));
        QVERIFY2(run.out.contains(QStringLiteral("screen 'main'")), qPrintable(run.out + run.err));
        checkScreenshot(path);
    }

    void screenshotOfTheConversation() {
        const QString path = QStringLiteral(NATTER_SCREENSHOT_DIR "/conversation.png");
        QFile::remove(path);
        const AppRun run = runApp({QStringLiteral("--profile"), QStringLiteral("alice"), QStringLiteral("--open-chat"), m_chat,
                                   QStringLiteral("--screenshot"), path});
        QVERIFY2(run.finished && run.exitCode == 0, qPrintable(run.err));
        QVERIFY2(run.out.contains(QStringLiteral("chat '%1'").arg(m_chat)), qPrintable(run.out + run.err));
        checkScreenshot(path);
    }

    void wrongPassphraseShowsTheErrorScreen() {
        const QString path = QStringLiteral(NATTER_SCREENSHOT_DIR "/wrong-passphrase.png");
        const AppRun run = runApp({QStringLiteral("--profile"), QStringLiteral("alice"), QStringLiteral("--screenshot"), path},
                                  "not the passphrase");
        QVERIFY2(run.finished && run.exitCode == 0, qPrintable(run.err));
        QVERIFY2(run.out.contains(QStringLiteral("screen 'error'")), qPrintable(run.out + run.err));
        checkScreenshot(path);
    }

    void unregisteredProfileShowsOnboarding() {
        const QString path = QStringLiteral(NATTER_SCREENSHOT_DIR "/onboarding.png");
        const AppRun run = runApp({QStringLiteral("--profile"), QStringLiteral("newcomer"), QStringLiteral("--server"),
                                   m_server.baseUrl().toString(), QStringLiteral("--screenshot"), path});
        QVERIFY2(run.finished && run.exitCode == 0, qPrintable(run.err));
        QVERIFY2(run.out.contains(QStringLiteral("screen 'onboarding'")), qPrintable(run.out + run.err));
        checkScreenshot(path);
    }

    // The real QML over a real Client: messages arrive in the open conversation, the composer's
    // send reaches the peer, and the ticks turn blue when the peer reads.
    void sendAndReceiveThroughTheApp() {
        desktop::AppController::Options options;
        options.profile = QStringLiteral("alice");
        options.dataRoot = m_clients->dataRoot();
        desktop::DesktopApp app(options);
        QVERIFY(app.start());
        desktop::AppController& controller = app.controller();
        QCOMPARE(controller.screen(), QStringLiteral("main"));
        QTRY_VERIFY_WITH_TIMEOUT(controller.client()->isSynced(), kWaitMs);

        // While the app holds the profile, a second copy explains that it is in use.
        const AppRun locked = runApp({QStringLiteral("--profile"), QStringLiteral("alice"), QStringLiteral("--screenshot"),
                                      QStringLiteral(NATTER_SCREENSHOT_DIR "/profile-in-use.png")});
        QVERIFY2(locked.out.contains(QStringLiteral("screen 'error'")), qPrintable(locked.out + locked.err));

        QVERIFY(controller.openChat(m_chat));
        auto* view = controller.conversationView();
        QVERIFY(view);
        QCOMPARE(view->title(), QStringLiteral("Bob"));
        auto* list = app.window()->findChild<QQuickItem*>(QStringLiteral("messageList"));
        QVERIFY(list);
        QTRY_COMPARE_WITH_TIMEOUT(list->property("count").toInt(), 3, kWaitMs);

        // Bob writes while the conversation is open: it appears in the list.
        QVERIFY(m_bob->sendText(m_chat, QStringLiteral("Running 5 minutes late")));
        QTRY_COMPARE_WITH_TIMEOUT(list->property("count").toInt(), 4, kWaitMs);
        auto* proxy = qobject_cast<desktop::MessageProxy*>(view->messages());
        QVERIFY(proxy);
        QCOMPARE(proxy->data(proxy->index(0, 0), client::MessageListModel::TextRole).toString(), QStringLiteral("Running 5 minutes late"));
        QVERIFY(proxy->data(proxy->index(0, 0), desktop::MessageProxy::AccessibleNameRole).toString()
                    .startsWith(QStringLiteral("Bob, ")));

        // Alice answers from the composer's send path; Bob receives it, reads it, the ticks turn blue.
        const QString reply = QStringLiteral("No problem, I'll order for you");
        QVERIFY(view->send(reply));
        QTRY_VERIFY_WITH_TIMEOUT(ClientHarness::findMessage(m_bob, m_chat, reply), kWaitMs);
        QCOMPARE(proxy->data(proxy->index(0, 0), client::MessageListModel::TextRole).toString(), reply);
        QTRY_COMPARE_WITH_TIMEOUT(proxy->data(proxy->index(0, 0), desktop::MessageProxy::TicksRole).toString(), QStringLiteral("✓✓"),
                                  kWaitMs);
        QVERIFY(m_bob->markRead(m_chat));
        QTRY_VERIFY_WITH_TIMEOUT(proxy->data(proxy->index(0, 0), desktop::MessageProxy::TicksReadRole).toBool(), kWaitMs);
        QCOMPARE(proxy->data(proxy->index(0, 0), desktop::MessageProxy::AccessibleNameRole).toString(),
                 QStringLiteral("You, %1: %2, read").arg(proxy->data(proxy->index(0, 0), desktop::MessageProxy::TimeTextRole).toString(), reply));
    }
};

int main(int argc, char** argv) {
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    QQuickStyle::setStyle(QStringLiteral("Fusion"));
    TstDesktopE2e test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_desktop_e2e.moc"
