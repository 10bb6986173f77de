// Deleting a message asks first: "Delete for me" removes it on this account's devices only;
// "Delete for everyone" (own messages within natterd's window) leaves "This message was
// deleted" on every member's devices.
import QtQuick
import QtQuick.Controls

Dialog {
    id: dialog
    required property Theme theme
    required property var conversation
    property var localId: 0
    property bool forMe: true
    property bool forEveryone: false
    objectName: "deleteMessageDialog"
    title: qsTr("Delete message?")
    header: DialogTitle { text: dialog.title }
    modal: true
    anchors.centerIn: Overlay.overlay
    width: Math.min(420, Overlay.overlay ? Overlay.overlay.width - 40 : 420)

    function showFor(id, me, everyone) {
        localId = id
        forMe = me
        forEveryone = everyone
        open()
        const first = everyone ? everyoneButton : meButton
        first.forceActiveFocus()
    }

    Label {
        width: parent.width
        wrapMode: Text.Wrap
        color: dialog.theme.text
        text: dialog.forEveryone ? qsTr("Everyone in this chat will see “This message was deleted” instead.")
                                 : qsTr("It goes from your devices; the others in this chat still see it.")
    }

    footer: DialogButtonBox {
        Button {
            id: everyoneButton
            objectName: "deleteForEveryoneButton"
            visible: dialog.forEveryone
            text: qsTr("Delete for everyone")
            onClicked: { dialog.conversation.actions.deleteForEveryone(dialog.localId); dialog.close() }
        }
        Button {
            id: meButton
            objectName: "deleteForMeButton"
            visible: dialog.forMe
            text: qsTr("Delete for me")
            onClicked: { dialog.conversation.actions.deleteForMe(dialog.localId); dialog.close() }
        }
        Button {
            text: qsTr("Cancel")
            DialogButtonBox.buttonRole: DialogButtonBox.RejectRole
        }
    }
}
