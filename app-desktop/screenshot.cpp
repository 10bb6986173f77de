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

#include <chrono>
#include <cstdio>

namespace natter::desktop {

namespace {
qint64 steadyNowNs() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

constexpr int kSettleMs = 700;        // layout, images and the list's first page
constexpr int kMaxWaitMs = 15000;     // no sync by then (server unreachable): take it anyway
} // namespace

ScreenshotTaker::ScreenshotTaker(AppController& controller, QString path, QString openChat, QObject* parent)
    : QObject(parent), m_controller(controller), m_path(std::move(path)), m_openChat(std::move(openChat)) {}

void ScreenshotTaker::setWindow(QQuickWindow* window) {
    m_window = window;
    if (!window) return;
    connect(window, &QQuickWindow::frameSwapped, this, [this] {
        if (!m_firstFrameNs) m_firstFrameNs = steadyNowNs();
    });
}

void ScreenshotTaker::start() {
    connect(&m_controller, &AppController::settled, this, &ScreenshotTaker::onSettled);
    if (m_controller.screen() != QLatin1String("loading") && m_controller.screen() != QLatin1String("main")) onSettled();
    if (m_controller.client() && m_controller.client()->isSynced()) onSettled();
    QTimer::singleShot(kMaxWaitMs, this, &ScreenshotTaker::onSettled);
}

void ScreenshotTaker::onSettled() {
    if (m_armed) return;
    m_armed = true;
    m_settledNs = steadyNowNs();
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
    std::printf("natter-desktop: startup on the steady clock: first_frame_ns=%lld settled_ns=%lld\n",
                static_cast<long long>(m_firstFrameNs), static_cast<long long>(m_settledNs));
    std::fflush(stdout);
    QCoreApplication::exit(code);
}

} // namespace natter::desktop
