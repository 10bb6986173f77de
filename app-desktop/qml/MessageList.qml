// The open chat's messages, newest at the bottom (older pages load while scrolling up). It
// opens at the first unread message, follows new messages and a shrinking viewport only while
// the newest message was in sight before the change, and offers a jump-to-bottom button with
// the count of new messages below (also End in the list, Ctrl+End in the chat). Up and Down walk
// the messages; Enter and the Menu key act on the current one (MessageBubble, MessageMenu), as do
// Ctrl+R (reply), Ctrl+E (edit), Delete (delete), Ctrl+Shift+F (forward), Ctrl+I (info) and
// Ctrl+C (copy text). A reply's quote jumps to its original (loading older pages first).
import QtQuick
import QtQuick.Controls

Item {
    id: root
    required property Theme theme
    required property var conversation
    property Item nextTabItem: null
    property Item previousTabItem: null
    // The list itself: the Tab stop of the messages.
    readonly property Item view: list
    readonly property bool following: list.following
    signal saveRequested(var localId, string fileName)
    signal openRequested(var localId)
    signal viewRequested(var localId)
    signal messagesArrived()
    signal replyRequested(var localId)
    signal editRequested(var localId)
    signal deleteRequested(var localId, bool forMe, bool forEveryone)
    signal forwardRequested(var localId)
    signal infoRequested(var localId)

    // The original of a reply: made the current message, in the middle of the list.
    function jumpTo(messageId) {
        const row = root.conversation.locate(messageId)
        if (row < 0) return
        // Away from the newest: the list stops following it (older pages may still be laid out),
        // and a chat still opening does not move to its unread divider or newest message after all.
        root.opening = false
        list.inserting = false
        list.following = false
        root.conversation.unread.setAtBottom(false)
        list.forceLayout()
        list.positionViewAtIndex(row, ListView.Center)
        list.currentIndex = row
        list.forceActiveFocus()
        Qt.callLater(() => list.positionViewAtIndex(list.currentIndex, ListView.Center))
    }
    // A shortcut on the current message: what the menu would offer for it, or nothing.
    function actOnCurrent(key, modifiers) {
        const item = list.currentItem
        if (!item || item.system) return false
        const localId = item.model.localId
        const can = root.conversation.actions.options(localId)
        const ctrl = (modifiers & Qt.ControlModifier) !== 0
        const shift = (modifiers & Qt.ShiftModifier) !== 0
        if (ctrl && !shift && key === Qt.Key_R) { if (can.canReply) root.replyRequested(localId) }
        else if (ctrl && !shift && key === Qt.Key_E) { if (can.canEdit) root.editRequested(localId) }
        else if (ctrl && !shift && key === Qt.Key_I) { if (can.canInfo) root.infoRequested(localId) }
        else if (ctrl && !shift && key === Qt.Key_C) { if (can.canCopy) root.conversation.copyText(localId) }
        else if (ctrl && shift && key === Qt.Key_F) { if (can.canForward) root.forwardRequested(localId) }
        else if (!ctrl && !shift && key === Qt.Key_Delete) { if (can.canDeleteForMe) root.deleteRequested(localId, true, can.canDeleteForEveryone) }
        else return false
        return true
    }

    function toBottom() {
        list.positionViewAtBeginning()
        list.following = true
        root.conversation.unread.setAtBottom(true)
    }
    // Opening a chat: at the "N unread messages" divider when there is one, else the newest;
    // done once the list has its size (the layout is not settled while the chat loads).
    property bool opening: false
    function openAtFirstUnread() {
        opening = true
        Qt.callLater(finishOpening)
    }
    function finishOpening() {
        if (!opening || list.height <= 0) return
        const row = root.conversation.unread.placeView()
        if (row >= 0) list.positionViewAtIndex(row, ListView.End)
        opening = false
        if (row < 0) return toBottom()
        list.following = list.isAtBottom()
        root.conversation.unread.setAtBottom(list.following)
    }

    ListView {
        id: list
        objectName: "messageList"
        anchors.fill: parent
        clip: true
        model: root.conversation.messages
        verticalLayoutDirection: ListView.BottomToTop
        spacing: 2
        cacheBuffer: 800
        activeFocusOnTab: true
        keyNavigationEnabled: true
        currentIndex: -1
        Accessible.role: Accessible.List
        Accessible.name: qsTr("Messages with %1").arg(root.conversation.title)
        KeyNavigation.tab: root.nextTabItem
        KeyNavigation.backtab: root.previousTabItem
        ScrollBar.vertical: ScrollBar {}
        delegate: MessageBubble {
            id: bubbleDelegate
            width: ListView.view.width
            theme: root.theme
            showSender: root.conversation.isGroup
            onSaveRequested: (localId, fileName) => root.saveRequested(localId, fileName)
            onOpenRequested: (localId) => root.openRequested(localId)
            onViewRequested: (localId) => root.viewRequested(localId)
            onMenuRequested: (atPointer) => menu.openFor(bubbleDelegate, atPointer)
            onQuoteJumpRequested: (messageId) => root.jumpTo(messageId)
            onReactRequested: (emoji) => root.conversation.actions.react(bubbleDelegate.model.localId, emoji)
        }

        // Whether the newest message was in sight before the latest change. Only scrolling
        // changes it; inserted rows, a shrinking viewport or growing bubbles never do.
        property bool following: true
        property bool inserting: false
        function isAtBottom() { return atYEnd || originY + contentHeight - (contentY + height) < 2 }
        onContentYChanged: {
            if (inserting || root.opening) return
            following = isAtBottom()
            root.conversation.unread.setAtBottom(following)
        }
        onHeightChanged: {
            if (root.opening) root.finishOpening()
            else if (following) positionViewAtBeginning()
        }
        // A bubble that grows (a picture, a longer tick text) while the newest is in sight.
        onContentHeightChanged: if (following && !inserting && !root.opening && !moving && !isAtBottom()) positionViewAtBeginning()
        Connections {
            target: list.model
            function onRowsAboutToBeInserted() { list.inserting = true }
        }
        onCountChanged: {
            inserting = false
            root.messagesArrived()
            if (following && !root.opening) positionViewAtBeginning()
        }
        onAtYBeginningChanged: if (atYBeginning && count > 0) root.conversation.loadOlder()
        Keys.onPressed: (event) => {
            if (event.key === Qt.Key_End) {
                root.toBottom()
                event.accepted = true
            } else if ((event.key === Qt.Key_Return || event.key === Qt.Key_Enter) && currentItem) {
                currentItem.activate()
                event.accepted = true
            } else if ((event.key === Qt.Key_Menu || (event.key === Qt.Key_F10 && (event.modifiers & Qt.ShiftModifier))) && currentItem) {
                currentItem.showMenu()
                event.accepted = true
            } else if (root.actOnCurrent(event.key, event.modifiers)) {
                event.accepted = true
            }
        }

        Label {
            anchors.centerIn: parent
            visible: list.count === 0
            padding: 10
            text: qsTr("No messages yet. Say hello — only you and %1 can read what you send.").arg(root.conversation.title)
            color: root.theme.subtle
            background: Rectangle { color: root.theme.system; radius: root.theme.radius }
        }
    }

    MessageMenu {
        id: menu
        theme: root.theme
        conversation: root.conversation
        onReplyRequested: (localId) => root.replyRequested(localId)
        onEditRequested: (localId) => root.editRequested(localId)
        onDeleteRequested: (localId, forMe, forEveryone) => root.deleteRequested(localId, forMe, forEveryone)
        onForwardRequested: (localId) => root.forwardRequested(localId)
        onInfoRequested: (localId) => root.infoRequested(localId)
    }

    JumpToBottomButton {
        objectName: "jumpToBottom"
        anchors.right: parent.right
        anchors.bottom: parent.bottom
        anchors.margins: 16
        visible: !list.following && list.count > 0
        theme: root.theme
        count: root.conversation.unread.newBelow
        onClicked: root.toBottom()
    }
}
