// natter-desktop end to end against a real natterd: peers (the client core, and a user of
// the real `natter` CLI) and the desktop profile exchange messages; the natter-desktop binary
// renders screens offscreen to PNGs; the real QML with a real Client sends, sees the ticks
// and moves keyboard focus.
#include "desktop_test_main.h"
#include "client_harness.h"
#include "desktop_test_support.h"
#include "natterd_process.h"

#include "conversation_view.h"
#include "desktop_app.h"
#include "message_proxy.h"

#include "client/client.h"
#include "client/rpc/rpc_client.h"
#include "client/rpc/rpc_server.h"
#include "client/models/message_list_model.h"

#include <QApplication>
#include <QDir>
#include <QImage>
#include <QProcess>
#include <QQuickImageProvider>
#include <QQuickItem>
#include <QQuickStyle>
#include <QQuickWindow>
#include <QSet>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace natter;
using natter::test::ClientHarness;
using natter::test::DesktopCli;
using natter::test::NatterdProcess;
using natter::test::distinctColours;
using natter::test::typeInto;

namespace {

constexpr int kWaitMs = 20000;

struct AppRun {
    bool finished = false;
    int exitCode = -1;
    QString out;
    QString err;
};

} // namespace

class TstDesktopE2e : public QObject {
    Q_OBJECT
    NatterdProcess m_server;
    std::unique_ptr<ClientHarness> m_clients;
    client::Client* m_bob = nullptr;
    QString m_chat;
    QString m_longChat;
    QString m_cliChat; // with Erin, who uses the natter CLI
    std::unique_ptr<desktop::DesktopApp> m_app;
    static constexpr int kLongChat = 130;

