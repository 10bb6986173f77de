// natter-desktop on a real X desktop session (Xvfb, session D-Bus, dunst, trayer) against a
// real natterd: its tray icon is embedded in the system tray, and a message from a `natter`
// CLI user reaches the notification daemon, with or without the message preview, with the
// desktop's new-message sound or asked to stay silent.
#include "client_harness.h"
#include "desktop_test_support.h"
#include "natterd_process.h"
#include "x11_session.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QProcess>
#include <QSettings>
#include <QTest>

using namespace natter;
using natter::test::ClientHarness;
using natter::test::DesktopCli;
using natter::test::NatterdProcess;
using natter::test::X11Session;

namespace {
constexpr int kWaitMs = 30000;
const QString kAppClass = QStringLiteral("natter-desktop");
} // namespace

class TstDesktopX11Session : public QObject {
    Q_OBJECT
    NatterdProcess m_server;
    std::unique_ptr<ClientHarness> m_clients;
    std::unique_ptr<DesktopCli> m_cli;
    std::unique_ptr<X11Session> m_x11;
    std::unique_ptr<QProcess> m_app;
    QString m_configHome;

    // Starts natter-desktop on the X session with the "Message previews" setting, and waits
    // until its window is up and it synced with natterd (so new messages notify).
    bool startApp(bool previews, QString* why, bool sound = true) {
        QSettings settings(m_configHome + QStringLiteral("/Natter/natter-desktop.conf"), QSettings::IniFormat);
        settings.setValue(QStringLiteral("notifications/previews"), previews);
        settings.setValue(QStringLiteral("notifications/sound"), sound);
        settings.sync();
        m_app = std::make_unique<QProcess>();
        auto env = m_x11->environment();
        env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("xcb"));
        env.insert(QStringLiteral("XDG_DATA_HOME"), m_clients->dataRoot());
        env.insert(QStringLiteral("XDG_CONFIG_HOME"), m_configHome);
        env.insert(QStringLiteral("NATTER_NO_KEYCHAIN"), QStringLiteral("1"));
        env.insert(QStringLiteral("QT_LOGGING_RULES"), QStringLiteral("natter.net.debug=true"));
        m_app->setProcessEnvironment(env);
        m_app->setProcessChannelMode(QProcess::MergedChannels);
        m_app->start(QStringLiteral(NATTER_DESKTOP_BINARY), {QStringLiteral("--profile"), QStringLiteral("alice")});
        m_app->waitForStarted(kWaitMs);
        QByteArray log;
        QDeadlineTimer deadline(kWaitMs);
        while (!deadline.hasExpired() && m_app->state() == QProcess::Running) {
            m_app->waitForReadyRead(100);
            log += m_app->readAll();
            if (log.contains("sync complete") && m_x11->hasWindow(kAppClass)) return true;
        }
        *why = QStringLiteral("natter-desktop did not come up and sync (%1, window %2): %3")
                   .arg(m_app->errorString())
                   .arg(m_x11->hasWindow(kAppClass))
                   .arg(QString::fromUtf8(log.right(3000)));
        return false;
    }

    void stopApp() {
        if (!m_app) return;
        m_app->terminate();
        if (!m_app->waitForFinished(10000)) m_app->kill();
        m_app->waitForFinished(5000);
        m_app.reset();
    }

    void saveScreenshot(const QString& name) {
        const QImage screen = m_x11->screenshot();
        QVERIFY2(!screen.isNull(), "the X screen could not be read");
        QVERIFY2(test::distinctColours(screen) > 8, "the X screen is blank");
        QDir().mkpath(QStringLiteral(NATTER_SCREENSHOT_DIR));
        QVERIFY(screen.save(QStringLiteral(NATTER_SCREENSHOT_DIR "/") + name));
    }

