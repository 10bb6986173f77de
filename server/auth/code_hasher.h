// Verification codes at rest: an HMAC-SHA256 of the phone number and the code under the
// server's code key (verification.key), so that a copy of the database does not give pending
// codes away (a bare hash of a 6-digit code is reversed by trying all million codes).
#pragma once

#include <string>
#include <string_view>

namespace natter::server {

class CodeHasher {
public:
    explicit CodeHasher(std::string key) : key_(std::move(key)) {}
    // What is stored for `code` sent to `phone`, and compared against on verification.
    std::string hash(std::string_view phone, std::string_view code) const;

private:
    std::string key_;
};

} // namespace natter::server
