// The desktop's light / dark preference from the XDG desktop portal (org.freedesktop.appearance
// color-scheme over the session D-Bus), read without blocking start-up and followed when it changes.
#pragma once

#include <QObject>

class QDBusVariant;

namespace natter::desktop {

class PortalColorScheme : public QObject {
    Q_OBJECT
public:
    enum Scheme { NoPreference = 0, PreferDark = 1, PreferLight = 2 };
    using QObject::QObject;
    // Asks the portal (asynchronously) and subscribes to its changes; nothing without a session
    // bus address (DBUS_SESSION_BUS_ADDRESS).
    void start();

signals:
    // The portal answered or the user switched: NoPreference, PreferDark or PreferLight.
    void schemeChanged(int scheme);

private slots:
    void onSettingChanged(const QString& group, const QString& key, const QDBusVariant& value);
};

} // namespace natter::desktop
