#include "printer.h"

#include "account_output.h"
#include "error_wording.h"
#include "message_commands.h"
#include "request_commands.h"
#include "terminal_qr.h"

#include <QDateTime>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>

#include <cstdio>

namespace natter::cli {

namespace {
QString localTime(const QString& iso) {
    const QDateTime t = QDateTime::fromString(iso, Qt::ISODateWithMs).toLocalTime();
    if (!t.isValid()) return iso;
    return t.date() == QDate::currentDate() ? t.toString("HH:mm") : t.toString("yyyy-MM-dd HH:mm");
}
} // namespace

Printer::Printer(bool json) : m_json(json), m_out(stdout), m_err(stderr) {}

void Printer::jsonLine(const QJsonValue& value) {
    const QJsonDocument doc = value.isArray() ? QJsonDocument(value.toArray()) : QJsonDocument(value.toObject());
    m_out << doc.toJson(QJsonDocument::Compact) << '\n';
    m_out.flush();
}

QString Printer::ticks(const QString& state) {
    if (state == "pending") return QStringLiteral("🕓");
    if (state == "sent") return QStringLiteral("✓");
    if (state == "delivered") return QStringLiteral("✓✓");
    if (state == "read") return QStringLiteral("✓✓ read");
    if (state == "failed") return QStringLiteral("✗ failed");
    return {};
}

void Printer::note(const QString& text) {
    m_err << "natter: " << text << '\n';
    m_err.flush();
}

void Printer::line(const QString& text) {
    if (m_json) return;
    m_out << text << '\n';
    m_out.flush();
}

void Printer::message(const QJsonObject& m) {
    const bool outgoing = m.value("outgoing").toBool();
    QString who = outgoing ? QStringLiteral("You") : m.value("sender").toString();
    if (who.isEmpty()) who = QStringLiteral("#%1").arg(m.value("sender_id").toInteger());
    QString body = m.value("text").toString();
    if (m.contains("file")) {
        const QJsonObject f = m.value("file").toObject();
        body = QStringLiteral("📎 %1 (%2 bytes, save with: natter save %3)%4")
                   .arg(f.value("name").toString())
                   .arg(f.value("size").toInteger())
                   .arg(m.value("id").toInteger())
                   .arg(body.isEmpty() ? QString() : " " + body);
    }
    if (m.value("kind").toString() == "system") {
        m_out << QStringLiteral("[%1] — %2 —").arg(localTime(m.value("time").toString()), body) << '\n';
        return;
    }
    m_out << QStringLiteral("[%1] #%2 %3: %4%5")
                 .arg(localTime(m.value("time").toString()))
                 .arg(m.value("id").toInteger())
                 .arg(who, decoratedBody(m, body),
                      outgoing ? "  " + ticks(m.value("state").toString()) : QString())
          << '\n';
}

void Printer::result(const QString& method, const QJsonValue& value) {
    if (m_json) return jsonLine(value);
    const QJsonObject o = value.toObject();
    if (printMessageActionResult(m_out, method, o) || printAccountResult(m_out, method, o) ||
        printRequestResult(m_out, method, o)) {
        m_out.flush();
        return;
    }
    if (method == "send" || method == "send_file" || method == "reply") {
        const QString state = o.value("state").toString();
        const qint64 id = o.value("id").toInteger();
        if (state == "pending")
            m_out << QStringLiteral("🕓 queued (message %1): natterd has not taken it yet; the next natter command that "
                                    "reaches natterd sends it (or run 'natter sync')")
                         .arg(id);
        else if (state == "failed") m_out << QStringLiteral("✗ message %1 was not sent").arg(id);
        else m_out << QStringLiteral("%1 %2 (message %3)").arg(ticks(state), state).arg(id);
        m_out << '\n';
    } else if (method == "sync") {
        const int sent = o.value("sent").toInt();
        const int queued = o.value("queued").toInt();
        m_out << QStringLiteral("Synced with natterd at %1: ").arg(o.value("server").toString())
              << (sent == 0 && queued == 0 ? QStringLiteral("nothing was queued")
                  : sent == 1              ? QStringLiteral("1 queued message sent")
                                           : QStringLiteral("%1 queued messages sent").arg(sent))
              << (queued > 0 ? QStringLiteral(", %1 still queued").arg(queued) : QString()) << '\n';
    } else if (method == "history") {
        const QJsonArray messages = o.value("messages").toArray();
        for (const auto& m : messages) message(m.toObject());
        if (messages.isEmpty()) m_out << "(no messages yet)\n";
    } else if (method == "chats") {
        // A title several chats share is no address: those show the chat id to name them by.
        const QJsonArray chats = o.value("chats").toArray();
        QHash<QString, int> titles;
        for (const auto& c : chats) ++titles[c.toObject().value("title").toString().toLower()];
        for (const auto& c : chats) {
            const QJsonObject chat = c.toObject();
            const int unread = chat.value("unread").toInt();
            const QString title = chat.value("title").toString();
            // A message request shows its chat id too: a stranger's title is no name to type.
            const bool request = chat.value("request").toBool();
            m_out << QStringLiteral("%1%2%3  %4  %5")
                         .arg(request ? QString(QStringLiteral("[request] ") + title) : title,
                              titles.value(title.toLower()) > 1 || request ? "  [" + chat.value("chat").toString() + "]" : QString(),
                              unread ? QStringLiteral(" (%1)").arg(unread) : QString(),
                              chat.value("last_activity").isString() ? localTime(chat.value("last_activity").toString()) : "",
                              chat.value("preview").toString().left(60))
                  << '\n';
        }
        if (chats.isEmpty()) m_out << "(no chats yet)\n";
    } else if (method == "contacts.list") {
        const QJsonArray contacts = o.value("contacts").toArray();
        for (const auto& c : contacts) {
            const QJsonObject contact = c.toObject();
            // "online", or when they were last seen, as far as their privacy settings let us know.
            const QString seen = contact.value("online").toBool() ? QStringLiteral("  online")
                                 : contact.contains("last_seen")
                                     ? QStringLiteral("  last seen %1").arg(localTime(contact.value("last_seen").toString()))
                                     : QString();
            m_out << QStringLiteral("%1  %2%3%4")
                         .arg(contact.value("name").toString(), contact.value("phone").toString(), seen,
                              contact.value("identity_changed").toBool()
                                  ? QStringLiteral("  ⚠ safety number changed: compare it (natter safety-number \"%1\"), "
                                                   "then accept it (natter contacts verify \"%1\")")
                                        .arg(contact.value("name").toString())
                                  : QString())
                  << '\n';
        }
        if (contacts.isEmpty()) m_out << "(no contacts yet: natter contacts add <phone>)\n";
    } else if (method == "contacts.add") {
        m_out << QStringLiteral("Added %1 (%2)").arg(o.value("name").toString(), o.value("phone").toString()) << '\n';
    } else if (method == "search") {
        const QJsonArray hits = o.value("hits").toArray();
        for (const auto& h : hits) {
            const QJsonObject hit = h.toObject();
            m_out << QStringLiteral("[%1] %2  %3 (message %4)")
                         .arg(localTime(hit.value("time").toString()), hit.value("chat").toString(), hit.value("snippet").toString())
                         .arg(hit.value("id").toInteger())
                  << '\n';
        }
        if (hits.isEmpty()) m_out << "(nothing found)\n";
    } else if (method.startsWith("group.") && method != "group.leave") {
        m_out << o.value("name").toString() << "  (" << o.value("chat").toString() << ")\n";
        for (const auto& m : o.value("members").toArray())
            m_out << "  " << m.toObject().value("display").toString(QStringLiteral("#%1").arg(m.toObject().value("user_id").toInteger()))
                  << (m.toObject().value("role").toString() == "admin" ? "  admin" : "")
                  << (m.toObject().contains("about") ? "  — " + m.toObject().value("about").toString() : QString()) << '\n';
    } else if (method == "devices") {
        for (const auto& d : o.value("devices").toArray()) {
            const QJsonObject dev = d.toObject();
            m_out << QStringLiteral("%1  %2  added %3%4")
                         .arg(dev.value("device_id").toInteger())
                         .arg(dev.value("name").toString(), dev.value("created").toString(),
                              dev.value("this_device").toBool() ? "  (this device)" : "")
                  << '\n';
        }
    } else if (method == "link.code") {
        const QString code = o.value("code").toString();
        m_out << "On the new device run:\n  natter --profile NAME link --code " << code << "\n" << renderQr(code.toUtf8());
    } else if (method == "whoami") {
        if (!o.value("registered").toBool()) m_out << "Profile '" << o.value("profile").toString() << "' is not registered.\n";
        else
            m_out << o.value("name").toString() << " " << o.value("phone").toString() << "  user " << o.value("user_id").toInteger()
                  << ", device " << o.value("device_id").toInteger() << " on " << o.value("server").toString()
                  << (o.contains("revoked") ? QStringLiteral("  (%1)").arg(o.value("revoked").toString()) : QString()) << '\n';
    } else if (method == "read") {
        m_out << QStringLiteral("Marked %1 message(s) read").arg(o.value("marked").toInt())
              << (o.contains("id") ? QStringLiteral(" up to message %1").arg(o.value("id").toInteger()) : QString()) << '\n';
    } else if (method == "save") {
        m_out << "Saved to " << o.value("path").toString() << '\n';
    } else if (method == "backup") {
        m_out << QStringLiteral("Backup written to %1 (%2 KiB, %3 media file(s)). Keep it and its passphrase apart.")
                     .arg(o.value("path").toString())
                     .arg(qint64(o.value("bytes").toDouble()) / 1024)
                     .arg(o.value("media_files").toInt())
              << '\n';
    } else if (method == "export") {
        m_out << QStringLiteral("Exported %1 chat(s), %2 message(s) and %3 file(s) to %4")
                     .arg(o.value("chats").toInteger())
                     .arg(o.value("messages").toInteger())
                     .arg(o.value("files").toInteger())
                     .arg(o.value("out").toString())
              << '\n';
        if (const int missing = o.value("missing_files").toInt(); missing > 0)
            m_err << QStringLiteral("natter: %1 file(s) could not be fetched; their messages say why").arg(missing) << '\n';
        m_err << "natter: the export is not encrypted: anyone who can read that folder can read these chats\n";
    } else if (method == "restore") {
        m_out << QStringLiteral("Profile '%1' restored in %2 (%3 media file(s)).")
                     .arg(o.value("profile").toString(), o.value("path").toString())
                     .arg(o.value("media_files").toInt())
              << '\n';
    } else if (method == "group.leave") {
        m_out << "You left the group\n";
    } else if (method.startsWith("chat.")) {
        QStringList flags;
        if (o.value("pinned").toBool()) flags << "pinned";
        if (o.value("muted").toBool()) flags << "muted";
        if (o.value("archived").toBool()) flags << "archived";
        m_out << o.value("title").toString() << ": " << (flags.isEmpty() ? QStringLiteral("not pinned, muted or archived") : flags.join(", "))
              << '\n';
    } else if (method == "settings.name") {
        m_out << "Your name is now " << o.value("name").toString() << '\n';
    } else if (method == "settings.about") {
        const QString about = o.value("about").toString();
        if (about.isEmpty()) m_out << "You have no about text now\n";
        else m_out << "Your about text is now: " << about << '\n';
    } else if (method == "settings.privacy") {
        m_out << o.value("setting").toString() << ": " << o.value("value").toString() << '\n';
    } else {
        m_out << QJsonDocument(o).toJson(QJsonDocument::Indented);
    }
    m_out.flush();
}

void Printer::event(const QJsonObject& e) {
    if (m_json) return jsonLine(e);
    const QString type = e.value("type").toString();
    if (type == "message") message(e.value("message").toObject());
    else if (type == "message_updated") {
        const QJsonObject m = e.value("message").toObject();
        const bool changed = m.value("edited").toBool() || m.value("deleted").toBool() || !m.value("reactions").toArray().isEmpty();
        if (m.value("outgoing").toBool() && !changed)
            m_out << QStringLiteral("  %1 message %2").arg(ticks(m.value("state").toString())).arg(m.value("id").toInteger()) << '\n';
        else if (m.value("kind").toString() != "undecryptable")
            message(m);
    } else if (type == "message_removed") {
        m_out << "  message " << e.value("id").toInteger() << " was deleted on this device\n";
    } else if (type == "reaction") {
        m_out << QStringLiteral("  %1 reacted %2 to your message %3")
                     .arg(e.value("name").toString(), e.value("emoji").toString())
                     .arg(e.value("id").toInteger())
              << '\n';
    } else if (type == "typing") {
        const QStringList users = e.value("users").toVariant().toStringList();
        if (!users.isEmpty()) m_out << QStringLiteral("  %1 is typing…").arg(users.join(", ")) << '\n';
    } else if (type == "presence") {
        m_out << QStringLiteral("  %1 is %2").arg(e.value("name").toString(), e.value("online").toBool() ? "online" : "offline")
              << '\n';
    } else if (type == "identity_changed") {
        m_out << QStringLiteral("  ⚠ Your safety number with %1 changed: compare it ('natter safety-number %1'), then accept it ('natter contacts verify %1')")
                     .arg(e.value("name").toString())
              << '\n';
    } else if (type == "connection") {
        m_out << "  (" << e.value("state").toString() << ")\n";
    } else if (type == "history_progress") {
        m_out << QStringLiteral("  History: %1/%2 messages").arg(e.value("received").toInteger()).arg(e.value("total").toInteger()) << '\n';
    } else if (type == "message_failed") {
        m_out << "  ✗ message " << e.value("id").toInteger() << " failed: " << e.value("reason").toString() << '\n';
    } else if (type == "session_ended" && !e.contains("revoked")) { // a revocation ends with its own notice
        m_out << "  " << e.value("reason").toString() << '\n';
    }
    m_out.flush();
}

void Printer::revoked(const QString& message, const QString& reason, const QString& howToContinue,
                      const QJsonArray& unsent) {
    if (m_json) {
        jsonLine(QJsonObject{{"error", QJsonObject{{"kind", client::toString(client::ErrorKind::Revoked)},
                                                   {"reason", reason},
                                                   {"message", message},
                                                   {"how_to_continue", howToContinue},
                                                   {"unsent", unsent}}}});
        return;
    }
    m_err << message << '\n' << howToContinue << '\n';
    if (!unsent.isEmpty()) m_err << "Not sent (they were still queued):\n";
    for (const auto& u : unsent) {
        const QJsonObject m = u.toObject();
        m_err << QStringLiteral("  ✗ message %1 to %2: %3")
                     .arg(m.value("id").toInteger())
                     .arg(m.value("chat").toString(), m.value("text").toString())
              << '\n';
    }
    m_err.flush();
}

void Printer::error(const client::ClientError& e, const QString& method) {
    if (m_json) {
        QJsonObject error{{"kind", client::toString(e.kind)}, {"message", e.message}};
        if (!e.param.isEmpty()) error.insert("param", e.param);
        jsonLine(QJsonObject{{"error", error}});
        return;
    }
    m_err << "natter: " << inPlainWords(method, e) << '\n';
    m_err.flush();
}

} // namespace natter::cli
