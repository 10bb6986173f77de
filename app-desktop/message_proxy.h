// A conversation for the ListView: the core's MessageListModel newest first (the view lays
// it out bottom to top, so scrolling up reaches the model's end and pages in older history)
// plus what the bubbles show: time, ticks, day separators, thumbnails, accessible names.
#pragma once

#include <QSortFilterProxyModel>

namespace natter::client { class MessageListModel; }

namespace natter::desktop {

class ThumbnailCache;

class MessageProxy : public QSortFilterProxyModel {
    Q_OBJECT
public:
    enum Role {
        TimeTextRole = Qt::UserRole + 100,
        TicksRole,          // icon name (Ticks::icon), "" for incoming messages
        TicksReadRole,      // bool: drawn in the read colour
        FailedRole,         // bool
        ShowDayRole,        // bool: first message of its day (in reading order)
        DayTextRole,
        AccessibleNameRole,
        ThumbnailSourceRole, // "image://thumb/<key>" or ""
        SizeTextRole,
        IsImageRole,
        TicksDescriptionRole, // "Sent", "Delivered", "Read", ... (the tick icon's accessible description)
        LinkedTextRole,     // the text as rich text with its links (message_text.h), "" when it has none
        EmojiOnlyRole,      // bool: a few emoji alone, drawn large
        UnreadDividerRole,  // "N unread messages" above the first message unread at open, else ""
        TimerTextRole,      // "1 hour", ... for a disappearing message (its timer), else ""
    };

    MessageProxy(client::MessageListModel* source, ThumbnailCache* thumbnails, QObject* parent = nullptr);

    QVariant data(const QModelIndex& index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;
    client::MessageListModel* messages() const { return m_source; }
    // The "N unread messages" divider goes above this message (UnreadMarker decides which).
    void setUnreadDivider(qint64 localId, const QString& text);

protected:
    bool lessThan(const QModelIndex& left, const QModelIndex& right) const override;

private:
    void refreshNeighbours();

    client::MessageListModel* m_source;
    ThumbnailCache* m_thumbnails;
    qint64 m_dividerId = 0;
    QString m_dividerText;
};

} // namespace natter::desktop
