// The open chat: header (title, "online" / "last seen" / typing), identity-change warning,
// the messages (newest at the bottom, older pages loaded while scrolling up), the message
// request banner (Accept / Block / Delete), the upload bar and the composer, and the message
// menu's dialogs (delete, forward, info). Files dropped
// anywhere on it are sent; pictures open in ImageViewer. In a narrow window the header has a
// back button to the chat list (Escape or Alt+Left).
import QtQuick
import QtQuick.Controls
import QtQuick.Dialogs
import QtQuick.Layouts

Rectangle {
    id: root
    required property Theme theme
    required property var conversation
    // Shift+Tab from the header button goes here (the chat list); Tab from there comes to firstTabItem.
    property Item previousTabItem: null
    // A narrow window shows this chat alone: the header's back button returns to the list.
    property bool backVisible: false
    readonly property Item composerInput: composer.inputItem
    // Tab order: chat list → header button → identity banner → messages → request banner → attach
    // → message → Send.
    readonly property Item firstTabItem: root.conversation.isGroup ? groupInfoButton : safetyButton
    readonly property Item messages: messagePane.view
    readonly property Item afterHeader: identityBanner.visible ? identityVerify : messages
    signal groupInfoRequested()
    signal backRequested()
    signal safetyNumberRequested()
    color: theme.chatBackground

    Keys.onPressed: (event) => {
        if (event.key === Qt.Key_End && event.modifiers === Qt.ControlModifier) {
            messagePane.toBottom()
            event.accepted = true
        } else if (root.backVisible && (event.key === Qt.Key_Escape
                                        || (event.key === Qt.Key_Left && event.modifiers === Qt.AltModifier))) {
            root.backRequested()
            event.accepted = true
        }
    }

    function markReadIfVisible() {
        if (Window.window && Window.window.active && conversation) conversation.markRead()
    }
    Component.onCompleted: { messagePane.openAtFirstUnread(); markReadIfVisible(); composer.focusInput() }
    onConversationChanged: {
        app.viewer.close()
        composer.reset()
        messagePane.openAtFirstUnread()
        markReadIfVisible()
        composer.focusInput()
    }
    Connections {
        target: root.Window.window
        function onActiveChanged() { root.markReadIfVisible() }
    }

    ColumnLayout {
        anchors.fill: parent
        spacing: 0

        // Header
        Rectangle {
            objectName: "conversationHeader"
            Layout.fillWidth: true
            Layout.preferredHeight: 60
            color: root.theme.panel
            RowLayout {
                anchors.fill: parent
                anchors.leftMargin: root.backVisible ? 4 : 12
                anchors.rightMargin: 8
                spacing: root.backVisible ? 8 : 12
                IconButton {
                    id: backButton
                    objectName: "backButton"
                    visible: root.backVisible
                    theme: root.theme
                    iconName: "back"
                    label: qsTr("Back to chats")
                    shortcutHint: "Esc"
                    onClicked: root.backRequested()
                }
                Avatar { name: root.conversation.title; group: root.conversation.isGroup; size: 40 }
                ColumnLayout {
                    Layout.fillWidth: true
                    spacing: 0
                    Label {
                        objectName: "conversationTitle"
                        Layout.fillWidth: true
                        text: root.conversation.title
                        font.pixelSize: 16
                        font.bold: true
                        elide: Text.ElideRight
                        Accessible.role: Accessible.Heading
                        Accessible.name: text
                    }
                    Label {
                        Layout.fillWidth: true
                        visible: text !== ""
                        text: root.conversation.subtitle
                        color: root.conversation.typing !== "" ? root.theme.accent : root.theme.subtle
                        font.pixelSize: 12
                        elide: Text.ElideRight
                        Accessible.role: Accessible.StaticText
                        Accessible.name: text
                    }
                }
                IconButton {
                    id: safetyButton
                    objectName: "safetyNumberButton"
                    visible: !root.conversation.isGroup
                    theme: root.theme
                    iconName: "shield"
                    label: qsTr("Verify safety number")
                    onClicked: root.safetyNumberRequested()
                    KeyNavigation.tab: root.afterHeader
                    KeyNavigation.backtab: root.previousTabItem
                }
                IconButton {
                    id: groupInfoButton
                    objectName: "groupInfoButton"
                    visible: root.conversation.isGroup
                    theme: root.theme
                    iconName: "info"
                    label: qsTr("Group info")
                    onClicked: root.groupInfoRequested()
                    KeyNavigation.tab: root.afterHeader
                    KeyNavigation.backtab: root.previousTabItem
                }
            }
        }

        // Identity change warning (Client::identityWarning; stays until acknowledged)
        Rectangle {
            id: identityBanner
            objectName: "identityBanner"
            Layout.fillWidth: true
            visible: root.conversation.identityChanged
            Layout.preferredHeight: visible ? warning.implicitHeight + 16 : 0
            color: root.theme.warning
            RowLayout {
                id: warning
                anchors.fill: parent
                anchors.margins: 8
                Label {
                    Layout.fillWidth: true
                    wrapMode: Text.Wrap
                    color: root.theme.text
                    text: qsTr("Your security code with %1 changed: they may have reinstalled Natter or added a device. Verify the safety number before sharing anything sensitive.").arg(root.conversation.title)
                    Accessible.role: Accessible.AlertMessage
                    Accessible.name: text
                }
                Button {
                    id: identityVerify
                    objectName: "identityVerifyButton"
                    KeyNavigation.backtab: root.firstTabItem
                    text: qsTr("Verify")
                    Accessible.name: qsTr("Verify the new safety number")
                    onClicked: root.safetyNumberRequested()
                }
                Button {
                    KeyNavigation.tab: messages
                    text: qsTr("Dismiss")
                    Accessible.name: qsTr("Dismiss the safety number warning")
                    onClicked: root.conversation.acknowledgeIdentity()
                }
            }
        }

        MessageList {
            id: messagePane
            Layout.fillWidth: true
            Layout.fillHeight: true
            theme: root.theme
            conversation: root.conversation
            nextTabItem: requestBanner.visible ? requestAccept : composer.attachItem
            previousTabItem: identityBanner.visible ? identityVerify : root.firstTabItem
            onSaveRequested: (localId, fileName) => { saveDialog.localId = localId; saveDialog.open() }
            onOpenRequested: (localId) => root.conversation.openAttachment(localId)
            onViewRequested: (localId) => app.viewer.show(localId)
            onMessagesArrived: root.markReadIfVisible()
            onReplyRequested: (localId) => composer.startReply(localId)
            onEditRequested: (localId) => composer.startEdit(localId)
            onDeleteRequested: (localId, forMe, forEveryone) => deleteDialog.showFor(localId, forMe, forEveryone)
            onForwardRequested: (localId) => forwardDialog.showFor(localId)
            onInfoRequested: (localId) => infoDialog.showFor(localId)
        }

        // Message request: a stranger wrote first (no read receipts or typing reach them until accepted)
        Rectangle {
            id: requestBanner
            objectName: "requestBanner"
            Layout.fillWidth: true
            visible: root.conversation.isRequest
            Layout.preferredHeight: visible ? request.implicitHeight + 16 : 0
            color: root.theme.panel
            RowLayout {
                id: request
                anchors.fill: parent
                anchors.margins: 8
                Label {
                    Layout.fillWidth: true
                    wrapMode: Text.Wrap
                    color: root.theme.text
                    text: qsTr("%1 is not in your contacts. They will not see that you read their messages until you accept.").arg(root.conversation.title)
                    Accessible.role: Accessible.AlertMessage
                    Accessible.name: text
                }
                Button {
                    id: requestAccept
                    objectName: "requestAcceptButton"
                    text: qsTr("Accept")
                    Accessible.name: qsTr("Accept the message request of %1").arg(root.conversation.title)
                    KeyNavigation.backtab: messages
                    KeyNavigation.tab: requestBlock
                    onClicked: root.conversation.acceptRequest()
                }
                Button {
                    id: requestBlock
                    objectName: "requestBlockButton"
                    text: qsTr("Block")
                    Accessible.name: qsTr("Block %1").arg(root.conversation.title)
                    KeyNavigation.tab: requestDelete
                    onClicked: root.conversation.blockSender()
                }
                Button {
                    id: requestDelete
                    objectName: "requestDeleteButton"
                    text: qsTr("Delete")
                    Accessible.name: qsTr("Delete the message request of %1").arg(root.conversation.title)
                    KeyNavigation.tab: composer.attachItem
                    onClicked: root.conversation.deleteRequest()
                }
            }
        }

        // Upload progress
        Rectangle {
            Layout.fillWidth: true
            visible: root.conversation.uploading
            Layout.preferredHeight: visible ? 36 : 0
            color: root.theme.panel
            RowLayout {
                anchors.fill: parent
                anchors.margins: 8
                Label {
                    text: qsTr("Sending %1").arg(root.conversation.uploadName)
                    elide: Text.ElideMiddle
                    Layout.maximumWidth: 300
                }
                ProgressBar {
                    Layout.fillWidth: true
                    value: root.conversation.uploadProgress
                    Accessible.name: qsTr("Upload of %1").arg(root.conversation.uploadName)
                }
            }
        }

        Composer {
            id: composer
            Layout.fillWidth: true
            theme: root.theme
            conversation: root.conversation
            previousTabItem: requestBanner.visible ? requestDelete : messages
            backEnabled: root.backVisible
            onBackRequested: root.backRequested()
        }
    }

    DropArea {
        id: drop
        anchors.fill: parent
        keys: ["text/uri-list"]
        onDropped: (event) => {
            if (event.hasUrls) {
                root.conversation.attachFiles(event.urls)
                event.acceptProposedAction()
            }
        }
        Rectangle {
            anchors.fill: parent
            visible: drop.containsDrag
            color: Qt.rgba(0.12, 0.56, 0.42, 0.25)
            border.color: root.theme.accent
            border.width: 3
            Label {
                anchors.centerIn: parent
                text: qsTr("Drop files to send them to %1").arg(root.conversation.title)
                font.pixelSize: 20
            }
        }
    }

    ImageViewer {
        theme: root.theme
        viewer: app.viewer
        actions: root.conversation.actions
        onReplyRequested: (localId) => composer.startReply(localId)
        onForwardRequested: (localId) => forwardDialog.showFor(localId)
        onDeleteRequested: (localId, forMe, forEveryone) => deleteDialog.showFor(localId, forMe, forEveryone)
        onSaveRequested: (localId, fileName) => { saveDialog.localId = localId; saveDialog.open() }
        onOpenExternallyRequested: (localId) => root.conversation.openAttachment(localId)
        onClosed: composer.focusInput()
    }

    DeleteMessageDialog { id: deleteDialog; theme: root.theme; conversation: root.conversation }
    ForwardDialog { id: forwardDialog; theme: root.theme; conversation: root.conversation }
    MessageInfoDialog { id: infoDialog; theme: root.theme; conversation: root.conversation }

    FileDialog {
        id: saveDialog
        objectName: "saveDialog"
        property var localId: 0
        title: qsTr("Save attachment")
        fileMode: FileDialog.SaveFile
        onAccepted: root.conversation.saveAttachment(localId, selectedFile)
    }
}
