// Asks for the profile's store passphrase (or a new one for a new profile).
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

Item {
    id: root
    required property Theme theme

    Pane {
        anchors.centerIn: parent
        width: Math.min(parent.width - 48, 420)
        padding: 24
        background: Rectangle { color: root.theme.panel; radius: root.theme.radius * 2; border.color: root.theme.divider }

        ColumnLayout {
            anchors.fill: parent
            spacing: 12
            Label {
                text: app.newProfile ? qsTr("Choose a passphrase") : qsTr("Unlock Natter")
                font.pixelSize: 22
                font.bold: true
                Accessible.role: Accessible.Heading
                Accessible.name: text
            }
            Label {
                Layout.fillWidth: true
                wrapMode: Text.Wrap
                color: root.theme.subtle
                text: app.newProfile
                      ? qsTr("It encrypts the messages stored on this computer (profile “%1”). You need it every time Natter starts.").arg(app.profileName)
                      : qsTr("Enter the passphrase of the profile “%1”.").arg(app.profileName)
            }
            TextField {
                id: passphrase
                Layout.fillWidth: true
                echoMode: TextInput.Password
                placeholderText: qsTr("Passphrase")
                focus: true
                Accessible.name: qsTr("Passphrase")
                Component.onCompleted: forceActiveFocus()
                onAccepted: unlock.clicked()
            }
            Label {
                Layout.fillWidth: true
                visible: app.passphraseError !== ""
                text: app.passphraseError
                color: root.theme.danger
                wrapMode: Text.Wrap
                Accessible.role: Accessible.AlertMessage
                Accessible.name: text
            }
            Button {
                id: unlock
                Layout.alignment: Qt.AlignRight
                text: app.newProfile ? qsTr("Create profile") : qsTr("Unlock")
                highlighted: true
                Accessible.name: text
                onClicked: app.submitPassphrase(passphrase.text)
            }
        }
    }
}
