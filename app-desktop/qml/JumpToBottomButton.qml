// The round "jump to the newest message" button over the message list, with the count of new
// messages below it when there are some.
import QtQuick
import QtQuick.Controls

RoundButton {
    id: control
    required property Theme theme
    property int count: 0
    readonly property bool focusRingVisible: visualFocus
    width: 44
    height: 44
    icon.source: "qrc:/icons/arrow-down.svg"
    icon.color: theme.text
    icon.width: 20
    icon.height: 20
    display: AbstractButton.IconOnly
    text: qsTr("Jump to the newest message")
    focusPolicy: Qt.StrongFocus
    ToolTip.visible: hovered || visualFocus
    ToolTip.delay: 500
    ToolTip.text: qsTr("%1 (Ctrl+End)").arg(text)
    Accessible.role: Accessible.Button
    Accessible.name: count > 0 ? qsTr("Jump to the newest message, %1 new").arg(count) : text
    Keys.onReturnPressed: clicked()
    Keys.onEnterPressed: clicked()
    background: Rectangle {
        radius: width / 2
        color: control.theme.panel
        border.width: control.focusRingVisible ? 2 : 1
        border.color: control.focusRingVisible ? control.theme.focusRing : control.theme.divider
    }

    Label {
        objectName: "jumpToBottomCount"
        visible: control.count > 0
        anchors.horizontalCenter: parent.horizontalCenter
        anchors.bottom: parent.top
        anchors.bottomMargin: -8
        leftPadding: 6
        rightPadding: 6
        topPadding: 1
        bottomPadding: 1
        text: control.count > 99 ? "99+" : String(control.count)
        font.pixelSize: 11
        font.bold: true
        color: control.theme.accentText
        background: Rectangle { color: control.theme.accent; radius: height / 2 }
    }
}
