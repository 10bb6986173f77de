// natter-desktop: the Qt Quick desktop app over the client core (see app-desktop/README.md).
#include "appearance.h"
#include "desktop_app.h"
#include "launch_options.h"
#include "screenshot.h"

#include <natter/version.h>

#include <QApplication>
#include <QIcon>
#include <QQuickStyle>
#include <QQuickWindow>
#include <QSGRendererInterface>

#include <cstdio>

namespace {

// The profile's text size scales the whole UI (unless QT_SCALE_FACTOR is set already); Qt
// reads the factor when the application is created.
void applyTextScale(int argc, char** argv) {
    if (qEnvironmentVariableIsSet("QT_SCALE_FACTOR")) return;
    QStringList arguments;
    for (int i = 0; i < argc; ++i) arguments << QString::fromLocal8Bit(argv[i]);
    const auto launch = natter::desktop::parseLaunchOptions(arguments);
    if (!launch.error.isEmpty()) return;
    const int percent = natter::desktop::Appearance::savedTextScale(QSettings(), launch.profile);
    if (percent != 100) qputenv("QT_SCALE_FACTOR", QByteArray::number(percent / 100.0));
}

// Qt Quick's software renderer unless the user picked a graphics API (QT_QUICK_BACKEND,
// QSG_RHI_BACKEND): a chat's text and pictures need no GPU, and OpenGL through Mesa costs about
// 100 MiB more resident memory (180 against 83 MiB under Xvfb's llvmpipe, BENCHMARKS.md) for no
// gain here. It is also what the offscreen screenshot tests render with.
void chooseRenderer() {
    if (qEnvironmentVariableIsSet("QT_QUICK_BACKEND") || qEnvironmentVariableIsSet("QSG_RHI_BACKEND")) return;
    QQuickWindow::setGraphicsApi(QSGRendererInterface::Software);
}

} // namespace

int main(int argc, char** argv) {
    QApplication::setApplicationName(QStringLiteral("natter-desktop"));
    QApplication::setOrganizationName(QStringLiteral("Natter"));
    applyTextScale(argc, argv);
    chooseRenderer();
    QApplication app(argc, argv);
    QApplication::setApplicationDisplayName(QStringLiteral("Natter"));
    QApplication::setApplicationVersion(QString::fromLatin1(natter::kVersion));
    QApplication::setDesktopFileName(QStringLiteral("org.natter.Natter"));
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/icons/natter-desktop.svg")));
    QQuickStyle::setStyle(QStringLiteral("Fusion")); // follows the system palette (light or dark)

    const auto launch = natter::desktop::parseLaunchOptions(QApplication::arguments());
    if (!launch.error.isEmpty()) {
        std::fprintf(stderr, "natter-desktop: %s\nTry 'natter-desktop --help'.\n", qPrintable(launch.error));
        return 2;
    }

    natter::desktop::AppController::Options options;
    options.profile = launch.profile;
    options.server = launch.server;
    natter::desktop::DesktopApp desktop(options);

    std::unique_ptr<natter::desktop::ScreenshotTaker> screenshot;
    if (!launch.screenshotPath.isEmpty())
        screenshot = std::make_unique<natter::desktop::ScreenshotTaker>(desktop.controller(), launch.screenshotPath, launch.openChat);
    if (!desktop.start(launch.minimized && !screenshot)) return 1;
    if (screenshot) {
        screenshot->setWindow(desktop.window());
        screenshot->start();
    } else if (!launch.openChat.isEmpty()) {
        desktop.controller().openChat(launch.openChat);
    }
    return QApplication::exec();
}
