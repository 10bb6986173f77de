#include "request_commands.h"

#include <QJsonArray>

namespace natter::cli {

bool isRequestCommand(const QString& command) {
    return command == "requests" || command == "accept" || command == "block" || command == "unblock" ||
           command == "blocked";
}

QString requestCommandsHelp() {
    return QStringLiteral(
        "  requests                                       chats strangers (not contacts) started: they get no\n"
        "                                                 read receipts or typing from you until you accept\n"
        "  requests delete <request>                      delete a request and its messages on this device\n"
        "  accept <request>                               make a request a normal chat (or just write to them)\n"
        "  block <user>                                   natterd stops their 1:1 messages, key fetches and\n"
        "                                                 presence reaching you (they are not told); removes\n"
        "                                                 their request. user: contact, request, chat id\n"
        "  unblock <user>                                 (user: also an id of 'natter blocked')\n"
        "  blocked                                        the users you blocked, on every device of the account\n");
}

std::optional<QString> parseRequestCommand(const QString& command, const QStringList& words, Invocation& inv) {
    if (command == "requests" || command == "blocked") {
        if (command == "requests" && !words.isEmpty() && words[0] == "delete") {
            if (words.size() != 2) return QStringLiteral("usage: natter requests delete <request>");
            inv.method = QStringLiteral("requests.delete");
            inv.params = QJsonObject{{"chat", words[1]}};
            return std::nullopt;
        }
        if (!words.isEmpty()) return QStringLiteral("usage: natter %1").arg(command);
        inv.method = command == "requests" ? QStringLiteral("requests.list") : QStringLiteral("blocks.list");
        inv.params = {};
        return std::nullopt;
    }
    if (words.size() != 1)
        return QStringLiteral("usage: natter %1 <%2>")
            .arg(command, command == "accept" ? QStringLiteral("request") : QStringLiteral("user"));
    if (command == "accept") {
        inv.method = QStringLiteral("requests.accept");
        inv.params = QJsonObject{{"chat", words[0]}};
    } else {
        inv.method = command == "block" ? QStringLiteral("blocks.add") : QStringLiteral("blocks.remove");
        inv.params = QJsonObject{{"user", words[0]}};
    }
    return std::nullopt;
}

bool printRequestResult(QTextStream& out, const QString& method, const QJsonObject& o) {
    if (method == "requests.list") {
        const QJsonArray requests = o.value("requests").toArray();
        for (const auto& r : requests) {
            const QJsonObject chat = r.toObject();
            out << QStringLiteral("%1  [%2]  %3  %4")
                       .arg(chat.value("title").toString(), chat.value("chat").toString(),
                            chat.value("unread").toInt() ? QStringLiteral("(%1)").arg(chat.value("unread").toInt()) : QString(),
                            chat.value("preview").toString().left(60))
                << '\n';
        }
        if (requests.isEmpty()) out << "(no message requests)\n";
        else out << "Accept with: natter accept <request>; or natter block <request>, natter requests delete <request>\n";
    } else if (method == "requests.accept") {
        out << QStringLiteral("Accepted %1: it is a normal chat now").arg(o.value("title").toString()) << '\n';
    } else if (method == "requests.delete") {
        out << QStringLiteral("Deleted the request %1 on this device").arg(o.value("chat").toString()) << '\n';
    } else if (method == "blocks.list") {
        const QJsonArray blocked = o.value("blocked").toArray();
        for (const auto& b : blocked)
            out << QStringLiteral("%1  (user %2)").arg(b.toObject().value("name").toString()).arg(b.toObject().value("user_id").toInteger())
                << '\n';
        if (blocked.isEmpty()) out << "(nobody is blocked)\n";
    } else if (method == "blocks.add" || method == "blocks.remove") {
        out << QStringLiteral("%1 %2 (user %3)")
                   .arg(o.value("blocked").toBool() ? QStringLiteral("Blocked") : QStringLiteral("Unblocked"), o.value("name").toString())
                   .arg(o.value("user_id").toInteger())
            << '\n';
    } else {
        return false;
    }
    return true;
}

} // namespace natter::cli
