#include "client/rpc/archive_writer.h"

#include "client/store/profile.h"

#include <QDateTime>
#include <QDir>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QSaveFile>

namespace natter::client::rpc {

namespace {

const char* const kStyle = R"css(
body { font-family: system-ui, sans-serif; background: #e5ddd5; margin: 0; }
header { background: #075e54; color: #fff; padding: 12px 20px; }
header a { color: #cfe; }
main { max-width: 760px; margin: 0 auto; padding: 12px; }
.day { text-align: center; color: #555; font-size: 13px; margin: 14px 0 6px; }
.msg { max-width: 75%; margin: 4px 0; padding: 6px 10px; border-radius: 8px; background: #fff;
       box-shadow: 0 1px 1px rgba(0,0,0,.15); clear: both; overflow-wrap: anywhere; }
.out { background: #dcf8c6; margin-left: auto; }
.sender { font-weight: 600; color: #075e54; font-size: 13px; }
.meta { color: #555; font-size: 11px; text-align: right; }
.quote { border-left: 3px solid #34b7f1; padding: 2px 6px; margin-bottom: 4px; color: #444; font-size: 13px; background: rgba(0,0,0,.04); }
.deleted, .system { color: #555; font-style: italic; }
.reactions { font-size: 12px; color: #333; }
img { max-width: 100%; border-radius: 6px; }
ul.chats { list-style: none; padding: 0; } ul.chats li { background: #fff; margin: 6px 0; padding: 10px; border-radius: 6px; }
)css";

QString esc(const QString& text) { return text.toHtmlEscaped(); }

QString page(const QString& title, const QString& header, const QString& body) {
    return QStringLiteral("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                          "<title>%1</title><style>%2</style></head>\n<body><header>%3</header><main>\n%4</main></body></html>\n")
        .arg(esc(title), QString::fromUtf8(kStyle), header, body);
}

QString tickText(const QString& state) {
    if (state == QLatin1String("read")) return QStringLiteral("✓✓ read");
    if (state == QLatin1String("delivered")) return QStringLiteral("✓✓ delivered");
    if (state == QLatin1String("sent")) return QStringLiteral("✓ sent");
    if (state == QLatin1String("failed")) return QStringLiteral("not sent");
    return QStringLiteral("pending");
}

QString messageHtml(const QJsonObject& m, bool group) {
    const bool out = m.value("outgoing").toBool();
    QString html = QStringLiteral("<div class=\"msg%1\" id=\"m%2\">").arg(out ? " out" : "").arg(m.value("id").toInteger());
    if (group && !out) html += QStringLiteral("<div class=\"sender\">%1</div>").arg(esc(m.value("sender").toString()));
    if (m.value("forwarded").toBool()) html += QStringLiteral("<div class=\"meta\" style=\"text-align:left\">Forwarded</div>");
    if (const QJsonObject q = m.value("quote").toObject(); !q.isEmpty())
        html += QStringLiteral("<div class=\"quote\"><b>%1</b><br>%2</div>")
                    .arg(esc(q.value("sender").toString()),
                         q.value("deleted").toBool() ? QStringLiteral("This message was deleted") : esc(q.value("snippet").toString()));
    if (m.value("deleted").toBool()) {
        html += QStringLiteral("<div class=\"deleted\">This message was deleted</div>");
    } else if (m.value("kind").toString() == QLatin1String("system") || m.value("kind").toString() == QLatin1String("undecryptable")) {
        html += QStringLiteral("<div class=\"system\">%1</div>").arg(esc(m.value("text").toString()));
    } else {
        if (const QJsonObject f = m.value("file").toObject(); !f.isEmpty()) {
            const QString path = f.value("path").toString();
            const QString name = esc(f.value("name").toString());
            if (path.isEmpty()) html += QStringLiteral("<div class=\"system\">📎 %1 (not available: %2)</div>").arg(name, esc(f.value("error").toString()));
            else if (f.value("mime").toString().startsWith(QLatin1String("image/")))
                html += QStringLiteral("<a href=\"../%1\"><img src=\"../%1\" alt=\"%2\"></a>").arg(esc(path), name);
            else html += QStringLiteral("<div>📎 <a href=\"../%1\">%2</a></div>").arg(esc(path), name);
        }
        if (const QString text = m.value("text").toString(); !text.isEmpty())
            html += QStringLiteral("<div>%1</div>").arg(esc(text).replace('\n', QStringLiteral("<br>")));
    }
    QStringList reactions;
    for (const auto& r : m.value("reactions").toArray())
        reactions << QStringLiteral("%1 %2").arg(r.toObject().value("emoji").toString(), esc(r.toObject().value("name").toString()));
    if (!reactions.isEmpty()) html += QStringLiteral("<div class=\"reactions\">%1</div>").arg(reactions.join(QStringLiteral(" · ")));
    const QDateTime time = QDateTime::fromString(m.value("time").toString(), Qt::ISODateWithMs).toLocalTime();
    html += QStringLiteral("<div class=\"meta\">%1%2%3</div></div>\n")
                .arg(time.toString(QStringLiteral("HH:mm")), m.value("edited").toBool() ? QStringLiteral(" · edited") : QString(),
                     out ? QStringLiteral(" · ") + tickText(m.value("state").toString()) : QString());
    return html;
}

} // namespace

std::optional<ArchiveWriter::Format> ArchiveWriter::parseFormat(const QString& name) {
    if (name == QLatin1String("html")) return Format::html;
    if (name == QLatin1String("json")) return Format::json;
    return std::nullopt;
}

ArchiveWriter::ArchiveWriter(QString dir, Format format, QString ownerName)
    : m_dir(std::move(dir)), m_format(format), m_owner(std::move(ownerName)) {}

QString ArchiveWriter::chatFile(const QJsonObject& chat) const {
    static const QRegularExpression unsafe(QStringLiteral("[^A-Za-z0-9._-]"));
    QString name = chat.value("chat").toString();
    name.replace(unsafe, QStringLiteral("_"));
    return QStringLiteral("chats/%1.%2").arg(name, m_format == Format::html ? "html" : "json");
}

Expected<void> ArchiveWriter::write(const QString& relativePath, const QByteArray& bytes) const {
    const QString path = m_dir + '/' + relativePath;
    if (!QDir().mkpath(QFileInfo(path).absolutePath()))
        return makeClientError(ErrorKind::Storage, QStringLiteral("cannot create %1").arg(QFileInfo(path).absolutePath()));
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit())
        return makeClientError(ErrorKind::Storage, QStringLiteral("cannot write %1: %2").arg(path, file.errorString()));
    store::restrictToOwner(path);
    return {};
}

Expected<void> ArchiveWriter::writeChat(const QJsonObject& chat, const QJsonArray& messages) {
    const QString file = chatFile(chat);
    QJsonObject entry{{"chat", chat.value("chat")}, {"title", chat.value("title")}, {"type", chat.value("type")},
                      {"file", file}, {"messages", messages.size()}};
    m_index.append(entry);
    if (m_format == Format::json)
        return write(file, QJsonDocument(QJsonObject{{"chat", chat}, {"messages", messages}}).toJson(QJsonDocument::Indented));
    const bool group = chat.value("type").toString() == QLatin1String("group");
    QString body;
    QString day;
    for (const auto& value : messages) {
        const QJsonObject m = value.toObject();
        const QDateTime time = QDateTime::fromString(m.value("time").toString(), Qt::ISODateWithMs).toLocalTime();
        if (const QString d = time.toString(QStringLiteral("dddd, d MMMM yyyy")); d != day) {
            day = d;
            body += QStringLiteral("<div class=\"day\">%1</div>\n").arg(esc(day));
        }
        body += messageHtml(m, group);
    }
    const QString title = chat.value("title").toString();
    return write(file, page(title, QStringLiteral("<a href=\"../index.html\">← Chats</a> &nbsp; <b>%1</b>").arg(esc(title)), body).toUtf8());
}

Expected<void> ArchiveWriter::finish(qint64 exportedAtMs) {
    const QString when = QDateTime::fromMSecsSinceEpoch(exportedAtMs).toLocalTime().toString(QStringLiteral("d MMMM yyyy HH:mm"));
    if (m_format == Format::json)
        return write(QStringLiteral("index.json"),
                     QJsonDocument(QJsonObject{{"exported_at", QDateTime::fromMSecsSinceEpoch(exportedAtMs, Qt::UTC)
                                                                    .toString(Qt::ISODateWithMs)},
                                               {"account", m_owner},
                                               {"chats", m_index}})
                         .toJson(QJsonDocument::Indented));
    QString list = QStringLiteral("<ul class=\"chats\">\n");
    for (const auto& value : m_index) {
        const QJsonObject c = value.toObject();
        list += QStringLiteral("<li><a href=\"%1\">%2</a> · %3 messages</li>\n")
                    .arg(esc(c.value("file").toString()), esc(c.value("title").toString()))
                    .arg(c.value("messages").toInt());
    }
    list += QStringLiteral("</ul>\n");
    return write(QStringLiteral("index.html"),
                 page(QStringLiteral("Natter chats"),
                      QStringLiteral("<b>Natter chats of %1</b>, exported %2").arg(esc(m_owner), esc(when)), list)
                     .toUtf8());
}

} // namespace natter::client::rpc
