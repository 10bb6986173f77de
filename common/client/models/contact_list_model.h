// Contacts as a list model (name, phone, identity-changed warning), sorted by name.
#pragma once

#include "client/store/records.h"

#include <QAbstractListModel>

#include <vector>

namespace natter::client {
namespace store { class ProfileStore; }

class ContactListModel : public QAbstractListModel {
    Q_OBJECT
    Q_PROPERTY(int count READ rowCount NOTIFY countChanged)
public:
    enum Role { UserIdRole = Qt::UserRole + 1, NameRole, PhoneRole, IdentityChangedRole };

    explicit ContactListModel(store::ProfileStore& store, QObject* parent = nullptr);

    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;
    const ContactRecord* at(int row) const;

public slots:
    void reload();

signals:
    void countChanged();

private:
    store::ProfileStore& m_store;
    std::vector<ContactRecord> m_rows;
};

} // namespace natter::client
