// Encoding and validation of the end-to-end content (e2e.h): clients run it on every
// decrypted plaintext, so a malformed or hostile message is refused with a clear error.
#pragma once

#include "protocol/e2e.h"
#include "protocol/error.h"

#include <optional>
#include <string>
#include <string_view>

namespace natter::protocol::e2e {

inline constexpr std::size_t kMaxTextBytes = 64 * 1024;       // a message's text or caption
inline constexpr std::size_t kMaxThumbnailBase64 = 22 * 1024; // 16 KiB decoded
inline constexpr std::size_t kMaxFileNameBytes = 255;
inline constexpr std::size_t kMaxSnippetBytes = 256;           // a quote's snippet
inline constexpr std::size_t kMaxEmojiBytes = 64;              // a reaction (one emoji, ZWJ sequences included)

Result<Content> parseContent(std::string_view json);
std::string serializeContent(const Content& content);

} // namespace natter::protocol::e2e
