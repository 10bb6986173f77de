// Groups: creation, settings and membership under admin rules and the size cap. Every
// membership change is an ordered entry in the chat (a group_event with its own seq) that
// all members' devices receive. Runs on the store worker thread.
#pragma once

#include "messaging/message_service.h"
#include "protocol/rest_groups.h"
#include "store/store.h"

namespace natter::server {

namespace rest = protocol::rest;

// A change's answer to the caller plus the queue entries to push to connected devices.
struct GroupChange {
    rest::GroupInfo info;
    std::vector<QueueEntry> queued;
};

class GroupService {
public:
    explicit GroupService(std::size_t maxMembers) : maxMembers_(maxMembers) {}

    Result<GroupChange> create(Store& store, DeviceKey creator, const rest::CreateGroupRequest& req, TimestampMs now);
    Result<rest::GroupInfo> info(Store& store, UserId caller, const std::string& chatId);
    Result<GroupChange> update(Store& store, DeviceKey caller, const std::string& chatId, const rest::GroupUpdate& req,
                               TimestampMs now);
    Result<GroupChange> addMembers(Store& store, DeviceKey caller, const std::string& chatId,
                                   const rest::AddMembersRequest& req, TimestampMs now);
    // Removes `user`; when user is the caller this is leaving (allowed for any member).
    Result<GroupChange> removeMember(Store& store, DeviceKey caller, const std::string& chatId, UserId user,
                                     TimestampMs now);
    Result<GroupChange> setRole(Store& store, DeviceKey caller, const std::string& chatId, UserId user,
                                protocol::GroupRole role, TimestampMs now);

private:
    Result<GroupRecord> requireMember(Store& store, UserId caller, const std::string& chatId);
    // Appends the event and queues it for every current member's devices; returns its seq.
    Seq recordEvent(Store& store, DeviceKey actor, const std::string& chatId, protocol::GroupEventKind kind,
                    const std::vector<UserId>& users, TimestampMs now, std::vector<QueueEntry>& queued);
    rest::GroupInfo describe(Store& store, const GroupRecord& group);

    std::size_t maxMembers_;
};

} // namespace natter::server
