// Writing a message: multi-line field (Enter sends, Shift+Enter starts a new line, pasting
// an image sends it), attach button with a file picker, send button. Tab: attach → field → Send.
// Alt+Left in the field goes back to the chat list when the window shows one pane at a time.
// In a group, "@" and letters open the matching members above the field (MentionCompleter):
// Up/Down pick, Enter, Tab or a click inserts "@Name ", Escape closes.
// Replying or editing (ComposerMode) shows ComposingBar above the field; Enter then sends the
// reply or saves the edit, Escape goes back to a new message.
import QtQuick
import QtQuick.Controls
import QtQuick.Dialogs
import QtQuick.Layouts

Rectangle {
    id: root
    required property Theme theme
    required property var conversation
    // Where Shift+Tab from the attach button goes (the message list).
    property Item previousTabItem: null
    // Alt+Left means "back" (the text field would otherwise take it).
    property bool backEnabled: false
    signal backRequested()
    readonly property Item inputItem: input
    readonly property Item attachItem: attach
    implicitHeight: Math.min(row.implicitHeight + 16, 200) + composingBar.implicitHeight
    color: theme.panel

    function focusInput() { input.forceActiveFocus() }
    function reset() { input.clear() }
    function startReply(localId) {
        if (root.conversation.composing.mode === "edit") input.clear()
        root.conversation.composing.startReply(localId)
        input.forceActiveFocus()
    }
    function startEdit(localId) {
        const text = root.conversation.composing.startEdit(localId)
        if (text === "") return
        input.text = text
        input.cursorPosition = text.length
        input.forceActiveFocus()
    }
    function cancelMode() {
        if (root.conversation.composing.mode === "edit") input.clear()
        root.conversation.composing.cancel()
        input.forceActiveFocus()
    }
    function sendNow() {
        if (input.text.trim() === "") return
        if (root.conversation.send(input.text)) input.clear()
    }
    function insertMention(row) {
        const done = root.conversation.mentions.choose(row)
        if (done.text === undefined) return
        input.text = done.text
        input.cursorPosition = done.cursor
        input.forceActiveFocus()
    }

    // The matching members, just above the field.
    Rectangle {
        id: mentionPopup
        objectName: "mentionList"
        visible: root.conversation.mentions.active
        z: 10
        x: row.x + attach.width + row.spacing
        y: -height - 2
        width: 260
        height: Math.min(mentionView.contentHeight, 8 * 32) + 8
        radius: root.theme.radius
        color: root.theme.panel
        border.color: root.theme.divider
        Accessible.role: Accessible.List
        Accessible.name: qsTr("Members to mention")
        ListView {
            id: mentionView
            anchors.fill: parent
            anchors.margins: 4
            clip: true
            model: root.conversation.mentions
            currentIndex: root.conversation.mentions.currentIndex
            delegate: Rectangle {
                id: candidate
                required property int index
                required property string name
                objectName: "mentionCandidate"
                width: ListView.view.width
                height: 32
                radius: 4
                color: ListView.isCurrentItem ? root.theme.selection : "transparent"
                Accessible.role: Accessible.ListItem
                Accessible.name: name
                Avatar { id: face; name: candidate.name; size: 24; anchors.left: parent.left; anchors.leftMargin: 4; anchors.verticalCenter: parent.verticalCenter }
                Label {
                    anchors.left: face.right
                    anchors.leftMargin: 8
                    anchors.right: parent.right
                    anchors.verticalCenter: parent.verticalCenter
                    text: candidate.name
                    elide: Text.ElideRight
                    color: root.theme.text
                }
                MouseArea {
                    anchors.fill: parent
                    cursorShape: Qt.PointingHandCursor
                    onClicked: root.insertMention(candidate.index)
                }
            }
        }
    }

    ComposingBar {
        id: composingBar
        anchors.left: parent.left
        anchors.right: parent.right
        anchors.top: parent.top
        theme: root.theme
        composing: root.conversation.composing
        onCancelRequested: root.cancelMode()
    }

    RowLayout {
        id: row
        anchors.fill: parent
        anchors.margins: 8
        anchors.topMargin: 8 + composingBar.implicitHeight
        spacing: 6

        IconButton {
            id: attach
            objectName: "attachButton"
            theme: root.theme
            iconName: "attach"
            label: qsTr("Attach files")
            onClicked: attachDialog.open()
            KeyNavigation.tab: input
            KeyNavigation.backtab: root.previousTabItem
        }

        ScrollView {
            Layout.fillWidth: true
            Layout.fillHeight: true
            Layout.preferredHeight: Math.min(input.implicitHeight, 180)
            TextArea {
                id: input
                objectName: "composerInput"
                placeholderText: qsTr("Type a message")
                wrapMode: TextEdit.Wrap
                textFormat: TextEdit.PlainText
                Accessible.role: Accessible.EditableText
                Accessible.name: qsTr("Message to %1").arg(root.conversation.title)
                Accessible.description: qsTr("Enter sends, Shift+Enter starts a new line")
                background: Rectangle {
                    radius: root.theme.radius
                    color: root.theme.background
                    border.width: input.activeFocus ? 2 : 1
                    border.color: input.activeFocus ? root.theme.focusRing : root.theme.divider
                }
                onTextChanged: {
                    if (text !== "") root.conversation.userTyping()
                    root.conversation.mentions.update(text, cursorPosition)
                }
                onCursorPositionChanged: root.conversation.mentions.update(text, cursorPosition)
                Keys.onPressed: (event) => {
                    const mentions = root.conversation.mentions
                    if (mentions.active && !(event.modifiers & (Qt.ShiftModifier | Qt.ControlModifier | Qt.AltModifier))
                            && [Qt.Key_Up, Qt.Key_Down, Qt.Key_Return, Qt.Key_Enter, Qt.Key_Tab, Qt.Key_Escape].includes(event.key)) {
                        if (event.key === Qt.Key_Up || event.key === Qt.Key_Down) mentions.move(event.key === Qt.Key_Up ? -1 : 1)
                        else if (event.key === Qt.Key_Escape) mentions.dismiss()
                        else root.insertMention(mentions.currentIndex)
                        event.accepted = true
                    } else if (event.key === Qt.Key_Escape && root.conversation.composing.mode !== "") {
                        root.cancelMode()
                        event.accepted = true
                    } else if ((event.key === Qt.Key_Return || event.key === Qt.Key_Enter) && !(event.modifiers & Qt.ShiftModifier)) {
                        root.sendNow()
                        event.accepted = true
                    } else if (root.backEnabled && event.key === Qt.Key_Left && event.modifiers === Qt.AltModifier) {
                        root.backRequested()
                        event.accepted = true
                    } else if (event.matches(StandardKey.Paste) && root.conversation.pasteImage()) {
                        event.accepted = true
                    } else if (event.key === Qt.Key_Tab && !(event.modifiers & Qt.ControlModifier)) {
                        send.forceActiveFocus(Qt.TabFocusReason)
                        event.accepted = true
                    } else if (event.key === Qt.Key_Backtab && !(event.modifiers & Qt.ControlModifier)) {
                        attach.forceActiveFocus(Qt.BacktabFocusReason)
                        event.accepted = true
                    }
                }
            }
        }

        Button {
            id: send
            objectName: "sendButton"
            text: qsTr("Send")
            // Stays enabled (and so in the Tab order); an empty message is not sent.
            highlighted: input.text.trim() !== ""
            focusPolicy: Qt.StrongFocus
            Accessible.name: qsTr("Send message")
            Accessible.description: input.text.trim() === "" ? qsTr("Type a message first") : ""
            Keys.onBacktabPressed: input.forceActiveFocus(Qt.BacktabFocusReason)
            Keys.onReturnPressed: root.sendNow()
            Keys.onEnterPressed: root.sendNow()
            onClicked: root.sendNow()
            background: Rectangle {
                implicitWidth: 72
                implicitHeight: 36
                radius: root.theme.radius
                color: send.highlighted ? root.theme.accent : root.theme.background
                opacity: send.down ? 0.8 : 1
                border.width: send.visualFocus ? 2 : 1
                border.color: send.visualFocus ? root.theme.focusRing : root.theme.divider
            }
            contentItem: Label {
                text: send.text
                horizontalAlignment: Text.AlignHCenter
                verticalAlignment: Text.AlignVCenter
                color: send.highlighted ? root.theme.accentText : root.theme.text
            }
        }
    }

    FileDialog {
        id: attachDialog
        title: qsTr("Send files to %1").arg(root.conversation.title)
        fileMode: FileDialog.OpenFiles
        onAccepted: if (root.conversation.attachFiles(selectedFiles, input.text.trim()) > 0) input.clear()
    }
}
