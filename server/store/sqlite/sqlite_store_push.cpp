// SqliteStore: push endpoints and the per-device queue count used as a wake-up's badge.
#include "store/sqlite/sqlite_store.h"

namespace natter::server {

void SqliteStore::savePushEndpoint(DeviceKey device, const std::string& endpoint) {
    db_.prepare("INSERT INTO push_endpoints(user_id, device_id, endpoint) VALUES(?, ?, ?) "
                "ON CONFLICT(user_id, device_id) DO UPDATE SET endpoint = excluded.endpoint")
        .bind(1, device.user_id)
        .bind(2, device.device_id)
        .bind(3, endpoint)
        .run();
}

std::optional<std::string> SqliteStore::findPushEndpoint(DeviceKey device) {
    auto stmt = db_.prepare("SELECT endpoint FROM push_endpoints WHERE user_id = ? AND device_id = ?");
    stmt.bind(1, device.user_id).bind(2, device.device_id);
    if (!stmt.step()) return std::nullopt;
    return stmt.text(0);
}

bool SqliteStore::deletePushEndpoint(DeviceKey device, const std::optional<std::string>& onlyIf) {
    if (onlyIf)
        db_.prepare("DELETE FROM push_endpoints WHERE user_id = ? AND device_id = ? AND endpoint = ?")
            .bind(1, device.user_id)
            .bind(2, device.device_id)
            .bind(3, *onlyIf)
            .run();
    else
        db_.prepare("DELETE FROM push_endpoints WHERE user_id = ? AND device_id = ?")
            .bind(1, device.user_id)
            .bind(2, device.device_id)
            .run();
    return db_.changes() > 0;
}

std::uint64_t SqliteStore::countQueued(DeviceKey device) {
    auto stmt = db_.prepare("SELECT COUNT(*) FROM queue WHERE user_id = ? AND device_id = ?");
    stmt.bind(1, device.user_id).bind(2, device.device_id);
    stmt.step();
    return static_cast<std::uint64_t>(stmt.int64(0));
}

} // namespace natter::server
