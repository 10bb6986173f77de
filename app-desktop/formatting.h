// What the desktop app says about messages, chats and people: ticks, times, "last seen",
// typing lines, accessible names and onboarding input checks. Pure functions, unit-tested.
#pragma once

#include <QDateTime>
#include <QString>
#include <QStringList>

#include <optional>

namespace natter::desktop {

// How an outgoing message's state is drawn and spoken.
struct Ticks {
    QString icon;    // qrc:/icons/<icon>.svg: "tick-pending", "tick-sent", "tick-double" (delivered, read), "tick-failed"
    bool read = false; // drawn in the read colour (Appearance::tickColor)
    bool failed = false;
    QString spoken;  // "sending", "sent", "delivered", "read", "not sent"
    QString description; // the icon's accessible description: "Sending", "Sent", "Delivered", "Read", "Not sent"
};
Ticks ticksFor(const QString& state);

// "15:45" (24-hour, the locale's digits).
QString clockTime(const QDateTime& t);
// Chat list: today "15:45", yesterday "Yesterday", this week the weekday, else the date.
QString chatListTime(const QDateTime& t, const QDateTime& now);
// Day separators: "Today", "Yesterday", else e.g. "Monday, 3 March 2025".
QString dayLabel(const QDate& day, const QDate& today);
// Conversation header: "online", "last seen today at 15:45", "last seen yesterday at 9:10",
// "last seen 3 Mar at 9:10"; empty when hidden or unknown.
QString presenceText(bool known, bool online, std::optional<qint64> lastSeenMs, const QDateTime& now);
// "Alice is typing…", "Alice and Bob are typing…", "3 people are typing…"; empty: nobody.
QString typingText(const QStringList& names);
// One message as a screen reader reads it: "Alice, 15:45: hello, read".
QString messageAccessibleName(const QString& sender, const QDateTime& t, const QString& kind, const QString& text,
                              const QString& fileName, bool outgoing, const QString& state);
// One chat list row: "Bob, 2 unread, 15:45: see you".
QString chatAccessibleName(const QString& title, int unread, const QString& time, const QString& preview,
                           const QString& typing);
// "1.5 MB", "820 KB", "12 bytes".
QString fileSizeText(qint64 bytes);
// "99+" above 99, "" for 0.
QString unreadBadge(int unread);

// Onboarding checks: an empty string means the input is fine, else what is wrong with it.
QString normalizePhone(const QString& phone); // drops spaces, dashes, dots and brackets
QString phoneProblem(const QString& phone);
QString serverProblem(const QString& address);
QString codeProblem(const QString& code);

} // namespace natter::desktop
