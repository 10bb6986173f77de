// Back up the profile: a backup passphrase typed twice, then where to save the file
// (ProfileArchive, the core's "backup" command). The fields are emptied when it closes.
import QtQuick
import QtQuick.Controls
import QtQuick.Dialogs
import QtQuick.Layouts

Dialog {
    id: dialog
    objectName: "backupDialog"
    required property Theme theme
    readonly property int minLength: archive.minPassphraseLength
    // Why the passphrases cannot be used yet; empty when they can.
    readonly property string problem: passphrase.text.length < minLength
        ? qsTr("At least %1 characters.").arg(minLength)
        : (confirmation.text !== passphrase.text ? qsTr("The two passphrases differ.") : "")
    title: qsTr("Back up your profile")
    header: DialogTitle { text: dialog.title }
    modal: true
    anchors.centerIn: Overlay.overlay
    width: Math.min(460, Overlay.overlay ? Overlay.overlay.width - 40 : 460)
    standardButtons: Dialog.Cancel
    onClosed: { passphrase.text = ""; confirmation.text = "" }

    Connections {
        target: archive
        function onFinished() { if (dialog.visible) dialog.close() }
    }

    ColumnLayout {
        anchors.fill: parent
        spacing: 10
        Label {
            Layout.fillWidth: true
            wrapMode: Text.Wrap
            text: qsTr("The backup holds your messages, keys and files, encrypted with this passphrase. "
                       + "On a new computer, “natter restore FILE” brings the profile back. Without the passphrase nobody can open it, you included.")
        }
        TextField {
            id: passphrase
            objectName: "backupPassphrase"
            Layout.fillWidth: true
            echoMode: TextInput.Password
            placeholderText: qsTr("Backup passphrase")
            Accessible.name: qsTr("Backup passphrase, at least %1 characters").arg(dialog.minLength)
            focus: true
        }
        TextField {
            id: confirmation
            objectName: "backupConfirmation"
            Layout.fillWidth: true
            echoMode: TextInput.Password
            placeholderText: qsTr("The same passphrase again")
            Accessible.name: qsTr("The same passphrase again")
        }
        Label {
            objectName: "backupProblem"
            visible: passphrase.text !== "" && dialog.problem !== ""
            Layout.fillWidth: true
            wrapMode: Text.Wrap
            color: dialog.theme.danger
            text: dialog.problem
        }
        RowLayout {
            Button {
                objectName: "backupSave"
                text: qsTr("Choose file and save…")
                enabled: dialog.problem === "" && !archive.busy
                Accessible.name: qsTr("Choose where to save the backup")
                onClicked: fileDialog.open()
            }
            BusyIndicator { running: archive.busy; visible: running; Layout.preferredHeight: 28; Layout.preferredWidth: 28 }
        }
    }

    FileDialog {
        id: fileDialog
        title: qsTr("Save the backup")
        fileMode: FileDialog.SaveFile
        nameFilters: [qsTr("Natter backups (*.natter-backup)")]
        onAccepted: archive.backup(selectedFile, passphrase.text, confirmation.text)
    }
}
