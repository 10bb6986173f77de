// The desktop app's wording: ticks, times, presence, typing and accessible names.
#include "formatting.h"

#include <QCoreApplication>
#include <QLocale>
#include <QRegularExpression>
#include <QUrl>

namespace natter::desktop {

namespace {
QString tr(const char* text) { return QCoreApplication::translate("Natter", text); }
QString shortClock(const QDateTime& t) { return t.time().toString(QStringLiteral("H:mm")); }
} // namespace

Ticks ticksFor(const QString& state) {
    if (state == QLatin1String("sent")) return {QStringLiteral("tick-sent"), false, false, tr("sent"), tr("Sent")};
    if (state == QLatin1String("delivered"))
        return {QStringLiteral("tick-double"), false, false, tr("delivered"), tr("Delivered")};
    if (state == QLatin1String("read")) return {QStringLiteral("tick-double"), true, false, tr("read"), tr("Read")};
    if (state == QLatin1String("failed")) return {QStringLiteral("tick-failed"), false, true, tr("not sent"), tr("Not sent")};
    return {QStringLiteral("tick-pending"), false, false, tr("sending"), tr("Sending")};
}

QString clockTime(const QDateTime& t) { return t.isValid() ? t.time().toString(QStringLiteral("HH:mm")) : QString(); }

QString chatListTime(const QDateTime& t, const QDateTime& now) {
    if (!t.isValid()) return {};
    const qint64 days = t.date().daysTo(now.date());
    if (days <= 0) return clockTime(t);
    if (days == 1) return tr("Yesterday");
    if (days < 7) return QLocale().dayName(t.date().dayOfWeek(), QLocale::ShortFormat);
    return QLocale().toString(t.date(), QLocale::ShortFormat);
}

QString dayLabel(const QDate& day, const QDate& today) {
    if (!day.isValid()) return {};
    const qint64 days = day.daysTo(today);
    if (days == 0) return tr("Today");
    if (days == 1) return tr("Yesterday");
    return QLocale().toString(day, QStringLiteral("dddd, d MMMM yyyy"));
}

QString presenceText(bool known, bool online, std::optional<qint64> lastSeenMs, const QDateTime& now) {
    if (!known) return {};
    if (online) return tr("online");
    if (!lastSeenMs) return {};
    const QDateTime seen = QDateTime::fromMSecsSinceEpoch(*lastSeenMs);
    const qint64 days = seen.date().daysTo(now.date());
    if (days <= 0) return tr("last seen today at %1").arg(shortClock(seen));
    if (days == 1) return tr("last seen yesterday at %1").arg(shortClock(seen));
    return tr("last seen %1 at %2").arg(QLocale().toString(seen.date(), QStringLiteral("d MMM")), shortClock(seen));
}

QString typingText(const QStringList& names) {
    if (names.isEmpty()) return {};
    if (names.size() == 1) return tr("%1 is typing…").arg(names.front());
    if (names.size() == 2) return tr("%1 and %2 are typing…").arg(names[0], names[1]);
    return tr("%1 people are typing…").arg(names.size());
}

QString messageAccessibleName(const QString& sender, const QDateTime& t, const QString& kind, const QString& text,
                              const QString& fileName, bool outgoing, const QString& state) {
    QString body;
    if (kind == QLatin1String("media"))
        body = text.isEmpty() ? tr("file %1").arg(fileName) : tr("file %1, %2").arg(fileName, text);
    else if (kind == QLatin1String("undecryptable"))
        body = tr("a message that could not be decrypted yet");
    else
        body = text;
    if (kind == QLatin1String("system")) return tr("%1: %2").arg(clockTime(t), body);
    QString spoken = tr("%1, %2: %3").arg(outgoing ? tr("You") : sender, clockTime(t), body);
    if (outgoing) spoken += QStringLiteral(", ") + ticksFor(state).spoken;
    return spoken;
}

QString chatAccessibleName(const QString& title, int unread, const QString& time, const QString& preview,
                           const QString& typing) {
    QStringList parts{title};
    if (unread > 0) parts << (unread == 1 ? tr("1 unread message") : tr("%1 unread messages").arg(unread));
    const QString last = typing.isEmpty() ? preview : typing;
    if (!last.isEmpty()) parts << (time.isEmpty() ? last : tr("%1: %2").arg(time, last));
    return parts.join(QStringLiteral(", "));
}

QString fileSizeText(qint64 bytes) {
    if (bytes < 1024) return bytes == 1 ? tr("1 byte") : tr("%1 bytes").arg(bytes);
    if (bytes < 1024 * 1024) return tr("%1 KB").arg(bytes / 1024);
    return tr("%1 MB").arg(QLocale::c().toString(double(bytes) / (1024.0 * 1024.0), 'f', 1));
}

QString unreadBadge(int unread) {
    if (unread <= 0) return {};
    return unread > 99 ? QStringLiteral("99+") : QString::number(unread);
}

QString normalizePhone(const QString& phone) {
    QString out = phone.trimmed();
    out.remove(QRegularExpression(QStringLiteral("[\\s\\-\\.\\(\\)]")));
    return out;
}

QString phoneProblem(const QString& phone) {
    const QString p = normalizePhone(phone);
    if (p.isEmpty()) return tr("Enter your phone number.");
    static const QRegularExpression e164(QStringLiteral("^\\+[1-9][0-9]{6,14}$"));
    if (!e164.match(p).hasMatch())
        return tr("Use the international form with country code, like +4915112345678.");
    return {};
}

QString serverProblem(const QString& address) {
    const QString a = address.trimmed();
    if (a.isEmpty()) return tr("Enter the server address.");
    const QUrl url(a, QUrl::StrictMode);
    const QString scheme = url.scheme();
    if (!url.isValid() || (scheme != QLatin1String("http") && scheme != QLatin1String("https")) || url.host().isEmpty())
        return tr("Use an address like http://127.0.0.1:8787 or https://chat.example.org.");
    return {};
}

QString codeProblem(const QString& code) {
    const QString c = code.trimmed();
    if (c.isEmpty()) return tr("Enter the code you received.");
    if (c.size() > 32 || c.contains(QRegularExpression(QStringLiteral("\\s"))))
        return tr("That does not look like a verification code.");
    return {};
}

} // namespace natter::desktop
