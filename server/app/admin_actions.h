// The `natterd admin` verbs that change things: revoke-device, delete-account and
// rotate-jwt-key. Each checks its arguments first (unknown user or device: nothing changed, exit
// 1), says what it did and what a running natterd does about it; --json for scripts.
#pragma once

#include <cstdint>
#include <filesystem>

namespace natter::server {

// Revokes the device the way the account's own unlink does (accounts/device_links.h).
int adminRevokeDevice(const std::filesystem::path& dbFile, std::int64_t user, std::int64_t device, bool asJson);
// Deletes the account and its server-side data (app/admin_delete_account.cpp); without `yes`
// only says what would go.
int adminDeleteAccount(const std::filesystem::path& dbFile, const std::filesystem::path& mediaDir, std::int64_t user,
                       bool yes, bool asJson);
// Replaces the data dir's jwt.key, keeping the old key for verification (auth/retired_keys.h).
int adminRotateJwtKey(const std::filesystem::path& dataDir, bool asJson);

} // namespace natter::server
