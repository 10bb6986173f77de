#include "media/media_id.h"

#include "auth/secrets.h"

#include <algorithm>

namespace natter::server {

std::string newMediaId() { return secrets::randomToken(32); }

bool isMediaId(std::string_view text) {
    return text.size() == kMediaIdChars && std::all_of(text.begin(), text.end(), [](char c) {
               return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
                      c == '_';
           });
}

} // namespace natter::server
