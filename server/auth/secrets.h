// Small cryptographic helpers over OpenSSL: random secrets, hashing, constant-time
// comparison, and the server's key files (token signing, verification codes).
#pragma once

#include "protocol/error.h"

#include <filesystem>
#include <string>
#include <string_view>

namespace natter::server::secrets {

std::string randomBytes(std::size_t n);
// n random bytes as unpadded base64url: for credentials handed to clients.
std::string randomToken(std::size_t n = 32);
// A uniformly random decimal code of `digits` digits.
std::string randomDigits(std::size_t digits);
std::string sha256(std::string_view data);
std::string hmacSha256(std::string_view key, std::string_view data);
bool constantTimeEquals(std::string_view a, std::string_view b);
std::string base64UrlEncode(std::string_view bytes);
bool base64UrlDecode(std::string_view text, std::string& out);

// Reads the 32-byte key at `path`, creating it (mode 0600, atomically: of several processes
// creating it at once, one key wins; durably: its bytes and its name are fsynced) on first use. A key file that group or others may access
// is refused (the error names it and the chmod fix).
protocol::Result<std::string> loadOrCreateKey(const std::filesystem::path& path);
// Reads an existing key file under the same checks (a missing file is an error).
protocol::Result<std::string> loadKey(const std::filesystem::path& path);
// fsync of a directory: the names created, linked or renamed in it survive a power cut.
bool syncDirectory(const std::filesystem::path& dir);

} // namespace natter::server::secrets
