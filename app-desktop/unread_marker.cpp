// UnreadMarker: the first unread message at open and the count of new messages below.
#include "unread_marker.h"

#include "message_proxy.h"

#include "client/models/message_list_model.h"

namespace natter::desktop {

using client::MessageDirection;
using client::MessageState;

UnreadMarker::UnreadMarker(client::MessageListModel* messages, MessageProxy* proxy, int unread, QObject* parent)
    : QObject(parent), m_messages(messages), m_proxy(proxy) {
    if (unread > 0) findFirstUnread();
    if (m_firstUnreadId) {
        m_count = unread;
        m_newBelow = unread;
        m_atBottom = false;
    }
    connect(proxy, &QAbstractItemModel::rowsInserted, this,
            [this](const QModelIndex&, int first, int last) { onRowsInserted(first, last); });
}

QString UnreadMarker::dividerText() const {
    return m_count > 0 ? tr("%n unread messages", nullptr, m_count) : QString();
}

void UnreadMarker::findFirstUnread() {
    // The oldest incoming message not yet read; older pages are loaded until one is read (or
    // the history starts), so the divider never lands on a message that only looks first.
    // Bounded: past kMaxLoaded rows the divider goes above the oldest one loaded.
    constexpr int kMaxLoaded = 1000;
    for (;;) {
        m_firstUnreadId = 0;
        bool readBefore = false;
        for (int row = m_messages->rowCount() - 1; row >= 0; --row) {
            const auto* m = m_messages->at(row);
            if (!m || m->direction != MessageDirection::incoming) continue;
            if (m->state == MessageState::read) {
                readBefore = true;
                break;
            }
            m_firstUnreadId = m->localId;
        }
        if (readBefore || !m_messages->canFetchMore({}) || m_messages->rowCount() >= kMaxLoaded) return;
        const int before = m_messages->rowCount();
        m_messages->fetchMore({});
        if (m_messages->rowCount() == before) return;
    }
}

int UnreadMarker::firstUnreadRow() const {
    if (!m_firstUnreadId) return -1;
    const int row = m_messages->rowOf(m_firstUnreadId);
    return row < 0 ? -1 : m_proxy->mapFromSource(m_messages->index(row, 0)).row();
}

int UnreadMarker::placeView() {
    m_placed = true;
    return firstUnreadRow();
}

void UnreadMarker::setAtBottom(bool atBottom) {
    if (!m_placed) return;
    m_atBottom = atBottom;
    if (atBottom && m_newBelow != 0) {
        m_newBelow = 0;
        emit newBelowChanged();
    }
}

void UnreadMarker::onRowsInserted(int first, int last) {
    // Newest first: row 0 is a new message; older pages arrive at the end.
    if (m_atBottom || first != 0) return;
    int added = 0;
    for (int row = first; row <= last; ++row)
        if (!m_proxy->data(m_proxy->index(row, 0), client::MessageListModel::OutgoingRole).toBool()) ++added;
    if (added == 0) return;
    m_newBelow += added;
    emit newBelowChanged();
}

} // namespace natter::desktop
