// One chat in the list: avatar, title, time, preview or typing line, unread badge, pin.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

ItemDelegate {
    id: row
    required property Theme theme
    required property int index
    required property var model
    property bool current: false
    // My own last message reads "You: …" with its ticks.
    readonly property bool mine: model.lastOutgoing && model.typing === ""
    readonly property string previewText: model.lastOutgoing ? qsTr("You: %1").arg(model.preview) : model.preview
    signal opened()
    height: 68
    highlighted: current
    // The list holds keyboard focus (arrows, Enter; Tab leaves it); rows are not Tab stops.
    focusPolicy: Qt.NoFocus
    Accessible.role: Accessible.ListItem
    Accessible.name: fmt.chatAccessibleName(model.title, model.unread, model.lastActivity, previewText, model.typing)
    onClicked: { ListView.view.currentIndex = index; opened() }
    // Right-click (or the Menu key on the list) offers pin, mute, archive and disappearing messages.
    function showMenu() { actions.popup() }
    TapHandler { acceptedButtons: Qt.RightButton; onTapped: row.showMenu() }
    Menu {
        id: actions
        MenuItem {
            text: row.model.pinned ? qsTr("Unpin") : qsTr("Pin to top")
            onTriggered: app.setChatFlags(row.model.chatId, !row.model.pinned, row.model.muted, row.model.archived)
        }
        MenuItem {
            text: row.model.muted ? qsTr("Unmute") : qsTr("Mute")
            onTriggered: app.setChatFlags(row.model.chatId, row.model.pinned, !row.model.muted, row.model.archived)
        }
        MenuItem {
            text: row.model.archived ? qsTr("Unarchive") : qsTr("Archive")
            onTriggered: app.setChatFlags(row.model.chatId, row.model.pinned, row.model.muted, !row.model.archived)
        }
        Menu {
            title: qsTr("Disappearing messages")
            MenuItem { text: qsTr("Off"); checkable: true; checked: row.model.expireTimer === 0; onTriggered: app.setDisappearing(row.model.chatId, 0) }
            MenuItem { text: qsTr("5 minutes"); checkable: true; checked: row.model.expireTimer === 300; onTriggered: app.setDisappearing(row.model.chatId, 300) }
            MenuItem { text: qsTr("1 hour"); checkable: true; checked: row.model.expireTimer === 3600; onTriggered: app.setDisappearing(row.model.chatId, 3600) }
            MenuItem { text: qsTr("1 day"); checkable: true; checked: row.model.expireTimer === 86400; onTriggered: app.setDisappearing(row.model.chatId, 86400) }
            MenuItem { text: qsTr("1 week"); checkable: true; checked: row.model.expireTimer === 604800; onTriggered: app.setDisappearing(row.model.chatId, 604800) }
            MenuItem { text: qsTr("90 days"); checkable: true; checked: row.model.expireTimer === 7776000; onTriggered: app.setDisappearing(row.model.chatId, 7776000) }
        }
    }
    // The list's current row follows the open chat, so keyboard focus starts there.
    onCurrentChanged: if (current) ListView.view.currentIndex = index
    Component.onCompleted: if (current) ListView.view.currentIndex = index

    background: Rectangle {
        color: row.current ? row.theme.selection : (row.hovered ? Qt.darker(row.theme.panel, row.theme.dark ? 0.8 : 1.03) : row.theme.panel)
        border.width: row.ListView.isCurrentItem && row.ListView.view.activeFocus ? 2 : 0
        border.color: row.theme.focusRing
    }

    contentItem: RowLayout {
        spacing: 12
        Avatar { name: row.model.title; group: row.model.isGroup }
        ColumnLayout {
            Layout.fillWidth: true
            spacing: 2
            RowLayout {
                Layout.fillWidth: true
                Label {
                    Layout.fillWidth: true
                    text: row.model.title
                    font.bold: row.model.unread > 0
                    font.pixelSize: 15
                    elide: Text.ElideRight
                }
                Label {
                    text: fmt.chatListTime(row.model.lastActivity)
                    font.pixelSize: 12
                    color: row.model.unread > 0 ? row.theme.accent : row.theme.subtle
                }
            }
            RowLayout {
                Layout.fillWidth: true
                Icon {
                    objectName: "previewTicks"
                    visible: row.mine
                    name: row.mine ? fmt.tickIcon(row.model.lastState) : ""
                    size: 16
                    color: row.theme.tickColor(row.model.lastState)
                    Accessible.name: row.mine ? fmt.tickDescription(row.model.lastState) : ""
                    Accessible.description: Accessible.name
                }
                Label {
                    objectName: "previewText"
                    Layout.fillWidth: true
                    text: row.model.typing !== "" ? row.model.typing : row.previewText
                    color: row.model.typing !== "" ? row.theme.accent : row.theme.subtle
                    font.italic: row.model.typing !== ""
                    elide: Text.ElideRight
                    maximumLineCount: 1
                }
                Icon {
                    objectName: "pinIcon"
                    visible: row.model.pinned
                    name: "pin"
                    size: 14
                    color: row.theme.subtle
                    Accessible.name: qsTr("Pinned")
                }
                Rectangle {
                    visible: row.model.unread > 0
                    radius: height / 2
                    height: 20
                    width: Math.max(20, badge.implicitWidth + 10)
                    color: row.model.muted ? row.theme.subtle : row.theme.accent
                    Label {
                        id: badge
                        anchors.centerIn: parent
                        text: fmt.unreadBadge(row.model.unread)
                        color: "white"
                        font.pixelSize: 11
                        font.bold: true
                    }
                }
            }
        }
    }
}
