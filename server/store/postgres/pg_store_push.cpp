// PgStore: push endpoints of offline devices.
#include "store/postgres/pg_store.h"

namespace natter::server {

void PgStore::savePushEndpoint(DeviceKey device, const std::string& endpoint) {
    db_.query("INSERT INTO push_endpoints(user_id, device_id, endpoint) VALUES($1, $2, $3) "
              "ON CONFLICT (user_id, device_id) DO UPDATE SET endpoint = excluded.endpoint",
              pg::Params().add(device.user_id).add(device.device_id).add(endpoint));
}

std::optional<std::string> PgStore::findPushEndpoint(DeviceKey device) {
    auto r = db_.query("SELECT endpoint FROM push_endpoints WHERE user_id = $1 AND device_id = $2",
                       pg::Params().add(device.user_id).add(device.device_id));
    if (r.empty()) return std::nullopt;
    return r.bytes(0, 0);
}

bool PgStore::deletePushEndpoint(DeviceKey device, const std::optional<std::string>& onlyIf) {
    if (onlyIf)
        return db_.query("DELETE FROM push_endpoints WHERE user_id = $1 AND device_id = $2 AND endpoint = $3",
                         pg::Params().add(device.user_id).add(device.device_id).add(*onlyIf))
                   .affected() > 0;
    return db_.query("DELETE FROM push_endpoints WHERE user_id = $1 AND device_id = $2",
                     pg::Params().add(device.user_id).add(device.device_id))
               .affected() > 0;
}

} // namespace natter::server
