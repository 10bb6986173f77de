// The formatting functions QML calls directly (chat list times, badges, accessible names),
// exposed as the context property "fmt".
#pragma once

#include "formatting.h"

#include <QDateTime>
#include <QObject>

namespace natter::desktop {

class QmlFormat : public QObject {
    Q_OBJECT
public:
    using QObject::QObject;
    // Empty for a chat without activity (e.g. a group left before anything was said).
    Q_INVOKABLE QString chatListTime(const QDateTime& t) const {
        return t.isValid() && t.toMSecsSinceEpoch() > 0 ? desktop::chatListTime(t, QDateTime::currentDateTime()) : QString();
    }
    Q_INVOKABLE QString unreadBadge(int unread) const { return desktop::unreadBadge(unread); }
    Q_INVOKABLE QString chatAccessibleName(const QString& title, int unread, const QDateTime& t, const QString& preview,
                                           const QString& typing) const {
        return desktop::chatAccessibleName(title, unread, chatListTime(t), preview, typing);
    }
    // The tick icon of an outgoing message's state ("sent", "read", ...) and what it says.
    Q_INVOKABLE QString tickIcon(const QString& state) const { return ticksFor(state).icon; }
    Q_INVOKABLE QString tickDescription(const QString& state) const { return ticksFor(state).description; }
    Q_INVOKABLE QString phoneProblem(const QString& phone) const { return desktop::phoneProblem(phone); }
    Q_INVOKABLE QString serverProblem(const QString& address) const { return desktop::serverProblem(address); }
    Q_INVOKABLE QString initials(const QString& name) const {
        const QStringList words = name.split(QLatin1Char(' '), Qt::SkipEmptyParts);
        QString out;
        for (const auto& w : words) {
            if (w.front().isLetterOrNumber()) out += w.front().toUpper();
            if (out.size() == 2) break;
        }
        return out.isEmpty() ? QStringLiteral("#") : out;
    }
};

} // namespace natter::desktop
