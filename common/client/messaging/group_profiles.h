// Profile names in groups before anyone writes (protocol "Profile names"): the own profile goes
// alone (profile-only content, never a message) to a group this account joined, once per
// profile version, and pairwise to members added later, so nobody shows as "User N" there.
#pragma once

#include "client/core/result.h"
#include "client/store/records.h"

#include <QString>

#include <vector>

namespace natter::client {

namespace store { class ProfileStore; }
class Outbox;

// Queues the own profile in the group when this version has not gone there yet (the account
// joined or renamed itself); nothing without a profile name or when the account is no member.
Expected<void> announceProfileToGroup(store::ProfileStore& store, Outbox& outbox, const QString& chatId, UserId self);

// Members were added to a group this account was already in: each of them (only they, as the
// others know the name) gets the own profile in the direct chat with them.
Expected<void> announceProfileToAdded(store::ProfileStore& store, Outbox& outbox, const QString& chatId, UserId self,
                                      const std::vector<UserId>& added);

} // namespace natter::client
