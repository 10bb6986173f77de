// Fuzz target: the end-to-end plaintext codec every client runs on each decrypted message
// (e2e::parseContent). Content that parses serialises and parses back unchanged.
#include "fuzz_check.h"

#include "protocol/e2e_codec.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

using namespace natter::protocol;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    auto content = e2e::parseContent(text);
    if (!content) {
        FUZZ_CHECK(!content.error().message.empty());
        return 0;
    }
    // Exactly one part (or a re-send of one), as the codec promises its callers.
    const int parts = int(content->text.has_value() || content->attachment.has_value()) +
                      int(content->sender_key.has_value()) + int(content->group_secret.has_value()) +
                      int(content->resend_request.has_value());
    FUZZ_CHECK(parts == 1);
    const std::string once = e2e::serializeContent(*content);
    auto again = e2e::parseContent(once);
    FUZZ_CHECK(again.has_value());
    FUZZ_CHECK(e2e::serializeContent(*again) == once);
    return 0;
}
