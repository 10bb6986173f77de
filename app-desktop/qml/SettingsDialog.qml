// Settings: profile (the name others see, editable; the number), appearance (Light / Dark /
// System), privacy (last seen, online, read receipts), notifications, start-up (autostart in the
// tray), backup and export, linked devices (a link
// code for a new device, as text and QR code), the contacts list and About (the version, from project(VERSION) through Qt.application.version).
import QtQuick
import QtQuick.Controls
import QtQuick.Dialogs
import QtQuick.Layouts

Dialog {
    id: dialog
    required property Theme theme
    property string linkCode
    property string linkQr
    // The text size this run started with (a change applies from the next start).
    property int startScale: 100
    Component.onCompleted: startScale = appearance.textScale
    title: qsTr("Settings")
    header: DialogTitle { text: dialog.title }
    modal: true
    anchors.centerIn: Overlay.overlay
    width: Math.min(500, Overlay.overlay ? Overlay.overlay.width - 40 : 500)
    height: Math.min(640, Overlay.overlay ? Overlay.overlay.height - 40 : 640)
    standardButtons: Dialog.Close
    onAboutToShow: { selfName.text = app.selfName; selfAbout.text = app.selfAbout; app.loadPrivacy(); app.loadDevices(); autostart.refresh() }

    BackupDialog { id: backupDialog; theme: dialog.theme }
    FolderDialog {
        id: exportFolder
        title: qsTr("Export chats into…")
        onAccepted: archive.exportChats(selectedFolder, exportFormat.currentValue)
    }
    Connections {
        target: archive
        function onFinished(message) { archiveResult.failed = false; archiveResult.text = message }
        function onFailed(message) { archiveResult.failed = true; archiveResult.text = message }
    }

    Connections {
        target: app
        function onLinkCodeReady(code, qrSource) { dialog.linkCode = code; dialog.linkQr = qrSource }
        function onSelfChanged() { selfName.text = app.selfName; selfAbout.text = app.selfAbout }
    }

    ScrollView {
        anchors.fill: parent
        contentWidth: availableWidth
        ColumnLayout {
            width: dialog.availableWidth
            spacing: 10

            Label { text: qsTr("Profile"); font.bold: true; font.pixelSize: 16; Accessible.role: Accessible.Heading; Accessible.name: text }
            RowLayout {
                Layout.fillWidth: true
                Label { text: qsTr("Your name") }
                TextField {
                    id: selfName
                    objectName: "selfNameField"
                    Layout.fillWidth: true
                    text: app.selfName
                    maximumLength: 100
                    Accessible.name: qsTr("Your name, as others see it")
                    onAccepted: if (text.trim() !== app.selfName) app.setSelfName(text)
                }
                Button {
                    objectName: "selfNameSave"
                    text: qsTr("Save")
                    enabled: selfName.text.trim() !== "" && selfName.text.trim() !== app.selfName
                    Accessible.name: qsTr("Save your name")
                    onClicked: app.setSelfName(selfName.text)
                }
            }
            RowLayout {
                Layout.fillWidth: true
                Label { text: qsTr("About") }
                TextField {
                    id: selfAbout
                    objectName: "selfAboutField"
                    Layout.fillWidth: true
                    text: app.selfAbout
                    placeholderText: qsTr("A line about you (optional)")
                    maximumLength: 140
                    Accessible.name: qsTr("About you, as others see it")
                    onAccepted: if (text.trim() !== app.selfAbout) app.setSelfAbout(text)
                }
                Button {
                    objectName: "selfAboutSave"
                    text: qsTr("Save")
                    enabled: selfAbout.text.trim() !== app.selfAbout
                    Accessible.name: qsTr("Save the about text")
                    onClicked: app.setSelfAbout(selfAbout.text)
                }
            }
            Label { text: app.selfPhone; color: dialog.theme.subtle; Accessible.name: qsTr("Your number %1").arg(app.selfPhone) }

            Label { text: qsTr("Appearance"); font.bold: true; font.pixelSize: 16; Accessible.role: Accessible.Heading; Accessible.name: text }
            RowLayout {
                Layout.fillWidth: true
                Label { text: qsTr("Theme") }
                ComboBox {
                    objectName: "themeChoice"
                    Layout.fillWidth: true
                    textRole: "text"
                    valueRole: "value"
                    model: [{ value: "system", text: qsTr("System") }, { value: "light", text: qsTr("Light") },
                            { value: "dark", text: qsTr("Dark") }]
                    currentIndex: ["system", "light", "dark"].indexOf(appearance.choice)
                    Accessible.name: qsTr("Theme")
                    Accessible.description: qsTr("System follows the desktop's light or dark setting")
                    onActivated: appearance.choice = currentValue
                }
            }
            RowLayout {
                Layout.fillWidth: true
                Label { text: qsTr("Text size") }
                ComboBox {
                    objectName: "textScaleChoice"
                    Layout.fillWidth: true
                    model: [100, 125, 150, 175]
                    displayText: qsTr("%1 %").arg(currentValue)
                    delegate: ItemDelegate {
                        required property int modelData
                        width: ListView.view ? ListView.view.width : implicitWidth
                        text: qsTr("%1 %").arg(modelData)
                    }
                    currentIndex: model.indexOf(appearance.textScale)
                    Accessible.name: qsTr("Text size")
                    Accessible.description: qsTr("The whole window scales; applies when Natter starts again")
                    onActivated: appearance.textScale = currentValue
                }
            }
            Label {
                objectName: "textScaleNote"
                visible: appearance.textScale !== dialog.startScale
                Layout.fillWidth: true
                wrapMode: Text.Wrap
                color: dialog.theme.subtle
                text: qsTr("The new text size applies when Natter starts again.")
            }

            Label { text: qsTr("Privacy"); font.bold: true; font.pixelSize: 16; Accessible.role: Accessible.Heading; Accessible.name: text }
            GridLayout {
                columns: 2
                Layout.fillWidth: true
                Label { text: qsTr("Who sees my last seen") }
                PrivacyChoice {
                    objectName: "lastSeenChoice"
                    Layout.fillWidth: true
                    setting: "last-seen"
                    current: app.privacy.lastSeen || ""
                    Accessible.name: qsTr("Who sees my last seen")
                }
                Label { text: qsTr("Who sees when I am online") }
                PrivacyChoice {
                    objectName: "onlineChoice"
                    Layout.fillWidth: true
                    setting: "online"
                    current: app.privacy.online || ""
                    Accessible.name: qsTr("Who sees when I am online")
                }
            }
            Switch {
                objectName: "readReceiptsSwitch"
                text: qsTr("Send read receipts")
                enabled: app.privacy.readReceipts !== undefined
                checked: app.privacy.readReceipts !== false
                Accessible.name: text
                onToggled: app.setPrivacy("read-receipts", checked ? "on" : "off")
            }

            Label { text: qsTr("Notifications"); font.bold: true; font.pixelSize: 16; Accessible.role: Accessible.Heading; Accessible.name: text }
            Switch {
                text: qsTr("Message previews")
                checked: app.messagePreviews
                Accessible.name: text
                Accessible.description: qsTr("Off: notifications only say that a message arrived")
                onToggled: app.messagePreviews = checked
            }
            Switch {
                objectName: "notificationSoundSwitch"
                text: qsTr("Sound")
                checked: app.notificationSound
                Accessible.name: qsTr("Notification sound")
                Accessible.description: qsTr("The desktop's new-message sound with each notification")
                onToggled: app.notificationSound = checked
            }

            Label { text: qsTr("Start-up"); font.bold: true; font.pixelSize: 16; Accessible.role: Accessible.Heading; Accessible.name: text }
            Switch {
                objectName: "autostartSwitch"
                text: qsTr("Start Natter when you log in")
                checked: autostart.enabled
                Accessible.name: text
                Accessible.description: qsTr("Natter starts in the tray, so messages arrive while its window is closed")
                // The entry on disk decides, also when writing it failed.
                onToggled: { autostart.enabled = checked; checked = Qt.binding(() => autostart.enabled) }
            }
            Label {
                objectName: "autostartError"
                visible: autostart.error !== ""
                Layout.fillWidth: true
                wrapMode: Text.Wrap
                color: dialog.theme.danger
                text: autostart.error
            }

            Label { text: qsTr("Backup and export"); font.bold: true; font.pixelSize: 16; Accessible.role: Accessible.Heading; Accessible.name: text }
            Label {
                Layout.fillWidth: true
                wrapMode: Text.Wrap
                color: dialog.theme.subtle
                text: qsTr("A backup is the whole profile, encrypted, to bring to a new computer. An export is your chats to read or keep: its files are saved unencrypted.")
            }
            RowLayout {
                Layout.fillWidth: true
                Button {
                    objectName: "backupButton"
                    text: qsTr("Back up…")
                    enabled: !archive.busy
                    Accessible.name: qsTr("Back up your profile")
                    onClicked: backupDialog.open()
                }
                ComboBox {
                    id: exportFormat
                    objectName: "exportFormat"
                    Layout.fillWidth: true
                    textRole: "text"
                    valueRole: "value"
                    model: [{ value: "html", text: qsTr("HTML, to read") }, { value: "json", text: qsTr("JSON, for programs") }]
                    Accessible.name: qsTr("Export format")
                }
                Button {
                    objectName: "exportButton"
                    text: qsTr("Export chats…")
                    enabled: !archive.busy
                    Accessible.name: qsTr("Export your chats into a folder")
                    onClicked: exportFolder.open()
                }
            }
            Label {
                id: archiveResult
                objectName: "archiveResult"
                property bool failed: false
                visible: text !== ""
                Layout.fillWidth: true
                wrapMode: Text.Wrap
                color: failed ? dialog.theme.danger : dialog.theme.text
                Accessible.role: Accessible.AlertMessage
                Accessible.name: text
            }

            Label { text: qsTr("Linked devices"); font.bold: true; font.pixelSize: 16; Accessible.role: Accessible.Heading; Accessible.name: text }
            Label {
                Layout.fillWidth: true
                wrapMode: Text.Wrap
                color: dialog.theme.subtle
                text: qsTr("To use Natter on another computer, choose “Link” there and enter or scan this one-time code.")
            }
            RowLayout {
                Button {
                    objectName: "linkCodeButton"
                    text: qsTr("Show link code")
                    Accessible.name: text
                    onClicked: app.createLinkCode()
                }
                TextField {
                    objectName: "linkCodeField"
                    Layout.fillWidth: true
                    visible: dialog.linkCode !== ""
                    readOnly: true
                    text: dialog.linkCode
                    font.family: "monospace"
                    Accessible.name: qsTr("Link code %1").arg(dialog.linkCode)
                }
            }

            Image {
                objectName: "linkCodeQr"
                visible: dialog.linkQr !== ""
                source: dialog.linkQr
                Layout.preferredWidth: 200
                Layout.preferredHeight: visible ? 200 : 0
                Layout.alignment: Qt.AlignHCenter
                fillMode: Image.PreserveAspectFit
                smooth: false
                Accessible.role: Accessible.Graphic
                Accessible.name: qsTr("QR code of the link code %1").arg(dialog.linkCode)
            }

            Repeater {
                model: app.devices
                delegate: RowLayout {
                    required property var modelData
                    Layout.fillWidth: true
                    Label {
                        Layout.fillWidth: true
                        text: modelData.thisDevice ? qsTr("%1 (this device)").arg(modelData.name || qsTr("Device %1").arg(modelData.deviceId))
                                                   : (modelData.name || qsTr("Device %1").arg(modelData.deviceId))
                        Accessible.name: text
                    }
                    Button {
                        visible: !modelData.thisDevice
                        text: qsTr("Unlink")
                        Accessible.name: qsTr("Unlink %1").arg(modelData.name)
                        onClicked: app.unlinkDevice(modelData.deviceId)
                    }
                }
            }

            Label { text: qsTr("Contacts"); font.bold: true; font.pixelSize: 16; Accessible.role: Accessible.Heading; Accessible.name: text }
            Repeater {
                model: app.contacts
                delegate: Label {
                    required property var model
                    text: model.name + "  ·  " + model.phone + (model.identityChanged ? "  ·  " + qsTr("safety number changed") : "")
                    Accessible.name: text
                }
            }

            Label { text: qsTr("About"); font.bold: true; font.pixelSize: 16; Accessible.role: Accessible.Heading; Accessible.name: text }
            Label {
                objectName: "aboutVersion"
                text: qsTr("Natter %1").arg(Qt.application.version)
                Accessible.name: text
            }
        }
    }
}
