// Shown instead of the composer while the chat is a message request: who wrote, what they do
// not learn yet, and Accept / Block / Delete. Tab: message list → Accept → Block → Delete.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

Rectangle {
    id: root
    required property Theme theme
    required property var conversation
    // Where Shift+Tab from Accept goes (the message list).
    property Item previousTabItem: null
    readonly property Item firstItem: accept
    implicitHeight: column.implicitHeight + 24
    color: theme.panel
    Accessible.role: Accessible.Grouping
    Accessible.name: qsTr("Message request from %1").arg(root.conversation.title)

    ColumnLayout {
        id: column
        anchors.fill: parent
        anchors.margins: 12
        spacing: 8
        Label {
            objectName: "requestExplanation"
            Layout.fillWidth: true
            wrapMode: Text.Wrap
            horizontalAlignment: Text.AlignHCenter
            color: root.theme.text
            text: qsTr("%1 is not in your contacts. Until you accept, they do not see that you read their messages, that you are typing or online.").arg(root.conversation.title)
            Accessible.role: Accessible.StaticText
            Accessible.name: text
        }
        RowLayout {
            Layout.alignment: Qt.AlignHCenter
            spacing: 12
            Button {
                id: accept
                objectName: "acceptRequestButton"
                text: qsTr("Accept")
                highlighted: true
                focusPolicy: Qt.StrongFocus
                Accessible.name: qsTr("Accept the message request from %1").arg(root.conversation.title)
                KeyNavigation.tab: block
                KeyNavigation.backtab: root.previousTabItem
                Keys.onReturnPressed: clicked()
                Keys.onEnterPressed: clicked()
                onClicked: root.conversation.acceptRequest()
            }
            Button {
                id: block
                objectName: "blockRequestButton"
                text: qsTr("Block")
                focusPolicy: Qt.StrongFocus
                Accessible.name: qsTr("Block %1: nothing they send reaches you, and they are not told").arg(root.conversation.title)
                KeyNavigation.tab: remove
                KeyNavigation.backtab: accept
                Keys.onReturnPressed: clicked()
                Keys.onEnterPressed: clicked()
                onClicked: root.conversation.blockSender()
            }
            Button {
                id: remove
                objectName: "deleteRequestButton"
                text: qsTr("Delete")
                focusPolicy: Qt.StrongFocus
                Accessible.name: qsTr("Delete the message request from %1 and its messages").arg(root.conversation.title)
                KeyNavigation.backtab: block
                Keys.onReturnPressed: clicked()
                Keys.onEnterPressed: clicked()
                onClicked: root.conversation.deleteRequest()
            }
        }
    }
}
