// Above the composer while it replies to or edits a message (ComposerMode): "Replying to NAME:
// snippet" or "Editing: snippet", and ✕ (or Escape in the field) to go back to a new message.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

Rectangle {
    id: root
    required property Theme theme
    required property var composing
    signal cancelRequested()
    objectName: "composingBar"
    visible: composing.mode !== ""
    implicitHeight: visible ? bar.implicitHeight + 12 : 0
    color: theme.panel

    RowLayout {
        id: bar
        anchors.fill: parent
        anchors.leftMargin: 12
        anchors.rightMargin: 8
        anchors.topMargin: 6
        anchors.bottomMargin: 6
        spacing: 8
        Rectangle { width: 3; Layout.fillHeight: true; radius: 1; color: root.theme.accent }
        ColumnLayout {
            Layout.fillWidth: true
            spacing: 0
            Label {
                objectName: "composingTitle"
                Layout.fillWidth: true
                text: root.composing.mode === "edit" ? qsTr("Editing") : qsTr("Replying to %1").arg(root.composing.name)
                color: root.theme.accent
                font.bold: true
                font.pixelSize: 12
                elide: Text.ElideRight
            }
            Label {
                objectName: "composingSnippet"
                Layout.fillWidth: true
                text: root.composing.snippet
                color: root.theme.subtle
                font.pixelSize: 12
                elide: Text.ElideRight
            }
        }
        IconButton {
            objectName: "composingCancel"
            theme: root.theme
            iconName: "close"
            label: root.composing.mode === "edit" ? qsTr("Cancel editing") : qsTr("Cancel the reply")
            shortcutHint: "Esc"
            onClicked: root.cancelRequested()
        }
    }
    Accessible.role: Accessible.StatusBar
    Accessible.name: qsTr("%1: %2").arg(root.composing.mode === "edit" ? qsTr("Editing") : qsTr("Replying to %1").arg(root.composing.name))
                                   .arg(root.composing.snippet)
}
