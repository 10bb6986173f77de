// Colours and sizes of the app. The palette comes from Appearance (the Light / Dark / System
// choice of the profile); colours that must stay readable (ticks, names) are checked there.
import QtQuick

QtObject {
    readonly property bool dark: appearance.dark
    readonly property color accent: dark ? "#2fa37c" : "#1a7f5c"
    readonly property color accentText: "#ffffff"
    readonly property color background: appearance.window
    readonly property color panel: appearance.base
    readonly property color text: appearance.text
    readonly property color subtle: Qt.rgba(text.r, text.g, text.b, 0.66)
    readonly property color divider: Qt.rgba(text.r, text.g, text.b, 0.12)
    readonly property color chatBackground: dark ? "#0b141a" : "#efeae2"
    readonly property color bubbleOut: appearance.bubbleOut
    readonly property color bubbleIn: appearance.bubbleIn
    readonly property color system: dark ? "#1d2a31" : "#fff5c4"
    readonly property color selection: dark ? "#2a3942" : "#e9edef"
    readonly property color danger: "#d93025"
    readonly property color warning: dark ? "#4a3b00" : "#fff3cd"
    readonly property color focusRing: appearance.highlight
    // A reply's quote block inside a bubble, and the reaction chips under it (mine tinted).
    readonly property color quote: dark ? Qt.rgba(0, 0, 0, 0.28) : Qt.rgba(0, 0, 0, 0.06)
    readonly property color chip: dark ? "#233138" : "#ffffff"
    readonly property color chipMine: dark ? "#14503d" : "#d4f0e3"
    readonly property int radius: 8
    readonly property int spacing: 8
    // The tick colour of an outgoing message's state ("sent", "delivered", "read", "failed").
    function tickColor(state) { return appearance.tickColorIn(state, dark) }
    // A group member's name colour, stable per member.
    function memberColor(userId) { return appearance.memberColorIn(userId, dark) }
}
