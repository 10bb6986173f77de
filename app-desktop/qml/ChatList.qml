// The left column: who I am, new chat / group / settings, the search field and the chats.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

Rectangle {
    id: root
    required property Theme theme
    signal newChatRequested()
    signal newGroupRequested()
    signal settingsRequested()
    // Where Tab from the chat list goes (the composer of the open chat).
    property Item nextTabItem: null
    readonly property Item listItem: list
    color: theme.panel

    function focusSearch() { search.forceActiveFocus(); search.selectAll() }
    // Tab out of the list goes to the open chat (its first control), else along the default chain.
    function tabOut(event) {
        if (root.nextTabItem && root.nextTabItem.visible) root.nextTabItem.forceActiveFocus(Qt.TabFocusReason)
        else event.accepted = false
    }

    ColumnLayout {
        anchors.fill: parent
        spacing: 0

        RowLayout {
            Layout.fillWidth: true
            Layout.margins: 10
            spacing: 8
            Avatar { name: app.selfName; size: 36 }
            Label {
                Layout.fillWidth: true
                text: app.selfName
                font.bold: true
                elide: Text.ElideRight
                Accessible.name: qsTr("Signed in as %1").arg(app.selfName)
            }
            IconButton {
                objectName: "newChatButton"
                theme: root.theme
                iconName: "compose"
                label: qsTr("New chat")
                shortcutHint: "Ctrl+N"
                onClicked: root.newChatRequested()
            }
            IconButton {
                objectName: "newGroupButton"
                theme: root.theme
                iconName: "group"
                label: qsTr("New group")
                onClicked: root.newGroupRequested()
            }
            IconButton {
                objectName: "settingsButton"
                theme: root.theme
                iconName: "settings"
                label: qsTr("Settings")
                shortcutHint: "Ctrl+,"
                onClicked: root.settingsRequested()
            }
        }

        TextField {
            id: search
            Layout.fillWidth: true
            Layout.leftMargin: 10
            Layout.rightMargin: 10
            Layout.bottomMargin: 8
            placeholderText: qsTr("Search chats (Ctrl+F)")
            Accessible.role: Accessible.EditableText
            Accessible.name: qsTr("Search chats")
            onTextChanged: app.setChatFilter(text)
            // Down walks into the matches from the first one (never a row the filter hid).
            Keys.onDownPressed: {
                list.currentIndex = list.count > 0 ? 0 : -1
                list.forceActiveFocus(Qt.TabFocusReason)
            }
            Keys.onEscapePressed: text = ""
        }

        Rectangle { Layout.fillWidth: true; height: 1; color: root.theme.divider }

        ListView {
            id: list
            objectName: "chatList"
            Layout.fillWidth: true
            Layout.fillHeight: true
            clip: true
            model: app.chats
            activeFocusOnTab: true
            keyNavigationEnabled: true
            currentIndex: -1
            Accessible.role: Accessible.List
            Accessible.name: qsTr("Chats")
            ScrollBar.vertical: ScrollBar {}
            delegate: ChatDelegate {
                width: ListView.view.width
                theme: root.theme
                current: app.currentChatId === model.chatId
                onOpened: app.openChat(model.chatId)
            }
            Keys.onTabPressed: (event) => {
                if (footerItem && footerItem.visible) footerItem.forceActiveFocus(Qt.TabFocusReason)
                else root.tabOut(event)
            }
            onActiveFocusChanged: if (activeFocus && (currentIndex < 0 || currentIndex >= count) && count > 0) currentIndex = 0
            // Archived chats are offered at the end of the list, only when there are some.
            footer: ItemDelegate {
                objectName: "showArchived"
                width: ListView.view.width
                visible: app.chats.archivedCount > 0 || app.showArchived
                height: visible ? implicitHeight : 0
                focusPolicy: Qt.StrongFocus
                icon.source: "qrc:/icons/archive.svg"
                icon.color: root.theme.subtle
                text: app.showArchived ? qsTr("Hide archived chats") : qsTr("Archived chats (%1)").arg(app.chats.archivedCount)
                Accessible.role: Accessible.Button
                Accessible.name: text
                onClicked: app.showArchived = !app.showArchived
                Keys.onReturnPressed: clicked()
                Keys.onEnterPressed: clicked()
                Keys.onTabPressed: (event) => root.tabOut(event)
                background: Rectangle {
                    color: "transparent"
                    border.width: parent.visualFocus ? 2 : 0
                    border.color: root.theme.focusRing
                }
            }
            Keys.onReturnPressed: if (currentItem) currentItem.opened()
            Keys.onEnterPressed: if (currentItem) currentItem.opened()
            Keys.onMenuPressed: if (currentItem) currentItem.showMenu()
            Label {
                anchors.centerIn: parent
                visible: list.count === 0
                width: parent.width - 32
                horizontalAlignment: Text.AlignHCenter
                wrapMode: Text.Wrap
                color: root.theme.subtle
                text: search.text !== "" ? qsTr("No chat matches “%1”.").arg(search.text)
                                         : qsTr("No chats yet. Start one with the New chat button or Ctrl+N.")
            }
        }
    }
}
