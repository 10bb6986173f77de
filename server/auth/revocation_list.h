// Devices whose credentials were revoked (unlinked). Access tokens are stateless JWTs, so
// every authenticated request also checks this list: an unlinked device stops working at
// once, not when its token expires. Loaded at start-up; io thread only.
#pragma once

#include "store/store.h"

#include <set>
#include <vector>

namespace natter::server {

class RevocationList {
public:
    void load(const std::vector<DeviceKey>& revoked) { revoked_.insert(revoked.begin(), revoked.end()); }
    void revoke(DeviceKey device) { revoked_.insert(device); }
    bool isRevoked(DeviceKey device) const { return revoked_.contains(device); }

private:
    std::set<DeviceKey> revoked_;
};

} // namespace natter::server
