// The actions of one message (right-click, the Menu key or Shift+F10 on the current message;
// Up and Down walk the entries, hidden ones are skipped): a row of the usual six reactions (and "remove my reaction" when I reacted), Reply, Copy text,
// View / Open / Save for files, Edit and Delete for everyone (own messages, within natterd's
// windows), Delete for me, Forward and Info. What applies comes from MessageMenu (C++).
import QtQuick
import QtQuick.Controls

Menu {
    id: root
    required property Theme theme
    required property var conversation
    // The bubble the menu is for (its model holds localId, kind, fileName...).
    property var bubble: null
    readonly property var localId: bubble ? bubble.model.localId : 0
    readonly property bool media: bubble !== null && bubble.media && !bubble.model.deleted
    property var options: ({})
    signal replyRequested(var localId)
    signal editRequested(var localId)
    signal deleteRequested(var localId, bool forMe, bool forEveryone)
    signal forwardRequested(var localId)
    signal infoRequested(var localId)
    objectName: "messageMenu"

    function openFor(item, atPointer) {
        bubble = item
        reactionRow.pick = 0
        options = root.conversation.actions.options(item.model.localId)
        if (atPointer) popup()
        else popup(item, item.width / 2, 0)
    }
    function react(emoji) {
        root.conversation.actions.react(root.localId, emoji)
        root.close()
    }

    // The reactions, one entry of the menu: Left and Right pick an emoji, Enter reacts with it;
    // a click on an emoji reacts with that one.
    MenuItem {
        id: reactionRow
        objectName: "reactionRow"
        property int pick: 0
        readonly property var emojis: root.conversation.actions.quickReactions()
        visible: root.options.canReact === true
        enabled: visible
        height: visible ? implicitHeight : 0
        text: qsTr("React")
        Accessible.name: qsTr("React with %1").arg(emojis[pick])
        Accessible.description: qsTr("Left and Right choose the emoji")
        Keys.onLeftPressed: pick = (pick + emojis.length - 1) % emojis.length
        Keys.onRightPressed: pick = (pick + 1) % emojis.length
        onTriggered: root.react(emojis[pick])
        contentItem: Row {
            spacing: 2
            Repeater {
                model: reactionRow.emojis
                delegate: ToolButton {
                    id: emoji
                    required property string modelData
                    required property int index
                    objectName: "reactButton"
                    text: modelData
                    font.pixelSize: 18
                    focusPolicy: Qt.NoFocus
                    Accessible.name: qsTr("React with %1").arg(modelData)
                    onClicked: root.react(modelData)
                    background: Rectangle {
                        implicitWidth: 34
                        implicitHeight: 34
                        radius: 17
                        color: root.options.myReaction === emoji.modelData ? root.theme.chipMine
                                                                           : (emoji.hovered ? root.theme.selection : "transparent")
                        border.width: reactionRow.activeFocus && reactionRow.pick === emoji.index ? 2 : 0
                        border.color: root.theme.focusRing
                    }
                }
            }
        }
    }
    MenuItem {
        objectName: "removeReactionAction"
        text: qsTr("Remove my reaction %1").arg(root.options.myReaction || "")
        visible: root.options.myReaction !== undefined && root.options.myReaction !== ""
        enabled: visible
        height: visible ? implicitHeight : 0
        onTriggered: root.react("")
    }
    MenuItem {
        objectName: "replyAction"
        text: qsTr("Reply")
        enabled: root.options.canReply === true
        onTriggered: root.replyRequested(root.localId)
    }
    MenuItem {
        objectName: "copyAction"
        text: qsTr("Copy text")
        enabled: root.options.canCopy === true
        onTriggered: root.conversation.copyText(root.localId)
    }
    MenuItem {
        text: root.bubble && root.bubble.model.isImage ? qsTr("View") : qsTr("Open")
        visible: root.media
        enabled: visible
        height: visible ? implicitHeight : 0
        onTriggered: root.bubble.activate()
    }
    MenuItem {
        text: qsTr("Save…")
        visible: root.media
        enabled: visible
        height: visible ? implicitHeight : 0
        onTriggered: root.bubble.saveRequested(root.localId, root.bubble.model.fileName)
    }
    MenuItem {
        objectName: "editAction"
        text: qsTr("Edit")
        visible: root.options.canEdit === true
        enabled: visible
        height: visible ? implicitHeight : 0
        onTriggered: root.editRequested(root.localId)
    }
    MenuItem {
        objectName: "forwardAction"
        text: qsTr("Forward…")
        enabled: root.options.canForward === true
        onTriggered: root.forwardRequested(root.localId)
    }
    MenuItem {
        objectName: "infoAction"
        text: qsTr("Info")
        visible: root.options.canInfo === true
        enabled: visible
        height: visible ? implicitHeight : 0
        onTriggered: root.infoRequested(root.localId)
    }
    MenuItem {
        objectName: "deleteForMeAction"
        text: qsTr("Delete for me…")
        enabled: root.options.canDeleteForMe === true
        onTriggered: root.deleteRequested(root.localId, true, false)
    }
    MenuItem {
        objectName: "deleteForEveryoneAction"
        text: qsTr("Delete for everyone…")
        visible: root.options.canDeleteForEveryone === true
        enabled: visible
        height: visible ? implicitHeight : 0
        onTriggered: root.deleteRequested(root.localId, false, true)
    }
}
