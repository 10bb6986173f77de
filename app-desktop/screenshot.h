// --screenshot: waits until startup has settled (synced, or a screen that needs the user,
// or a bounded wait when the server is unreachable), lets the scene settle, saves the
// window as a PNG and quits (exit 0 when saved, 1 otherwise).
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
    void setWindow(QQuickWindow* window) { m_window = window; }
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
};

} // namespace natter::desktop
