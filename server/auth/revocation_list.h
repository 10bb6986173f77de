// Devices whose credentials were revoked (unlinked, or signed out by a re-registration of their
// number) and why. Access tokens are stateless JWTs, so every authenticated request also
// checks this list: a revoked device stops working at once, not when its token expires, and
// is told why. Loaded at start-up; io thread only.
#pragma once

#include "store/store.h"

#include <map>
#include <optional>
#include <vector>

namespace natter::server {

class RevocationList {
public:
    void load(const std::vector<RevokedDevice>& revoked) {
        for (const auto& r : revoked) revoked_.emplace(r.key, r.reason);
    }
    void revoke(DeviceKey device, protocol::RevocationReason reason) { revoked_.emplace(device, reason); }
    // Why the device was revoked; nullopt while it is not.
    std::optional<protocol::RevocationReason> reasonFor(DeviceKey device) const {
        const auto it = revoked_.find(device);
        if (it == revoked_.end()) return std::nullopt;
        return it->second;
    }

private:
    std::map<DeviceKey, protocol::RevocationReason> revoked_;
};

} // namespace natter::server
