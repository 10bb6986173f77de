// The chat list as a list model: pinned first, then by last activity, with unread counts,
// previews and who is typing. Reloaded from the store when anything in it changes (chat
// lists are small; the store answers in one query).
#pragma once

#include "client/store/records.h"

#include <QAbstractListModel>

#include <functional>
#include <optional>
#include <vector>

namespace natter::client {
namespace store { class ProfileStore; }

class ChatListModel : public QAbstractListModel {
    Q_OBJECT
    Q_PROPERTY(int count READ rowCount NOTIFY countChanged)
    Q_PROPERTY(int totalUnread READ totalUnread NOTIFY countChanged)
    // Archived chats, whether or not they are shown (the list offers them only when there are some).
    Q_PROPERTY(int archivedCount READ archivedCount NOTIFY countChanged)
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
        LastOutgoingRole, // bool: the last message is mine (the preview reads "You: …")
        LastStateRole,    // its state: "pending", "sent", "delivered", "read", "failed"; "" if not mine
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
    int archivedCount() const { return m_archivedCount; }
    const ChatRecord* at(int row) const;
    // Only chats whose title or preview contains this text (case-insensitive); empty: all.
    void setFilter(const QString& text);
    void setShowArchived(bool show);

public slots:
    void reload();
    void onTypingChanged(const QString& chatId);
    // A message changed state (sent, delivered, read): the ticks of its chat's row follow.
    void onMessageUpdated(qint64 localId, const QString& chatId);

signals:
    void countChanged();

private:
    store::ProfileStore& m_store;
    TypingNames m_typing;
    // The newest message of a row, when it is mine: its state ("" when it is not mine).
    struct LastOwn { bool outgoing = false; QString state; };
    LastOwn lastOwnOf(const QString& chatId) const;
    // Looked up when a row is first shown (a view asks only for its visible rows).
    const LastOwn& lastOwnAt(int row) const;

    std::vector<ChatRecord> m_rows;
    mutable std::vector<std::optional<LastOwn>> m_lastOwn; // parallel to m_rows
    QString m_filter;
    bool m_showArchived = false;
    int m_totalUnread = 0; // over all listed chats, not only those matching the filter
    int m_archivedCount = 0;
};

} // namespace natter::client
