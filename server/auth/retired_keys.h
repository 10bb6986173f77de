// Rotating the data dir's token signing key (`natterd admin rotate-jwt-key`) without signing
// anyone out: the old key is retired, and natterd keeps accepting it until every token it signed has expired.
#pragma once

#include "protocol/error.h"

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace natter::server {

struct KeyRotation {
    std::string old_key_id; // the "kid" of tokens signed so far
    std::string new_key_id; // the "kid" of tokens signed from natterd's next start on
};

// Replaces DIR/jwt.key with a new random key and keeps the old one as DIR/jwt-retiring-KID.key.
// A running natterd keeps signing with the key it loaded until it restarts. Refused (nothing
// changed) when there is no jwt.key yet or it cannot be read.
protocol::Result<KeyRotation> rotateSigningKey(const std::filesystem::path& dataDir);

// At natterd's start, the retired keys whose tokens may still be valid, for verification only.
// A key retired since the last start (jwt-retiring-KID.key) stopped signing now: it becomes
// jwt-retired-NOW-KID.key and is accepted for `tokenTtl` from `nowSeconds`. A retired key
// older than that is deleted.
protocol::Result<std::vector<std::filesystem::path>> retiredKeysInUse(const std::filesystem::path& dataDir,
                                                                      std::chrono::seconds tokenTtl,
                                                                      std::int64_t nowSeconds);

} // namespace natter::server
