// Groups: settings (ciphertext) and membership with roles and the seqs members joined or left.
#pragma once

#include "store/store_records.h"

namespace natter::server {

class GroupsStore {
public:
    virtual ~GroupsStore() = default;

    virtual void createGroup(const GroupRecord& group, TimestampMs now) = 0;
    virtual std::optional<GroupRecord> findGroup(const std::string& chatId) = 0;
    virtual void updateGroup(const GroupRecord& group) = 0;
    // Adds (or re-adds) a member from `joinedSeq` on.
    virtual void addMember(const std::string& chatId, UserId user, protocol::GroupRole role, Seq joinedSeq) = 0;
    // Ends a membership after `leftSeq`: nothing later reaches the user.
    virtual void removeMember(const std::string& chatId, UserId user, Seq leftSeq) = 0;
    virtual void setRole(const std::string& chatId, UserId user, protocol::GroupRole role) = 0;
    virtual std::optional<protocol::GroupRole> memberRole(const std::string& chatId, UserId user) = 0;
    virtual std::vector<protocol::rest::GroupMember> groupMembers(const std::string& chatId) = 0;
};

} // namespace natter::server
