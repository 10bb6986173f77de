// The "@name" list above a group's composer: the members matching the "@prefix" the cursor is
// in (client core, mention_candidates.h), which one is highlighted, and the text once one is
// chosen. Composer.qml only forwards the text, the cursor and the keys; in a 1:1 chat it stays
// closed.
#pragma once

#include "client/messaging/mention_candidates.h"

#include <QAbstractListModel>
#include <QVariantMap>

#include <optional>

namespace natter::client { class Client; }

namespace natter::desktop {

class MentionCompleter : public QAbstractListModel {
    Q_OBJECT
    // Open: the cursor is in an "@prefix" token some member's name starts with, not dismissed.
    Q_PROPERTY(bool active READ active NOTIFY changed)
    Q_PROPERTY(int currentIndex READ currentIndex NOTIFY changed)
public:
    enum Role { NameRole = Qt::UserRole + 1, UserIdRole };

    MentionCompleter(client::Client& client, QString chatId, bool group, QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

    bool active() const { return m_query && !m_query->candidates.empty() && !m_dismissed; }
    int currentIndex() const { return m_current; }

    // The composer's text or cursor changed: the list follows (the first member highlighted).
    Q_INVOKABLE void update(const QString& text, int cursor);
    // Up / Down: the highlight moves, wrapping around.
    Q_INVOKABLE void move(int step);
    // Escape: closed until the token changes.
    Q_INVOKABLE void dismiss();
    // Enter, Tab or a click: {text, cursor} with the token replaced by "@Name " (empty when
    // there is no such row); the list closes.
    Q_INVOKABLE QVariantMap choose(int row);

signals:
    void changed();

private:
    client::Client& m_client;
    QString m_chatId;
    bool m_group = false;
    client::MentionMembers m_members;    // with their shown names, read for the '@' at m_membersFor
    std::optional<qsizetype> m_membersFor;
    QString m_text;
    std::optional<client::MentionQuery> m_query;
    int m_current = 0;
    bool m_dismissed = false;
};

} // namespace natter::desktop
