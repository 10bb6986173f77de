#include "protocol/identifiers.h"

#include <algorithm>
#include <charconv>

namespace natter::protocol {

bool isE164(std::string_view phone) {
    if (phone.size() < 8 || phone.size() > 16 || phone.front() != '+') return false;
    if (phone[1] == '0') return false;
    return std::all_of(phone.begin() + 1, phone.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::string directChatId(UserId a, UserId b) {
    const auto [lo, hi] = std::minmax(a, b);
    return "dm:" + std::to_string(lo) + ":" + std::to_string(hi);
}

namespace {
std::optional<UserId> parseId(std::string_view text) {
    if (text.empty() || text.front() == '0') return std::nullopt;
    UserId value = 0;
    const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc{} || ptr != text.data() + text.size()) return std::nullopt;
    return value;
}
} // namespace

std::optional<std::pair<UserId, UserId>> parseDirectChatId(std::string_view chatId) {
    constexpr std::string_view prefix = "dm:";
    if (!chatId.starts_with(prefix)) return std::nullopt;
    chatId.remove_prefix(prefix.size());
    const auto colon = chatId.find(':');
    if (colon == std::string_view::npos) return std::nullopt;
    const auto lo = parseId(chatId.substr(0, colon));
    const auto hi = parseId(chatId.substr(colon + 1));
    if (!lo || !hi || *lo >= *hi) return std::nullopt;
    return std::pair{*lo, *hi};
}

std::string ownChatId(UserId user) { return "dm:" + std::to_string(user) + ":" + std::to_string(user); }

std::optional<UserId> parseOwnChatId(std::string_view chatId) {
    constexpr std::string_view prefix = "dm:";
    if (!chatId.starts_with(prefix)) return std::nullopt;
    chatId.remove_prefix(prefix.size());
    const auto colon = chatId.find(':');
    if (colon == std::string_view::npos) return std::nullopt;
    const auto first = parseId(chatId.substr(0, colon));
    const auto second = parseId(chatId.substr(colon + 1));
    if (!first || !second || *first != *second) return std::nullopt;
    return *first;
}

bool isPairwiseChatId(std::string_view chatId) {
    return parseDirectChatId(chatId).has_value() || parseOwnChatId(chatId).has_value();
}

bool isValidUtf8(std::string_view text) {
    const auto* s = reinterpret_cast<const unsigned char*>(text.data());
    const std::size_t n = text.size();
    std::size_t i = 0;
    while (i < n) {
        const unsigned char c = s[i];
        if (c < 0x80) { ++i; continue; }
        std::size_t len = 0;
        std::uint32_t cp = 0;
        if ((c & 0xE0) == 0xC0) { len = 2; cp = c & 0x1F; }
        else if ((c & 0xF0) == 0xE0) { len = 3; cp = c & 0x0F; }
        else if ((c & 0xF8) == 0xF0) { len = 4; cp = c & 0x07; }
        else return false;
        if (i + len > n) return false;
        for (std::size_t k = 1; k < len; ++k) {
            if ((s[i + k] & 0xC0) != 0x80) return false;
            cp = (cp << 6) | (s[i + k] & 0x3F);
        }
        const bool overlong = (len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000);
        if (overlong || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
        i += len;
    }
    return true;
}

bool isGroupChatId(std::string_view chatId) { return chatId.size() > 2 && chatId.starts_with("g:"); }

bool isMediaId(std::string_view text) {
    return text.size() == kMediaIdChars && std::all_of(text.begin(), text.end(), [](char c) {
               return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
                      c == '_';
           });
}

} // namespace natter::protocol