    desktop::MessageProxy* proxy() const {
        auto* view = m_app->controller().conversationView();
        return view ? qobject_cast<desktop::MessageProxy*>(view->messages()) : nullptr;
    }

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
        // Carol has a long history with Alice (more than two pages).
        auto* carol = m_clients->signUp(QStringLiteral("carol"), QStringLiteral("+15550003"), QStringLiteral("Carol"));
        QVERIFY2(carol, qPrintable(m_clients->lastError()));
        QVERIFY2(m_clients->befriend(alice, QStringLiteral("Carol"), carol, QStringLiteral("Alice")), qPrintable(m_clients->lastError()));
        m_longChat = ClientHarness::directChat(alice, carol);
        QVERIFY(carol->resolveChat(QStringLiteral("Alice")));
        for (int i = 1; i <= kLongChat; ++i) QVERIFY(carol->sendText(m_longChat, QStringLiteral("message %1").arg(i)));
        QTRY_VERIFY_WITH_TIMEOUT(ClientHarness::findMessage(alice, m_longChat, QStringLiteral("message %1").arg(kLongChat)), kWaitMs);
        QTRY_COMPARE_WITH_TIMEOUT(ClientHarness::messagesOf(alice, m_longChat).size(), kLongChat, kWaitMs);
        // Read: it opens at its newest page (a chat with unread messages opens at the first unread).
        QVERIFY(alice->markRead(m_longChat));
        // Erin signs up here, then only uses the natter CLI on her profile.
        auto* erin = m_clients->signUp(QStringLiteral("erin"), QStringLiteral("+15550005"), QStringLiteral("Erin"));
        QVERIFY2(erin, qPrintable(m_clients->lastError()));
        QVERIFY2(m_clients->befriend(alice, QStringLiteral("Erin"), erin, QStringLiteral("Alice")), qPrintable(m_clients->lastError()));
        m_cliChat = ClientHarness::directChat(alice, erin);
        m_clients->close(QStringLiteral("erin"));
        m_clients->close(QStringLiteral("carol"));
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
        QVERIFY2(!run.err.contains(QStringLiteral("qrc:/")), qPrintable(run.err)); // no QML warnings
    }

    void screenshotOfTheConversation() {
        const QString path = QStringLiteral(NATTER_SCREENSHOT_DIR "/conversation.png");
        QFile::remove(path);
        const AppRun run = runApp({QStringLiteral("--profile"), QStringLiteral("alice"), QStringLiteral("--open-chat"), m_chat,
                                   QStringLiteral("--screenshot"), path});
        QVERIFY2(run.finished && run.exitCode == 0, qPrintable(run.err));
        QVERIFY2(run.out.contains(QStringLiteral("chat '%1'").arg(m_chat)), qPrintable(run.out + run.err));
        checkScreenshot(path);
        QVERIFY2(!run.err.contains(QStringLiteral("qrc:/")), qPrintable(run.err)); // no QML warnings
    }

    // Text size 150 % (Settings, kept per profile): the next start draws the whole window, text
    // and controls, half as large again as at 100 % (the same layout, 1.5 times the pixels).
    void aTextSizeOf150PercentScalesTheWholeWindow() {
        const QImage normal(QStringLiteral(NATTER_SCREENSHOT_DIR "/conversation.png"));
        QVERIFY(!normal.isNull());
        const QString path = QStringLiteral(NATTER_SCREENSHOT_DIR "/conversation-150.png");
        QFile::remove(path);
        QSettings config(m_clients->dataRoot() + QStringLiteral("/config/Natter/natter-desktop.conf"), QSettings::IniFormat);
        config.setValue(QStringLiteral("profiles/alice/textScale"), 150);
        config.sync();
        const AppRun run = runApp({QStringLiteral("--profile"), QStringLiteral("alice"), QStringLiteral("--open-chat"), m_chat,
                                   QStringLiteral("--screenshot"), path});
        config.remove(QStringLiteral("profiles/alice/textScale"));
        config.sync();
        QVERIFY2(run.finished && run.exitCode == 0, qPrintable(run.err));
        checkScreenshot(path);
        const QImage scaled(path);
        QCOMPARE(scaled.width(), qRound(normal.width() * 1.5));
        QCOMPARE(scaled.height(), qRound(normal.height() * 1.5));
    }

    void wrongPassphraseShowsTheErrorScreen() {
        const QString path = QStringLiteral(NATTER_SCREENSHOT_DIR "/wrong-passphrase.png");
        const AppRun run = runApp({QStringLiteral("--profile"), QStringLiteral("alice"), QStringLiteral("--screenshot"), path},
                                  "not the passphrase");
        QVERIFY2(run.finished && run.exitCode == 0, qPrintable(run.err));
        QVERIFY2(run.out.contains(QStringLiteral("screen 'error'")), qPrintable(run.out + run.err));
        checkScreenshot(path);
        QVERIFY2(!run.err.contains(QStringLiteral("qrc:/")), qPrintable(run.err)); // no QML warnings
    }

    void unregisteredProfileShowsOnboarding() {
        const QString path = QStringLiteral(NATTER_SCREENSHOT_DIR "/onboarding.png");
        const AppRun run = runApp({QStringLiteral("--profile"), QStringLiteral("newcomer"), QStringLiteral("--server"),
                                   m_server.baseUrl().toString(), QStringLiteral("--screenshot"), path});
        QVERIFY2(run.finished && run.exitCode == 0, qPrintable(run.err));
        QVERIFY2(run.out.contains(QStringLiteral("screen 'onboarding'")), qPrintable(run.out + run.err));
        checkScreenshot(path);
        QVERIFY2(!run.err.contains(QStringLiteral("qrc:/")), qPrintable(run.err)); // no QML warnings
    }

    // A laptop unlinked while the app was closed: the app opens on the signed-out screen.
    void profileRevokedWhileClosedOpensSignedOut() {
        auto* grace = m_clients->signUp(QStringLiteral("grace"), QStringLiteral("+15550009"), QStringLiteral("Grace"));
        QVERIFY2(grace, qPrintable(m_clients->lastError()));
        auto* laptop = m_clients->link(grace, QStringLiteral("grace-laptop"));
        QVERIFY2(laptop, qPrintable(m_clients->lastError()));
        QVERIFY(natter::test::await<void>([&](auto done) { grace->unlinkDevice(laptop->account().deviceId, done); }));
        QTRY_VERIFY_WITH_TIMEOUT(laptop->isRevoked(), kWaitMs);
        m_clients->close(QStringLiteral("grace-laptop"));
        m_clients->close(QStringLiteral("grace"));
        const QString path = QStringLiteral(NATTER_SCREENSHOT_DIR "/signed-out.png");
        const AppRun run = runApp({QStringLiteral("--profile"), QStringLiteral("grace-laptop"), QStringLiteral("--screenshot"), path});
        QVERIFY2(run.finished && run.exitCode == 0, qPrintable(run.err));
        QVERIFY2(run.out.contains(QStringLiteral("screen 'error'")), qPrintable(run.out + run.err));
        checkScreenshot(path);
    }

    // The real QML over a real Client, from here on: the app holds Alice's profile.
    void appOpensTheProfile() {
        desktop::AppController::Options options;
        options.profile = QStringLiteral("alice");
        options.dataRoot = m_clients->dataRoot();
        m_app = std::make_unique<desktop::DesktopApp>(options);
        QVERIFY(m_app->start());
        QCOMPARE(m_app->controller().screen(), QStringLiteral("main"));
        QTRY_VERIFY_WITH_TIMEOUT(m_app->controller().client()->isSynced(), kWaitMs);
        QTRY_COMPARE_WITH_TIMEOUT(m_app->controller().connectionState(), QStringLiteral("online"), kWaitMs);

        // While the app holds the profile, a second copy explains that it is in use.
        const AppRun locked = runApp({QStringLiteral("--profile"), QStringLiteral("alice"), QStringLiteral("--screenshot"),
                                      QStringLiteral(NATTER_SCREENSHOT_DIR "/profile-in-use.png")});
        QVERIFY2(locked.out.contains(QStringLiteral("screen 'error'")), qPrintable(locked.out + locked.err));

        // ...but natter commands reach the open profile through its JSON-RPC socket.
        QVERIFY(m_app->rpcServer());
        client::rpc::RpcClient rpc;
        QVERIFY(rpc.connectTo(m_app->rpcServer()->socketPath()));
        auto me = rpc.call(QStringLiteral("whoami"));
        QVERIFY(me);
        QCOMPARE(me->toObject().value("phone").toString(), m_app->controller().client()->account().phone);
        auto chats = rpc.call(QStringLiteral("chats"));
        QVERIFY(chats && chats->toObject().value("chats").isArray());
    }

    // Messages arrive in the open conversation; the header shows presence and typing.
    void incomingMessagesAndHeader() {
        auto& controller = m_app->controller();
        QVERIFY(controller.openChat(m_chat));
        auto* view = controller.conversationView();
        QVERIFY(view);
        QCOMPARE(view->title(), QStringLiteral("Bob"));
        auto* list = m_app->window()->findChild<QQuickItem*>(QStringLiteral("messageList"));
        QVERIFY(list);
        QTRY_COMPARE_WITH_TIMEOUT(list->property("count").toInt(), 3, kWaitMs);
        QTRY_COMPARE_WITH_TIMEOUT(view->subtitle(), QStringLiteral("online"), kWaitMs);

        m_bob->userTyping(m_chat);
        QTRY_COMPARE_WITH_TIMEOUT(view->subtitle(), QStringLiteral("Bob is typing…"), kWaitMs);
        QVERIFY(m_bob->sendText(m_chat, QStringLiteral("Running 5 minutes late")));
        QTRY_COMPARE_WITH_TIMEOUT(list->property("count").toInt(), 4, kWaitMs);
        auto* proxy = this->proxy();
        QCOMPARE(proxy->data(proxy->index(0, 0), client::MessageListModel::TextRole).toString(), QStringLiteral("Running 5 minutes late"));
        QVERIFY(proxy->data(proxy->index(0, 0), desktop::MessageProxy::AccessibleNameRole).toString().startsWith(QStringLiteral("Bob, ")));
        QTRY_COMPARE_WITH_TIMEOUT(view->subtitle(), QStringLiteral("online"), kWaitMs); // sending ends typing
    }

    // Typing into the real composer: Shift+Enter starts a new line, Enter sends to Bob.
    void composerSendsWithEnter() {
        QQuickWindow* window = m_app->window();
        window->requestActivate();
        auto* input = window->findChild<QQuickItem*>(QStringLiteral("composerInput"));
        QVERIFY(input);
        input->forceActiveFocus();
        QTRY_VERIFY_WITH_TIMEOUT(input->hasActiveFocus(), kWaitMs);
        typeInto(window, "No problem,");
        QTest::keyClick(window, Qt::Key_Return, Qt::ShiftModifier);
        typeInto(window, "I'll order for you");
        QTest::keyClick(window, Qt::Key_Return);
        const QString sent = QStringLiteral("No problem,\nI'll order for you");
        QTRY_VERIFY_WITH_TIMEOUT(ClientHarness::findMessage(m_bob, m_chat, sent), kWaitMs);
        QCOMPARE(input->property("text").toString(), QString());
        auto* proxy = this->proxy();
        QCOMPARE(proxy->data(proxy->index(0, 0), client::MessageListModel::TextRole).toString(), sent);
    }

    // Delivered shows grey double ticks; Bob reading turns them blue, and the name says so.
    void ticksTurnBlueWhenRead() {
        auto* proxy = this->proxy();
        const QModelIndex mine = proxy->index(0, 0);
        QVERIFY(proxy->data(mine, client::MessageListModel::OutgoingRole).toBool());
        QTRY_COMPARE_WITH_TIMEOUT(proxy->data(proxy->index(0, 0), desktop::MessageProxy::TicksRole).toString(), QStringLiteral("tick-double"), kWaitMs);
        QVERIFY(m_bob->markRead(m_chat));
        QTRY_VERIFY_WITH_TIMEOUT(proxy->data(proxy->index(0, 0), desktop::MessageProxy::TicksReadRole).toBool(), kWaitMs);
        QVERIFY(proxy->data(proxy->index(0, 0), desktop::MessageProxy::AccessibleNameRole).toString().endsWith(QStringLiteral(", read")));
    }

    // A picture goes out with upload progress; Bob gets it; the bubble shows its thumbnail.
    void sendsAPictureWithThumbnail() {
        QTemporaryDir dir;
        QImage picture(640, 480, QImage::Format_RGB32);
        for (int y = 0; y < picture.height(); ++y)
            for (int x = 0; x < picture.width(); ++x) picture.setPixel(x, y, qRgb(x % 256, y % 256, 128));
        const QString path = dir.filePath(QStringLiteral("beach.png"));
        QVERIFY(picture.save(path));
        auto* view = m_app->controller().conversationView();
        QSignalSpy progress(view, &desktop::ConversationView::uploadChanged);
        QCOMPARE(view->attachFiles({QUrl::fromLocalFile(path)}), 1);
        QVERIFY(view->uploading());
        QTRY_VERIFY_WITH_TIMEOUT(!view->uploading(), kWaitMs);
        QVERIFY(progress.count() >= 2);
        QTRY_VERIFY_WITH_TIMEOUT(!ClientHarness::messagesOf(m_bob, m_chat).isEmpty() &&
                                     ClientHarness::messagesOf(m_bob, m_chat).last().kind == client::MessageKind::media,
                                 kWaitMs);
        auto* proxy = this->proxy();
        const QString source = proxy->data(proxy->index(0, 0), desktop::MessageProxy::ThumbnailSourceRole).toString();
        QVERIFY2(source.startsWith(QStringLiteral("image://thumb/")), qPrintable(source));
        auto* provider = dynamic_cast<QQuickImageProvider*>(m_app->engine().imageProvider(QStringLiteral("thumb")));
        QVERIFY(provider);
        QSize size;
        const QImage thumb = provider->requestImage(source.mid(QStringLiteral("image://thumb/").size()), &size, {});
        QVERIFY(!thumb.isNull());
        QVERIFY(size.width() > 0 && size.width() <= 640);
    }

    // Erin, on the natter CLI, writes to the app and reads the app's answer in her history.
    void cliUserExchangesMessages() {
        const DesktopCli cli(m_clients->dataRoot());
        const auto sent = cli.run(QStringLiteral("erin"), {QStringLiteral("send"), QStringLiteral("Alice"), QStringLiteral("Hello from the terminal")});
        QVERIFY2(sent.exitCode == 0, qPrintable(sent.describe()));
        auto& controller = m_app->controller();
        QVERIFY(controller.openChat(QStringLiteral("Erin")));
        QCOMPARE(controller.currentChatId(), m_cliChat);
        auto* list = m_app->window()->findChild<QQuickItem*>(QStringLiteral("messageList"));
        QTRY_VERIFY_WITH_TIMEOUT(proxy()->rowCount() >= 1 && list->property("count").toInt() == proxy()->rowCount(), kWaitMs);
        QCOMPARE(proxy()->data(proxy()->index(0, 0), client::MessageListModel::TextRole).toString(), QStringLiteral("Hello from the terminal"));
        QVERIFY(!proxy()->data(proxy()->index(0, 0), client::MessageListModel::OutgoingRole).toBool());

        QQuickWindow* window = m_app->window();
        auto* input = window->findChild<QQuickItem*>(QStringLiteral("composerInput"));
        QVERIFY(input);
        input->forceActiveFocus();
        QTRY_VERIFY_WITH_TIMEOUT(input->hasActiveFocus(), kWaitMs);
        typeInto(window, "Hello from the app");
        QTest::keyClick(window, Qt::Key_Return);
        QString why;
        const auto seen = cli.waitForMessage(QStringLiteral("erin"), QStringLiteral("Alice"), QStringLiteral("Hello from the app"), &why);
        QVERIFY2(seen, qPrintable(why));
        QCOMPARE(seen->value(QStringLiteral("outgoing")).toBool(true), false);
    }

    // Tab: chat list → safety number → messages → attach → composer → Send, each with visible
    // focus; Shift+Tab goes back.
    void tabMovesThroughChatListComposerAndSend() {
        QQuickWindow* window = m_app->window();
        window->requestActivate();
        QTRY_VERIFY_WITH_TIMEOUT(window->isActive(), kWaitMs);
        auto* chatList = window->findChild<QQuickItem*>(QStringLiteral("chatList"));
        auto* input = window->findChild<QQuickItem*>(QStringLiteral("composerInput"));
        auto* send = window->findChild<QQuickItem*>(QStringLiteral("sendButton"));
        QVERIFY(chatList && input && send);
        const auto focusIn = [window](QQuickItem* item) {
            QQuickItem* active = window->activeFocusItem();
            return active && (active == item || item->isAncestorOf(active));
        };
        chatList->forceActiveFocus(Qt::TabFocusReason);
        QTRY_VERIFY_WITH_TIMEOUT(focusIn(chatList), kWaitMs);
        QVERIFY(chatList->property("currentIndex").toInt() >= 0); // its row is drawn with the focus ring
        for (const char* name : {"safetyNumberButton", "messageList", "attachButton", "composerInput"}) {
            QTest::keyClick(window, Qt::Key_Tab);
            auto* reached = window->findChild<QQuickItem*>(QString::fromLatin1(name));
            QVERIFY2(focusIn(reached), name);
            if (reached->metaObject()->indexOfProperty("focusRingVisible") >= 0) // the icon buttons
                QVERIFY2(reached->property("focusRingVisible").toBool(), name);
        }
        QTest::keyClick(window, Qt::Key_Tab);
        QCOMPARE(window->activeFocusItem()->objectName(), QStringLiteral("sendButton"));
        QVERIFY(send->property("visualFocus").toBool());
        QTest::keyClick(window, Qt::Key_Backtab, Qt::ShiftModifier);
        QCOMPARE(window->activeFocusItem()->objectName(), QStringLiteral("composerInput"));
        for (const char* name : {"attachButton", "messageList", "safetyNumberButton"}) {
            QTest::keyClick(window, Qt::Key_Backtab, Qt::ShiftModifier);
            QVERIFY2(focusIn(window->findChild<QQuickItem*>(QString::fromLatin1(name))), name);
        }
        QTest::keyClick(window, Qt::Key_Backtab, Qt::ShiftModifier);
        QVERIFY(focusIn(chatList));
        QCOMPARE(input->property("text").toString(), QString()); // Tab typed nothing
    }

    // A long read chat opens with one page; scrolling up to the top loads the older pages.
    void longHistoryLoadsLazily() {
        auto& controller = m_app->controller();
        QVERIFY(controller.openChat(m_longChat));
        auto* proxy = this->proxy();
        QCOMPARE(proxy->rowCount(), 50);
        QCOMPARE(proxy->data(proxy->index(0, 0), client::MessageListModel::TextRole).toString(), QStringLiteral("message %1").arg(kLongChat));
        auto* list = m_app->window()->findChild<QQuickItem*>(QStringLiteral("messageList"));
        QTRY_VERIFY_WITH_TIMEOUT(list->property("count").toInt() >= 50, kWaitMs);
        QTRY_VERIFY_WITH_TIMEOUT((QMetaObject::invokeMethod(list, "positionViewAtEnd"), proxy->rowCount() == kLongChat), kWaitMs);
        QCOMPARE(proxy->data(proxy->index(kLongChat - 1, 0), client::MessageListModel::TextRole).toString(), QStringLiteral("message 1"));
        QVERIFY(proxy->data(proxy->index(kLongChat - 1, 0), desktop::MessageProxy::ShowDayRole).toBool());
        QVERIFY(!proxy->data(proxy->index(kLongChat - 2, 0), desktop::MessageProxy::ShowDayRole).toBool());
    }

    // Ctrl+Tab order: the controller steps through the chat list and wraps around.
    void stepsThroughChats() {
        auto& controller = m_app->controller();
        const QString first = controller.currentChatId();
        controller.stepChat(1);
        QVERIFY(controller.currentChatId() != first);
        controller.stepChat(-1);
        QCOMPARE(controller.currentChatId(), first);
    }

    // A group made in the app reaches Bob; the app lists its members and sends into it.
    void groupFromTheApp() {
        auto& controller = m_app->controller();
        QVERIFY(m_bob->setProfileAbout(QStringLiteral("Always hungry")));
        controller.createGroup(QStringLiteral("Lunch club"), {QVariant::fromValue<qulonglong>(m_bob->account().userId)});
        QTRY_VERIFY_WITH_TIMEOUT(controller.conversationView() && controller.conversationView()->isGroup(), kWaitMs);
        auto* view = controller.conversationView();
        QCOMPARE(view->title(), QStringLiteral("Lunch club"));
        QTRY_COMPARE_WITH_TIMEOUT(view->members().size(), 2, kWaitMs);
        // Bob's profile comes without him writing: the member list shows his about text.
        const auto aboutOfBob = [&] {
            for (const QVariant& m : view->members())
                if (m.toMap().value("userId").toULongLong() == m_bob->account().userId) return m.toMap().value("about").toString();
            return QString();
        };
        QTRY_COMPARE_WITH_TIMEOUT(aboutOfBob(), QStringLiteral("Always hungry"), kWaitMs);
        QVERIFY(view->amAdmin());
        QVERIFY(view->send(QStringLiteral("Welcome to the lunch club")));
        QTRY_VERIFY_WITH_TIMEOUT(ClientHarness::findMessage(m_bob, view->chatId(), QStringLiteral("Welcome to the lunch club")), kWaitMs);
    }

    // Settings and safety screens: a link code for a new device, the 60-digit number and its QR code.
    void safetyNumberAndLinkCode() {
        auto& controller = m_app->controller();
        QSignalSpy number(&controller, &desktop::AppController::safetyNumberReady);
        controller.loadSafetyNumber(m_bob->account().userId);
        QTRY_COMPARE_WITH_TIMEOUT(number.count(), 1, kWaitMs); // may answer at once when sessions exist
        QString digits = number.first().at(1).toString();
        QCOMPARE(digits.split(QLatin1Char(' ')).size(), 12);
        QCOMPARE(digits.remove(QLatin1Char(' ')).size(), 60);
        const QString qr = number.first().at(2).toString();
        QVERIFY(qr.startsWith(QStringLiteral("image://qr/")));
        auto* provider = dynamic_cast<QQuickImageProvider*>(m_app->engine().imageProvider(QStringLiteral("qr")));
        QVERIFY(provider);
        QSize size;
        QVERIFY(!provider->requestImage(qr.mid(QStringLiteral("image://qr/").size()), &size, {}).isNull());

        QSignalSpy link(&controller, &desktop::AppController::linkCodeReady);
        controller.createLinkCode();
        QTRY_COMPARE_WITH_TIMEOUT(link.count(), 1, kWaitMs);
        QVERIFY(!link.first().first().toString().isEmpty());
    }

    // Without NATTER_PASSPHRASE (and no keychain) the app asks; a wrong one is said so plainly.
    void passphrasePrompt() {
        const QByteArray passphrase = qgetenv("NATTER_PASSPHRASE");
        qunsetenv("NATTER_PASSPHRASE");
        desktop::AppController::Options options;
        options.profile = QStringLiteral("carol");
        options.dataRoot = m_clients->dataRoot();
        desktop::DesktopApp app(options);
        QVERIFY(app.start());
        QCOMPARE(app.controller().screen(), QStringLiteral("passphrase"));
        QVERIFY(!app.controller().newProfile());
        app.controller().submitPassphrase(QStringLiteral("not it"));
        QCOMPARE(app.controller().screen(), QStringLiteral("passphrase"));
        QVERIFY(!app.controller().passphraseError().isEmpty());
        app.controller().submitPassphrase(QString::fromUtf8(passphrase));
        qputenv("NATTER_PASSPHRASE", passphrase);
        QCOMPARE(app.controller().screen(), QStringLiteral("main"));
        QCOMPARE(app.controller().selfName(), QStringLiteral("Carol"));
    }

    // A new profile registers through the onboarding screen's controller against natterd.
    void onboardingRegisters() {
        desktop::AppController::Options options;
        options.profile = QStringLiteral("dave");
        options.dataRoot = m_clients->dataRoot();
        options.server = m_server.baseUrl();
        desktop::DesktopApp app(options);
        QVERIFY(app.start());
        auto& c = app.controller();
        QCOMPARE(c.screen(), QStringLiteral("onboarding"));
        QCOMPARE(c.defaultServer(), m_server.baseUrl().toString());
        c.requestCode(c.defaultServer(), QStringLiteral("5550004"));
        QCOMPARE(c.onboardingStep(), QStringLiteral("phone"));
        QVERIFY(c.onboardingError().contains(QStringLiteral("international")));
        c.requestCode(c.defaultServer(), QStringLiteral("+1 555 0004"));
        QTRY_COMPARE_WITH_TIMEOUT(c.onboardingStep(), QStringLiteral("code"), kWaitMs);
        c.verifyCode(QStringLiteral("654321"), QStringLiteral("Dave"));
        QTRY_VERIFY_WITH_TIMEOUT(!c.busy(), kWaitMs);
        QCOMPARE(c.onboardingError(), QStringLiteral("That code is wrong or has expired."));
        c.verifyCode(QStringLiteral("123456"), QStringLiteral("Dave"));
        QTRY_COMPARE_WITH_TIMEOUT(c.screen(), QStringLiteral("main"), kWaitMs);
        QCOMPARE(c.selfName(), QStringLiteral("Dave"));
        QTRY_VERIFY_WITH_TIMEOUT(c.client()->isSynced(), kWaitMs);
    }

    // Linked from the onboarding screen with "Bring my message history" ticked, the desktop finds
    // Bob's conversation as his phone has it; the progress line is gone once it all arrived.
    void onboardingLinksWithHistoryAndFindsTheConversation() {
        auto code = natter::test::await<QString>([&](auto done) { m_bob->createLinkCode(done); });
        QVERIFY(code);
        desktop::AppController::Options options;
        options.profile = QStringLiteral("bob-desk");
        options.dataRoot = m_clients->dataRoot();
        options.server = m_server.baseUrl();
        desktop::DesktopApp app(options);
        QVERIFY(app.start());
        auto& c = app.controller();
        QSignalSpy progress(&c, &desktop::AppController::historyProgressChanged);
        c.linkDevice(c.defaultServer(), *code, QStringLiteral("Desk"), true);
        QTRY_COMPARE_WITH_TIMEOUT(c.screen(), QStringLiteral("main"), kWaitMs);
        QTRY_VERIFY_WITH_TIMEOUT(ClientHarness::findMessage(c.client(), m_chat, QStringLiteral("Great, see you there")), kWaitMs);
        QVERIFY(ClientHarness::findMessage(c.client(), m_chat, QStringLiteral("Hi Alice! Lunch at noon?")));
        QVERIFY(ClientHarness::findMessage(c.client(), m_chat, QStringLiteral("Sure, the usual place 🍜")));
        QVERIFY(!progress.isEmpty());
        QCOMPARE(c.historyProgress(), QString());
    }

    // natterd goes away: the banner says so, and a file that cannot be uploaded is a clear error.
    void connectionLossShowsTheBannerAndUploadErrors() {
        auto& controller = m_app->controller();
        QVERIFY(!controller.connectionLost());
        m_server.kill9();
        QTRY_VERIFY_WITH_TIMEOUT(controller.connectionLost(), kWaitMs);
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("notes.txt"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("agenda");
        file.close();
        QSignalSpy failed(&controller, &desktop::AppController::actionFailed);
        controller.conversationView()->attachFiles({QUrl::fromLocalFile(path)});
        QTRY_VERIFY_WITH_TIMEOUT(!failed.isEmpty(), kWaitMs);
        QVERIFY2(failed.first().first().toString().startsWith(QStringLiteral("Could not send notes.txt")),
                 qPrintable(failed.first().first().toString()));
        QTRY_VERIFY_WITH_TIMEOUT(!controller.conversationView()->uploading(), kWaitMs);
    }

    void cleanupTestCase() { m_app.reset(); }
};

NATTER_DESKTOP_TEST_MAIN(TstDesktopE2e)

#include "tst_desktop_e2e.moc"
