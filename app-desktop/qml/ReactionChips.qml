// The reactions under a bubble: one chip per emoji with its count, mine tinted; hovering one
// lists who reacted (so does its accessible name). Clicking a chip reacts with that emoji, or
// takes my reaction back when it is mine.
import QtQuick
import QtQuick.Controls

Row {
    id: root
    required property Theme theme
    // [{emoji, count, names, mine}] (MessageListModel's ReactionsRole)
    required property var reactions
    signal reactRequested(string emoji)
    objectName: "reactionChips"
    spacing: 4
    visible: reactions.length > 0

    Repeater {
        model: root.reactions
        delegate: Rectangle {
            id: chip
            required property var modelData
            readonly property string emoji: modelData.emoji
            readonly property int count: modelData.count
            readonly property bool mine: modelData.mine
            readonly property string who: modelData.names.join(", ")
            objectName: "reactionChip"
            width: chipText.implicitWidth + 16
            height: 24
            radius: 12
            color: mine ? root.theme.chipMine : root.theme.chip
            border.width: 1
            border.color: mine ? root.theme.accent : root.theme.divider
            Accessible.role: Accessible.Button
            Accessible.name: qsTr("%1 %2: %3").arg(emoji).arg(count).arg(who)
            Accessible.description: mine ? qsTr("Remove your reaction") : qsTr("React with %1").arg(emoji)
            Accessible.onPressAction: root.reactRequested(mine ? "" : emoji)
            ToolTip.visible: hover.hovered
            ToolTip.text: who
            ToolTip.delay: 300
            Label {
                id: chipText
                anchors.centerIn: parent
                text: chip.emoji + " " + chip.count
                color: root.theme.text
                font.pixelSize: 12
            }
            HoverHandler { id: hover }
            TapHandler { onTapped: root.reactRequested(chip.mine ? "" : chip.emoji) }
        }
    }
}
