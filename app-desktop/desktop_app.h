// One running desktop app: the controller, the QML engine with its image providers and
// context properties, the window, and the tray. main.cpp and the end-to-end test build it.
#pragma once

#include "app_controller.h"

#include <QObject>
#include <QQmlApplicationEngine>

class QQuickWindow;

namespace natter::desktop {

class TrayNotifier;

class DesktopApp : public QObject {
    Q_OBJECT
public:
    explicit DesktopApp(AppController::Options options, QObject* parent = nullptr);
    ~DesktopApp() override;

    // Loads qrc:/qml/Main.qml and opens the profile; false (with errors on stderr) when the QML failed.
    bool start();
    AppController& controller() { return *m_controller; }
    QQmlApplicationEngine& engine() { return m_engine; }
    QQuickWindow* window() const;

private:
    AppController* m_controller; // child
    TrayNotifier* m_tray = nullptr; // child
    QQmlApplicationEngine m_engine;
};

} // namespace natter::desktop
