// The keys access tokens are signed and checked with: the current key file (created on first
// start) and the previous ones still accepted while a cluster's nodes rotate keys.
#pragma once

#include "auth/jwt.h"
#include "protocol/error.h"

#include <filesystem>
#include <vector>

namespace natter::server {

// The current key first, then the previous ones (which must exist).
protocol::Result<std::vector<jwt::Key>> loadSigningKeys(const std::filesystem::path& current,
                                                        const std::vector<std::filesystem::path>& previous);

} // namespace natter::server
