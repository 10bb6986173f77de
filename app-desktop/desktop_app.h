// One running desktop app: the controller, the QML engine with its image providers and
// context properties, the window, and the tray. main.cpp and the end-to-end test build it.
#pragma once

#include "app_controller.h"

#include <QObject>
#include <QQmlApplicationEngine>

#include <memory>

class QQuickWindow;

namespace natter::client::rpc {
class RpcServer;
}

namespace natter::desktop {

class Appearance;
class Autostart;
class PluralForms;
class PortalColorScheme;
class ProfileArchive;
class TrayNotifier;

class DesktopApp : public QObject {
    Q_OBJECT
public:
    explicit DesktopApp(AppController::Options options, QObject* parent = nullptr);
    ~DesktopApp() override;

    // Loads qrc:/qml/Main.qml and opens the profile; false (with errors on stderr) when the QML
    // failed. `minimized`: the window stays in the tray (iconified when there is no tray) until
    // the tray is used or the profile needs the user (passphrase, sign-up, an error).
    bool start(bool minimized = false);
    AppController& controller() { return *m_controller; }
    QQmlApplicationEngine& engine() { return m_engine; }
    QQuickWindow* window() const;
    TrayNotifier& tray() { return *m_tray; }
    // Settings' "Start Natter when you log in" ("autostart" in QML).
    Autostart& autostart() { return *m_autostart; }
    // Settings' "Back up" and "Export chats" ("archive" in QML).
    ProfileArchive& archive() { return *m_archive; }
    // The theme choice of the profile and its colours ("appearance" in QML).
    Appearance& appearance() { return *m_appearance; }
    // The profile's JSON-RPC socket, served while a registered profile is open, so `natter`
    // commands keep working against it (null before that, or when the socket failed).
    client::rpc::RpcServer* rpcServer() const { return m_rpc.get(); }

private:
    AppController* m_controller; // child
    TrayNotifier* m_tray = nullptr; // child
    Appearance* m_appearance = nullptr; // child
    Autostart* m_autostart = nullptr; // child
    ProfileArchive* m_archive = nullptr; // child
    PortalColorScheme* m_portal = nullptr; // child
    std::unique_ptr<PluralForms> m_plurals; // installed while the app runs
    QQmlApplicationEngine m_engine;
    std::unique_ptr<client::rpc::RpcServer> m_rpc; // destroyed before the controller's Client
};

} // namespace natter::desktop
