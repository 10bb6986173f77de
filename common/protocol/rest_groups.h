// REST bodies for groups (/api/groups). Name, description and avatar are ciphertext the
// clients make with a group secret: natterd stores and relays them without reading them.
#pragma once

#include "protocol/types.h"

#include <boost/describe/class.hpp>

#include <optional>
#include <string>
#include <vector>

namespace natter::protocol::rest {

// POST /api/groups: the caller becomes the group's admin.
struct CreateGroupRequest {
    std::string name;                       // encrypted name, base64 (non-empty)
    std::optional<std::string> description; // encrypted description, base64
    std::optional<std::string> avatar;      // encrypted avatar reference, base64
    std::vector<UserId> participants;       // the other initial members
};
BOOST_DESCRIBE_STRUCT(CreateGroupRequest, (), (name, description, avatar, participants))

struct GroupMember {
    UserId user_id = 0;               // a member
    GroupRole role = GroupRole::member; // admin or member
};
BOOST_DESCRIBE_STRUCT(GroupMember, (), (user_id, role))

// GET /api/groups/{chat_id} (members only); also the answer to every group change.
struct GroupInfo {
    std::string chat_id;                    // "g:<random>"
    std::string name;                       // encrypted name, base64
    std::optional<std::string> description; // encrypted description, base64
    std::optional<std::string> avatar;      // encrypted avatar reference, base64
    bool members_can_edit = false;          // true: any member may change name/description/avatar
    std::vector<GroupMember> members;       // current members with roles
    TimestampMs created_at = 0;             // when the group was created
};
BOOST_DESCRIBE_STRUCT(GroupInfo, (), (chat_id, name, description, avatar, members_can_edit, members, created_at))

// PUT /api/groups/{chat_id}: change what is given (admins, or anyone if members_can_edit;
// only admins change members_can_edit itself).
struct GroupUpdate {
    std::optional<std::string> name;        // encrypted name, base64
    std::optional<std::string> description; // encrypted description, base64
    std::optional<std::string> avatar;      // encrypted avatar reference, base64
    std::optional<bool> members_can_edit;   // open settings to every member
};
BOOST_DESCRIBE_STRUCT(GroupUpdate, (), (name, description, avatar, members_can_edit))

// POST /api/groups/{chat_id}/members: admins add members (the cap is GET /api/config).
struct AddMembersRequest {
    std::vector<UserId> user_ids; // users to add
};
BOOST_DESCRIBE_STRUCT(AddMembersRequest, (), (user_ids))

// PUT /api/groups/{chat_id}/members/{user_id}: admins promote or demote.
struct RoleUpdate {
    GroupRole role = GroupRole::member; // the new role
};
BOOST_DESCRIBE_STRUCT(RoleUpdate, (), (role))

} // namespace natter::protocol::rest
