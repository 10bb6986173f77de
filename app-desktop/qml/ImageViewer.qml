// The in-app picture viewer over the whole window: the decrypted picture fitted (or at 100%,
// or zoomed with + and -, 0 fits again, or the mouse wheel), file name, sender and time, the
// caption under the picture, the chat's previous / next picture (buttons, Left / Right),
// what can be done with the message (Reply Ctrl+R, Forward Ctrl+Shift+F, Delete: each closes
// the viewer and goes on in the chat, as from the message menu), "Save as…", "Open externally"
// and Close (Esc closes too).
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts

Popup {
    id: popup
    objectName: "imageViewer"
    required property Theme theme
    required property var viewer
    // 0: fitted to the window; else the scale of the picture's own size (1: actual size).
    property real zoom: 0
    readonly property bool actualSize: zoom > 0
    // Another picture of the chat, fitted.
    function step(next) {
        zoom = 0
        if (next) viewer.showNext()
        else viewer.showPrevious()
    }
    function zoomBy(steps) { zoom = viewer.zoomed(zoom > 0 ? zoom : picture.fitScale, steps, picture.fitScale) }
    signal saveRequested(var localId, string fileName)
    signal openExternallyRequested(var localId)
    signal replyRequested(var localId)
    signal forwardRequested(var localId)
    signal deleteRequested(var localId, bool forMe, bool forEveryone)
    // The chat's MessageMenu (C++): which of those apply to the picture shown.
    property var actions: null
    readonly property var options: actions && viewer.localId > 0 ? actions.options(viewer.localId) : ({})
    // Closes the viewer, then hands the message to the chat.
    function act(what) {
        const id = viewer.localId
        const o = options
        if (what === "reply" && o.canReply) { close(); replyRequested(id) }
        else if (what === "forward" && o.canForward) { close(); forwardRequested(id) }
        else if (what === "delete" && o.canDeleteForMe) { close(); deleteRequested(id, true, o.canDeleteForEveryone) }
    }

    parent: Overlay.overlay
    x: 0
    y: 0
    width: parent ? parent.width : 800
    height: parent ? parent.height : 600
    modal: true
    focus: true
    padding: 0
    closePolicy: Popup.CloseOnEscape
    // Dark buttons with white text on the dark backdrop, in either theme.
    palette.button: "#2e3236"
    palette.buttonText: "#ffffff"
    palette.windowText: "#ffffff"
    palette.light: "#3a3f44"
    palette.midlight: "#34393d"
    palette.mid: "#25282b"
    palette.dark: "#1c1e20"

    onAboutToShow: { zoom = 0; closeButton.forceActiveFocus() }
    onClosed: viewer.close()
    Connections {
        target: popup.viewer
        function onChanged() {
            if (popup.viewer.open && !popup.opened) popup.open()
            else if (!popup.viewer.open && popup.opened) popup.close()
        }
    }

    background: Rectangle { color: Qt.rgba(0.06, 0.06, 0.07, 0.96) }

    ColumnLayout {
        objectName: "imageViewerContent"
        anchors.fill: parent
        spacing: 0
        Accessible.role: Accessible.Dialog
        Accessible.name: qsTr("Picture %1 from %2").arg(popup.viewer.fileName).arg(popup.viewer.sender)
        Accessible.description: qsTr("Plus and minus zoom, 0 fits the picture to the window")
        Keys.onPressed: (event) => {
            if (popup.viewer.source === "") return
            if (event.key === Qt.Key_Plus || event.key === Qt.Key_Equal) popup.zoomBy(1)
            else if (event.key === Qt.Key_Minus) popup.zoomBy(-1)
            else if (event.key === Qt.Key_0) popup.zoom = 0
            else if (event.key === Qt.Key_Left && popup.viewer.hasPrevious) popup.step(false)
            else if (event.key === Qt.Key_Right && popup.viewer.hasNext) popup.step(true)
            else if (event.key === Qt.Key_R && event.modifiers === Qt.ControlModifier) popup.act("reply")
            else if (event.key === Qt.Key_F && event.modifiers === (Qt.ControlModifier | Qt.ShiftModifier)) popup.act("forward")
            else if (event.key === Qt.Key_Delete) popup.act("delete")
            else return
            event.accepted = true
        }

        Rectangle {
            Layout.fillWidth: true
            Layout.preferredHeight: 56
            color: Qt.rgba(0, 0, 0, 0.5)
            RowLayout {
                anchors.fill: parent
                anchors.leftMargin: 16
                anchors.rightMargin: 8
                spacing: 8
                ColumnLayout {
                    Layout.fillWidth: true
                    spacing: 0
                    Label {
                        objectName: "viewerFileName"
                        Layout.fillWidth: true
                        text: popup.viewer.fileName
                        color: "white"
                        font.bold: true
                        elide: Text.ElideMiddle
                        Accessible.role: Accessible.Heading
                        Accessible.name: text
                    }
                    Label {
                        objectName: "viewerSenderAndTime"
                        Layout.fillWidth: true
                        text: qsTr("%1 · %2").arg(popup.viewer.sender).arg(popup.viewer.timeText)
                        color: "#c8c8c8"
                        font.pixelSize: 12
                        elide: Text.ElideRight
                        Accessible.role: Accessible.StaticText
                        Accessible.name: qsTr("Sent by %1, %2").arg(popup.viewer.sender).arg(popup.viewer.timeText)
                    }
                }
                Button {
                    objectName: "viewerPreviousButton"
                    text: qsTr("Previous")
                    enabled: popup.viewer.hasPrevious
                    Accessible.name: qsTr("Previous picture in this chat")
                    onClicked: popup.step(false)
                }
                Button {
                    objectName: "viewerNextButton"
                    text: qsTr("Next")
                    enabled: popup.viewer.hasNext
                    Accessible.name: qsTr("Next picture in this chat")
                    onClicked: popup.step(true)
                }
                Button {
                    objectName: "viewerZoomButton"
                    text: popup.actualSize ? qsTr("Fit") : qsTr("100%")
                    enabled: popup.viewer.source !== ""
                    Accessible.name: popup.actualSize ? qsTr("Fit the picture to the window") : qsTr("Show the picture at actual size")
                    onClicked: popup.zoom = popup.actualSize ? 0 : 1
                }
                Button {
                    objectName: "viewerReplyButton"
                    text: qsTr("Reply")
                    visible: popup.options.canReply === true
                    Accessible.name: qsTr("Reply to this picture (Ctrl+R)")
                    onClicked: popup.act("reply")
                }
                Button {
                    objectName: "viewerForwardButton"
                    text: qsTr("Forward…")
                    visible: popup.options.canForward === true
                    Accessible.name: qsTr("Forward this picture (Ctrl+Shift+F)")
                    onClicked: popup.act("forward")
                }
                Button {
                    objectName: "viewerDeleteButton"
                    text: qsTr("Delete…")
                    visible: popup.options.canDeleteForMe === true
                    Accessible.name: qsTr("Delete this picture (Delete)")
                    onClicked: popup.act("delete")
                }
                Button {
                    objectName: "viewerSaveButton"
                    text: qsTr("Save as…")
                    Accessible.name: qsTr("Save %1 as").arg(popup.viewer.fileName)
                    onClicked: popup.saveRequested(popup.viewer.localId, popup.viewer.fileName)
                }
                Button {
                    objectName: "viewerOpenExternallyButton"
                    text: qsTr("Open externally")
                    Accessible.name: qsTr("Open %1 in another application").arg(popup.viewer.fileName)
                    onClicked: popup.openExternallyRequested(popup.viewer.localId)
                }
                IconButton {
                    id: closeButton
                    objectName: "viewerCloseButton"
                    theme: popup.theme
                    iconName: "close"
                    iconColor: "white"
                    label: qsTr("Close the picture")
                    shortcutHint: "Esc"
                    onClicked: popup.close()
                }
            }
        }

        Flickable {
            id: flick
            Layout.fillWidth: true
            Layout.fillHeight: true
            clip: true
            contentWidth: Math.max(width, picture.width)
            contentHeight: Math.max(height, picture.height)
            interactive: popup.actualSize
            ScrollBar.horizontal: ScrollBar { visible: popup.actualSize }
            ScrollBar.vertical: ScrollBar { visible: popup.actualSize }
            WheelHandler {
                objectName: "viewerWheel"
                onWheel: (event) => popup.zoomBy(event.angleDelta.y > 0 ? 1 : -1)
            }

            Image {
                id: picture
                objectName: "viewerImage"
                readonly property size natural: popup.viewer.imageSize
                readonly property real fitScale: natural.width > 0 && natural.height > 0
                                                 ? Math.min(1, (flick.width - 32) / natural.width, (flick.height - 32) / natural.height) : 1
                x: (flick.contentWidth - width) / 2
                y: (flick.contentHeight - height) / 2
                width: natural.width * (popup.actualSize ? popup.zoom : fitScale)
                height: natural.height * (popup.actualSize ? popup.zoom : fitScale)
                source: popup.viewer.source
                cache: false
                smooth: true
                mipmap: true
                fillMode: Image.PreserveAspectFit
                Accessible.role: Accessible.Graphic
                Accessible.name: qsTr("Picture %1").arg(popup.viewer.fileName)
                MouseArea {
                    anchors.fill: parent
                    onDoubleClicked: popup.zoom = popup.actualSize ? 0 : 1
                }
            }

            BusyIndicator {
                anchors.centerIn: parent
                running: popup.viewer.loading
                visible: running
                Accessible.name: qsTr("Decrypting the picture")
            }
            Label {
                anchors.centerIn: parent
                width: Math.min(parent.width - 40, 480)
                visible: popup.viewer.error !== ""
                text: popup.viewer.error
                color: "white"
                wrapMode: Text.Wrap
                horizontalAlignment: Text.AlignHCenter
                Accessible.role: Accessible.AlertMessage
                Accessible.name: text
            }
        }

        Rectangle {
            Layout.fillWidth: true
            Layout.preferredHeight: caption.implicitHeight + 24
            visible: popup.viewer.caption !== ""
            color: Qt.rgba(0, 0, 0, 0.5)
            Label {
                id: caption
                objectName: "viewerCaption"
                anchors.fill: parent
                anchors.margins: 12
                text: popup.viewer.caption
                color: "white"
                wrapMode: Text.Wrap
                horizontalAlignment: Text.AlignHCenter
                verticalAlignment: Text.AlignVCenter
                Accessible.role: Accessible.StaticText
                Accessible.name: text
            }
        }
    }
}
