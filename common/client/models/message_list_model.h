// One conversation as a list model: pages of messages loaded lazily from the local store
// (newest first, older pages on demand via fetchMore), updated in place as messages arrive
// or change ticks. What the desktop's conversation view and the CLI's history both read.
#pragma once

#include "client/store/records.h"

#include <QAbstractListModel>

#include <vector>

namespace natter::client {
namespace store { class ProfileStore; }

class MessageListModel : public QAbstractListModel {
    Q_OBJECT
    Q_PROPERTY(QString chatId READ chatId CONSTANT)
    Q_PROPERTY(int count READ rowCount NOTIFY countChanged)
public:
    enum Role {
        LocalIdRole = Qt::UserRole + 1,
        TextRole,
        KindRole,        // "text", "media", "system", "undecryptable"
        OutgoingRole,    // bool
        StateRole,       // "pending", "sent", "delivered", "read", "failed"
        TimestampRole,   // QDateTime (local time)
        SenderIdRole,
        SenderNameRole,
        FileNameRole,
        MimeRole,
        SizeRole,
        HasThumbnailRole,
        ThumbnailRole,   // QByteArray (JPEG), decrypted store content
        DayRole,         // QDate of the message, for day separators
        SeqRole,
        // What people did with the message (reply, react, edit, delete):
        QuoteRole,       // QVariantMap {messageId, senderId, senderName, snippet, deleted}; empty: not a reply
        ReactionsRole,   // QVariantList of {emoji, count, names (QStringList), mine (bool)}, first reacted first
        EditedRole,      // bool: the text was edited (only the last version is kept)
        DeletedRole,     // bool: deleted for everyone ("This message was deleted"; text and file are gone)
        ExpireTimerRole, // seconds after sending it disappears; 0: it stays
        MentionsMeRole,  // bool: an incoming group text that @-mentions this account
    };

    MessageListModel(store::ProfileStore& store, QString chatId, UserId self, QObject* parent = nullptr);

    QString chatId() const { return m_chatId; }
    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;
    bool canFetchMore(const QModelIndex& parent) const override;
    void fetchMore(const QModelIndex& parent) override;

    const MessageRecord* at(int row) const;
    int rowOf(qint64 localId) const;

public slots:
    void onMessageAdded(qint64 localId, const QString& chatId);
    void onMessageUpdated(qint64 localId, const QString& chatId);
    // Deleted for me: the row goes.
    void onMessageRemoved(qint64 localId, const QString& chatId);
    void reload();

signals:
    void countChanged();

private:
    QString senderName(UserId user) const;
    QVariantMap quoteOf(const MessageRecord& m) const;
    QVariantList reactionsOf(const MessageRecord& m) const;

    store::ProfileStore& m_store;
    QString m_chatId;
    UserId m_self = 0;
    std::vector<MessageRecord> m_rows; // oldest first
    bool m_atStart = false;            // the oldest message is loaded
    static constexpr int kPage = 50;
};

} // namespace natter::client
