#include "account_output.h"

#include "terminal_qr.h"

namespace natter::cli {

bool printAccountResult(QTextStream& out, const QString& method, const QJsonObject& o) {
    const QString name = o.value("name").toString();
    if (method == "safety_number") {
        if (o.value("changed").toBool())
            out << QStringLiteral("⚠ Your safety number with %1 changed. Compare the new one with %1, then accept it "
                                  "with: natter contacts verify \"%1\"\n")
                       .arg(name);
        out << "Safety number:\n  " << o.value("safety_number").toString() << '\n'
            << "Compare it with your contact in person or scan the QR code:\n"
            << renderQr(QByteArray::fromBase64(o.value("qr").toString().toLatin1()));
    } else if (method == "contacts.verify") {
        if (o.value("acknowledged").toBool())
            out << QStringLiteral("Accepted %1's new safety number.").arg(name) << '\n';
        else
            out << QStringLiteral("%1's safety number has not changed since you last accepted it; nothing to do.").arg(name)
                << '\n';
    } else if (method == "contacts.remove") {
        out << QStringLiteral("Removed %1 (%2) from your contacts; your chat with them stays.").arg(name, o.value("phone").toString())
            << '\n';
    } else if (method == "settings.privacy.show") {
        out << "last-seen: " << o.value("last_seen").toString() << '\n'
            << "online: " << o.value("online").toString() << '\n'
            << "read-receipts: " << (o.value("read_receipts").toBool() ? "on" : "off") << '\n';
    } else if (method == "devices.unlink") {
        out << QStringLiteral("Unlinked device %1: it is signed out and gets no more messages.").arg(o.value("device_id").toInteger())
            << '\n';
    } else {
        return false;
    }
    return true;
}

} // namespace natter::cli
