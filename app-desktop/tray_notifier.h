// The tray icon (unread count in its badge and tooltip) and desktop notifications for
// incoming messages while the window is not active (the freedesktop notification service,
// else the tray's balloon); content hidden when previews are off.
#pragma once

#include <QObject>
#include <QPointer>

#include <QWindow>

class QSystemTrayIcon;

namespace natter::client { class Client; }

namespace natter::desktop {

class AppController;
class DesktopNotifications;

class TrayNotifier : public QObject {
    Q_OBJECT
public:
    TrayNotifier(AppController& controller, QObject* parent = nullptr);
    void setWindow(QWindow* window) { m_window = window; }
    // The unread count the badge shows: the chat list's totalUnread.
    int unreadCount() const { return m_unread; }
    // A tray icon is shown (the desktop has a system tray).
    bool hasTrayIcon() const { return m_tray != nullptr; }
    // Brings the window up: shown, un-minimised, raised and activated.
    void showWindow();
    // What a notification says for a message: its text, or a neutral line when content is hidden.
    static QString notificationBody(const QString& text, const QString& kind, const QString& fileName, bool hideContent);

signals:
    // Emitted with every notification (also without a system tray, where none is drawn).
    void notificationShown(const QString& title, const QString& body);
    void unreadChanged(int unread);

private:
    void attach(client::Client* client);
    void onMessageAdded(qint64 localId, const QString& chatId);
    void updateBadge();
    bool windowActive() const;

    AppController& m_controller;
    QPointer<client::Client> m_client;
    QSystemTrayIcon* m_tray = nullptr; // child; null without a system tray
    DesktopNotifications* m_notifications; // child
    QPointer<QWindow> m_window;
    bool m_synced = false;
    int m_unread = -1;
};

} // namespace natter::desktop
