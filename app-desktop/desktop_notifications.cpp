// DesktopNotifications: org.freedesktop.Notifications over Qt D-Bus.
#include "desktop_notifications.h"

#include <QDBusConnection>
#include <QDBusConnectionInterface>
#include <QDBusMessage>
#include <QDBusPendingCallWatcher>
#include <QDBusPendingReply>
#include <QPointer>
#include <QVariantMap>

namespace natter::desktop {

namespace {
const QString kService = QStringLiteral("org.freedesktop.Notifications");
const QString kPath = QStringLiteral("/org/freedesktop/Notifications");
const QString kInterface = QStringLiteral("org.freedesktop.Notifications");
constexpr int kTimeoutMs = -1; // the server's default
} // namespace

DesktopNotifications::DesktopNotifications(QObject* parent) : QObject(parent) {
    QDBusConnection bus = QDBusConnection::sessionBus();
    if (bus.isConnected()) {
        bus.connect(kService, kPath, kInterface, QStringLiteral("ActionInvoked"), this, SLOT(onActionInvoked(uint, QString)));
        bus.connect(kService, kPath, kInterface, QStringLiteral("NotificationClosed"), this,
                    SLOT(onNotificationClosed(uint, uint)));
    }
}

bool DesktopNotifications::available() const {
    const QDBusConnection bus = QDBusConnection::sessionBus();
    return bus.isConnected() && bus.interface() && bus.interface()->isServiceRegistered(kService).value();
}

bool DesktopNotifications::notify(const QString& title, const QString& body, bool sound) {
    if (!available()) return false;
    QDBusMessage call = QDBusMessage::createMethodCall(kService, kPath, kInterface, QStringLiteral("Notify"));
    QVariantMap hints{{QStringLiteral("desktop-entry"), QStringLiteral("org.natter.Natter")},
                      {QStringLiteral("category"), QStringLiteral("im.received")}};
    if (sound) hints.insert(QStringLiteral("sound-name"), QStringLiteral("message-new-instant"));
    else hints.insert(QStringLiteral("suppress-sound"), true);
    call << QStringLiteral("Natter") << uint(0) << QStringLiteral("natter-desktop") << title << body
         << QStringList{QStringLiteral("default"), tr("Open")} << hints << kTimeoutMs;
    auto* watcher = new QDBusPendingCallWatcher(QDBusConnection::sessionBus().asyncCall(call), this);
    connect(watcher, &QDBusPendingCallWatcher::finished, this, [this](QDBusPendingCallWatcher* w) {
        const QDBusPendingReply<uint> reply = *w;
        if (reply.isValid()) m_sent.insert(reply.value());
        else qWarning("natter-desktop: notification not shown: %s", qPrintable(reply.error().message()));
        w->deleteLater();
    });
    return true;
}

void DesktopNotifications::onNotificationClosed(uint id, uint) { m_sent.remove(id); }

void DesktopNotifications::onActionInvoked(uint id, const QString& action) {
    if (m_sent.contains(id) && action == QLatin1String("default")) emit activated();
}

} // namespace natter::desktop
