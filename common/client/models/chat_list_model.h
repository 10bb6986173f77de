// The chat list as a list model: pinned first, then by last activity, with unread counts,
// previews and who is typing. Reloaded from the store when anything in it changes (chat
// lists are small; the store answers in one query).
#pragma once

#include "client/store/records.h"

#include <QAbstractListModel>

#include <functional>
#include <vector>

namespace natter::client {
namespace store { class ProfileStore; }

class ChatListModel : public QAbstractListModel {
    Q_OBJECT
    Q_PROPERTY(int count READ rowCount NOTIFY countChanged)
    Q_PROPERTY(int totalUnread READ totalUnread NOTIFY countChanged)
public:
    enum Role {
        ChatIdRole = Qt::UserRole + 1,
        TitleRole,
        PreviewRole,
        LastActivityRole, // QDateTime
        UnreadRole,
        PinnedRole,
        MutedRole,
        ArchivedRole,
        IsGroupRole,
        TypingRole,       // "Alice is typing…" or empty
        ExpireTimerRole,  // disappearing messages: seconds what is sent now lives; 0: off
    };
    // Names of users typing in a chat (empty when nobody is); supplied by the client.
    using TypingNames = std::function<QStringList(const QString& chatId)>;

    ChatListModel(store::ProfileStore& store, TypingNames typing, QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;
    // Unread messages in unmuted chats, whether or not the filter shows them.
    int totalUnread() const;
    const ChatRecord* at(int row) const;
    // Only chats whose title or preview contains this text (case-insensitive); empty: all.
    void setFilter(const QString& text);
    void setShowArchived(bool show);

public slots:
    void reload();
    void onTypingChanged(const QString& chatId);

signals:
    void countChanged();

private:
    store::ProfileStore& m_store;
    TypingNames m_typing;
    std::vector<ChatRecord> m_rows;
    QString m_filter;
    bool m_showArchived = false;
    int m_totalUnread = 0; // over all listed chats, not only those matching the filter
};

} // namespace natter::client
