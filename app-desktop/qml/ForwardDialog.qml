// Forward: the chats of the chat list (this one left out) to tick, then Forward sends the
// message to each of them, marked "forwarded" (MessageMenu::forward).
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

Dialog {
    id: dialog
    required property Theme theme
    required property var conversation
    property var localId: 0
    property var targets: []
    property var chosen: []
    objectName: "forwardDialog"
    title: qsTr("Forward to…")
    header: DialogTitle { text: dialog.title }
    modal: true
    anchors.centerIn: Overlay.overlay
    width: Math.min(440, Overlay.overlay ? Overlay.overlay.width - 40 : 440)
    height: Math.min(520, Overlay.overlay ? Overlay.overlay.height - 40 : 520)

    function showFor(id) {
        localId = id
        targets = dialog.conversation.actions.forwardTargets()
        chosen = []
        open()
        chats.forceActiveFocus()
    }
    function toggle(chatId, on) {
        const c = chosen.filter((id) => id !== chatId)
        if (on) c.push(chatId)
        chosen = c
    }
    onAccepted: dialog.conversation.actions.forward(localId, chosen)

    ListView {
        id: chats
        anchors.fill: parent
        clip: true
        model: dialog.targets
        activeFocusOnTab: true
        Accessible.role: Accessible.List
        Accessible.name: qsTr("Chats to forward to")
        delegate: CheckDelegate {
            required property var modelData
            objectName: "forwardTarget"
            width: ListView.view.width
            text: modelData.title
            checked: dialog.chosen.includes(modelData.chatId)
            Accessible.name: qsTr("Forward to %1").arg(modelData.title)
            onToggled: dialog.toggle(modelData.chatId, checked)
        }
        Label {
            anchors.centerIn: parent
            visible: chats.count === 0
            text: qsTr("No other chats yet.")
            color: dialog.theme.subtle
        }
    }

    footer: DialogButtonBox {
        Button {
            objectName: "forwardButton"
            text: qsTr("Forward")
            highlighted: true
            enabled: dialog.chosen.length > 0
            DialogButtonBox.buttonRole: DialogButtonBox.AcceptRole
            Accessible.name: qsTr("Forward to %n chats", "", dialog.chosen.length)
        }
        Button {
            text: qsTr("Cancel")
            DialogButtonBox.buttonRole: DialogButtonBox.RejectRole
        }
    }
}
