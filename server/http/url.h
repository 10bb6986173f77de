// Reading request targets: percent-decoding and query parameters, shared by the REST
// router and the WebSocket upgrade (its ?access_token=).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace natter::server::url {

// "%3A" becomes ":"; malformed escapes are kept as they are.
std::string percentDecode(std::string_view text);
// The decoded value of `name` in the target's query string, if present.
std::optional<std::string> queryParam(std::string_view target, std::string_view name);

} // namespace natter::server::url
