// ScreenshotTaker: one PNG of the settled window, then exit.
#include "screenshot.h"

#include "app_controller.h"

#include "client/client.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QImage>
#include <QQuickWindow>
#include <QTimer>

#include <cstdio>

namespace natter::desktop {

namespace {
constexpr int kSettleMs = 700;        // layout, images and the list's first page
constexpr int kMaxWaitMs = 15000;     // no sync by then (server unreachable): take it anyway
} // namespace

ScreenshotTaker::ScreenshotTaker(AppController& controller, QString path, QString openChat, QObject* parent)
    : QObject(parent), m_controller(controller), m_path(std::move(path)), m_openChat(std::move(openChat)) {}

void ScreenshotTaker::start() {
    connect(&m_controller, &AppController::settled, this, &ScreenshotTaker::onSettled);
    if (m_controller.screen() != QLatin1String("loading") && m_controller.screen() != QLatin1String("main")) onSettled();
    if (m_controller.client() && m_controller.client()->isSynced()) onSettled();
    QTimer::singleShot(kMaxWaitMs, this, &ScreenshotTaker::onSettled);
}

void ScreenshotTaker::onSettled() {
    if (m_armed) return;
    m_armed = true;
    if (!m_openChat.isEmpty() && !m_controller.openChat(m_openChat))
        std::fprintf(stderr, "natter-desktop: --open-chat: no such chat\n");
    QTimer::singleShot(kSettleMs, this, &ScreenshotTaker::capture);
}

void ScreenshotTaker::capture() {
    int code = 1;
    if (m_window) {
        const QImage image = m_window->grabWindow();
        QDir().mkpath(QFileInfo(m_path).absolutePath());
        if (!image.isNull() && image.save(m_path, "PNG")) code = 0;
    }
    if (code != 0)
        std::fprintf(stderr, "natter-desktop: could not save the screenshot to %s\n", qPrintable(m_path));
    else
        std::printf("natter-desktop: screenshot of screen '%s' (chat '%s') saved to %s\n", qPrintable(m_controller.screen()),
                    qPrintable(m_controller.currentChatId()), qPrintable(m_path));
    std::fflush(stdout);
    QCoreApplication::exit(code);
}

} // namespace natter::desktop
