// Identifier rules: E.164 phone numbers and the deterministic chat id of a 1:1 chat.
#pragma once

#include "protocol/types.h"

#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace natter::protocol {

// "+" then 7 to 15 digits, the first not 0 (ITU-T E.164).
bool isE164(std::string_view phone);

// The 1:1 chat between two users: "dm:<lower id>:<higher id>", the same from both sides.
std::string directChatId(UserId a, UserId b);

// The two participants of a 1:1 chat id, lower first; nullopt if it is not one.
std::optional<std::pair<UserId, UserId>> parseDirectChatId(std::string_view chatId);

// True if text is valid UTF-8 (no overlongs, no surrogates).
bool isValidUtf8(std::string_view text);

// Group chat ids are "g:" followed by the server's random token.
bool isGroupChatId(std::string_view chatId);

} // namespace natter::protocol
