// Wall-clock time in protocol units (milliseconds since the Unix epoch).
#pragma once

#include "protocol/types.h"

#include <chrono>

namespace natter::server {

inline protocol::TimestampMs nowMs() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

} // namespace natter::server
