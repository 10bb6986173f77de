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
            ToolButton {
                text: "✎"
                font.pixelSize: 18
                ToolTip.visible: hovered
                ToolTip.text: qsTr("New chat (Ctrl+N)")
                Accessible.name: qsTr("New chat")
                onClicked: root.newChatRequested()
            }
            ToolButton {
                icon.source: "qrc:/icons/group.svg"
                ToolTip.visible: hovered
                ToolTip.text: qsTr("New group")
                Accessible.name: qsTr("New group")
                onClicked: root.newGroupRequested()
            }
            ToolButton {
                text: "⚙"
                font.pixelSize: 18
                ToolTip.visible: hovered
                ToolTip.text: qsTr("Settings (Ctrl+,)")
                Accessible.name: qsTr("Settings")
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
            Keys.onDownPressed: list.forceActiveFocus()
            Keys.onEscapePressed: text = ""
        }

        CheckBox {
            objectName: "showArchived"
            Layout.leftMargin: 6
            text: qsTr("Show archived chats")
            checked: app.showArchived
            onToggled: app.showArchived = checked
            Accessible.name: text
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
                if (root.nextTabItem && root.nextTabItem.visible) root.nextTabItem.forceActiveFocus(Qt.TabFocusReason)
                else event.accepted = false
            }
            onActiveFocusChanged: if (activeFocus && currentIndex < 0 && count > 0) currentIndex = 0
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
                                         : qsTr("No chats yet. Start one with the ✎ button or Ctrl+N.")
            }
        }
    }
}
