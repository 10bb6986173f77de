// A conversation for the ListView: the core's MessageListModel newest first (the view lays
// it out bottom to top, so scrolling up reaches the model's end and pages in older history)
// plus what the bubbles show: time, ticks, day separators, runs of one sender's messages,
// thumbnails, accessible names.
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
        // A run: incoming messages of one sender in a row, on one day. A group shows the
        // sender's name above its first message and their avatar beside its last.
        FirstOfRunRole,     // bool: no message of the same run before it (in reading order)
        LastOfRunRole,      // bool: no message of the same run after it
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
    // Whether the source rows a and b (either may be invalid) belong to one run.
    bool sameRun(const QModelIndex& a, const QModelIndex& b) const;

    client::MessageListModel* m_source;
    ThumbnailCache* m_thumbnails;
    qint64 m_dividerId = 0;
    QString m_dividerText;
};

} // namespace natter::desktop
