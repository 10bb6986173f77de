// A serialised frame shared by every connection it is sent to (one allocation, many sends).
#pragma once

#include "protocol/frame_codec.h"

#include <memory>
#include <string>

namespace natter::server {

template <class Frame>
std::shared_ptr<const std::string> frameText(const Frame& frame) {
    return std::make_shared<const std::string>(protocol::serializeFrame(frame));
}

} // namespace natter::server
