// Colours and sizes of the app, derived from the system palette so light and dark follow it.
import QtQuick

QtObject {
    required property var pal
    readonly property bool dark: pal.window.hslLightness < 0.5
    readonly property color accent: "#1f8f6a"
    readonly property color accentText: "#ffffff"
    readonly property color background: pal.window
    readonly property color panel: pal.base
    readonly property color text: pal.text
    readonly property color subtle: Qt.rgba(text.r, text.g, text.b, 0.62)
    readonly property color divider: Qt.rgba(text.r, text.g, text.b, 0.12)
    readonly property color chatBackground: dark ? "#0b141a" : "#efeae2"
    readonly property color bubbleOut: dark ? "#005c4b" : "#d9fdd3"
    readonly property color bubbleIn: dark ? "#202c33" : "#ffffff"
    readonly property color system: dark ? "#1d2a31" : "#fff5c4"
    readonly property color selection: dark ? "#2a3942" : "#e9edef"
    readonly property color readTicks: "#34b7f1"
    readonly property color danger: "#d93025"
    readonly property color warning: dark ? "#4a3b00" : "#fff3cd"
    readonly property color focusRing: pal.highlight
    readonly property int radius: 8
    readonly property int spacing: 8
}
