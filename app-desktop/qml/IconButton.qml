// A tool button showing one icon of the app's set in the theme's text colour, with its
// accessible name as tooltip, a Tab stop, and a focus ring when reached by keyboard.
import QtQuick
import QtQuick.Controls

ToolButton {
    id: control
    required property Theme theme
    required property string iconName
    required property string label
    property string shortcutHint: ""
    property color iconColor: theme.text
    readonly property bool focusRingVisible: visualFocus
    icon.source: "qrc:/icons/" + iconName + ".svg"
    icon.color: iconColor
    icon.width: 20
    icon.height: 20
    display: AbstractButton.IconOnly
    text: label
    focusPolicy: Qt.StrongFocus
    ToolTip.visible: hovered || visualFocus
    ToolTip.delay: 500
    ToolTip.text: shortcutHint !== "" ? qsTr("%1 (%2)").arg(label).arg(shortcutHint) : label
    Accessible.role: Accessible.Button
    Accessible.name: label
    Keys.onReturnPressed: clicked()
    Keys.onEnterPressed: clicked()
    background: Rectangle {
        implicitWidth: 36
        implicitHeight: 36
        radius: control.theme.radius
        color: control.down ? control.theme.divider : (control.hovered ? Qt.rgba(control.iconColor.r, control.iconColor.g, control.iconColor.b, 0.08) : "transparent")
        border.width: control.focusRingVisible ? 2 : 0
        border.color: control.theme.focusRing
    }
}
