#include "message_commands.h"

#include <QJsonArray>
#include <QMap>

namespace natter::cli {

namespace {

std::optional<qint64> messageId(const QString& word) {
    bool ok = false;
    const qint64 id = word.toLongLong(&ok);
    return ok && id > 0 ? std::optional<qint64>(id) : std::nullopt;
}

// The timer command's words and the timers they name (seconds), in the CLI's order.
constexpr std::pair<const char*, qint64> kTimers[] = {{"off", 0},      {"5m", 300},     {"1h", 3600},
                                                      {"1d", 86400},   {"1w", 604800}, {"90d", 7776000}};

std::optional<qint64> timerSeconds(const QString& word) {
    for (const auto& [name, seconds] : kTimers)
        if (word == QLatin1String(name)) return seconds;
    return std::nullopt;
}

QString timerWord(qint64 seconds) {
    for (const auto& [name, value] : kTimers)
        if (value == seconds) return QString::fromLatin1(name);
    return QStringLiteral("%1s").arg(seconds);
}

// "👍 2 (Alice, Bob)  ❤️ 1 (You)".
QString reactionsLine(const QJsonArray& reactions) {
    QMap<QString, QStringList> byEmoji;
    QStringList order;
    for (const auto& r : reactions) {
        const QJsonObject reaction = r.toObject();
        const QString emoji = reaction.value("emoji").toString();
        if (!byEmoji.contains(emoji)) order << emoji;
        byEmoji[emoji] << reaction.value("name").toString(QStringLiteral("#%1").arg(reaction.value("user_id").toInteger()));
    }
    QStringList parts;
    for (const QString& emoji : order)
        parts << QStringLiteral("%1 %2 (%3)").arg(emoji).arg(byEmoji[emoji].size()).arg(byEmoji[emoji].join(", "));
    return parts.join("  ");
}

} // namespace

bool isMessageCommand(const QString& command) {
    return command == "reply" || command == "react" || command == "edit" || command == "delete" ||
           command == "forward" || command == "timer";
}

QString messageCommandsHelp() {
    return QStringLiteral(
        "  reply <chat> <message-id> <text...>            reply quoting a message (ids: see history)\n"
        "  react <chat> <message-id> [EMOJI]              react with one emoji; without it (or \"\"), remove yours\n"
        "  edit <chat> <message-id> <text...>             change the text of your message (within 15 minutes)\n"
        "  delete <chat> <message-id> [--for-everyone]    delete a message on your devices, or your own for\n"
        "                                                 everyone (within 24 hours)\n"
        "  forward <message-id> <chat...>                 send a message (text or file) on to other chats,\n"
        "                                                 marked forwarded\n"
        "  timer <chat> off|5m|1h|1d|1w|90d               disappearing messages: what is sent from now on is\n"
        "                                                 erased on every device that long after sending\n"
        "                                                 (groups: admins only)\n");
}

std::optional<QString> parseMessageCommand(const QString& command, const QStringList& words, bool forEveryone,
                                           Invocation& inv) {
    if (command == "timer") {
        if (forEveryone) return QStringLiteral("timer does not take --for-everyone");
        if (words.size() != 2) return QStringLiteral("usage: natter timer <chat> off|5m|1h|1d|1w|90d");
        const auto seconds = timerSeconds(words[1]);
        if (!seconds)
            return QStringLiteral("timer: '%1' is not a timer: choose off, 5m, 1h, 1d, 1w or 90d").arg(words[1]);
        inv.method = QStringLiteral("disappearing");
        inv.params = QJsonObject{{"chat", words[0]}, {"seconds", *seconds}};
        return std::nullopt;
    }
    if (command == "forward") {
        if (forEveryone) return QStringLiteral("forward does not take --for-everyone");
        if (words.size() < 2) return QStringLiteral("usage: natter forward <message-id> <chat...>");
        const auto id = messageId(words[0]);
        if (!id) return QStringLiteral("forward: '%1' is not a message id").arg(words[0]);
        inv.method = command;
        inv.params = QJsonObject{{"id", *id}, {"to", QJsonArray::fromStringList(words.mid(1))}};
        return std::nullopt;
    }
    const QString shape = command == "reply"   ? QStringLiteral("reply <chat> <message-id> <text...>")
                          : command == "react" ? QStringLiteral("react <chat> <message-id> [EMOJI]")
                          : command == "edit"  ? QStringLiteral("edit <chat> <message-id> <text...>")
                                               : QStringLiteral("delete <chat> <message-id> [--for-everyone]");
    const bool takesText = command == "reply" || command == "edit";
    const int min = takesText ? 3 : 2;
    const int max = takesText ? -1 : command == "react" ? 3 : 2;
    if (words.size() < min || (max >= 0 && words.size() > max)) return QStringLiteral("usage: natter %1").arg(shape);
    if (forEveryone && command != "delete") return QStringLiteral("%1 does not take --for-everyone").arg(command);
    const auto id = messageId(words[1]);
    if (!id) return QStringLiteral("%1: '%2' is not a message id").arg(command, words[1]);
    inv.method = command;
    inv.params = QJsonObject{{"chat", words[0]}, {"id", *id}};
    if (takesText) {
        const QString text = words.mid(2).join(' ');
        if (text.trimmed().isEmpty()) return QStringLiteral("%1: the text is empty").arg(command);
        inv.params.insert("text", text);
    } else if (command == "react") {
        inv.params.insert("emoji", words.size() == 3 ? words[2] : QString());
    } else {
        inv.params.insert("for_everyone", forEveryone);
    }
    return std::nullopt;
}

QString decoratedBody(const QJsonObject& m, const QString& body) {
    if (m.value("deleted").toBool()) return QStringLiteral("🚫 This message was deleted");
    QString out = m.value("forwarded").toBool() ? QStringLiteral("[forwarded] ") + body : body;
    if (m.value("mentions_me").toBool()) out = QStringLiteral("[@you] ") + out;
    if (m.contains("quote")) {
        const QJsonObject q = m.value("quote").toObject();
        const QString quoted = q.value("deleted").toBool() ? QStringLiteral("This message was deleted")
                                                           : q.value("snippet").toString();
        out = QStringLiteral("[↪ %1: %2] %3").arg(q.value("sender").toString(), quoted, out);
    }
    if (m.value("edited").toBool()) out += QStringLiteral(" (edited)");
    const QJsonArray reactions = m.value("reactions").toArray();
    if (!reactions.isEmpty()) out += QStringLiteral("  ") + reactionsLine(reactions);
    if (const qint64 timer = m.value("expire_timer").toInteger(); timer > 0)
        out += QStringLiteral("  ⏱ %1").arg(timerWord(timer));
    return out;
}

bool printMessageActionResult(QTextStream& out, const QString& method, const QJsonObject& o) {
    if (method != "react" && method != "edit" && method != "delete" && method != "forward" && method != "disappearing")
        return false;
    const QString queued = o.value("queued").toBool() || o.value("state").toString() == "pending"
                               ? QStringLiteral(" (queued: natterd has not taken it yet; the next natter command that "
                                                "reaches natterd sends it, or run 'natter sync')")
                               : QString();
    if (method == "disappearing") {
        out << o.value("text").toString() << queued << '\n';
    } else if (method == "forward") {
        for (const auto& m : o.value("messages").toArray())
            out << QStringLiteral("Forwarded to %1 (message %2)")
                       .arg(m.toObject().value("chat").toString())
                       .arg(m.toObject().value("id").toInteger())
                << '\n';
        if (!queued.isEmpty()) out << queued.trimmed() << '\n';
    } else if (method == "delete" && o.value("deleted").toString() == "for_me")
        out << QStringLiteral("Deleted message %1 on your devices").arg(o.value("id").toInteger()) << queued << '\n';
    else if (method == "delete")
        out << QStringLiteral("Deleted message %1 for everyone").arg(o.value("id").toInteger()) << queued << '\n';
    else if (method == "edit")
        out << QStringLiteral("Edited message %1: %2").arg(o.value("id").toInteger()).arg(o.value("text").toString()) << queued
            << '\n';
    else
        out << QStringLiteral("Reactions on message %1: %2")
                   .arg(o.value("id").toInteger())
                   .arg(o.value("reactions").toArray().isEmpty() ? QStringLiteral("none")
                                                                 : reactionsLine(o.value("reactions").toArray()))
            << queued << '\n';
    return true;
}

} // namespace natter::cli
