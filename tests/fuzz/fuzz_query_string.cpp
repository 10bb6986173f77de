// Fuzz target: request targets as the REST router and the WebSocket upgrade read them:
// percent-decoding and query parameters (url::percentDecode, url::queryParam). Input: a
// parameter name, a newline, then the target.
#include "fuzz_check.h"

#include "http/url.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace url = natter::server::url;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    const auto newline = input.find('\n');
    if (newline == std::string_view::npos) return 0;
    const std::string_view name = input.substr(0, newline);
    const std::string_view target = input.substr(newline + 1);

    // Decoding never grows the text, and text without '%' decodes to itself.
    const std::string decoded = url::percentDecode(target);
    FUZZ_CHECK(decoded.size() <= target.size());
    if (target.find('%') == std::string_view::npos) FUZZ_CHECK(decoded == target);

    const auto value = url::queryParam(target, name);
    const auto q = target.find('?');
    if (q == std::string_view::npos) {
        FUZZ_CHECK(!value.has_value());
        return 0;
    }
    if (value) {
        // The value is the decoding of some part of the query string, after "name=".
        FUZZ_CHECK(value->size() <= target.size() - q - 1);
        if (!name.empty() && target.find('%') == std::string_view::npos)
            FUZZ_CHECK(target.find(std::string(name) + "=" + *value) != std::string_view::npos ||
                       (value->empty() && target.find(name) != std::string_view::npos));
    }
    return 0;
}
