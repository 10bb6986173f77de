// Media ids: 32 random bytes as unpadded base64url (43 characters). Unguessable, so the id is
// the capability to download a blob, and safe as a file name.
#pragma once

#include "protocol/identifiers.h"

#include <string>

namespace natter::server {

using protocol::isMediaId; // exactly protocol::kMediaIdChars characters of the base64url alphabet
using protocol::kMediaIdChars;

std::string newMediaId();

} // namespace natter::server
