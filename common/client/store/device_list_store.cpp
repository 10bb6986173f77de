#include "client/store/device_list_store.h"

#include "client/store/database.h"

#include <QStringList>

namespace natter::client::store {

Expected<std::optional<PinnedDeviceList>> DeviceListStore::pinned(UserId user) {
    auto stmt = m_db.prepare("SELECT identity_key, version, devices FROM device_lists WHERE user_id = ?");
    if (!stmt) return stmt.error();
    stmt->bind(1, qint64(user));
    auto row = stmt->step();
    if (!row) return row.error();
    if (!*row) return std::optional<PinnedDeviceList>{};
    PinnedDeviceList list{stmt->blob(0), quint64(stmt->int64(1)), {}};
    for (const QString& id : stmt->text(2).split(QLatin1Char(','), Qt::SkipEmptyParts)) list.devices.push_back(id.toUInt());
    return std::optional(std::move(list));
}

Expected<void> DeviceListStore::pin(UserId user, const PinnedDeviceList& list) {
    QStringList ids;
    for (DeviceId d : list.devices) ids << QString::number(d);
    auto stmt = m_db.prepare("INSERT OR REPLACE INTO device_lists (user_id, identity_key, version, devices) VALUES (?, ?, ?, ?)");
    if (!stmt) return stmt.error();
    stmt->bind(1, qint64(user)).bind(2, list.identityKey).bind(3, qint64(list.version)).bind(4, ids.join(QLatin1Char(',')));
    return stmt->run();
}

} // namespace natter::client::store
