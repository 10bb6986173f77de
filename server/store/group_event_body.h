// How a group membership event is kept in message_bodies: a small JSON document, so the
// event travels with its message row (seq, actor, time) like any other chat entry.
#pragma once

#include "protocol/frame_codec.h"
#include "protocol/types.h"

#include <boost/describe/class.hpp>

#include <optional>
#include <string>
#include <vector>

namespace natter::server {

struct GroupEventBody {
    protocol::GroupEventKind event = protocol::GroupEventKind::updated; // what happened
    std::vector<protocol::UserId> user_ids;                             // whom it concerns
};
BOOST_DESCRIBE_STRUCT(GroupEventBody, (), (event, user_ids))

inline std::string encodeGroupEvent(const GroupEventBody& body) { return protocol::serializeBody(body); }

inline std::optional<GroupEventBody> decodeGroupEvent(const std::string& json) {
    auto parsed = protocol::parseBody<GroupEventBody>(json);
    if (!parsed) return std::nullopt;
    return *parsed;
}

} // namespace natter::server
