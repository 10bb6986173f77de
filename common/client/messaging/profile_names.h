// Profile names (protocol "Profile names"): the own name and its version that go with a text
// or file once per chat, the names other users sent, and the one rule every view uses to show
// a user: the contact name given locally, else the name they chose, else the caller's "User N".
#pragma once

#include "client/core/result.h"
#include "client/store/records.h"
#include "protocol/e2e.h"

#include <QString>

#include <optional>

namespace natter::client {

namespace store { class ProfileStore; }

// The contact's name (or phone) this account gave `user`, else the name `user` chose; nullopt
// when neither is known.
std::optional<QString> knownNameOf(store::ProfileStore& store, UserId user);

// The "about" text `user` wrote about themself; empty when none is known.
QString aboutOf(store::ProfileStore& store, UserId user);

// The account's own profile (name, version and about text) as it goes to others; nullopt without a name.
std::optional<protocol::e2e::SenderProfile> ownProfile(store::ProfileStore& store);
// The account's own about text (empty: none), and storing it (at most kMaxAboutBytes, checked by the caller).
Expected<QString> ownAbout(store::ProfileStore& store);
Expected<void> storeOwnAbout(store::ProfileStore& store, const QString& about);
// The own name or about text changed (here or on another device): the next text or file in each chat carries
// it again. Versions rise with the clock (seconds) so the account's devices agree on the newest.
Expected<void> raiseOwnProfileVersion(store::ProfileStore& store, qint64 nowMs);

// Keeps the profile `sender` sent about themself when it is newer than the stored one; a direct
// chat with a sender who is no contact takes the name as its title.
Expected<void> storePeerProfile(store::ProfileStore& store, UserId self, UserId sender,
                                const protocol::e2e::SenderProfile& profile);

} // namespace natter::client