private slots:
    void initTestCase() {
        if (const QStringList missing = X11Session::missingPrograms(); !missing.isEmpty())
            QSKIP(qPrintable(QStringLiteral("needs %1 (scripts/install-deps.sh installs them)").arg(missing.join(QStringLiteral(", ")))));
        QVERIFY2(m_server.start(), qPrintable(m_server.errorString()));
        m_clients = std::make_unique<ClientHarness>(m_server.baseUrl());
        m_cli = std::make_unique<DesktopCli>(m_clients->dataRoot());
        m_configHome = m_clients->dataRoot() + QStringLiteral("/config");
        auto* alice = m_clients->signUp(QStringLiteral("alice"), QStringLiteral("+15553001"), QStringLiteral("Alice"));
        auto* erin = m_clients->signUp(QStringLiteral("erin"), QStringLiteral("+15553005"), QStringLiteral("Erin"));
        QVERIFY2(alice && erin, qPrintable(m_clients->lastError()));
        QVERIFY2(m_clients->befriend(alice, QStringLiteral("Erin"), erin, QStringLiteral("Alice")), qPrintable(m_clients->lastError()));
        m_clients->close(QStringLiteral("erin"));  // Erin uses the natter CLI
        m_clients->close(QStringLiteral("alice")); // natter-desktop opens Alice's profile
        m_x11 = std::make_unique<X11Session>();
        QString why;
        QVERIFY2(m_x11->start(&why), qPrintable(why));
    }

    void trayIconIsEmbeddedInTheSystemTray() {
        QString why;
        QVERIFY2(startApp(true, &why), qPrintable(why));
        QTRY_VERIFY_WITH_TIMEOUT(m_x11->trayHolds(kAppClass), kWaitMs);
    }

    // The window is not focused (no window manager gives it the focus): Erin's message notifies.
    void incomingMessageNotifiesThroughTheDesktopNotificationService() {
        const auto sent = m_cli->run(QStringLiteral("erin"), {QStringLiteral("send"), QStringLiteral("Alice"), QStringLiteral("Dinner at eight?")});
        QVERIFY2(sent.exitCode == 0, qPrintable(sent.describe()));
        QTRY_VERIFY_WITH_TIMEOUT(m_x11->displayedNotifications() >= 1, kWaitMs);
        saveScreenshot(QStringLiteral("x11-session-notification.png"));
        const auto received = m_x11->receivedNotifications();
        QCOMPARE(received.size(), 1);
        QCOMPARE(received.at(0).appName, QStringLiteral("Natter"));
        QCOMPARE(received.at(0).summary, QStringLiteral("Erin"));
        QCOMPARE(received.at(0).body, QStringLiteral("Dinner at eight?"));
        // The desktop plays its new-message sound (freedesktop sound naming).
        const QStringList calls = m_x11->notifyCalls();
        QCOMPARE(calls.size(), 1);
        QVERIFY2(calls.at(0).contains(QStringLiteral("\"sound-name\"")) && calls.at(0).contains(QStringLiteral("\"message-new-instant\"")),
                 qPrintable(calls.at(0)));
        QVERIFY(!calls.at(0).contains(QStringLiteral("suppress-sound")));
    }

    // With "Message previews" off the daemon gets neither the sender nor the text.
    void withoutPreviewsTheNotificationHidesTheMessage() {
        stopApp();
        QString why;
        QVERIFY2(startApp(false, &why), qPrintable(why));
        const auto sent = m_cli->run(QStringLiteral("erin"), {QStringLiteral("send"), QStringLiteral("Alice"), QStringLiteral("The code is 4711")});
        QVERIFY2(sent.exitCode == 0, qPrintable(sent.describe()));
        QTRY_VERIFY_WITH_TIMEOUT(m_x11->displayedNotifications() >= 1, kWaitMs);
        const auto received = m_x11->receivedNotifications();
        QCOMPARE(received.size(), 2);
        QCOMPARE(received.at(1).summary, QStringLiteral("Natter"));
        QCOMPARE(received.at(1).body, QStringLiteral("New message"));
        QVERIFY(!received.at(1).body.contains(QStringLiteral("4711")));
    }

    // With "Sound" off in Settings the notification asks the service to stay silent.
    void withTheSoundOffTheNotificationIsSilent() {
        stopApp();
        QString why;
        QVERIFY2(startApp(true, &why, false), qPrintable(why));
        const auto sent = m_cli->run(QStringLiteral("erin"), {QStringLiteral("send"), QStringLiteral("Alice"), QStringLiteral("Quietly now")});
        QVERIFY2(sent.exitCode == 0, qPrintable(sent.describe()));
        QTRY_COMPARE_WITH_TIMEOUT(m_x11->notifyCalls().size(), 3, kWaitMs);
        const QString call = m_x11->notifyCalls().at(2);
        QVERIFY2(call.contains(QStringLiteral("\"Quietly now\"")), qPrintable(call));
        QVERIFY2(call.contains(QStringLiteral("\"suppress-sound\"")) && call.contains(QStringLiteral("boolean true")), qPrintable(call));
        QVERIFY(!call.contains(QStringLiteral("sound-name")));
    }

    void cleanupTestCase() {
        stopApp();
        m_x11.reset();
    }
};

QTEST_GUILESS_MAIN(TstDesktopX11Session)
#include "tst_desktop_x11_session.moc"
