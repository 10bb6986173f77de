// TrayNotifier: tray badge and notifications for incoming messages.
#include "tray_notifier.h"

#include "app_controller.h"
#include "desktop_notifications.h"

#include "client/client.h"
#include "client/models/chat_list_model.h"

#include <QGuiApplication>
#include <QIcon>
#include <QPainter>
#include <QSystemTrayIcon>
#include <QWindow>

namespace natter::desktop {

TrayNotifier::TrayNotifier(AppController& controller, QObject* parent)
    : QObject(parent), m_controller(controller), m_notifications(new DesktopNotifications(this)) {
    if (QSystemTrayIcon::isSystemTrayAvailable()) {
        m_tray = new QSystemTrayIcon(QIcon(QStringLiteral(":/icons/natter-desktop.svg")), this);
        m_tray->setToolTip(tr("Natter"));
        connect(m_tray, &QSystemTrayIcon::activated, this, &TrayNotifier::showWindow);
        connect(m_tray, &QSystemTrayIcon::messageClicked, this, &TrayNotifier::showWindow);
        m_tray->show();
    }
    connect(m_notifications, &DesktopNotifications::activated, this, &TrayNotifier::showWindow);
    connect(&controller, &AppController::clientReady, this, &TrayNotifier::attach);
}

void TrayNotifier::showWindow() {
    if (!m_window) return;
    m_window->setWindowStates(m_window->windowStates() & ~Qt::WindowMinimized); // keeps maximised
    m_window->show();
    m_window->raise();
    m_window->requestActivate();
}

void TrayNotifier::attach(client::Client* client) {
    m_client = client;
    m_synced = false;
    connect(client, &client::Client::messageAdded, this, &TrayNotifier::onMessageAdded);
    connect(client, &client::Client::synced, this, [this] {
        m_synced = true;
        updateBadge();
    });
    connect(client->chatList(), &client::ChatListModel::countChanged, this, &TrayNotifier::updateBadge);
    connect(client->chatList(), &QAbstractItemModel::modelReset, this, &TrayNotifier::updateBadge);
    connect(client->chatList(), &QAbstractItemModel::dataChanged, this, &TrayNotifier::updateBadge);
    updateBadge();
}

bool TrayNotifier::windowActive() const { return m_window && m_window->isActive(); }

QString TrayNotifier::notificationBody(const QString& text, const QString& kind, const QString& fileName, bool hideContent) {
    if (hideContent) return tr("New message");
    if (kind == QLatin1String("media")) return text.isEmpty() ? tr("📎 %1").arg(fileName) : tr("📎 %1: %2").arg(fileName, text);
    return text;
}

void TrayNotifier::onMessageAdded(qint64 localId, const QString& chatId) {
    if (!m_client || !m_synced || windowActive()) return;
    const auto message = m_client->messageInfo(localId);
    if (!message || message->direction != client::MessageDirection::incoming) return;
    if (message->kind != client::MessageKind::text && message->kind != client::MessageKind::media) return;
    const auto chat = m_client->chatInfo(chatId);
    if (!chat || (chat->muted && !message->mentionsMe)) return; // a mention notifies even when muted
    const bool hide = !m_controller.messagePreviews();
    QString title = hide ? tr("Natter") : chat->title;
    if (!hide && chat->type == client::ChatType::group) title = tr("%1 in %2").arg(m_client->displayNameOf(message->senderId), chat->title);
    const QString body = notificationBody(message->text, client::kindName(message->kind),
                                          message->media ? message->media->fileName : QString(), hide);
    // The desktop's notification service when there is one; else the tray's own balloon.
    if (!m_notifications->notify(title, body, m_controller.notificationSound()) && m_tray) m_tray->showMessage(title, body);
    emit notificationShown(title, body);
}

void TrayNotifier::updateBadge() {
    if (!m_client) return;
    const int unread = m_client->chatList()->totalUnread();
    if (unread == m_unread) return;
    m_unread = unread;
    emit unreadChanged(unread);
    if (!m_tray) return;
    m_tray->setToolTip(unread > 0 ? tr("Natter — %n unread", nullptr, unread) : tr("Natter"));
    QPixmap pixmap = QIcon(QStringLiteral(":/icons/natter-desktop.svg")).pixmap(64, 64);
    if (unread > 0) {
        QPainter p(&pixmap);
        p.setRenderHint(QPainter::Antialiasing);
        p.setBrush(QColor(0xd9, 0x30, 0x25));
        p.setPen(Qt::NoPen);
        p.drawEllipse(QRect(28, 0, 36, 36));
        p.setPen(Qt::white);
        QFont font = p.font();
        font.setPixelSize(22);
        font.setBold(true);
        p.setFont(font);
        p.drawText(QRect(28, 0, 36, 36), Qt::AlignCenter, unread > 9 ? QStringLiteral("9+") : QString::number(unread));
    }
    m_tray->setIcon(QIcon(pixmap));
}

} // namespace natter::desktop
