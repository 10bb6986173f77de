#include "request_commands.h"

#include "printer.h"

#include <QJsonArray>

namespace natter::cli {

namespace {

QString plural(qint64 n, const char* one, const char* many) {
    return n == 1 ? QString::fromLatin1(one) : QStringLiteral("%1 %2").arg(n).arg(QString::fromLatin1(many));
}

} // namespace

bool isRequestCommand(const QString& command) {
    return command == "requests" || command == "requests delete" || command == "accept" || command == "block" ||
           command == "unblock" || command == "blocked";
}

QString requestCommandsHelp() {
    return QStringLiteral(
        "  requests                                       message requests: first messages from people who are\n"
        "                                                 not contacts (no read receipts or typing reach them\n"
        "                                                 until you accept)\n"
        "  accept <person>                                make a request a normal chat (sends its read receipts)\n"
        "  requests delete <person>                       remove a request and its messages from this device\n"
        "  block <person>                                 natterd delivers nothing of theirs to any of your devices\n"
        "                                                 (they are not told) and removes their request\n"
        "  unblock <person>                               undo block\n"
        "  blocked                                        the people this account blocked\n"
        "                                                 (person: a contact's name or phone number, a request's\n"
        "                                                 title, or a chat id dm:... as requests and blocked show)\n");
}

std::optional<QString> parseRequestCommand(const QString& command, const QStringList& words, Invocation& inv) {
    if (command == "requests" || command == "blocked") {
        if (!words.isEmpty()) return QStringLiteral("usage: natter %1").arg(command);
        inv.method = command;
        inv.params = {};
        return std::nullopt;
    }
    if (words.size() != 1) return QStringLiteral("usage: natter %1 <person>").arg(command);
    if (command == "accept" || command == "requests delete") {
        inv.method = command == "accept" ? QStringLiteral("accept") : QStringLiteral("requests.delete");
        inv.params = QJsonObject{{"chat", words[0]}};
    } else {
        inv.method = command;
        inv.params = QJsonObject{{"user", words[0]}};
    }
    return std::nullopt;
}

bool printRequestResult(QTextStream& out, const QString& method, const QJsonObject& o) {
    if (method == "requests") {
        const QJsonArray requests = o.value("requests").toArray();
        if (requests.isEmpty()) out << "No message requests.\n";
        for (const auto& r : requests) {
            const QJsonObject request = r.toObject();
            out << QStringLiteral("%1  [%2]  %3  %4  %5\n")
                       .arg(request.value("title").toString(), request.value("chat").toString(),
                            plural(request.value("unread").toInteger(), "1 unread", "unread"),
                            localTime(request.value("last_activity").toString()),
                            request.value("preview").toString().left(60));
        }
        if (!requests.isEmpty()) out << "Answer with: natter accept|block|requests delete <chat>\n";
    } else if (method == "accept") {
        out << QStringLiteral("Accepted %1: a normal chat now").arg(o.value("title").toString());
        const qint64 sent = o.value("count").toInteger();
        if (sent > 0) out << QStringLiteral(" (%1 sent)").arg(plural(sent, "1 read receipt", "read receipts"));
        out << '\n';
    } else if (method == "requests.delete") {
        out << QStringLiteral("Deleted the request from %1 and %2\n")
                   .arg(o.value("title").toString(), plural(o.value("count").toInteger(), "its message", "messages"));
    } else if (method == "block") {
        out << QStringLiteral("Blocked %1: nothing they send reaches your devices, and they are not told")
                   .arg(o.value("name").toString());
        if (o.value("request_messages_removed").toInteger() > 0) out << " (their request was removed)";
        out << '\n';
    } else if (method == "unblock") {
        out << QStringLiteral("Unblocked %1\n").arg(o.value("name").toString());
    } else if (method == "blocked") {
        const QJsonArray blocked = o.value("blocked").toArray();
        if (blocked.isEmpty()) out << "Nobody is blocked.\n";
        for (const auto& b : blocked) {
            const QJsonObject user = b.toObject();
            out << QStringLiteral("%1  %2\n").arg(user.value("name").toString(),
                                                  user.value("phone").toString(user.value("chat").toString()));
        }
    } else {
        return false;
    }
    return true;
}

} // namespace natter::cli
