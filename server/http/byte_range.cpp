#include "http/byte_range.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <limits>
#include <optional>

namespace natter::server {

namespace {

std::string_view trim(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
    return text;
}

// Decimal digits only; a value too large for 64 bits reads as the maximum (it is past any end).
std::optional<std::uint64_t> parseNumber(std::string_view text) {
    if (text.empty()) return std::nullopt;
    std::uint64_t value = 0;
    const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ptr != text.data() + text.size()) return std::nullopt;
    if (ec == std::errc::result_out_of_range) return std::numeric_limits<std::uint64_t>::max();
    if (ec != std::errc{}) return std::nullopt;
    return value;
}

ByteRange partial(std::uint64_t first, std::uint64_t last) {
    return ByteRange{ByteRange::Kind::partial, first, last - first + 1};
}

} // namespace

ByteRange resolveRange(std::string_view header, std::uint64_t size) {
    constexpr ByteRange whole{};
    constexpr ByteRange unsatisfiable{ByteRange::Kind::unsatisfiable, 0, 0};
    header = trim(header);
    constexpr std::string_view unit = "bytes=";
    if (header.size() < unit.size()) return whole;
    for (std::size_t i = 0; i < unit.size(); ++i)
        if (std::tolower(static_cast<unsigned char>(header[i])) != unit[i]) return whole;
    const std::string_view spec = trim(header.substr(unit.size()));
    if (spec.find(',') != std::string_view::npos) return whole;
    const auto dash = spec.find('-');
    if (dash == std::string_view::npos) return whole;
    const std::string_view firstText = trim(spec.substr(0, dash));
    const std::string_view lastText = trim(spec.substr(dash + 1));

    if (firstText.empty()) { // suffix: the last n bytes
        const auto n = parseNumber(lastText);
        if (!n) return whole;
        if (*n == 0 || size == 0) return unsatisfiable;
        return partial(size - std::min(*n, size), size - 1);
    }
    const auto first = parseNumber(firstText);
    if (!first) return whole;
    std::uint64_t last = std::numeric_limits<std::uint64_t>::max();
    if (!lastText.empty()) {
        const auto parsed = parseNumber(lastText);
        if (!parsed || *parsed < *first) return whole;
        last = *parsed;
    }
    if (*first >= size) return unsatisfiable;
    return partial(*first, std::min(last, size - 1));
}

} // namespace natter::server
