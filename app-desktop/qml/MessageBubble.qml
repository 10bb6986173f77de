// One message: a day separator when the day changes, the "N unread messages" divider above
// the first message unread when the chat was opened, then a bubble (right for mine) with the
// sender in groups (the name above the first message of their run, their avatar beside its
// last), the quoted message of a reply (QuoteBlock), an image thumbnail or a file row, the text
// ("This message was deleted" once deleted for everyone), "edited", the time and the ticks, and
// the reactions under it (ReactionChips).
// Pictures open in the in-app viewer; other files open in their application. Enter acts on the
// current message (a file opens, a reply jumps to its original) and the Menu key offers its
// actions (MessageMenu, shared by the list).
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

FocusScope {
    id: root
    required property Theme theme
    required property var model
    required property int index
    property bool showSender: false
    signal saveRequested(var localId, string fileName)
    signal openRequested(var localId)
    // A picture: shown in the in-app viewer.
    signal viewRequested(var localId)
    // Its actions: the Menu key (or Shift+F10) on the list (at the bubble), or a right-click.
    signal menuRequested(bool atPointer)
    signal quoteJumpRequested(var messageId)
    signal reactRequested(string emoji)

    // Enter on the message: a picture opens in the viewer, another file in its application, a
    // reply shows the message it quotes.
    function activate() {
        if (root.media) {
            if (root.model.isImage) root.viewRequested(root.model.localId)
            else root.openRequested(root.model.localId)
        } else if (root.quoted) {
            root.quoteJumpRequested(root.model.quote.messageId)
        }
    }
    function showMenu() { if (!root.system) root.menuRequested(false) }
    TapHandler { acceptedButtons: Qt.RightButton; onTapped: if (!root.system) root.menuRequested(true) }

    readonly property bool outgoing: model.outgoing
    readonly property bool system: model.kind === "system" || model.kind === "undecryptable"
    readonly property bool deleted: model.deleted
    readonly property bool media: model.kind === "media" && !deleted
    readonly property bool quoted: !deleted && model.quote !== undefined && model.quote.messageId !== undefined
    // A group member's message: indented for the avatar beside the last of their run.
    readonly property bool withAvatar: showSender && !outgoing && !system
    height: column.implicitHeight + 4
    Accessible.role: Accessible.ListItem
    Accessible.name: model.accessibleName

    Column {
        id: column
        width: parent.width
        spacing: 4

        Item {
            width: parent.width
            height: root.model.showDay ? 36 : 0
            visible: root.model.showDay
            Label {
                anchors.centerIn: parent
                text: root.model.dayText
                padding: 6
                leftPadding: 12
                rightPadding: 12
                font.pixelSize: 12
                color: root.theme.subtle
                background: Rectangle { color: root.theme.panel; radius: root.theme.radius }
                Accessible.role: Accessible.Separator
                Accessible.name: text
            }
        }

        Rectangle {
            objectName: "unreadDivider"
            width: parent.width
            height: visible ? 28 : 0
            visible: root.model.unreadDivider !== ""
            color: root.theme.panel
            Label {
                objectName: "unreadDividerText"
                anchors.centerIn: parent
                text: root.model.unreadDivider
                font.pixelSize: 12
                font.bold: true
                color: root.theme.subtle
                Accessible.role: Accessible.Separator
                Accessible.name: text
            }
        }

        Item {
            width: parent.width
            height: bubble.height + (chips.visible ? chips.height + 2 : 0)

            Avatar {
                objectName: "senderAvatar"
                visible: root.withAvatar && root.model.lastOfRun
                x: 16
                y: bubble.height - size
                size: 28
                name: root.model.senderName
            }

            Rectangle {
                id: bubble
                readonly property real maxWidth: Math.min(root.width * 0.7, 560)
                x: root.system ? (parent.width - width) / 2 : (root.outgoing ? parent.width - width - 16 : (root.withAvatar ? 52 : 16))
                width: Math.min(maxWidth, Math.max(content.implicitWidth, quote.visible ? quote.implicitWidth : 0, 80) + 20)
                height: content.implicitHeight + 12
                radius: root.theme.radius
                color: root.system ? root.theme.system : (root.outgoing ? root.theme.bubbleOut : root.theme.bubbleIn)
                border.width: root.ListView.isCurrentItem && root.ListView.view.activeFocus ? 2 : 0
                border.color: root.theme.focusRing

                ColumnLayout {
                    id: content
                    x: 10
                    y: 6
                    width: bubble.width - 20
                    spacing: 4

                    Label {
                        objectName: "senderName"
                        visible: root.withAvatar && root.model.firstOfRun
                        text: root.model.senderName
                        color: root.theme.memberColor(root.model.senderId)
                        font.bold: true
                        font.pixelSize: 13
                    }
                    Loader {
                        id: quote
                        active: root.quoted
                        visible: active
                        Layout.fillWidth: true
                        sourceComponent: QuoteBlock {
                            theme: root.theme
                            quote: root.model.quote
                            onJumpRequested: (messageId) => root.quoteJumpRequested(messageId)
                        }
                    }
                    Image {
                        id: thumb
                        visible: root.media && root.model.thumbnailSource !== ""
                        source: root.model.thumbnailSource
                        Layout.preferredWidth: Math.min(bubble.maxWidth - 20, 280)
                        Layout.preferredHeight: visible && implicitWidth > 0 ? Layout.preferredWidth * implicitHeight / implicitWidth : 0
                        fillMode: Image.PreserveAspectFit
                        Accessible.role: Accessible.Graphic
                        Accessible.name: qsTr("Picture %1").arg(root.model.fileName)
                        MouseArea {
                            objectName: "thumbnailArea"
                            anchors.fill: parent
                            cursorShape: Qt.PointingHandCursor
                            onClicked: root.model.isImage ? root.viewRequested(root.model.localId) : root.openRequested(root.model.localId)
                        }
                    }
                    // A file's row; a picture's thumbnail stands for it (Enter or the menu acts).
                    RowLayout {
                        objectName: "fileRow"
                        visible: root.media && !thumb.visible
                        Layout.fillWidth: true
                        Icon { name: "file"; size: 24; color: root.theme.subtle; Accessible.ignored: true }
                        ColumnLayout {
                            Layout.fillWidth: true
                            spacing: 0
                            Label { Layout.fillWidth: true; text: root.model.fileName; elide: Text.ElideMiddle }
                            Label { text: root.model.sizeText; color: root.theme.subtle; font.pixelSize: 11 }
                        }
                        ToolButton {
                            text: root.model.isImage ? qsTr("View") : qsTr("Open")
                            Accessible.name: (root.model.isImage ? qsTr("View %1") : qsTr("Open %1")).arg(root.model.fileName)
                            onClicked: root.model.isImage ? root.viewRequested(root.model.localId) : root.openRequested(root.model.localId)
                        }
                        ToolButton {
                            text: qsTr("Save…")
                            Accessible.name: qsTr("Save %1").arg(root.model.fileName)
                            onClicked: root.saveRequested(root.model.localId, root.model.fileName)
                        }
                    }
                    Text {
                        id: messageText
                        readonly property bool linked: !root.system && !root.deleted && root.model.linkedText !== ""
                        objectName: "messageText"
                        Layout.fillWidth: true
                        visible: text !== ""
                        text: root.model.kind === "undecryptable" ? qsTr("Waiting for this message. It could not be decrypted yet and was asked for again.")
                                                                  : root.deleted ? qsTr("This message was deleted")
                                                                  : (linked ? root.model.linkedText : root.model.text)
                        wrapMode: Text.Wrap
                        color: root.deleted ? root.theme.subtle : root.theme.text
                        linkColor: root.theme.accent
                        font.italic: root.system || root.deleted
                        font.pixelSize: root.system ? 12 : (root.model.emojiOnly && !root.deleted ? 40 : 14)
                        // Rich text only when it holds links: message_text.cpp escaped everything else.
                        textFormat: linked ? Text.StyledText : Text.PlainText
                        horizontalAlignment: root.system ? Text.AlignHCenter : Text.AlignLeft
                        // natter:+15550001 opens the chat with that number; web addresses open in the browser.
                        onLinkActivated: (link) => link.startsWith("natter:") ? app.openChat(link.substring(7)) : Qt.openUrlExternally(link)
                        HoverHandler { cursorShape: messageText.hoveredLink !== "" ? Qt.PointingHandCursor : Qt.ArrowCursor }
                    }
                    RowLayout {
                        visible: !root.system
                        Layout.alignment: Qt.AlignRight
                        spacing: 4
                        Label {
                            visible: root.model.failed
                            text: qsTr("Not sent")
                            color: root.theme.danger
                            font.pixelSize: 11
                        }
                        Label {
                            objectName: "mentionMark"
                            visible: root.model.mentionsMe
                            text: "@"
                            color: root.theme.accent
                            font.pixelSize: 11
                            font.bold: true
                            Accessible.name: qsTr("Mentions you")
                        }
                        Label {
                            objectName: "messageTimer"
                            visible: text !== ""
                            text: root.model.timerText
                            color: root.theme.subtle
                            font.pixelSize: 11
                            Accessible.name: qsTr("Disappears %1 after sending").arg(text)
                        }
                        Label {
                            objectName: "editedMark"
                            visible: root.model.edited && !root.deleted
                            text: qsTr("edited")
                            color: root.theme.subtle
                            font.pixelSize: 11
                            font.italic: true
                        }
                        Label { objectName: "messageTime"; text: root.model.timeText; color: root.theme.subtle; font.pixelSize: 11 }
                        Icon {
                            objectName: "messageTicks"
                            visible: root.outgoing
                            name: root.model.ticks
                            size: 16
                            color: root.theme.tickColor(root.model.state)
                            Accessible.name: root.model.ticksDescription
                            Accessible.description: root.model.ticksDescription
                        }
                    }
                }
            }

            ReactionChips {
                id: chips
                x: root.outgoing ? bubble.x + bubble.width - width - 8 : bubble.x + 8
                y: bubble.height + 2
                theme: root.theme
                reactions: root.system ? [] : root.model.reactions
                onReactRequested: (emoji) => root.reactRequested(emoji)
            }
        }
    }
}
