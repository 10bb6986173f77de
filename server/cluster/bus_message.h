// The text of a message between nodes on a Redis channel: one header line
// "<kind> <origin node> <a> <b>" and then the payload (a frame, or a close reason) verbatim,
// so a frame is never re-encoded on its way through Redis.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace natter::server {

struct BusMessage {
    enum class Kind : char {
        entry = 'e',  // a = qid; payload = frame
        frame = 'f',  // a = excepted device + 1 (0: none); payload = frame
        kick = 'k',   // a = connection serial on the origin node
        close = 'c',  // a = close code; payload = reason
        revoke = 'r', // a = user, b = device; payload = reason
    };
    Kind kind = Kind::frame;
    std::string origin;
    std::uint64_t a = 0;
    std::uint64_t b = 0;
    std::string_view payload; // points into the text it was parsed from

    std::string encode() const;
    static std::optional<BusMessage> parse(std::string_view text);
};

// Channel names: a device, a user, every node.
std::string deviceChannel(std::uint64_t user, std::uint32_t device);
std::string userChannel(std::uint64_t user);
inline constexpr std::string_view kBroadcastChannel = "natter:all";

} // namespace natter::server
