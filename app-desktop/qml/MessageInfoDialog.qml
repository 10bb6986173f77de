// Info on a message of mine: per recipient whether it is only sent, delivered or read, and
// when (MessageMenu::info); it follows new receipts while open.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

Dialog {
    id: dialog
    required property Theme theme
    required property var conversation
    property var localId: 0
    property var rows: []
    objectName: "messageInfoDialog"
    title: qsTr("Message info")
    header: DialogTitle { text: dialog.title }
    modal: true
    anchors.centerIn: Overlay.overlay
    width: Math.min(420, Overlay.overlay ? Overlay.overlay.width - 40 : 420)
    height: Math.min(420, Overlay.overlay ? Overlay.overlay.height - 40 : 420)
    standardButtons: Dialog.Close

    function showFor(id) {
        localId = id
        refresh()
        open()
        recipients.forceActiveFocus()
    }
    function refresh() { rows = dialog.conversation.actions.info(localId) }
    Connections {
        target: dialog.visible ? dialog.conversation.actions : null
        function onMessageChanged(changed) { if (changed == dialog.localId) dialog.refresh() }
    }

    ListView {
        id: recipients
        anchors.fill: parent
        clip: true
        model: dialog.rows
        activeFocusOnTab: true
        Accessible.role: Accessible.List
        Accessible.name: qsTr("Recipients")
        delegate: ItemDelegate {
            required property var modelData
            objectName: "infoRow"
            width: ListView.view.width
            Accessible.name: modelData.time === "" ? qsTr("%1: %2").arg(modelData.name).arg(modelData.status)
                                                   : qsTr("%1: %2 %3").arg(modelData.name).arg(modelData.status).arg(modelData.time)
            contentItem: RowLayout {
                Avatar { name: modelData.name; size: 28 }
                Label { Layout.fillWidth: true; text: modelData.name; elide: Text.ElideRight; color: dialog.theme.text }
                Label {
                    objectName: "infoStatus"
                    text: modelData.time === "" ? modelData.status : qsTr("%1 %2").arg(modelData.status).arg(modelData.time)
                    color: modelData.status === qsTr("Read") ? dialog.theme.accent : dialog.theme.subtle
                }
            }
        }
    }
}
