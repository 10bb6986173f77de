// Identifier rules: E.164 phone numbers, the deterministic chat id of a 1:1 chat, media ids.
#pragma once

#include "protocol/types.h"

#include <cstddef>
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

// The account's own chat, "dm:<id>:<id>": what one of its devices sends there reaches only its
// other devices (account sync, docs/protocol.md). Never a 1:1 chat: parseDirectChatId refuses it.
std::string ownChatId(UserId user);
// The user of an own chat id; nullopt if it is not one.
std::optional<UserId> parseOwnChatId(std::string_view chatId);
// A chat whose messages carry one envelope per device: a 1:1 chat or the account's own chat.
bool isPairwiseChatId(std::string_view chatId);

// True if text is valid UTF-8 (no overlongs, no surrogates).
bool isValidUtf8(std::string_view text);

// Group chat ids are "g:" followed by the server's random token.
bool isGroupChatId(std::string_view chatId);

// Media ids (POST /api/media) are 32 random bytes as unpadded base64url: exactly 43 characters
// of A-Z a-z 0-9 - _. Nothing else is one, so a media id is safe in a URL path or a file name.
inline constexpr std::size_t kMediaIdChars = 43;
bool isMediaId(std::string_view text);

} // namespace natter::protocol
