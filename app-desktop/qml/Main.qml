// The window: one screen at a time (loading, passphrase, error, onboarding, main) and toasts.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

ApplicationWindow {
    id: window
    width: 1100
    height: 720
    minimumWidth: 480
    minimumHeight: 480
    visible: !startMinimized // --minimized: DesktopApp::start shows it when needed
    title: app.screen === "main" && app.conversation ? app.conversation.title + " – Natter" : "Natter"
    color: theme.background

    property Theme theme: Theme {}

    Loader {
        id: screenLoader
        anchors.fill: parent
        focus: true
        sourceComponent: {
            switch (app.screen) {
            case "passphrase": return passphraseScreen
            case "error": return errorScreen
            case "onboarding": return onboardingScreen
            case "main": return mainScreen
            }
            return loadingScreen
        }
    }

    Component {
        id: loadingScreen
        Item {
            BusyIndicator {
                anchors.centerIn: parent
                running: true
                Accessible.name: qsTr("Opening your profile")
            }
        }
    }
    Component { id: passphraseScreen; PassphraseScreen { theme: window.theme } }
    Component { id: errorScreen; ErrorScreen { theme: window.theme } }
    Component { id: onboardingScreen; Onboarding { theme: window.theme } }
    Component { id: mainScreen; MainView { theme: window.theme } }

    Toast { id: toast; objectName: "toast"; theme: window.theme }

    Connections {
        target: app
        function onNotice(message) { toast.show(message, false) }
        function onActionFailed(message) { toast.show(message, true) }
    }
}
