// Profile names: the own profile version lives in the account settings ("profile_version"),
// other users' names in PeerProfileStore; chat titles follow the name shown.
#include "client/messaging/profile_names.h"

#include "client/store/account_store.h"
#include "client/store/chat_store.h"
#include "client/store/contact_store.h"
#include "client/store/peer_profile_store.h"
#include "client/store/profile_store.h"
#include "protocol/identifiers.h"

#include <algorithm>

namespace natter::client {

namespace {

constexpr auto kVersionSetting = "profile_version";
constexpr auto kAboutSetting = "profile_about";

Expected<quint32> ownVersion(store::ProfileStore& store) {
    auto stored = store.account().setting(QString::fromLatin1(kVersionSetting));
    if (!stored) return stored.error();
    // A name set at registration, never changed: version 1.
    return stored->isEmpty() ? 1u : stored->toUInt();
}

} // namespace

std::optional<QString> knownNameOf(store::ProfileStore& store, UserId user) {
    if (auto contact = store.contacts().byId(user); contact && *contact)
        return (*contact)->name.isEmpty() ? (*contact)->phone : (*contact)->name;
    if (auto chosen = store.peerProfiles().name(user); chosen && *chosen) return **chosen;
    return std::nullopt;
}

QString aboutOf(store::ProfileStore& store, UserId user) { return valueOr(store.peerProfiles().about(user), QString()); }

Expected<QString> ownAbout(store::ProfileStore& store) {
    return store.account().setting(QString::fromLatin1(kAboutSetting));
}

Expected<void> storeOwnAbout(store::ProfileStore& store, const QString& about) {
    return store.account().setSetting(QString::fromLatin1(kAboutSetting), about);
}

std::optional<protocol::e2e::SenderProfile> ownProfile(store::ProfileStore& store) {
    auto account = store.account().load();
    if (!account || !*account) return std::nullopt;
    const std::string name = (*account)->displayName.toStdString();
    if (name.empty() || name.size() > protocol::e2e::kMaxSyncedNameBytes) return std::nullopt;
    auto version = ownVersion(store);
    if (!version || *version == 0) return std::nullopt;
    const std::string about = valueOr(ownAbout(store), QString()).toStdString();
    if (about.size() > protocol::e2e::kMaxAboutBytes) return std::nullopt;
    return protocol::e2e::SenderProfile{name, *version, about.empty() ? std::nullopt : std::optional<std::string>(about)};
}

Expected<void> raiseOwnProfileVersion(store::ProfileStore& store, qint64 nowMs) {
    auto current = ownVersion(store);
    if (!current) return current.error();
    const quint32 next = std::max<quint32>(*current + 1, quint32(nowMs / 1000));
    return store.account().setSetting(QString::fromLatin1(kVersionSetting), QString::number(next));
}

Expected<void> storePeerProfile(store::ProfileStore& store, UserId self, UserId sender,
                                const protocol::e2e::SenderProfile& profile) {
    if (sender == self) return {}; // the own name comes by account sync
    const QString name = QString::fromStdString(profile.name);
    auto saved = store.peerProfiles().save(sender, name, profile.version,
                                           QString::fromStdString(profile.about.value_or(std::string())));
    if (!saved) return saved.error();
    if (!*saved) return {};
    auto contact = store.contacts().byId(sender);
    if (!contact) return contact.error();
    if (*contact) return {}; // the contact's name stays the title
    const QString chatId = QString::fromStdString(protocol::directChatId(self, sender));
    auto chat = store.chats().byId(chatId);
    if (!chat) return chat.error();
    if (*chat) return store.chats().setTitle(chatId, name);
    return {};
}

} // namespace natter::client
