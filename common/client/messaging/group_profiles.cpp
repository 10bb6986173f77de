// Profile-only content for groups: the chat's profile_sent column records the version the
// whole group had, so a restart or a refresh never sends it twice.
#include "client/messaging/group_profiles.h"

#include "client/messaging/outbox.h"
#include "client/messaging/profile_names.h"
#include "client/store/chat_store.h"
#include "client/store/database.h"
#include "client/store/group_store.h"
#include "client/store/profile_store.h"

#include <algorithm>

namespace natter::client {

namespace e2e = protocol::e2e;

Expected<void> announceProfileToGroup(store::ProfileStore& store, Outbox& outbox, const QString& chatId, UserId self) {
    const auto profile = ownProfile(store);
    if (!profile) return {};
    auto group = store.groups().byId(chatId);
    if (!group) return group.error();
    if (!*group || std::none_of((*group)->members.begin(), (*group)->members.end(),
                                [&](const GroupMemberRecord& m) { return m.userId == self; }))
        return {};
    return store.database().transaction([&]() -> Expected<void> {
        auto sent = store.chats().profileSent(chatId);
        if (!sent) return sent.error();
        if (*sent == profile->version) return {};
        e2e::Content content;
        content.profile = profile;
        if (auto r = outbox.sendInChat(chatId, content); !r) return r;
        return store.chats().setProfileSent(chatId, profile->version);
    });
}

Expected<void> announceProfileToAdded(store::ProfileStore& store, Outbox& outbox, const QString& chatId, UserId self,
                                      const std::vector<UserId>& added) {
    const auto profile = ownProfile(store);
    if (!profile) return {};
    std::vector<UserId> others;
    for (UserId u : added)
        if (u != self) others.push_back(u);
    e2e::Content content;
    content.profile = profile;
    for (UserId u : others)
        if (auto r = outbox.sendControl(u, content); !r) return r;
    return {};
}

} // namespace natter::client
