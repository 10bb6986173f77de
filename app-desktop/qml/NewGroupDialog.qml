// A new group: a name and the contacts to invite.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

Dialog {
    id: dialog
    required property Theme theme
    property var chosen: ({})
    title: qsTr("New group")
    header: DialogTitle { text: dialog.title }
    modal: true
    anchors.centerIn: Overlay.overlay
    width: Math.min(440, Overlay.overlay ? Overlay.overlay.width - 40 : 440)
    height: Math.min(560, Overlay.overlay ? Overlay.overlay.height - 40 : 560)
    onOpened: { chosen = ({}); groupName.clear(); groupName.forceActiveFocus() }

    ColumnLayout {
        anchors.fill: parent
        spacing: 8
        TextField {
            id: groupName
            Layout.fillWidth: true
            placeholderText: qsTr("Group name")
            Accessible.name: qsTr("Group name")
        }
        Label { text: qsTr("Members"); font.bold: true }
        ListView {
            Layout.fillWidth: true
            Layout.fillHeight: true
            clip: true
            model: app.contacts
            activeFocusOnTab: true
            Accessible.role: Accessible.List
            Accessible.name: qsTr("Contacts to add")
            delegate: CheckDelegate {
                required property var model
                width: ListView.view.width
                text: model.name
                Accessible.name: qsTr("Add %1").arg(model.name)
                onToggled: {
                    const c = dialog.chosen
                    if (checked) c[model.userId] = true
                    else delete c[model.userId]
                    dialog.chosen = c
                }
            }
        }
    }

    footer: DialogButtonBox {
        Button {
            text: qsTr("Create")
            highlighted: true
            enabled: groupName.text.trim() !== ""
            DialogButtonBox.buttonRole: DialogButtonBox.AcceptRole
            Accessible.name: qsTr("Create group")
        }
        Button {
            text: qsTr("Cancel")
            DialogButtonBox.buttonRole: DialogButtonBox.RejectRole
            Accessible.name: text
        }
    }
    onAccepted: app.createGroup(groupName.text, Object.keys(chosen))
}
