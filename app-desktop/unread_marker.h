// Where the unread messages of a chat begin when it is opened ("N unread messages" divider,
// the row the view opens at) and how many new messages arrived below while the view was not at
// the bottom (the jump-to-bottom button's count).
#pragma once

#include <QObject>
#include <QString>

namespace natter::client { class MessageListModel; }

namespace natter::desktop {

class MessageProxy;

class UnreadMarker : public QObject {
    Q_OBJECT
    // Unread incoming messages when the chat was opened (0: no divider).
    Q_PROPERTY(int count READ count CONSTANT)
    Q_PROPERTY(QString dividerText READ dividerText CONSTANT)
    Q_PROPERTY(int newBelow READ newBelow NOTIFY newBelowChanged)
public:
    // unread: the chat's unread count before it is marked read. Pages in older history until
    // the first unread message is loaded.
    UnreadMarker(client::MessageListModel* messages, MessageProxy* proxy, int unread, QObject* parent = nullptr);

    int count() const { return m_count; }
    QString dividerText() const;
    int newBelow() const { return m_newBelow; }
    qint64 firstUnreadId() const { return m_firstUnreadId; }

    // The first unread message's row in the newest-first view; -1 when there is none.
    Q_INVOKABLE int firstUnreadRow() const;
    // The view opens: firstUnreadRow(), where it places itself. Only from now on does it say
    // where it is (the list's moves while the chat loads are not the user's).
    Q_INVOKABLE int placeView();
    // The view reports whether its newest message is in sight: reaching it clears the count.
    Q_INVOKABLE void setAtBottom(bool atBottom);

signals:
    void newBelowChanged();

private:
    void findFirstUnread();
    void onRowsInserted(int first, int last);

    client::MessageListModel* m_messages;
    MessageProxy* m_proxy;
    int m_count = 0;
    qint64 m_firstUnreadId = 0;
    int m_newBelow = 0;
    bool m_atBottom = true;
    bool m_placed = false;
};

} // namespace natter::desktop
