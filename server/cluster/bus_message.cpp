#include "cluster/bus_message.h"

#include <charconv>

namespace natter::server {

namespace {
std::optional<std::string_view> token(std::string_view& rest) {
    const auto space = rest.find(' ');
    if (space == std::string_view::npos) return std::nullopt;
    const auto t = rest.substr(0, space);
    rest.remove_prefix(space + 1);
    return t;
}
bool number(std::string_view text, std::uint64_t& out) {
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
    return ec == std::errc{} && end == text.data() + text.size();
}
} // namespace

std::string BusMessage::encode() const {
    std::string out;
    out.reserve(origin.size() + payload.size() + 48);
    out += static_cast<char>(kind);
    out += ' ';
    out += origin;
    out += ' ';
    out += std::to_string(a);
    out += ' ';
    out += std::to_string(b);
    out += '\n';
    out += payload;
    return out;
}

std::optional<BusMessage> BusMessage::parse(std::string_view text) {
    const auto newline = text.find('\n');
    if (newline == std::string_view::npos) return std::nullopt;
    std::string_view header = text.substr(0, newline);
    BusMessage m;
    m.payload = text.substr(newline + 1);
    const auto kind = token(header);
    const auto origin = token(header);
    const auto a = token(header);
    if (!kind || kind->size() != 1 || !origin || !a || !number(*a, m.a) || !number(header, m.b)) return std::nullopt;
    switch ((*kind)[0]) {
    case 'e': case 'f': case 'k': case 'c': case 'r': m.kind = static_cast<Kind>((*kind)[0]); break;
    default: return std::nullopt;
    }
    m.origin = std::string(*origin);
    return m;
}

std::string deviceChannel(std::uint64_t user, std::uint32_t device) {
    return "nd:" + std::to_string(user) + "." + std::to_string(device);
}
std::string userChannel(std::uint64_t user) { return "nu:" + std::to_string(user); }

} // namespace natter::server
