// A dialog's title: larger than the 16 px section headings inside it (Fusion's default title
// is the body size), a heading for screen readers.
import QtQuick
import QtQuick.Controls

Label {
    objectName: "dialogTitle"
    padding: 16
    bottomPadding: 8
    font.pixelSize: 20
    font.bold: true
    elide: Text.ElideRight
    Accessible.role: Accessible.Heading
    Accessible.name: text
}
