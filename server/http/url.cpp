#include "http/url.h"

#include <charconv>

namespace natter::server::url {

std::string percentDecode(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        unsigned value = 0;
        if (text[i] == '%' && i + 2 < text.size() &&
            std::from_chars(text.data() + i + 1, text.data() + i + 3, value, 16).ptr == text.data() + i + 3) {
            out.push_back(static_cast<char>(value));
            i += 2;
        } else {
            out.push_back(text[i]);
        }
    }
    return out;
}

std::optional<std::string> queryParam(std::string_view target, std::string_view name) {
    const auto q = target.find('?');
    if (q == std::string_view::npos) return std::nullopt;
    std::string_view params = target.substr(q + 1);
    while (!params.empty()) {
        const auto amp = params.find('&');
        const auto param = params.substr(0, amp);
        const auto eq = param.find('=');
        if (param.substr(0, eq) == name) return percentDecode(eq == std::string_view::npos ? "" : param.substr(eq + 1));
        if (amp == std::string_view::npos) break;
        params.remove_prefix(amp + 1);
    }
    return std::nullopt;
}

} // namespace natter::server::url
