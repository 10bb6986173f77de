// --screenshot: waits until startup has settled (synced, or a screen that needs the user,
// or a bounded wait when the server is unreachable), lets the scene settle, saves the
// window as a PNG and quits (exit 0 when saved, 1 otherwise). It also prints when the first
// frame was drawn and when startup settled, on the steady clock, for startup benchmarks.
#pragma once

#include <QObject>
#include <QPointer>
#include <QString>

#include <QQuickWindow>

namespace natter::desktop {

class AppController;

class ScreenshotTaker : public QObject {
    Q_OBJECT
public:
    ScreenshotTaker(AppController& controller, QString path, QString openChat, QObject* parent = nullptr);
    // The window to grab; its first frame is timed (printed with the result, for benchmarks).
    void setWindow(QQuickWindow* window);
    // Arms the timers; call after the QML was loaded.
    void start();

private:
    void onSettled();
    void capture();

    AppController& m_controller;
    QString m_path;
    QString m_openChat;
    QPointer<QQuickWindow> m_window;
    bool m_armed = false;
    qint64 m_firstFrameNs = 0; // steady clock: comparable with the launching process's clock
    qint64 m_settledNs = 0;
};

} // namespace natter::desktop
