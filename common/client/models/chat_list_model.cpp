#include "client/models/chat_list_model.h"

#include "client/store/chat_store.h"
#include "client/store/message_store.h"
#include "client/store/profile_store.h"

#include <QDateTime>

namespace natter::client {

ChatListModel::ChatListModel(store::ProfileStore& store, TypingNames typing, QObject* parent)
    : QAbstractListModel(parent), m_store(store), m_typing(std::move(typing)) {
    reload();
}

void ChatListModel::reload() {
    auto chats = m_store.chats().list(true);
    beginResetModel();
    m_rows.clear();
    m_lastOwn.clear();
    m_totalUnread = 0;
    m_archivedCount = 0;
    if (chats) {
        for (auto& chat : *chats) {
            if (chat.archived) {
                ++m_archivedCount;
                if (!m_showArchived) continue;
            }
            // The badge counts every unmuted chat, whatever the search shows.
            if (!chat.muted) m_totalUnread += int(chat.unread);
            if (!m_filter.isEmpty() && !chat.title.contains(m_filter, Qt::CaseInsensitive) &&
                !chat.lastPreview.contains(m_filter, Qt::CaseInsensitive))
                continue;
            m_lastOwn.emplace_back();
            m_rows.push_back(std::move(chat));
        }
    }
    endResetModel();
    emit countChanged();
}

ChatListModel::LastOwn ChatListModel::lastOwnOf(const QString& chatId) const {
    auto newest = m_store.messages().page(chatId, 1);
    if (!newest || newest->empty() || newest->front().direction != MessageDirection::outgoing) return {};
    return {true, stateName(newest->front().state)};
}

const ChatListModel::LastOwn& ChatListModel::lastOwnAt(int row) const {
    auto& cached = m_lastOwn[std::size_t(row)];
    if (!cached) cached = lastOwnOf(m_rows[std::size_t(row)].chatId);
    return *cached;
}

void ChatListModel::setFilter(const QString& text) {
    if (text == m_filter) return;
    m_filter = text;
    reload();
}

void ChatListModel::setShowArchived(bool show) {
    if (show == m_showArchived) return;
    m_showArchived = show;
    reload();
}

void ChatListModel::onTypingChanged(const QString& chatId) {
    for (int i = 0; i < int(m_rows.size()); ++i)
        if (m_rows[std::size_t(i)].chatId == chatId) emit dataChanged(index(i), index(i), {TypingRole});
}

void ChatListModel::onMessageUpdated(qint64, const QString& chatId) {
    for (int i = 0; i < int(m_rows.size()); ++i) {
        if (m_rows[std::size_t(i)].chatId != chatId) continue;
        m_lastOwn[std::size_t(i)].reset();
        emit dataChanged(index(i), index(i), {LastOutgoingRole, LastStateRole});
    }
}

int ChatListModel::rowCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : int(m_rows.size()); }

const ChatRecord* ChatListModel::at(int row) const {
    return row >= 0 && row < int(m_rows.size()) ? &m_rows[std::size_t(row)] : nullptr;
}

int ChatListModel::totalUnread() const { return m_totalUnread; }

QVariant ChatListModel::data(const QModelIndex& index, int role) const {
    const ChatRecord* chat = at(index.row());
    if (!chat) return {};
    switch (role) {
    case Qt::DisplayRole:
    case TitleRole: return chat->title;
    case ChatIdRole: return chat->chatId;
    case PreviewRole: return chat->lastPreview;
    case LastActivityRole: return QDateTime::fromMSecsSinceEpoch(chat->lastActivity);
    case UnreadRole: return int(chat->unread);
    case PinnedRole: return chat->pinned;
    case MutedRole: return chat->muted;
    case ArchivedRole: return chat->archived;
    case ExpireTimerRole: return chat->expireTimer;
    case IsGroupRole: return chat->type == ChatType::group;
    case LastOutgoingRole: return lastOwnAt(index.row()).outgoing;
    case LastStateRole: return lastOwnAt(index.row()).state;
    case TypingRole: {
        const QStringList names = m_typing ? m_typing(chat->chatId) : QStringList();
        if (names.isEmpty()) return QString();
        if (names.size() == 1) return tr("%1 is typing…").arg(names.front());
        return tr("%1 are typing…").arg(names.join(QStringLiteral(", ")));
    }
    }
    return {};
}

QHash<int, QByteArray> ChatListModel::roleNames() const {
    return {{ChatIdRole, "chatId"},   {TitleRole, "title"},     {PreviewRole, "preview"},
            {LastActivityRole, "lastActivity"}, {UnreadRole, "unread"}, {PinnedRole, "pinned"},
            {MutedRole, "muted"},     {ArchivedRole, "archived"}, {IsGroupRole, "isGroup"},
            {TypingRole, "typing"},   {LastOutgoingRole, "lastOutgoing"}, {LastStateRole, "lastState"},
            {ExpireTimerRole, "expireTimer"}};
}

} // namespace natter::client
