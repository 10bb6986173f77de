#include "interactive_shell.h"

#include "backend.h"
#include "cli_app.h"
#include "command_line.h"
#include "printer.h"
#include "line_editor.h"
#include "ready_gate.h"
#include "revocation_notice.h"
#include "signal_watcher.h"

#include <QEventLoop>
#include <QJsonArray>
#include <QList>

namespace natter::cli {

namespace {

const QString kHelp = QStringLiteral(
    "Type a message and press Enter to send it to the current chat. In a group, @Name mentions\n"
    "  a member (Tab completes the name); an @word that is no member's whole name is held back\n"
    "  with a hint (send the same line again to send it as it is).\n"
    "  /chat <name>   switch chat (contact name, phone, group name or chat id)\n"
    "  /chats         list chats\n"
    "  /history [N]   last N messages of the current chat (default 20)\n"
    "  /read          mark the current chat read\n"
    "  /help          this help\n"
    "  /quit          leave (Ctrl-D works too)");

// "@Bo matches Bob and Boris", one clause per @word of mentions.check's `loose`.
QString looseMentionHint(const QJsonArray& loose) {
    QStringList clauses;
    for (const auto& value : loose) {
        const QJsonObject l = value.toObject();
        const QString word = l.value("word").toString();
        QStringList names;
        for (const auto& c : l.value("candidates").toArray()) names << c.toObject().value("name").toString();
        if (names.isEmpty()) clauses << QStringLiteral("%1 matches no member of this group").arg(word);
        else if (names.size() == 1) clauses << QStringLiteral("%1 is not a whole name: did you mean @%2?").arg(word, names.first());
        else clauses << QStringLiteral("%1 matches %2 and %3").arg(word, names.mid(0, names.size() - 1).join(", "), names.last());
    }
    return clauses.join("; ") +
           QStringLiteral("\nNot sent: write the whole name after the @, or send the same line again to send it as it is.");
}

class Shell {
public:
    Shell(Backend& backend, Printer& printer, QEventLoop& loop) : m_backend(backend), m_printer(printer), m_loop(loop) {}

    void handle(const QString& line) {
        if (line.isEmpty()) return;
        if (!line.startsWith('/')) {
            if (m_chat.isEmpty()) return m_printer.line(QStringLiteral("Pick a chat first: /chat <name>"));
            if (holdsBack(line)) return;
            // One line per sent message: its echo and "sent" tick are not shown (shows()), the
            // answer prints it with its tick.
            m_sending = line;
            const auto sent = call(QStringLiteral("send"), {{"to", m_chat}, {"text", line}});
            m_sending.reset();
            if (!sent) return;
            if (m_printer.json() || sent->toObject().value("state").toString() == "pending") m_printer.result("send", *sent);
            else m_printer.message(sent->toObject());
            return;
        }
        const QString command = line.section(' ', 0, 0);
        const QString argument = line.section(' ', 1).trimmed();
        if (command == "/quit") return m_loop.quit();
        if (command == "/help") return m_printer.line(kHelp);
        if (command == "/chats") return run(QStringLiteral("chats"), {});
        if (command == "/chat") {
            if (argument.isEmpty()) return m_printer.line(QStringLiteral("usage: /chat <name>"));
            if (const auto history = call(QStringLiteral("history"), {{"chat", argument}, {"limit", 10}})) {
                m_printer.result(QStringLiteral("history"), *history);
                m_chat = argument;
                m_chatId = history->toObject().value("chat").toString();
                m_printer.line(QStringLiteral("— now chatting with %1 —").arg(m_chat));
            }
            return;
        }
        if (m_chat.isEmpty()) return m_printer.line(QStringLiteral("Pick a chat first: /chat <name>"));
        if (command == "/history") {
            const int limit = argument.isEmpty() ? 20 : argument.toInt();
            return run(QStringLiteral("history"), {{"chat", m_chat}, {"limit", limit > 0 ? limit : 20}});
        }
        if (command == "/read") return run(QStringLiteral("read"), {{"chat", m_chat}});
        m_printer.line(QStringLiteral("unknown command %1 (try /help)").arg(command));
    }

    // Whether the human output shows this event: not the echo of a line this shell is sending
    // nor its "pending"/"sent" ticks, and presence only of the person of the open chat.
    bool shows(const QJsonObject& e) {
        const QString type = e.value("type").toString();
        if (type == "presence")
            return m_chatId.startsWith("dm:") && m_chatId.split(':').contains(QString::number(e.value("user_id").toInteger()));
        const QJsonObject m = e.value("message").toObject();
        const qint64 id = m.value("id").toInteger();
        if (type == "message" && m_sending && m.value("outgoing").toBool() && m.value("text").toString() == *m_sending) {
            m_echoed.append(id);
            if (m_echoed.size() > 100) m_echoed.removeFirst(); // only the latest sends still get ticks
            return false;
        }
        const bool plainTick = !m.value("edited").toBool() && !m.value("deleted").toBool() && m.value("reactions").toArray().isEmpty();
        const QString state = m.value("state").toString();
        return !(type == "message_updated" && m_echoed.contains(id) && plainTick && (state == "pending" || state == "sent"));
    }

    // What the input line shows before the cursor: the open chat's name.
    QString prompt() const { return m_chat.isEmpty() ? QStringLiteral("> ") : m_chat + QStringLiteral("> "); }

