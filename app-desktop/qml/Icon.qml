// One icon of the app's SVG set (resources/icons) in a theme colour; a graphic with an
// accessible name when it says something (ticks, pin), ignored when a label says it already.
import QtQuick
import QtQuick.Layouts

Image {
    id: icon
    required property string name
    property color color: "black"
    property int size: 16
    width: size
    height: size
    Layout.preferredWidth: size
    Layout.preferredHeight: size
    sourceSize: Qt.size(size * Screen.devicePixelRatio, size * Screen.devicePixelRatio)
    // "#rrggbb" or "#aarrggbb" without the "#" (a URL fragment)
    source: name !== "" ? "image://icon/" + name + "/" + color.toString().substring(1) : ""
    fillMode: Image.PreserveAspectFit
    Accessible.role: Accessible.Graphic
}
