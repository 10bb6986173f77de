// The open chat's messages, newest at the bottom (older pages load while scrolling up). It
// opens at the first unread message, follows new messages and a shrinking viewport only while
// the newest message was in sight before the change, and offers a jump-to-bottom button with
// the count of new messages below (also End in the list, Ctrl+End in the chat). Up and Down walk
// the messages; Enter and the Menu key act on the current one (MessageBubble).
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
            width: ListView.view.width
            theme: root.theme
            showSender: root.conversation.isGroup
            onSaveRequested: (localId, fileName) => root.saveRequested(localId, fileName)
            onOpenRequested: (localId) => root.openRequested(localId)
            onViewRequested: (localId) => root.viewRequested(localId)
            onCopyRequested: (localId) => root.conversation.copyText(localId)
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
