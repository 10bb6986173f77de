#include "error_wording.h"

namespace natter::cli {

QString inPlainWords(const QString& method, const client::ClientError& error) {
    const QString& p = error.param;
    if (p.isEmpty()) return error.message;
    const QString anyChat = QStringLiteral("a contact's name, a phone number, a group's name or a chat id");
    if (p == "to") return QStringLiteral("say who the message is for: ") + anyChat;
    if (p == "text") return method == "search" ? QStringLiteral("say what to search for") : QStringLiteral("the message is empty");
    if (p == "path") return QStringLiteral("give the path of the file to send");
    if (p == "chat") return QStringLiteral("name the chat: ") + anyChat;
    if (p == "name")
        return method == "settings.name" ? QStringLiteral("give your name (1 to 100 bytes)")
                                         : QStringLiteral("give the group a name (at most 100 bytes)");
    if (p == "member") return QStringLiteral("name the member: a contact's name or phone number");
    if (p == "device") return QStringLiteral("give the id of a device of this account (natter devices lists them)");
    if (p == "members") return QStringLiteral("name each member: a contact's name or a phone number (none may be empty)");
    if (p == "group") return QStringLiteral("name the group: its name or its chat id");
    if (p == "contact") return QStringLiteral("name the contact: their name or phone number");
    if (p == "phone") return QStringLiteral("give a phone number in international form, like +4915112345678");
    if (p == "setting") return QStringLiteral("name the setting: last-seen, online or read-receipts");
    if (p == "value") return QStringLiteral("give the setting a value (natter --help lists them)");
    if (p == "before") return QStringLiteral("--before takes the id of a message of the chat (natter history shows them)");
    if (p == "limit") return QStringLiteral("--limit takes a whole number from 1 to 1000");
    if (p == "id") return QStringLiteral("give the id of a message (natter history --json shows them)");
    return error.message;
}

} // namespace natter::cli
