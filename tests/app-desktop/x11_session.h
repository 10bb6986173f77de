// A real X desktop session for natter-desktop tests: Xvfb (its screen readable as a PNG), a
// session D-Bus, the dunst notification daemon and the trayer XEmbed system tray.
#pragma once

#include <QImage>
#include <QList>
#include <QProcess>
#include <QProcessEnvironment>
#include <QString>
#include <QTemporaryDir>

#include <memory>
#include <vector>

namespace natter::test {

struct ReceivedNotification {
    QString appName;
    QString summary;
    QString body;
};

class X11Session {
public:
    X11Session();
    ~X11Session();

    // The programs this needs that are not on PATH (empty: all there).
    static QStringList missingPrograms();
    // Starts X, D-Bus, dunst and trayer, each waited for until it answers; false + why.
    bool start(QString* why);
    // DISPLAY and DBUS_SESSION_BUS_ADDRESS of this session (added to the system environment).
    QProcessEnvironment environment() const;

    // Whether a window of this WM_CLASS is embedded in the tray's panel.
    bool trayHolds(const QString& windowClass) const;
    // Whether a top-level window of this WM_CLASS is on the screen.
    bool hasWindow(const QString& windowClass) const;
    // Notifications dunst shows now.
    int displayedNotifications() const;
    // Closes what dunst shows, then every notification it received (its history), oldest first.
    QList<ReceivedNotification> receivedNotifications() const;
    // Every Notify call on the session bus so far, as dbus-monitor prints it (its hints
    // included, which dunst's history leaves out), oldest first.
    QStringList notifyCalls();
    // The whole X screen as Xvfb holds it.
    QImage screenshot() const;

private:
    QProcess* launch(const QString& program, const QStringList& args);
    QByteArray run(const QString& program, const QStringList& args, int* exitCode = nullptr) const;

    QTemporaryDir m_dir;
    std::vector<std::unique_ptr<QProcess>> m_processes; // stopped in reverse order
    QString m_display;
    QString m_bus;
    QProcess* m_monitor = nullptr; // dbus-monitor of Notify calls (owned by m_processes)
    QByteArray m_monitored;
};

} // namespace natter::test
