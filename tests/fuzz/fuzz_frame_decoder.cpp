// Fuzz target: the client-frame decoder natterd runs on every WebSocket text frame, and the
// server-frame decoder clients run. A frame that parses serialises and parses back unchanged;
// a refused one yields a bounded "ref" and an error frame that clients can read.
#include "fuzz_check.h"

#include "protocol/frame_codec.h"
#include "protocol/identifiers.h"
#include "protocol/limits.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

using namespace natter::protocol;

namespace {

template <class Variant, class Parse>
void checkRoundTrip(const Variant& frame, Parse parse) {
    const std::string once = std::visit([](const auto& f) { return serializeFrame(f); }, frame);
    auto again = parse(once);
    FUZZ_CHECK(again.has_value());
    FUZZ_CHECK(again->index() == frame.index());
    const std::string twice = std::visit([](const auto& f) { return serializeFrame(f); }, *again);
    FUZZ_CHECK(once == twice);
}

// What natterd answers a refused frame with (DeviceSession::sendError): a server frame
// every client must be able to parse.
void checkErrorAnswer(const Error& error, const std::string& ref) {
    ErrorFrame answer;
    answer.code = std::string(toString(error.code));
    answer.message = error.message;
    if (!ref.empty()) answer.ref = ref;
    const std::string text = serializeFrame(answer);
    auto parsed = parseServerFrame(text);
    FUZZ_CHECK(parsed.has_value());
    FUZZ_CHECK(std::holds_alternative<ErrorFrame>(*parsed));
    FUZZ_CHECK(std::get<ErrorFrame>(*parsed).ref == answer.ref);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);

    std::string ref;
    auto client = parseClientFrame(text, ref);
    // The echoed reference is bounded and valid UTF-8 whatever the client sent.
    FUZZ_CHECK(ref.size() <= std::max(limits::kMaxRequestIdBytes, limits::kMaxClientMsgIdBytes));
    FUZZ_CHECK(isValidUtf8(ref));
    if (client) {
        checkRoundTrip(*client, [](std::string_view t) {
            std::string r;
            return parseClientFrame(t, r);
        });
    } else {
        FUZZ_CHECK(!client.error().message.empty());
        checkErrorAnswer(client.error(), ref);
    }

    auto server = parseServerFrame(text);
    if (server) checkRoundTrip(*server, [](std::string_view t) { return parseServerFrame(t); });
    else FUZZ_CHECK(!server.error().message.empty());
    return 0;
}
