// Ctrl+N: pick a contact to chat with, or add a contact by phone number and chat with them.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

Dialog {
    id: dialog
    required property Theme theme
    title: qsTr("New chat")
    header: DialogTitle { text: dialog.title }
    modal: true
    anchors.centerIn: Overlay.overlay
    width: Math.min(440, Overlay.overlay ? Overlay.overlay.width - 40 : 440)
    height: Math.min(560, Overlay.overlay ? Overlay.overlay.height - 40 : 560)
    standardButtons: Dialog.Close
    onOpened: phone.forceActiveFocus()

    ColumnLayout {
        anchors.fill: parent
        spacing: 8
        Label { text: qsTr("Add a contact by phone number"); font.bold: true }
        RowLayout {
            Layout.fillWidth: true
            TextField {
                id: phone
                Layout.fillWidth: true
                placeholderText: "+15550002"
                Accessible.name: qsTr("Phone number of the new contact")
                onAccepted: name.forceActiveFocus()
            }
            TextField {
                id: name
                Layout.preferredWidth: 130
                placeholderText: qsTr("Name")
                Accessible.name: qsTr("Name of the new contact")
                onAccepted: add.clicked()
            }
            Button {
                id: add
                text: qsTr("Add")
                Accessible.name: qsTr("Add contact and start chatting")
                onClicked: app.addContact(phone.text, name.text)
            }
        }
        Label { text: qsTr("Contacts"); font.bold: true }
        ListView {
            id: list
            Layout.fillWidth: true
            Layout.fillHeight: true
            clip: true
            model: app.contacts
            activeFocusOnTab: true
            keyNavigationEnabled: true
            Accessible.role: Accessible.List
            Accessible.name: qsTr("Contacts")
            delegate: ItemDelegate {
                required property var model
                width: ListView.view.width
                text: model.name + "  ·  " + model.phone
                highlighted: ListView.isCurrentItem && ListView.view.activeFocus
                Accessible.name: qsTr("Chat with %1, %2").arg(model.name).arg(model.phone)
                onClicked: { app.startChatWith(model.userId); dialog.close() }
            }
            Keys.onReturnPressed: if (currentItem) currentItem.clicked()
            Label {
                anchors.centerIn: parent
                visible: list.count === 0
                text: qsTr("No contacts yet.")
                color: dialog.theme.subtle
            }
        }
    }

    Connections {
        target: app
        enabled: dialog.visible
        function onContactAdded(userId, contactName) {
            phone.clear()
            name.clear()
            app.startChatWith(userId)
            dialog.close()
        }
    }
}
