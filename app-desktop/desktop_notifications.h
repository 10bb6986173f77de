// Desktop notifications through the freedesktop Notifications service on the session bus
// (what GNOME, KDE, XFCE and notification daemons such as dunst show).
#pragma once

#include <QObject>
#include <QSet>

namespace natter::desktop {

class DesktopNotifications : public QObject {
    Q_OBJECT
public:
    explicit DesktopNotifications(QObject* parent = nullptr);

    // A notification service is on the session bus now.
    bool available() const;
    // Sends org.freedesktop.Notifications.Notify (asynchronously); false when no service answers.
    // `sound`: the desktop's "message-new-instant" sound (freedesktop sound naming), else the
    // service is asked to stay silent (suppress-sound).
    bool notify(const QString& title, const QString& body, bool sound);

signals:
    // The user clicked one of our notifications.
    void activated();

private slots:
    void onActionInvoked(uint id, const QString& action);
    void onNotificationClosed(uint id, uint reason);

private:
    QSet<uint> m_sent; // ids the service gave our notifications still on screen
};

} // namespace natter::desktop
