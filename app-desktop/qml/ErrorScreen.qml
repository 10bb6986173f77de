// A problem that stops the app from opening the profile, said plainly, with a way out.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

Item {
    id: root
    required property Theme theme

    ColumnLayout {
        anchors.centerIn: parent
        width: Math.min(parent.width - 48, 480)
        spacing: 12
        Icon {
            name: "warning"
            size: 48
            color: root.theme.danger
            Layout.alignment: Qt.AlignHCenter
            Accessible.ignored: true
        }
        Label {
            Layout.fillWidth: true
            horizontalAlignment: Text.AlignHCenter
            text: app.errorTitle
            font.pixelSize: 22
            font.bold: true
            wrapMode: Text.Wrap
            Accessible.role: Accessible.Heading
            Accessible.name: text
        }
        Label {
            Layout.fillWidth: true
            horizontalAlignment: Text.AlignHCenter
            text: app.errorText
            wrapMode: Text.Wrap
            Accessible.role: Accessible.AlertMessage
            Accessible.name: text
        }
        RowLayout {
            Layout.alignment: Qt.AlignHCenter
            spacing: 12
            Button {
                text: qsTr("Try again")
                highlighted: true
                focus: true
                Accessible.name: text
                onClicked: app.retry()
            }
            Button {
                text: qsTr("Quit")
                Accessible.name: text
                onClicked: Qt.quit()
            }
        }
    }
}
