// First start of a profile: register with a phone number and the code the server sends,
// or join an existing account with a link code from another device. An error shows in the
// section whose action caused it (AppController.onboardingErrorSection).
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

Item {
    id: root
    required property Theme theme

    // The error of one section, shown only there.
    component SectionError: Label {
        property string section
        Layout.fillWidth: true
        visible: app.onboardingError !== "" && app.onboardingErrorSection === section
        text: app.onboardingError
        color: root.theme.danger
        wrapMode: Text.Wrap
        Accessible.role: Accessible.AlertMessage
        Accessible.name: text
    }

    Pane {
        anchors.centerIn: parent
        width: Math.min(parent.width - 48, 460)
        padding: 24
        background: Rectangle { color: root.theme.panel; radius: root.theme.radius * 2; border.color: root.theme.divider }

        ColumnLayout {
            anchors.fill: parent
            spacing: 10

            Label {
                text: qsTr("Welcome to Natter")
                font.pixelSize: 24
                font.bold: true
                Accessible.role: Accessible.Heading
                Accessible.name: text
            }
            Label {
                Layout.fillWidth: true
                wrapMode: Text.Wrap
                color: root.theme.subtle
                text: app.onboardingStep === "code"
                      ? qsTr("Enter the code the server sent for your number, and the name others will see.")
                      : qsTr("Messages are end-to-end encrypted: the server only passes them on.")
            }

            // Step 1: server and phone, or a link code.
            ColumnLayout {
                visible: app.onboardingStep !== "code"
                Layout.fillWidth: true
                spacing: 8
                Label { text: qsTr("Server"); Accessible.ignored: true }
                TextField {
                    id: server
                    Layout.fillWidth: true
                    text: app.defaultServer
                    placeholderText: "http://127.0.0.1:8787"
                    Accessible.name: qsTr("Server address")
                }
                Label { text: qsTr("Phone number"); Accessible.ignored: true }
                TextField {
                    id: phone
                    Layout.fillWidth: true
                    placeholderText: "+15550001"
                    inputMethodHints: Qt.ImhDialableCharactersOnly
                    focus: true
                    Accessible.name: qsTr("Phone number, international form")
                    Component.onCompleted: forceActiveFocus()
                    onAccepted: sendCode.clicked()
                }
                Button {
                    id: sendCode
                    Layout.alignment: Qt.AlignRight
                    text: qsTr("Send code")
                    highlighted: true
                    enabled: !app.busy
                    Accessible.name: text
                    onClicked: app.requestCode(server.text, phone.text)
                }
                SectionError { objectName: "registerError"; section: "register" }
                Rectangle { Layout.fillWidth: true; height: 1; color: root.theme.divider }
                Label {
                    text: qsTr("Already use Natter on another device? Link this computer:")
                    wrapMode: Text.Wrap
                    Layout.fillWidth: true
                }
                RowLayout {
                    Layout.fillWidth: true
                    TextField {
                        id: linkCode
                        Layout.fillWidth: true
                        placeholderText: qsTr("Link code")
                        Accessible.name: qsTr("Link code from your other device")
                        onAccepted: link.clicked()
                    }
                    TextField {
                        id: deviceName
                        Layout.preferredWidth: 140
                        placeholderText: qsTr("Desktop")
                        Accessible.name: qsTr("Name of this device")
                    }
                    Button {
                        id: link
                        text: qsTr("Link")
                        enabled: !app.busy
                        Accessible.name: qsTr("Link this device")
                        onClicked: app.linkDevice(server.text, linkCode.text, deviceName.text, withHistory.checked)
                    }
                }
                CheckBox {
                    id: withHistory
                    objectName: "linkWithHistory"
                    text: qsTr("Bring my message history (end-to-end encrypted from the other device)")
                    Accessible.name: text
                }
                SectionError { objectName: "linkError"; section: "link" }
            }

            // Step 2: the code and the display name.
            ColumnLayout {
                visible: app.onboardingStep === "code"
                Layout.fillWidth: true
                spacing: 8
                Label { text: qsTr("Verification code"); Accessible.ignored: true }
                TextField {
                    id: code
                    Layout.fillWidth: true
                    placeholderText: "123456"
                    Accessible.name: qsTr("Verification code")
                    onVisibleChanged: if (visible) forceActiveFocus()
                    onAccepted: name.forceActiveFocus()
                }
                Label { text: qsTr("Your name"); Accessible.ignored: true }
                TextField {
                    id: name
                    Layout.fillWidth: true
                    placeholderText: qsTr("Alice")
                    Accessible.name: qsTr("Your name, as others will see it")
                    onAccepted: verify.clicked()
                }
                RowLayout {
                    Layout.alignment: Qt.AlignRight
                    Button {
                        text: qsTr("Back")
                        enabled: !app.busy
                        Accessible.name: text
                        onClicked: app.backToPhone()
                    }
                    Button {
                        id: verify
                        text: qsTr("Continue")
                        highlighted: true
                        enabled: !app.busy
                        Accessible.name: text
                        onClicked: app.verifyCode(code.text, name.text)
                    }
                }
                SectionError { objectName: "codeError"; section: "code" }
            }

            BusyIndicator {
                Layout.alignment: Qt.AlignHCenter
                visible: app.busy
                running: app.busy
                Accessible.name: qsTr("Waiting for the server")
            }
        }
    }
}
