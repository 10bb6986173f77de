// natter-desktop's side features against a real natterd, the real QML and a real Client:
// privacy settings set with the natter CLI shown in the settings dialog, the identity-change
// banner, dropped and pasted files, notifications and the tray count, group administration,
// the link code as text and QR code.
#include "desktop_test_main.h"
#include "client_harness.h"
#include "desktop_test_support.h"
#include "natterd_process.h"

#include "conversation_view.h"
#include "desktop_app.h"
#include "image_providers.h"
#include "message_proxy.h"
#include "tray_notifier.h"

#include "client/client.h"
#include "client/messaging/group_directory.h"
#include "client/models/chat_list_model.h"
#include "client/models/message_list_model.h"

#include <QApplication>
#include <QClipboard>
#include <QDir>
#include <QMimeData>
#include <QAccessible>
#include <QQuickImageProvider>
#include <QQuickItem>
#include <QQuickStyle>
#include <QQuickWindow>
#include <QSignalSpy>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace natter;
using natter::test::ClientHarness;
using natter::test::DesktopCli;
using natter::test::NatterdProcess;

namespace {

constexpr int kWaitMs = 20000;

// What dragging file URLs from a file manager and releasing them over pos delivers.
void dropFiles(QQuickWindow* window, QPointF pos, const QList<QUrl>& urls) {
    QMimeData mime;
    mime.setUrls(urls);
    QDragEnterEvent enter(pos.toPoint(), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QCoreApplication::sendEvent(window, &enter);
    QDragMoveEvent move(pos.toPoint(), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QCoreApplication::sendEvent(window, &move);
    QDropEvent drop(pos, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QCoreApplication::sendEvent(window, &drop);
}

std::optional<client::MessageRecord> lastFileOf(client::Client* c, const QString& chat) {
    const auto messages = ClientHarness::messagesOf(c, chat);
    if (messages.isEmpty() || messages.last().kind != client::MessageKind::media || !messages.last().media) return std::nullopt;
    return messages.last();
}

std::optional<client::GroupMemberRecord> memberOf(client::Client* c, const QString& chat, client::UserId user) {
    const auto group = c->groupInfo(chat);
    if (!group) return std::nullopt;
    for (const auto& m : group->members)
        if (m.userId == user) return m;
    return std::nullopt;
}

} // namespace

class TstDesktopFeatures : public QObject {
    Q_OBJECT
    NatterdProcess m_server;
    std::unique_ptr<ClientHarness> m_clients;
    std::unique_ptr<DesktopCli> m_cli;
    client::Client* m_bob = nullptr;
    client::Client* m_frank = nullptr;
    client::UserId m_erinId = 0;
    QString m_bobChat;
    std::unique_ptr<desktop::DesktopApp> m_app;

    desktop::ConversationView* view() const { return m_app->controller().conversationView(); }
    desktop::MessageProxy* proxy() const { return qobject_cast<desktop::MessageProxy*>(view()->messages()); }
    QQuickItem* item(const char* name) const { return m_app->window()->findChild<QQuickItem*>(QString::fromLatin1(name)); }

private slots:
    void initTestCase() {
        qputenv("XDG_CONFIG_HOME", QDir::tempPath().toUtf8() + "/natter-desktop-features-config");
        QVERIFY2(m_server.start(), qPrintable(m_server.errorString()));
        m_clients = std::make_unique<ClientHarness>(m_server.baseUrl());
        m_cli = std::make_unique<DesktopCli>(m_clients->dataRoot());
        auto* alice = m_clients->signUp(QStringLiteral("alice"), QStringLiteral("+15551001"), QStringLiteral("Alice"));
        m_bob = m_clients->signUp(QStringLiteral("bob"), QStringLiteral("+15551002"), QStringLiteral("Bob"));
        m_frank = m_clients->signUp(QStringLiteral("frank"), QStringLiteral("+15551006"), QStringLiteral("Frank"));
        auto* erin = m_clients->signUp(QStringLiteral("erin"), QStringLiteral("+15551005"), QStringLiteral("Erin"));
        QVERIFY2(alice && m_bob && m_frank && erin, qPrintable(m_clients->lastError()));
        for (auto [peer, name] : {std::pair{m_bob, "Bob"}, std::pair{m_frank, "Frank"}, std::pair{erin, "Erin"}})
            QVERIFY2(m_clients->befriend(alice, QString::fromLatin1(name), peer, QStringLiteral("Alice")), qPrintable(m_clients->lastError()));
        m_bobChat = ClientHarness::directChat(alice, m_bob);
        m_erinId = erin->account().userId;
        // Frank and Alice have sessions, so Frank's later reinstall is noticed.
        const QString frankChat = ClientHarness::directChat(alice, m_frank);
        QVERIFY(m_frank->resolveChat(QStringLiteral("Alice")));
        QVERIFY(m_frank->sendText(frankChat, QStringLiteral("Hi, it's Frank")));
        QTRY_VERIFY_WITH_TIMEOUT(ClientHarness::findMessage(alice, frankChat, QStringLiteral("Hi, it's Frank")), kWaitMs);
        QVERIFY(m_bob->resolveChat(QStringLiteral("Alice")));
        m_clients->close(QStringLiteral("erin")); // Erin uses the natter CLI
        m_clients->close(QStringLiteral("alice")); // the app opens Alice's profile

        desktop::AppController::Options options;
        options.profile = QStringLiteral("alice");
        options.dataRoot = m_clients->dataRoot();
        m_app = std::make_unique<desktop::DesktopApp>(options);
        QVERIFY(m_app->start());
        QTRY_VERIFY_WITH_TIMEOUT(m_app->controller().client()->isSynced(), kWaitMs);
        m_app->controller().setMessagePreviews(true);
    }

    // `natter settings privacy` (through the app's socket) shows in the settings dialog.
    void privacySetWithTheCliShowsInSettings() {
        auto& controller = m_app->controller();
        const auto set = m_cli->run(QStringLiteral("alice"), {QStringLiteral("settings"), QStringLiteral("privacy"),
                                                              QStringLiteral("last-seen"), QStringLiteral("nobody")});
        QVERIFY2(set.exitCode == 0, qPrintable(set.describe()));
        QVERIFY(controller.privacy().isEmpty()); // loaded when the dialog opens
        auto* dialog = m_app->window()->findChild<QObject*>(QStringLiteral("settingsDialog"));
        QVERIFY(dialog);
        QMetaObject::invokeMethod(dialog, "open");
        QTRY_COMPARE_WITH_TIMEOUT(controller.privacy().value(QStringLiteral("lastSeen")).toString(), QStringLiteral("nobody"), kWaitMs);
        QCOMPARE(controller.privacy().value(QStringLiteral("online")).toString(), QStringLiteral("everyone"));
        QCOMPARE(controller.privacy().value(QStringLiteral("readReceipts")).toBool(), true);
        auto* lastSeen = item("lastSeenChoice");
        QVERIFY(lastSeen);
        QTRY_COMPARE_WITH_TIMEOUT(lastSeen->property("currentIndex").toInt(), 2, kWaitMs);
        QVERIFY(lastSeen->isEnabled());

        controller.setPrivacy(QStringLiteral("online"), QStringLiteral("contacts")); // what choosing in the dialog does
        QTRY_COMPARE_WITH_TIMEOUT(controller.privacy().value(QStringLiteral("online")).toString(), QStringLiteral("contacts"), kWaitMs);
        QTRY_COMPARE_WITH_TIMEOUT(item("onlineChoice")->property("currentIndex").toInt(), 1, kWaitMs);
        QMetaObject::invokeMethod(dialog, "close");
    }

    // About in the settings names the version project(VERSION) sets, as --version does.
    void aboutInSettingsShowsTheProjectVersion() {
        auto* dialog = m_app->window()->findChild<QObject*>(QStringLiteral("settingsDialog"));
        QVERIFY(dialog);
        QMetaObject::invokeMethod(dialog, "open");
        QQuickItem* about = nullptr;
        QTRY_VERIFY_WITH_TIMEOUT((about = item("aboutVersion")) != nullptr, kWaitMs);
        QCOMPARE(about->property("text").toString(), QStringLiteral("Natter " NATTER_EXPECTED_VERSION));
        QMetaObject::invokeMethod(dialog, "close");
    }

    // Frank reinstalls: the open chat shows the banner, which opens the safety number.
    void identityChangeShowsTheBanner() {
        auto& controller = m_app->controller();
        QVERIFY(controller.openChat(QStringLiteral("Frank")));
        auto* banner = item("identityBanner");
        QVERIFY(banner);
        QVERIFY(!banner->isVisible());
        QSignalSpy warned(view(), &desktop::ConversationView::identityWarned);
        QVERIFY(test::publishNewIdentity(m_server, m_frank));
        QTRY_VERIFY_WITH_TIMEOUT(!warned.isEmpty(), kWaitMs);
        QVERIFY(view()->identityChanged());
        QTRY_VERIFY_WITH_TIMEOUT(banner->isVisible() && banner->height() > 0, kWaitMs);
        QTRY_VERIFY_WITH_TIMEOUT(proxy()->data(proxy()->index(0, 0), client::MessageListModel::TextRole).toString().contains(
                                     QStringLiteral("security code with Frank changed")),
                                 kWaitMs);

        m_clients->close(QStringLiteral("frank")); // its old keys no longer match natterd's
        m_frank = nullptr;
        QSignalSpy number(&controller, &desktop::AppController::safetyNumberReady);
        auto* verify = item("identityVerifyButton");
        QVERIFY(verify && verify->isVisible());
        QMetaObject::invokeMethod(verify, "clicked");
        auto* dialog = m_app->window()->findChild<QObject*>(QStringLiteral("safetyNumberDialog"));
        QVERIFY(dialog);
        QTRY_VERIFY_WITH_TIMEOUT(dialog->property("opened").toBool(), kWaitMs);
        QTRY_VERIFY_WITH_TIMEOUT(!number.isEmpty(), kWaitMs);
        QCOMPARE(number.first().first().toULongLong(), view()->peerId());
        QMetaObject::invokeMethod(dialog, "close");
        view()->acknowledgeIdentity();
        QTRY_VERIFY_WITH_TIMEOUT(!banner->isVisible(), kWaitMs);
    }

    // Files dropped on the conversation and an image pasted into the composer reach Bob.
    void droppedAndPastedFilesAreSent() {
        auto& controller = m_app->controller();
        QVERIFY(controller.openChat(QStringLiteral("Bob")));
        QCOMPARE(controller.currentChatId(), m_bobChat);
        QQuickWindow* window = m_app->window();
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("agenda.txt"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("1. lunch\n2. books\n");
        file.close();
        auto* list = item("messageList");
        QVERIFY(list);
        dropFiles(window, list->mapToScene(QPointF(list->width() / 2, list->height() / 2)), {QUrl::fromLocalFile(path)});
        QTRY_VERIFY_WITH_TIMEOUT(lastFileOf(m_bob, m_bobChat) && lastFileOf(m_bob, m_bobChat)->media->fileName == QStringLiteral("agenda.txt"), kWaitMs);

        // A folder is refused with a reason, nothing is queued.
        QSignalSpy failed(&controller, &desktop::AppController::actionFailed);
        QCOMPARE(view()->attachFiles({QUrl::fromLocalFile(dir.path())}), 0);
        QCOMPARE(failed.count(), 1);
        QVERIFY(!view()->uploading());

        // Ctrl+V with an image on the clipboard sends it as a PNG; the cached copy is deleted.
        QImage picture(120, 80, QImage::Format_RGB32);
        picture.fill(QColor(0x33, 0x66, 0x99));
        QGuiApplication::clipboard()->setImage(picture);
        auto* input = item("composerInput");
        QVERIFY(input);
        window->requestActivate();
        input->forceActiveFocus();
        QTRY_VERIFY_WITH_TIMEOUT(input->hasActiveFocus(), kWaitMs);
        QTest::keyClick(window, Qt::Key_V, Qt::ControlModifier);
        QTRY_VERIFY_WITH_TIMEOUT(lastFileOf(m_bob, m_bobChat) && lastFileOf(m_bob, m_bobChat)->media->fileName.startsWith(QStringLiteral("pasted-")),
                                 kWaitMs);
        QVERIFY(lastFileOf(m_bob, m_bobChat)->media->fileName.endsWith(QStringLiteral(".png")));
        QCOMPARE(input->property("text").toString(), QString());
        QTRY_VERIFY_WITH_TIMEOUT(!view()->uploading(), kWaitMs);
        QCOMPARE(QDir(controller.cacheDirectory()).entryList(QDir::Files), QStringList());

        // Text on the clipboard is pasted as text.
        QGuiApplication::clipboard()->setText(QStringLiteral("plain words"));
        QTest::keyClick(window, Qt::Key_V, Qt::ControlModifier);
        QCOMPARE(input->property("text").toString(), QStringLiteral("plain words"));
        QMetaObject::invokeMethod(input, "clear");
    }

    // While another window is active, messages notify: with previews, or only "New message".
    void notificationsWhileInactiveAndTrayCount() {
        auto& tray = m_app->tray();
        auto* chats = m_app->controller().client()->chatList();
        QWindow other;
        other.resize(200, 100);
        other.show();
        other.requestActivate();
        QTRY_VERIFY_WITH_TIMEOUT(!m_app->window()->isActive(), kWaitMs);

        QSignalSpy shown(&tray, &desktop::TrayNotifier::notificationShown);
        QVERIFY(m_bob->sendText(m_bobChat, QStringLiteral("Are you there?")));
        QTRY_COMPARE_WITH_TIMEOUT(shown.count(), 1, kWaitMs);
        QCOMPARE(shown.at(0).at(0).toString(), QStringLiteral("Bob"));
        QCOMPARE(shown.at(0).at(1).toString(), QStringLiteral("Are you there?"));
        QTRY_VERIFY_WITH_TIMEOUT(chats->totalUnread() >= 1 && tray.unreadCount() == chats->totalUnread(), kWaitMs);
        const int unread = tray.unreadCount();

        m_app->controller().setMessagePreviews(false);
        QVERIFY(m_bob->sendText(m_bobChat, QStringLiteral("The surprise is on Friday")));
        QTRY_COMPARE_WITH_TIMEOUT(shown.count(), 2, kWaitMs);
        QCOMPARE(shown.at(1).at(0).toString(), QStringLiteral("Natter"));
        QCOMPARE(shown.at(1).at(1).toString(), QStringLiteral("New message"));
        QTRY_COMPARE_WITH_TIMEOUT(tray.unreadCount(), unread + 1, kWaitMs);
        m_app->controller().setMessagePreviews(true);

        // Coming back to the window reads the open chat: the count drops with the chat list's.
        other.hide();
        m_app->window()->requestActivate();
        QTRY_VERIFY_WITH_TIMEOUT(m_app->window()->isActive(), kWaitMs);
        QTRY_COMPARE_WITH_TIMEOUT(tray.unreadCount(), chats->totalUnread(), kWaitMs);
        QTRY_VERIFY_WITH_TIMEOUT(tray.unreadCount() < unread + 1, kWaitMs);
        QVERIFY(m_bob->sendText(m_bobChat, QStringLiteral("Seen it?")));
        QTRY_COMPARE_WITH_TIMEOUT(proxy()->data(proxy()->index(0, 0), client::MessageListModel::TextRole).toString(),
                                  QStringLiteral("Seen it?"), kWaitMs);
        QCOMPARE(shown.count(), 2); // the active window does not notify
    }

    // In a muted group nothing notifies, except a message that @-mentions this user.
    void aMentionNotifiesInAMutedGroupAndAPlainMessageThereDoesNot() {
        auto& tray = m_app->tray();
        client::Client* alice = m_app->controller().client();
        const client::UserId aliceId = alice->account().userId;
        auto group = natter::test::await<QString>(
            [&](auto done) { m_bob->groups().create(QStringLiteral("Quiet club"), {aliceId}, done); });
        QVERIFY(group);
        QTRY_VERIFY_WITH_TIMEOUT(alice->chatInfo(*group).has_value(), kWaitMs);
        m_app->controller().setChatFlags(*group, false, true, false);
        QTRY_VERIFY_WITH_TIMEOUT(alice->chatInfo(*group)->muted, kWaitMs);
        QWindow other;
        other.resize(200, 100);
        other.show();
        other.requestActivate();
        QTRY_VERIFY_WITH_TIMEOUT(!m_app->window()->isActive(), kWaitMs);

        QSignalSpy shown(&tray, &desktop::TrayNotifier::notificationShown);
        QVERIFY(m_bob->sendText(*group, QStringLiteral("Lunch at 12")));
        QTRY_VERIFY_WITH_TIMEOUT(ClientHarness::findMessage(alice, *group, QStringLiteral("Lunch at 12")), kWaitMs);
        const QString mention = QStringLiteral("@%1 are you in?").arg(m_bob->displayNameOf(aliceId));
        QVERIFY(m_bob->sendText(*group, mention));
        QTRY_COMPARE_WITH_TIMEOUT(shown.count(), 1, kWaitMs);
        QCOMPARE(shown.at(0).at(1).toString(), mention); // the mention, not the plain message before it
        other.hide();
        m_app->window()->requestActivate();
        QTRY_VERIFY_WITH_TIMEOUT(m_app->window()->isActive(), kWaitMs);
    }

    // The group info dialog's actions: add, promote, remove a member, then leave.
    void groupInfoActions() {
        auto& controller = m_app->controller();
        const client::UserId bob = m_bob->account().userId;
        controller.createGroup(QStringLiteral("Book club"), {QVariant::fromValue<qulonglong>(bob)});
        QTRY_VERIFY_WITH_TIMEOUT(view() && view()->isGroup(), kWaitMs);
        const QString chat = view()->chatId();
        QTRY_VERIFY_WITH_TIMEOUT(memberOf(m_bob, chat, bob), kWaitMs);

        view()->addMembers({QVariant::fromValue<qulonglong>(m_erinId)});
        QTRY_COMPARE_WITH_TIMEOUT(view()->members().size(), 3, kWaitMs);
        QString why;
        const auto membersSeenByErin = [&] {
            const auto info = m_cli->groupInfo(QStringLiteral("erin"), chat, &why);
            return info ? int(info->value(QStringLiteral("members")).toArray().size()) : 0;
        };
        QTRY_COMPARE_WITH_TIMEOUT(membersSeenByErin(), 3, kWaitMs);

        view()->setAdmin(bob, true);
        QTRY_VERIFY_WITH_TIMEOUT(memberOf(m_bob, chat, bob) && memberOf(m_bob, chat, bob)->role == client::GroupRole::admin, kWaitMs);

        view()->removeMember(m_erinId);
        QTRY_VERIFY_WITH_TIMEOUT(!memberOf(m_bob, chat, m_erinId), kWaitMs);
        QTRY_COMPARE_WITH_TIMEOUT(view()->members().size(), 2, kWaitMs);

        const client::UserId self = m_app->controller().client()->account().userId;
        view()->leave();
        QTRY_VERIFY_WITH_TIMEOUT(!view(), kWaitMs);
        QTRY_VERIFY_WITH_TIMEOUT(!memberOf(m_bob, chat, self), kWaitMs);
    }

    // Pin, mute and archive from the chat list's menu (the controller calls the menu makes).
    void chatsArePinnedMutedAndArchived() {
        auto& controller = m_app->controller();
        auto* chats = controller.client()->chatList();
        const auto rowOf = [&](const QString& title) {
            for (int i = 0; i < chats->rowCount(); ++i)
                if (chats->data(chats->index(i), client::ChatListModel::TitleRole).toString() == title) return i;
            return -1;
        };
        QTRY_VERIFY_WITH_TIMEOUT(rowOf(QStringLiteral("Bob")) >= 0 && chats->rowCount() >= 2, kWaitMs);
        const int last = chats->rowCount() - 1;
        const QString lastTitle = chats->data(chats->index(last), client::ChatListModel::TitleRole).toString();
        const QString lastId = chats->data(chats->index(last), client::ChatListModel::ChatIdRole).toString();
        controller.setChatFlags(lastId, true, false, false);
        QTRY_COMPARE_WITH_TIMEOUT(rowOf(lastTitle), 0, kWaitMs);
        QVERIFY(chats->data(chats->index(0), client::ChatListModel::PinnedRole).toBool());

        controller.setChatFlags(lastId, true, true, false);
        QTRY_VERIFY_WITH_TIMEOUT(chats->data(chats->index(rowOf(lastTitle)), client::ChatListModel::MutedRole).toBool(), kWaitMs);

        controller.setChatFlags(lastId, false, false, true);
        QTRY_COMPARE_WITH_TIMEOUT(rowOf(lastTitle), -1, kWaitMs); // archived chats are hidden...
        controller.setShowArchived(true);
        QTRY_VERIFY_WITH_TIMEOUT(rowOf(lastTitle) >= 0, kWaitMs); // ...until asked for
        QVERIFY(chats->data(chats->index(rowOf(lastTitle)), client::ChatListModel::ArchivedRole).toBool());
        controller.setChatFlags(lastId, false, false, false);
        controller.setShowArchived(false);
        QTRY_VERIFY_WITH_TIMEOUT(rowOf(lastTitle) >= 0, kWaitMs);
    }

    // Disappearing messages from the chat list's menu: the timer reaches Bob, both show the event.
    void disappearingMessagesAreSetFromTheChatMenu() {
        auto& controller = m_app->controller();
        auto* chats = controller.client()->chatList();
        const auto timerShown = [&]() -> qint64 {
            for (int i = 0; i < chats->rowCount(); ++i)
                if (chats->data(chats->index(i), client::ChatListModel::ChatIdRole).toString() == m_bobChat)
                    return chats->data(chats->index(i), client::ChatListModel::ExpireTimerRole).toLongLong();
            return -1;
        };
        controller.setDisappearing(m_bobChat, 86400);
        QTRY_COMPARE_WITH_TIMEOUT(timerShown(), qint64(86400), kWaitMs);
        QTRY_COMPARE_WITH_TIMEOUT(m_bob->chatInfo(m_bobChat)->expireTimer, quint32(86400), kWaitMs);
        QVERIFY(ClientHarness::findMessage(m_bob, m_bobChat, QStringLiteral("Alice set disappearing messages to 1 day")));
        // A message sent under the timer shows it in its bubble, beside its time.
        QVERIFY(controller.openChat(QStringLiteral("Bob")));
        QTRY_VERIFY_WITH_TIMEOUT(item("messageList"), kWaitMs);
        QVERIFY(m_bob->sendText(m_bobChat, QStringLiteral("Gone tomorrow")));
        const auto timersShown = [&] {
            QStringList texts;
            std::function<void(QQuickItem*)> walk = [&](QQuickItem* i) {
                if (i->objectName() == QLatin1String("messageTimer") && i->isVisible()) texts << i->property("text").toString();
                for (QQuickItem* child : i->childItems()) walk(child);
            };
            if (QQuickItem* list = item("messageList")) walk(list);
            return texts;
        };
        QTRY_VERIFY_WITH_TIMEOUT(timersShown().contains(QStringLiteral("1 day")), kWaitMs);
        QSignalSpy failed(&controller, &desktop::AppController::actionFailed);
        controller.setDisappearing(m_bobChat, 42);
        QCOMPARE(failed.size(), 1);
        QCOMPARE(timerShown(), qint64(86400));
        controller.setDisappearing(m_bobChat, 0);
        QTRY_COMPARE_WITH_TIMEOUT(m_bob->chatInfo(m_bobChat)->expireTimer, quint32(0), kWaitMs);
    }

    // Linked devices: the settings list shows them; unlinking one ends its session at once.
    void linkedDevicesAreListedAndCanBeUnlinked() {
        auto& controller = m_app->controller();
        client::Client* tablet = m_clients->link(controller.client(), QStringLiteral("alice-tablet"));
        QVERIFY2(tablet, qPrintable(m_clients->lastError()));
        QSignalSpy ended(tablet, &client::Client::sessionEnded);

        controller.loadDevices();
        QTRY_COMPARE_WITH_TIMEOUT(controller.devices().size(), 2, kWaitMs);
        qulonglong tabletId = 0;
        for (const auto& d : controller.devices())
            if (!d.toMap().value("thisDevice").toBool()) tabletId = d.toMap().value("deviceId").toULongLong();
        QCOMPARE(tabletId, qulonglong(tablet->account().deviceId));
        controller.unlinkDevice(tabletId);
        QTRY_COMPARE_WITH_TIMEOUT(controller.devices().size(), 1, kWaitMs);
        QTRY_VERIFY_WITH_TIMEOUT(ended.count() >= 1, kWaitMs);
    }

    // "Show link code" in the settings shows the code and a QR code of it that holds the
    // code's text, the same payload `natter link code` draws in the terminal.
    void linkCodeShowsAsTextAndQrCode() {
        auto* dialog = m_app->window()->findChild<QObject*>(QStringLiteral("settingsDialog"));
        QVERIFY(dialog);
        QMetaObject::invokeMethod(dialog, "open");
        QTRY_VERIFY_WITH_TIMEOUT(dialog->property("opened").toBool(), kWaitMs);
        auto* qr = item("linkCodeQr");
        auto* field = item("linkCodeField");
        QVERIFY(qr && field);
        QVERIFY(!qr->isVisible());
        QMetaObject::invokeMethod(item("linkCodeButton"), "clicked");
        QTRY_VERIFY_WITH_TIMEOUT(qr->isVisible() && qr->property("status").toInt() == 1 /* Image.Ready */, kWaitMs);
        const QString code = field->property("text").toString();
        QVERIFY(!code.isEmpty());
        const QString source = qr->property("source").toUrl().toString();
        QVERIFY2(source.startsWith(QStringLiteral("image://qr/")), qPrintable(source));
        const QString id = source.mid(QStringLiteral("image://qr/").size());
        QCOMPARE(QByteArray::fromBase64(id.toLatin1(), QByteArray::Base64UrlEncoding), code.toUtf8());
        auto* provider = dynamic_cast<QQuickImageProvider*>(m_app->engine().imageProvider(QStringLiteral("qr")));
        QSize size;
        const QImage drawn = provider->requestImage(id, &size, {});
        QCOMPARE(drawn, desktop::renderQrCode(code.toUtf8()));
        QVERIFY(qr->width() >= 150 && qr->height() >= 150);
        QAccessibleInterface* accessible = QAccessible::queryAccessibleInterface(qr);
        QVERIFY(accessible);
        QCOMPARE(accessible->role(), QAccessible::Graphic);
        QCOMPARE(accessible->text(QAccessible::Name), QStringLiteral("QR code of the link code %1").arg(code));
        QMetaObject::invokeMethod(dialog, "close");
    }

    // A dark system palette: the theme follows it and the conversation renders without QML warnings.
    void darkPaletteRenders() {
        QTest::failOnWarning(QRegularExpression(QStringLiteral("qrc:/")));
        const QPalette light = QGuiApplication::palette();
        QPalette dark;
        for (auto [role, colour] : {std::pair{QPalette::Window, 0x202124}, {QPalette::WindowText, 0xe8eaed}, {QPalette::Base, 0x2b2c2f},
                                    {QPalette::AlternateBase, 0x303134}, {QPalette::Text, 0xe8eaed}, {QPalette::Button, 0x303134},
                                    {QPalette::ButtonText, 0xe8eaed}, {QPalette::Highlight, 0x8ab4f8}, {QPalette::HighlightedText, 0x202124},
                                    {QPalette::PlaceholderText, 0x9aa0a6}})
            dark.setColor(role, QColor::fromRgb(QRgb(colour)));
        QGuiApplication::setPalette(dark);
        QVERIFY(m_app->controller().openChat(QStringLiteral("Bob")));
        QQuickWindow* window = m_app->window();
        QTRY_VERIFY_WITH_TIMEOUT(window->property("color").value<QColor>().lightnessF() < 0.5, kWaitMs);
        QTest::qWait(200); // let the scene settle before grabbing it
        const QImage image = window->grabWindow();
        QGuiApplication::setPalette(light);
        QVERIFY(!image.isNull());
        QDir().mkpath(QStringLiteral(NATTER_SCREENSHOT_DIR));
        QVERIFY(image.save(QStringLiteral(NATTER_SCREENSHOT_DIR "/conversation-dark.png")));
        QVERIFY2(test::distinctColours(image) > 8, "the dark screenshot is blank");
        // The chat background is dark, not the light theme's beige.
        QCOMPARE(QColor(image.pixel(image.width() - 20, 120)).lightnessF() < 0.5, true);
    }

    void cleanupTestCase() { m_app.reset(); }
};

NATTER_DESKTOP_TEST_MAIN(TstDesktopFeatures)

#include "tst_desktop_features.moc"
