// A short message at the bottom of the window (errors stay longer and are announced).
import QtQuick
import QtQuick.Controls

Popup {
    id: toast
    required property Theme theme
    property bool error: false
    property alias text: label.text
    x: (parent.width - width) / 2
    y: parent.height - height - 96
    padding: 12
    closePolicy: Popup.CloseOnEscape | Popup.CloseOnPressOutside
    background: Rectangle {
        radius: toast.theme.radius
        color: toast.error ? toast.theme.danger : (toast.theme.dark ? "#e9edef" : "#303030")
    }
    contentItem: Label {
        id: label
        color: toast.error ? "white" : (toast.theme.dark ? "#111b21" : "white")
        wrapMode: Text.Wrap
        width: Math.min(implicitWidth, 520)
        Accessible.role: Accessible.AlertMessage
        Accessible.name: text
    }
    function show(message, isError) {
        error = isError
        text = message
        timer.interval = isError ? 7000 : 3500
        open()
        timer.restart()
    }
    Timer { id: timer; onTriggered: toast.close() }
}
