// Fuzz target: the Range header of a media download (resolveRange). Input: 8 bytes of body size
// (little-endian), then the header. A partial answer always lies inside the body, and an
// unsatisfiable one only ever answers a range past the end or the last 0 bytes.
#include "fuzz_check.h"

#include "http/byte_range.h"

#include <cstddef>
#include <cstdint>
#include <string_view>

using natter::server::ByteRange;
using natter::server::resolveRange;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 8) return 0;
    std::uint64_t bodySize = 0;
    for (int i = 7; i >= 0; --i) bodySize = (bodySize << 8) | data[i];
    // Small sizes matter most (the edges of a range); keep a few large ones.
    if ((bodySize >> 63) == 0) bodySize &= 0xFFFF;
    const std::string_view header(reinterpret_cast<const char*>(data + 8), size - 8);

    const ByteRange range = resolveRange(header, bodySize);
    switch (range.kind) {
    case ByteRange::Kind::whole:
        FUZZ_CHECK(range.offset == 0 && range.length == 0);
        break;
    case ByteRange::Kind::partial:
        FUZZ_CHECK(range.length >= 1);
        FUZZ_CHECK(range.offset < bodySize);
        FUZZ_CHECK(range.length <= bodySize - range.offset);
        break;
    case ByteRange::Kind::unsatisfiable:
        FUZZ_CHECK(range.offset == 0 && range.length == 0);
        break;
    }
    // The same header against a larger body never becomes unsatisfiable where it was partial.
    if (range.kind == ByteRange::Kind::partial && bodySize < UINT64_MAX) {
        const ByteRange larger = resolveRange(header, bodySize + 1);
        FUZZ_CHECK(larger.kind == ByteRange::Kind::partial);
    }
    return 0;
}
