// One privacy setting's choice (everyone, my contacts, nobody): shows the value the server
// holds (`current`, empty until loaded) and saves a new choice with app.setPrivacy.
import QtQuick
import QtQuick.Controls

ComboBox {
    id: box
    required property string setting // "last-seen" or "online"
    property string current: ""
    readonly property var values: ["everyone", "contacts", "nobody"]
    model: [qsTr("Everyone"), qsTr("My contacts"), qsTr("Nobody")]
    enabled: current !== ""
    // Not a binding: choosing an entry sets currentIndex, and the server's answer resets it.
    function showCurrent() { currentIndex = Math.max(0, values.indexOf(current)) }
    onCurrentChanged: showCurrent()
    Component.onCompleted: showCurrent()
    onActivated: (i) => app.setPrivacy(setting, values[i])
}
