// The Range header of a download (RFC 9110 section 14): one byte range "bytes=a-b", "bytes=a-"
// or "bytes=-n" is served as 206; anything else natterd serves as the whole body.
#pragma once

#include <cstdint>
#include <string_view>

namespace natter::server {

struct ByteRange {
    enum class Kind {
        whole,         // no Range header, or one natterd does not serve in part: send everything (200)
        partial,       // send [offset, offset + length) (206 with Content-Range)
        unsatisfiable, // starts past the end, or asks for the last 0 bytes (416)
    };
    Kind kind = Kind::whole;
    std::uint64_t offset = 0;
    std::uint64_t length = 0;
};

// Resolves `header` against a body of `size` bytes. Several ranges ("bytes=0-1,5-6"), other
// units and malformed headers are served whole, as RFC 9110 allows; an end past the last byte
// is clamped to it.
ByteRange resolveRange(std::string_view header, std::uint64_t size);

} // namespace natter::server
