#include "client/models/contact_list_model.h"

#include "client/store/contact_store.h"
#include "client/store/profile_store.h"

namespace natter::client {

ContactListModel::ContactListModel(store::ProfileStore& store, QObject* parent)
    : QAbstractListModel(parent), m_store(store) {
    reload();
}

void ContactListModel::reload() {
    auto contacts = m_store.contacts().all();
    beginResetModel();
    m_rows = contacts ? std::move(*contacts) : std::vector<ContactRecord>{};
    endResetModel();
    emit countChanged();
}

int ContactListModel::rowCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : int(m_rows.size()); }

const ContactRecord* ContactListModel::at(int row) const {
    return row >= 0 && row < int(m_rows.size()) ? &m_rows[std::size_t(row)] : nullptr;
}

QVariant ContactListModel::data(const QModelIndex& index, int role) const {
    const ContactRecord* c = at(index.row());
    if (!c) return {};
    switch (role) {
    case Qt::DisplayRole:
    case NameRole: return c->name.isEmpty() ? c->phone : c->name;
    case UserIdRole: return QVariant::fromValue<qulonglong>(c->userId);
    case PhoneRole: return c->phone;
    case IdentityChangedRole: return c->identityChanged;
    }
    return {};
}

QHash<int, QByteArray> ContactListModel::roleNames() const {
    return {{UserIdRole, "userId"}, {NameRole, "name"}, {PhoneRole, "phone"}, {IdentityChangedRole, "identityChanged"}};
}

} // namespace natter::client
