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

// At most this many members added by one event get the own profile pairwise (each a direct
// message); a larger batch gets it once in the group instead.
inline constexpr std::size_t kMaxPairwiseProfiles = 8;

// Queues the own profile in the group when this version has not gone there yet (the account
// joined or renamed itself); nothing without a profile name or when the account is no member.
Expected<void> announceProfileToGroup(store::ProfileStore& store, Outbox& outbox, const QString& chatId, UserId self);

// Members were added to a group this account was already in: they get the own profile in the
// direct chat with each of them, or, for a batch over kMaxPairwiseProfiles, once in the group at
// its next refresh (announceProfileToGroup).
Expected<void> announceProfileToAdded(store::ProfileStore& store, Outbox& outbox, const QString& chatId, UserId self,
                                      const std::vector<UserId>& added);

} // namespace natter::client
