// A group's members and roles; admins add, remove, promote and rename; anyone can leave.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

Dialog {
    id: dialog
    required property Theme theme
    property var conversation: null
    title: conversation ? conversation.title : ""
    header: DialogTitle { text: dialog.title }
    modal: true
    anchors.centerIn: Overlay.overlay
    width: Math.min(480, Overlay.overlay ? Overlay.overlay.width - 40 : 480)
    height: Math.min(600, Overlay.overlay ? Overlay.overlay.height - 40 : 600)
    standardButtons: Dialog.Close

    ColumnLayout {
        anchors.fill: parent
        spacing: 8
        visible: dialog.conversation !== null

        RowLayout {
            Layout.fillWidth: true
            visible: dialog.conversation && dialog.conversation.amAdmin
            TextField {
                id: newName
                Layout.fillWidth: true
                placeholderText: qsTr("New group name")
                Accessible.name: qsTr("New group name")
            }
            Button {
                text: qsTr("Rename")
                Accessible.name: qsTr("Rename group")
                onClicked: dialog.conversation.rename(newName.text)
            }
        }

        Label { objectName: "memberCount"; text: qsTr("%n members", "", dialog.conversation ? dialog.conversation.members.length : 0); font.bold: true }
        ListView {
            Layout.fillWidth: true
            Layout.fillHeight: true
            clip: true
            model: dialog.conversation ? dialog.conversation.members : []
            activeFocusOnTab: true
            Accessible.role: Accessible.List
            Accessible.name: qsTr("Members")
            delegate: ItemDelegate {
                required property var modelData
                width: ListView.view.width
                Accessible.name: modelData.name + (modelData.admin ? qsTr(", admin") : "")
                contentItem: RowLayout {
                    Avatar { name: modelData.name; size: 32 }
                    ColumnLayout {
                        Layout.fillWidth: true
                        spacing: 0
                        Label { Layout.fillWidth: true; text: modelData.name; elide: Text.ElideRight }
                        Label {
                            objectName: "memberAbout"
                            Layout.fillWidth: true
                            visible: modelData.about !== ""
                            text: modelData.about
                            opacity: 0.7
                            elide: Text.ElideRight
                        }
                    }
                    Label { visible: modelData.admin; text: qsTr("admin"); color: dialog.theme.accent }
                    Button {
                        visible: dialog.conversation.amAdmin && !modelData.isSelf
                        text: modelData.admin ? qsTr("Make member") : qsTr("Make admin")
                        Accessible.name: (modelData.admin ? qsTr("Make %1 a member") : qsTr("Make %1 an admin")).arg(modelData.name)
                        onClicked: dialog.conversation.setAdmin(modelData.userId, !modelData.admin)
                    }
                    Button {
                        visible: dialog.conversation.amAdmin && !modelData.isSelf
                        text: qsTr("Remove")
                        Accessible.name: qsTr("Remove %1 from the group").arg(modelData.name)
                        onClicked: dialog.conversation.removeMember(modelData.userId)
                    }
                }
            }
        }

        Label { visible: dialog.conversation && dialog.conversation.amAdmin; text: qsTr("Add a contact"); font.bold: true }
        ComboBox {
            id: addPick
            Layout.fillWidth: true
            visible: dialog.conversation && dialog.conversation.amAdmin
            model: app.contacts
            textRole: "name"
            valueRole: "userId"
            Accessible.name: qsTr("Contact to add")
        }
        Button {
            visible: addPick.visible
            enabled: addPick.currentIndex >= 0
            text: qsTr("Add to group")
            Accessible.name: text
            onClicked: dialog.conversation.addMembers([addPick.currentValue])
        }
        Button {
            text: qsTr("Leave group")
            Accessible.name: text
            palette.buttonText: dialog.theme.danger
            onClicked: { dialog.conversation.leave(); dialog.close() }
        }
    }
}
