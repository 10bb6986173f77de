// A round avatar with the initials of a name, coloured by the name.
import QtQuick
import QtQuick.Controls

Rectangle {
    id: avatar
    property string name
    property bool group: false
    property int size: 44
    width: size
    height: size
    radius: group ? size / 4 : size / 2
    readonly property var palette_: ["#1f8f6a", "#3b7dd8", "#b8579c", "#d97b29", "#6f5bd3", "#2d9cad", "#c2453b"]
    color: {
        let h = 0
        for (let i = 0; i < name.length; ++i) h = (h * 31 + name.charCodeAt(i)) % 9973
        return palette_[h % palette_.length]
    }
    Accessible.ignored: true
    Label {
        anchors.centerIn: parent
        text: fmt.initials(avatar.name)
        color: "white"
        font.pixelSize: avatar.size * 0.38
        font.bold: true
    }
}
