#include "auth/code_hasher.h"

#include "auth/secrets.h"

namespace natter::server {

std::string CodeHasher::hash(std::string_view phone, std::string_view code) const {
    std::string message(phone);
    message.push_back('\0'); // no phone ends where a code begins: the pair is unambiguous
    message.append(code);
    return secrets::hmacSha256(key_, message);
}

} // namespace natter::server
