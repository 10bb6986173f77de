// The message a reply quotes, at the top of its bubble: the original's sender (in their colour)
// and a snippet, or "Original message was deleted". A click jumps to the original (Enter on the
// bubble does too), loading older messages until it is there.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

Rectangle {
    id: root
    required property Theme theme
    // {messageId, senderId, senderName, snippet, deleted} (MessageListModel's QuoteRole)
    required property var quote
    signal jumpRequested(var messageId)
    objectName: "quoteBlock"
    implicitWidth: Math.max(sender.implicitWidth, snippet.implicitWidth) + 18
    implicitHeight: lines.implicitHeight + 8
    radius: 4
    color: theme.quote
    Accessible.role: Accessible.Button
    Accessible.name: qsTr("Reply to %1: %2").arg(sender.text).arg(snippet.text)
    Accessible.description: qsTr("Shows the original message")
    Accessible.onPressAction: root.jumpRequested(root.quote.messageId)

    Rectangle {
        width: 3
        height: parent.height
        radius: 1
        color: root.theme.memberColor(root.quote.senderId)
    }
    ColumnLayout {
        id: lines
        x: 10
        y: 4
        width: parent.width - 14
        spacing: 0
        Label {
            id: sender
            objectName: "quoteSender"
            Layout.fillWidth: true
            text: root.quote.senderName
            color: root.theme.memberColor(root.quote.senderId)
            font.bold: true
            font.pixelSize: 12
            elide: Text.ElideRight
        }
        Label {
            id: snippet
            objectName: "quoteSnippet"
            Layout.fillWidth: true
            text: root.quote.deleted ? qsTr("Original message was deleted") : root.quote.snippet
            color: root.quote.deleted ? root.theme.subtle : root.theme.text
            font.italic: root.quote.deleted
            font.pixelSize: 12
            wrapMode: Text.Wrap
            maximumLineCount: 2
            elide: Text.ElideRight
        }
    }
    MouseArea {
        anchors.fill: parent
        cursorShape: Qt.PointingHandCursor
        onClicked: root.jumpRequested(root.quote.messageId)
    }
}
