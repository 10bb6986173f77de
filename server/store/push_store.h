// Push endpoints of offline devices and the badge of a wake-up.
#pragma once

#include "store/store_records.h"

namespace natter::server {

class PushStore {
public:
    virtual ~PushStore() = default;

    // Sets (or replaces) the device's push endpoint URL.
    virtual void savePushEndpoint(DeviceKey device, const std::string& endpoint) = 0;
    virtual std::optional<std::string> findPushEndpoint(DeviceKey device) = 0;
    // Removes the device's endpoint; with `onlyIf`, only while it is still that URL. True if removed.
    virtual bool deletePushEndpoint(DeviceKey device, const std::optional<std::string>& onlyIf) = 0;
    // Entries waiting in the device's queue (the badge of a wake-up).
    virtual std::uint64_t countQueued(DeviceKey device) = 0;
};

} // namespace natter::server
