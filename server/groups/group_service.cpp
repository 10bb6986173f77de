#include "groups/group_service.h"

#include "auth/secrets.h"
#include "protocol/base64.h"
#include "protocol/frame_codec.h"
#include "protocol/limits.h"
#include "store/group_event_body.h"

#include <algorithm>
#include <set>

namespace natter::server {

using protocol::ErrorCode;
using protocol::GroupEventKind;
using protocol::GroupRole;
using protocol::makeError;

namespace {
std::string decoded(const std::string& b64) { return protocol::base64::decode(b64).value_or(std::string{}); }
std::optional<std::string> decoded(const std::optional<std::string>& b64) {
    return b64 ? std::optional(decoded(*b64)) : std::nullopt;
}
protocol::Error notAdmin() { return makeError(ErrorCode::Forbidden, "only group admins may do this"); }
} // namespace

rest::GroupInfo GroupService::describe(Store& store, const GroupRecord& g) {
    rest::GroupInfo info;
    info.chat_id = g.chat_id;
    info.name = protocol::base64::encode(g.name);
    if (g.description) info.description = protocol::base64::encode(*g.description);
    if (g.avatar) info.avatar = protocol::base64::encode(*g.avatar);
    info.members_can_edit = g.members_can_edit;
    info.members = store.groupMembers(g.chat_id);
    info.created_at = g.created_at;
    return info;
}

Result<GroupRecord> GroupService::requireMember(Store& store, UserId caller, const std::string& chatId) {
    auto group = store.findGroup(chatId);
    if (!group) return makeError(ErrorCode::NotFound, "no group " + chatId);
    if (!store.memberRole(chatId, caller)) return makeError(ErrorCode::Forbidden, "you are not a member of " + chatId);
    return *group;
}

Seq GroupService::recordEvent(Store& store, DeviceKey actor, const std::string& chatId, GroupEventKind kind,
                              const std::vector<UserId>& users, TimestampMs now, std::vector<QueueEntry>& queued) {
    // Events need a client_msg_id unique per sending device. Clients never see it, and it is
    // longer than any client may send (limits::kMaxClientMsgIdBytes), so it cannot collide.
    const std::string internalId = std::string(protocol::limits::kMaxClientMsgIdBytes + 1, '#') + chatId + ":" +
                                   std::to_string(store.lastSeq(chatId) + 1);
    const auto record = store.appendMessage(chatId, actor, internalId, {}, now, MessageKind::group_event);
    store.storeBody(record.id, encodeGroupEvent({kind, users}));
    const protocol::GroupEvent frame{chatId, record.id, record.seq, actor.user_id, now, kind, users};
    const auto text = std::make_shared<const std::string>(protocol::serializeFrame(frame));
    for (const auto& device : store.activeDevicesOf(store.chatMembers(chatId)))
        if (device.key != actor) // the acting device learns the outcome from its REST answer
            queued.push_back(QueueEntry{store.enqueueMessage(device.key, record.id), device.key, frame, text});
    return record.seq;
}

Result<GroupChange> GroupService::create(Store& store, DeviceKey creator, const rest::CreateGroupRequest& req,
                                         TimestampMs now) {
    std::vector<UserId> others;
    for (UserId u : req.participants)
        if (u != creator.user_id && std::find(others.begin(), others.end(), u) == others.end()) others.push_back(u);
    if (others.size() + 1 > maxMembers_)
        return makeError(ErrorCode::Conflict, "a group holds at most " + std::to_string(maxMembers_) + " members");
    for (UserId u : others)
        if (!store.findUser(u)) return makeError(ErrorCode::NotFound, "no user " + std::to_string(u));

    GroupRecord group{"g:" + secrets::randomToken(16), decoded(req.name), decoded(req.description),
                      decoded(req.avatar), false, now};
    store.createGroup(group, now);
    store.addMember(group.chat_id, creator.user_id, GroupRole::admin, 0);
    for (UserId u : others) store.addMember(group.chat_id, u, GroupRole::member, 0);
    std::vector<UserId> everyone{creator.user_id};
    everyone.insert(everyone.end(), others.begin(), others.end());
    GroupChange change;
    recordEvent(store, creator, group.chat_id, GroupEventKind::created, everyone, now, change.queued);
    change.info = describe(store, group);
    return change;
}

Result<rest::GroupInfo> GroupService::info(Store& store, UserId caller, const std::string& chatId) {
    auto group = requireMember(store, caller, chatId);
    if (!group) return group.error();
    return describe(store, *group);
}

Result<GroupChange> GroupService::update(Store& store, DeviceKey caller, const std::string& chatId,
                                         const rest::GroupUpdate& req, TimestampMs now) {
    auto group = requireMember(store, caller.user_id, chatId);
    if (!group) return group.error();
    const bool admin = store.memberRole(chatId, caller.user_id) == GroupRole::admin;
    if (req.members_can_edit && !admin) return notAdmin();
    if (!admin && !group->members_can_edit) return notAdmin();
    if (req.name) group->name = decoded(*req.name);
    if (req.description) group->description = decoded(*req.description);
    if (req.avatar) group->avatar = decoded(*req.avatar);
    if (req.members_can_edit) group->members_can_edit = *req.members_can_edit;
    store.updateGroup(*group);
    GroupChange change;
    recordEvent(store, caller, chatId, GroupEventKind::updated, {}, now, change.queued);
    change.info = describe(store, *group);
    return change;
}

Result<GroupChange> GroupService::addMembers(Store& store, DeviceKey caller, const std::string& chatId,
                                             const rest::AddMembersRequest& req, TimestampMs now) {
    auto group = requireMember(store, caller.user_id, chatId);
    if (!group) return group.error();
    if (store.memberRole(chatId, caller.user_id) != GroupRole::admin) return notAdmin();
    std::vector<UserId> added;
    for (UserId u : req.user_ids) {
        if (!store.findUser(u)) return makeError(ErrorCode::NotFound, "no user " + std::to_string(u));
        if (!store.memberRole(chatId, u) && std::find(added.begin(), added.end(), u) == added.end()) added.push_back(u);
    }
    if (added.empty()) return makeError(ErrorCode::Conflict, "everyone listed is already a member");
    if (store.chatMembers(chatId).size() + added.size() > maxMembers_)
        return makeError(ErrorCode::Conflict, "a group holds at most " + std::to_string(maxMembers_) + " members");
    // New members see the chat from their own "added" event on (its seq is the next one).
    const Seq joined = store.lastSeq(chatId) + 1;
    for (UserId u : added) store.addMember(chatId, u, GroupRole::member, joined);
    GroupChange change;
    recordEvent(store, caller, chatId, GroupEventKind::added, added, now, change.queued);
    change.info = describe(store, *group);
    return change;
}

Result<GroupChange> GroupService::removeMember(Store& store, DeviceKey caller, const std::string& chatId, UserId user,
                                               TimestampMs now) {
    auto group = requireMember(store, caller.user_id, chatId);
    if (!group) return group.error();
    const bool leaving = user == caller.user_id;
    if (!leaving && store.memberRole(chatId, caller.user_id) != GroupRole::admin) return notAdmin();
    if (!store.memberRole(chatId, user))
        return makeError(ErrorCode::NotFound, "user " + std::to_string(user) + " is not a member");

    GroupChange change;
    // The removed user still gets the event that removes them, and nothing after it.
    const Seq eventSeq = recordEvent(store, caller, chatId, leaving ? GroupEventKind::left : GroupEventKind::removed,
                                     {user}, now, change.queued);
    store.removeMember(chatId, user, eventSeq);

    const auto members = store.groupMembers(chatId);
    const bool adminLeft = std::none_of(members.begin(), members.end(),
                                        [](const auto& m) { return m.role == GroupRole::admin; });
    if (adminLeft && !members.empty()) { // a group is never left without an admin
        store.setRole(chatId, members.front().user_id, GroupRole::admin);
        recordEvent(store, caller, chatId, GroupEventKind::promoted, {members.front().user_id}, now, change.queued);
    }
    change.info = describe(store, *group);
    return change;
}

Result<GroupChange> GroupService::setRole(Store& store, DeviceKey caller, const std::string& chatId, UserId user,
                                          GroupRole role, TimestampMs now) {
    auto group = requireMember(store, caller.user_id, chatId);
    if (!group) return group.error();
    if (store.memberRole(chatId, caller.user_id) != GroupRole::admin) return notAdmin();
    const auto current = store.memberRole(chatId, user);
    if (!current) return makeError(ErrorCode::NotFound, "user " + std::to_string(user) + " is not a member");
    if (role == GroupRole::member && *current == GroupRole::admin) {
        const auto members = store.groupMembers(chatId);
        const auto admins = std::count_if(members.begin(), members.end(),
                                          [](const auto& m) { return m.role == GroupRole::admin; });
        if (admins == 1) return makeError(ErrorCode::Conflict, "a group needs an admin: promote someone first");
    }
    GroupChange change;
    if (*current != role) {
        store.setRole(chatId, user, role);
        recordEvent(store, caller, chatId, role == GroupRole::admin ? GroupEventKind::promoted : GroupEventKind::demoted,
                    {user}, now, change.queued);
    }
    change.info = describe(store, *group);
    return change;
}

} // namespace natter::server
