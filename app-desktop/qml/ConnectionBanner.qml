// Shown while the connection to the server is lost; the client core reconnects by itself.
import QtQuick
import QtQuick.Controls

Rectangle {
    id: banner
    required property Theme theme
    visible: app.connectionLost
    implicitHeight: visible ? label.implicitHeight + 16 : 0
    color: theme.warning
    Label {
        id: label
        anchors.centerIn: parent
        text: app.connectionState === "connecting" || app.connectionState === "syncing"
              ? qsTr("Connection lost. Reconnecting…")
              : qsTr("Offline. Natter reconnects automatically; messages you write are sent then.")
        color: banner.theme.text
        Accessible.role: Accessible.AlertMessage
        Accessible.name: text
    }
}
