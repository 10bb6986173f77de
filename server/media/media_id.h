// Media ids: 32 random bytes as unpadded base64url (43 characters). Unguessable, so the id is
// the capability to download a blob, and safe as a file name.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace natter::server {

inline constexpr std::size_t kMediaIdChars = 43;

std::string newMediaId();
// True for exactly kMediaIdChars characters of the base64url alphabet.
bool isMediaId(std::string_view text);

} // namespace natter::server
