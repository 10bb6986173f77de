// Fuzz target: every REST body parser (parseBody<T>: JSON -> protocol struct -> validation) for
// each body of the protocol catalogue, as natterd parses requests and clients parse answers,
// plus the group-event record natterd reads back from its store. A body that parses
// serialises and parses back unchanged.
#include "fuzz_check.h"

#include "protocol_catalog.h"
#include "store/group_event_body.h"

#include "protocol/frame_codec.h"

#include <boost/mp11/algorithm.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

using namespace natter::protocol;

namespace {

template <class Body>
void checkBody(std::string_view text) {
    auto body = parseBody<Body>(text);
    if (!body) {
        FUZZ_CHECK(!body.error().message.empty());
        return;
    }
    const std::string once = serializeBody(*body);
    auto again = parseBody<Body>(once);
    FUZZ_CHECK(again.has_value());
    FUZZ_CHECK(serializeBody(*again) == once);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    if (!parseObject(text)) {
        // Not a JSON object: every body refuses it the same way; one stands for all.
        FUZZ_CHECK(!parseBody<rest::RegisterRequest>(text).has_value());
        return 0;
    }
    boost::mp11::mp_for_each<boost::mp11::mp_transform<boost::mp11::mp_identity, test::RestBodies>>(
        [&](auto type) { checkBody<typename decltype(type)::type>(text); });
    checkBody<natter::server::GroupEventBody>(text);
    return 0;
}