    // The text being typed changed: a message (not a /command) tells the open chat "typing"
    // (the core sends one notice, and "stop" after 3 s without another call).
    void typed(const QString& text) {
        if (m_chatId.isEmpty() || text.trimmed().isEmpty() || text.startsWith('/')) return;
        const auto sent = m_backend.call(QStringLiteral("typing"), {{"chat", m_chatId}});
        if (!sent && sent.error().kind == client::ErrorKind::Revoked) {
            revoked = sent.error();
            m_loop.quit();
        }
        // Otherwise (natterd out of reach) the notice is simply not sent: the connection line says why.
    }

    // The open group's members whose shown name starts with prefix (Tab after "@prefix").
    QStringList mentionCompletions(const QString& prefix) {
        QStringList names;
        if (!m_chatId.startsWith("g:")) return names;
        const auto r = m_backend.call(QStringLiteral("mentions.complete"), {{"chat", m_chatId}, {"prefix", prefix}});
        if (r)
            for (const auto& c : r->toObject().value("candidates").toArray()) names << c.toObject().value("name").toString();
        return names;
    }

    // Set when the server revoked this device: the shell ends and says so.
    std::optional<client::ClientError> revoked;

private:
    // A group line with an @word that mentions nobody is held back once, with a hint naming the
    // members it could mean; the same line again goes as it is.
    bool holdsBack(const QString& line) {
        const std::optional<QString> held = std::exchange(m_held, std::nullopt);
        if (!m_chatId.startsWith("g:") || !line.contains('@') || held == line) return false;
        const auto check = call(QStringLiteral("mentions.check"), {{"chat", m_chatId}, {"text", line}});
        if (!check) return true;
        const QJsonArray loose = check->toObject().value("loose").toArray();
        if (loose.isEmpty()) return false;
        m_held = line;
        if (!m_printer.json()) m_printer.line(looseMentionHint(loose));
        else { // mentions.check's answer, with the line and that it was not sent
            QJsonObject held = check->toObject();
            held.insert("text", line);
            held.insert("sent", false);
            m_printer.result(QStringLiteral("mentions.check"), held);
        }
        return true;
    }

    // The method's result, or nothing after printing why it failed.
    std::optional<QJsonValue> call(const QString& method, const QJsonObject& params) {
        auto result = m_backend.call(method, params);
        if (!result && result.error().kind == client::ErrorKind::Revoked) {
            revoked = result.error();
            m_loop.quit();
            return std::nullopt;
        }
        if (!result) {
            m_printer.error(result.error(), method);
            return std::nullopt;
        }
        return *result;
    }

    void run(const QString& method, const QJsonObject& params) {
        if (const auto result = call(method, params)) m_printer.result(method, *result);
    }

    Backend& m_backend;
    Printer& m_printer;
    QEventLoop& m_loop;
    QString m_chat;
    QString m_chatId;                 // the open chat's id (dm:... or g:...)
    std::optional<QString> m_sending; // the line being sent, while send runs
    std::optional<QString> m_held;    // the last line held back for its @words
    QList<qint64> m_echoed;           // messages this shell sent, newest last
};

} // namespace

int runShell(const Invocation& inv, Printer& printer) {
    auto backend = openBackend(inv, false);
    if (!backend) {
        printer.error(backend.error());
        return exitCodeFor(backend.error());
    }
    client::Client* local = (*backend)->localClient();
    if (local && local->isRevoked()) return reportRevoked(inv, printer, local->revokedError(), backend->get());
    // Other natter commands for this profile (from another terminal) go through it meanwhile.
    if (auto served = (*backend)->serve(); !served) {
        printer.error(served.error());
        return exitCodeFor(served.error());
    }
    QEventLoop loop;
    Shell shell(**backend, printer, loop);
    // People at a terminal get line editing, typing notices and Tab completion; scripts plain lines.
    LineEditor editor(!printer.json() && LineEditor::onTerminal());
    if (local)
        QObject::connect(local, &client::Client::deviceRevoked, &loop, [&] {
            shell.revoked = local->revokedError();
            loop.quit();
        });
    ReadyGate gate([&](const QJsonObject& e) {
        if (printer.json() || shell.shows(e)) editor.printAbove([&] { printer.event(e); });
        if (!isRevokedEvent(e)) return;
        shell.revoked = client::makeClientError(client::ErrorKind::Revoked, e.value("reason").toString());
        loop.quit();
    });
    if (auto r = (*backend)->subscribe([&](const QJsonObject& e) { gate.event(e); }); !r) {
        printer.error(r.error());
        return exitCodeFor(r.error());
    }
    // The ready line first (with --json, as listen's), then events; subscribed before going
    // online, so what waited on natterd while this profile was offline is shown too.
    if (printer.json()) printer.result(QStringLiteral("shell"), QJsonObject{{"shell", "ready"}, {"profile", inv.profile}});
    else editor.printAbove([&] { printer.line(QStringLiteral("natter shell — profile '%1'. /help for commands.").arg(inv.profile)); });
    gate.open();
    (*backend)->stayOnline();
    editor.setPrompt(shell.prompt());
    editor.setMentionCompleter([&](const QString& prefix) { return shell.mentionCompletions(prefix); });
    QObject::connect(&editor, &LineEditor::lineEntered, &loop, [&](const QString& line) {
        shell.handle(line.trimmed());
        editor.setPrompt(shell.prompt());
    });
    QObject::connect(&editor, &LineEditor::edited, &loop, [&](const QString& text) { shell.typed(text); });
    QObject::connect(&editor, &LineEditor::endOfInput, &loop, &QEventLoop::quit);
    SignalWatcher watcher;
    QObject::connect(&watcher, &SignalWatcher::terminate, &loop, &QEventLoop::quit);
    loop.exec();
    if (shell.revoked) return reportRevoked(inv, printer, *shell.revoked, backend->get());
    return Ok;
}

} // namespace natter::cli
