// MessageProxy: newest-first order and the bubble's derived roles.
#include "message_proxy.h"

#include "formatting.h"
#include "message_text.h"
#include "image_providers.h"

#include "client/messaging/chat_timers.h"
#include "client/models/message_list_model.h"

#include <QDate>
#include <QUrl>

namespace natter::desktop {

using client::MessageListModel;

MessageProxy::MessageProxy(MessageListModel* source, ThumbnailCache* thumbnails, QObject* parent)
    : QSortFilterProxyModel(parent), m_source(source), m_thumbnails(thumbnails) {
    setSourceModel(source);
    setDynamicSortFilter(true);
    sort(0, Qt::AscendingOrder);
    // A day separator depends on the neighbour: refresh it when rows arrive around it.
    connect(source, &QAbstractItemModel::rowsInserted, this, &MessageProxy::refreshNeighbours);
    connect(source, &QAbstractItemModel::rowsRemoved, this, &MessageProxy::refreshNeighbours);
}

bool MessageProxy::lessThan(const QModelIndex& left, const QModelIndex& right) const {
    return left.row() > right.row(); // the source is oldest first
}

void MessageProxy::setUnreadDivider(qint64 localId, const QString& text) {
    m_dividerId = localId;
    m_dividerText = text;
    if (rowCount() > 0) emit dataChanged(index(0, 0), index(rowCount() - 1, 0), {UnreadDividerRole});
}

void MessageProxy::refreshNeighbours() {
    if (rowCount() > 0)
        emit dataChanged(index(0, 0), index(rowCount() - 1, 0), {ShowDayRole, DayTextRole, FirstOfRunRole, LastOfRunRole});
}

bool MessageProxy::sameRun(const QModelIndex& a, const QModelIndex& b) const {
    if (!a.isValid() || !b.isValid()) return false;
    const auto incomingText = [this](const QModelIndex& i) {
        const QString kind = m_source->data(i, MessageListModel::KindRole).toString();
        return !m_source->data(i, MessageListModel::OutgoingRole).toBool() &&
               (kind == QLatin1String("text") || kind == QLatin1String("media"));
    };
    return incomingText(a) && incomingText(b) &&
           m_source->data(a, MessageListModel::SenderIdRole) == m_source->data(b, MessageListModel::SenderIdRole) &&
           m_source->data(a, MessageListModel::DayRole) == m_source->data(b, MessageListModel::DayRole);
}

QVariant MessageProxy::data(const QModelIndex& proxyIndex, int role) const {
    if (role < TimeTextRole) return QSortFilterProxyModel::data(proxyIndex, role);
    const QModelIndex src = mapToSource(proxyIndex);
    const auto value = [&](int r) { return m_source->data(src, r); };
    const QString state = value(MessageListModel::StateRole).toString();
    const bool outgoing = value(MessageListModel::OutgoingRole).toBool();
    const QDateTime time = value(MessageListModel::TimestampRole).toDateTime();
    switch (role) {
    case TimeTextRole: return clockTime(time);
    case TicksRole: return outgoing ? ticksFor(state).icon : QString();
    case TicksDescriptionRole: return outgoing ? ticksFor(state).description : QString();
    case TicksReadRole: return outgoing && ticksFor(state).read;
    case FailedRole: return outgoing && ticksFor(state).failed;
    case ShowDayRole: {
        const QModelIndex older = m_source->index(src.row() - 1, 0);
        return !older.isValid() || m_source->data(older, MessageListModel::DayRole) != value(MessageListModel::DayRole);
    }
    case FirstOfRunRole: return !sameRun(m_source->index(src.row() - 1, 0), src);
    case LastOfRunRole: return !sameRun(src, m_source->index(src.row() + 1, 0));
    case DayTextRole: return dayLabel(value(MessageListModel::DayRole).toDate(), QDate::currentDate());
    case AccessibleNameRole: {
        // A deleted message reads as the bubble shows it; an edited one says so.
        const bool deleted = value(MessageListModel::DeletedRole).toBool();
        const QString text = deleted ? tr("This message was deleted") : value(MessageListModel::TextRole).toString();
        const QString name = messageAccessibleName(value(MessageListModel::SenderNameRole).toString(), time,
                                                   deleted ? QStringLiteral("text") : value(MessageListModel::KindRole).toString(),
                                                   text, value(MessageListModel::FileNameRole).toString(), outgoing, state);
        return value(MessageListModel::EditedRole).toBool() && !deleted ? tr("%1, edited").arg(name) : name;
    }
    case ThumbnailSourceRole: {
        if (!value(MessageListModel::HasThumbnailRole).toBool()) return QString();
        const QString key = m_source->chatId() + QLatin1Char('/') + value(MessageListModel::LocalIdRole).toString();
        m_thumbnails->put(key, value(MessageListModel::ThumbnailRole).toByteArray());
        return QStringLiteral("image://thumb/") + QString::fromLatin1(QUrl::toPercentEncoding(key));
    }
    case UnreadDividerRole:
        return m_dividerId && value(MessageListModel::LocalIdRole).toLongLong() == m_dividerId ? m_dividerText : QString();
    case SizeTextRole: return fileSizeText(value(MessageListModel::SizeRole).toLongLong());
    case TimerTextRole: {
        const auto seconds = quint32(value(MessageListModel::ExpireTimerRole).toLongLong());
        return seconds == 0 ? QString() : client::ChatTimers::durationName(seconds);
    }
    case IsImageRole: return value(MessageListModel::MimeRole).toString().startsWith(QLatin1String("image/"));
    case LinkedTextRole:
    case EmojiOnlyRole: {
        const QString kind = value(MessageListModel::KindRole).toString();
        if (kind != QLatin1String("text") && kind != QLatin1String("media")) return role == EmojiOnlyRole ? QVariant(false) : QVariant(QString());
        const QString text = value(MessageListModel::TextRole).toString();
        return role == EmojiOnlyRole ? QVariant(kind == QLatin1String("text") && isEmojiOnly(text)) : QVariant(linkedText(text));
    }
    }
    return {};
}

QHash<int, QByteArray> MessageProxy::roleNames() const {
    auto names = m_source->roleNames();
    names.insert({{TimeTextRole, "timeText"},
                  {TicksRole, "ticks"},
                  {TicksReadRole, "ticksRead"},
                  {TicksDescriptionRole, "ticksDescription"},
                  {FailedRole, "failed"},
                  {ShowDayRole, "showDay"},
                  {DayTextRole, "dayText"},
                  {AccessibleNameRole, "accessibleName"},
                  {ThumbnailSourceRole, "thumbnailSource"},
                  {SizeTextRole, "sizeText"},
                  {IsImageRole, "isImage"},
                  {LinkedTextRole, "linkedText"},
                  {EmojiOnlyRole, "emojiOnly"},
                  {UnreadDividerRole, "unreadDivider"},
                  {TimerTextRole, "timerText"},
                  {FirstOfRunRole, "firstOfRun"},
                  {LastOfRunRole, "lastOfRun"}});
    return names;
}

} // namespace natter::desktop
