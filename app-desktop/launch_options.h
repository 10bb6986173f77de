// natter-desktop's command line: --profile, --server, --screenshot PATH, --open-chat CHAT,
// --minimized, and a natter:CHAT link (the URL handler in the .desktop file).
#pragma once

#include <QString>
#include <QStringList>
#include <QUrl>

namespace natter::desktop {

struct LaunchOptions {
    QString profile = QStringLiteral("default");
    QUrl server;
    QString screenshotPath; // non-empty: render the window to this PNG once settled, then exit
    QString openChat;       // a chat id, phone number or contact name to open at start
    bool minimized = false; // start in the tray (the autostart entry's way), see DesktopApp::start
    QString error;          // non-empty: the command line is unusable (printed, exit 2)
};

LaunchOptions parseLaunchOptions(const QStringList& arguments);

} // namespace natter::desktop
