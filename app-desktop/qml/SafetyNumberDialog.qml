// A contact's safety number: 60 digits in twelve groups and a QR code to scan in person.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

Dialog {
    id: dialog
    required property Theme theme
    property var userId: 0
    property string name
    property string digits
    property string qr
    title: qsTr("Safety number with %1").arg(name)
    header: DialogTitle { text: dialog.title }
    modal: true
    anchors.centerIn: Overlay.overlay
    width: Math.min(460, Overlay.overlay ? Overlay.overlay.width - 40 : 460)
    standardButtons: Dialog.Close

    function showFor(user, contactName) {
        userId = user
        name = contactName
        digits = ""
        qr = ""
        app.loadSafetyNumber(user)
        open()
    }

    Connections {
        target: app
        function onSafetyNumberReady(user, number, qrSource) {
            if (user !== dialog.userId) return
            dialog.digits = number
            dialog.qr = qrSource
        }
    }

    ColumnLayout {
        anchors.fill: parent
        spacing: 12
        BusyIndicator { visible: dialog.digits === ""; running: visible; Layout.alignment: Qt.AlignHCenter }
        Image {
            visible: dialog.qr !== ""
            source: dialog.qr
            Layout.preferredWidth: 220
            Layout.preferredHeight: 220
            Layout.alignment: Qt.AlignHCenter
            fillMode: Image.PreserveAspectFit
            smooth: false
            Accessible.role: Accessible.Graphic
            Accessible.name: qsTr("QR code of the safety number")
        }
        GridLayout {
            Layout.alignment: Qt.AlignHCenter
            columns: 4
            columnSpacing: 16
            rowSpacing: 6
            Accessible.role: Accessible.StaticText
            Accessible.name: qsTr("Safety number: %1").arg(dialog.digits)
            Repeater {
                model: dialog.digits === "" ? [] : dialog.digits.split(" ")
                Label {
                    required property string modelData
                    text: modelData
                    font.family: "monospace"
                    font.pixelSize: 18
                }
            }
        }
        Label {
            Layout.fillWidth: true
            wrapMode: Text.Wrap
            color: dialog.theme.subtle
            text: qsTr("Compare these numbers with %1 in person or over a call you trust. If they match, nobody is in between.").arg(dialog.name)
        }
        Button {
            Layout.alignment: Qt.AlignHCenter
            text: qsTr("They match")
            enabled: dialog.digits !== ""
            Accessible.name: qsTr("Mark the safety number as verified")
            onClicked: { app.acknowledgeIdentity(dialog.userId); dialog.close() }
        }
    }
}
