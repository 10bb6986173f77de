// The actions of one message (right-click, the Menu key or Shift+F10 on the current message):
// a row of the usual six reactions (and "remove my reaction" when I reacted), Reply, Copy text,
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
        options = root.conversation.actions.options(item.model.localId)
        if (atPointer) popup()
        else popup(item, item.width / 2, 0)
    }
    function react(emoji) {
        root.conversation.actions.react(root.localId, emoji)
        root.close()
    }

    // The reactions: Left and Right move, Enter or Space picks.
    FocusScope {
        objectName: "reactionRow"
        visible: root.options.canReact === true
        width: visible ? emojiRow.implicitWidth + 12 : 0
        height: visible ? emojiRow.implicitHeight + 8 : 0
        activeFocusOnTab: true
        Accessible.role: Accessible.ToolBar
        Accessible.name: qsTr("React")
        Row {
            id: emojiRow
            x: 6
            y: 4
            spacing: 2
            Repeater {
                model: root.conversation.actions.quickReactions()
                delegate: ToolButton {
                    required property string modelData
                    required property int index
                    objectName: "reactButton"
                    text: modelData
                    font.pixelSize: 18
                    focus: index === 0
                    checkable: false
                    highlighted: root.options.myReaction === modelData
                    Accessible.name: qsTr("React with %1").arg(modelData)
                    onClicked: root.react(modelData)
                    Keys.onLeftPressed: nextItemInFocusChain(false).forceActiveFocus()
                    Keys.onRightPressed: nextItemInFocusChain(true).forceActiveFocus()
                }
            }
        }
    }
    MenuItem {
        objectName: "removeReactionAction"
        text: qsTr("Remove my reaction %1").arg(root.options.myReaction || "")
        visible: root.options.myReaction !== undefined && root.options.myReaction !== ""
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
        height: visible ? implicitHeight : 0
        onTriggered: root.bubble.activate()
    }
    MenuItem {
        text: qsTr("Save…")
        visible: root.media
        height: visible ? implicitHeight : 0
        onTriggered: root.bubble.saveRequested(root.localId, root.bubble.model.fileName)
    }
    MenuItem {
        objectName: "editAction"
        text: qsTr("Edit")
        visible: root.options.canEdit === true
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
        height: visible ? implicitHeight : 0
        onTriggered: root.deleteRequested(root.localId, false, true)
    }
}
