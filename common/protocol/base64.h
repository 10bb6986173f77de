// Standard base64 (RFC 4648, with padding), as used for opaque ciphertext on the wire.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace natter::protocol::base64 {

std::string encode(std::string_view bytes);
// nullopt unless `text` is canonical padded base64.
std::optional<std::string> decode(std::string_view text);
bool isValid(std::string_view text);

} // namespace natter::protocol::base64
