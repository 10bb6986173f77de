// The main screen: the chat list beside the open conversation (below 700 px one pane at a time:
// the list, or the open chat with a back button), the connection banner, the message history
// arriving from another device, the dialogs and the keyboard shortcuts (Ctrl+N, Ctrl+F, Ctrl+Tab,
// Ctrl+Shift+Tab).
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

Item {
    id: root
    required property Theme theme
    // Too narrow for two panes: the list alone, or the open chat alone.
    readonly property bool narrow: width < 700

    ColumnLayout {
        anchors.fill: parent
        spacing: 0
        ConnectionBanner { Layout.fillWidth: true; theme: root.theme }
        Label {
            objectName: "historyProgress"
            Layout.fillWidth: true
            visible: app.historyProgress !== ""
            padding: 6
            horizontalAlignment: Text.AlignHCenter
            text: app.historyProgress
            color: root.theme.text
            Accessible.role: Accessible.StatusBar
            Accessible.name: text
        }
        SplitView {
            Layout.fillWidth: true
            Layout.fillHeight: true
            orientation: Qt.Horizontal
            ChatList {
                id: chatList
                objectName: "chatListPane"
                theme: root.theme
                visible: !root.narrow || app.conversation === null
                SplitView.preferredWidth: root.narrow ? root.width : 340
                SplitView.minimumWidth: root.narrow ? root.width : 260
                onNewChatRequested: newChat.open()
                onNewGroupRequested: newGroup.open()
                onSettingsRequested: settings.open()
                nextTabItem: conversationLoader.item ? conversationLoader.item.firstTabItem : null
            }
            Item {
                objectName: "conversationPane"
                visible: !root.narrow || app.conversation !== null
                SplitView.fillWidth: true
                Loader {
                    id: conversationLoader
                    anchors.fill: parent
                    active: app.conversation !== null
                    sourceComponent: Conversation {
                        theme: root.theme
                        conversation: app.conversation
                        previousTabItem: chatList.listItem
                        backVisible: root.narrow
                        onBackRequested: app.closeChat()
                        onGroupInfoRequested: groupInfo.open()
                        onSafetyNumberRequested: safety.showFor(app.conversation.peerId, app.conversation.title)
                    }
                }
                Rectangle {
                    anchors.fill: parent
                    visible: app.conversation === null
                    color: root.theme.chatBackground
                    Column {
                        anchors.centerIn: parent
                        spacing: 8
                        Label {
                            anchors.horizontalCenter: parent.horizontalCenter
                            text: qsTr("Natter")
                            font.pixelSize: 28
                            color: root.theme.subtle
                        }
                        Label {
                            anchors.horizontalCenter: parent.horizontalCenter
                            text: qsTr("Pick a chat, or start one with Ctrl+N. Messages are end-to-end encrypted.")
                            color: root.theme.subtle
                        }
                    }
                }
            }
        }
    }

    NewChatDialog { id: newChat; objectName: "newChatDialog"; theme: root.theme }
    NewGroupDialog { id: newGroup; objectName: "newGroupDialog"; theme: root.theme }
    SettingsDialog { id: settings; objectName: "settingsDialog"; theme: root.theme }
    SafetyNumberDialog { id: safety; objectName: "safetyNumberDialog"; theme: root.theme }
    GroupInfoDialog { id: groupInfo; objectName: "groupInfoDialog"; theme: root.theme; conversation: app.conversation }

    Shortcut { sequence: "Ctrl+N"; context: Qt.ApplicationShortcut; onActivated: newChat.open() }
    Shortcut { sequence: "Ctrl+F"; context: Qt.ApplicationShortcut; onActivated: chatList.focusSearch() }
    Shortcut { sequences: ["Ctrl+Tab", "Ctrl+PgDown"]; context: Qt.ApplicationShortcut; onActivated: app.stepChat(1) }
    Shortcut { sequences: ["Ctrl+Shift+Tab", "Ctrl+Backtab", "Ctrl+PgUp"]; context: Qt.ApplicationShortcut; onActivated: app.stepChat(-1) }
    Shortcut { sequence: "Ctrl+,"; context: Qt.ApplicationShortcut; onActivated: settings.open() }
    Shortcut { sequence: "Ctrl+Q"; context: Qt.ApplicationShortcut; onActivated: Qt.quit() }
}
