// One open profile: holds the profile lock, the keyed database and the repositories over
// it, in that order, and releases them in reverse. Opening is lock -> passphrase -> open.
#pragma once

#include "client/core/result.h"
#include "client/store/passphrase.h"
#include "client/store/profile.h"

#include <QByteArray>
#include <QString>

#include <memory>

namespace natter::client::store {

class Database;
class AccountStore;
class ContactStore;
class DeviceListStore;
class ChatStore;
class MessageStore;
class OutboxStore;
class GroupStore;
class BlockStore;
class PeerProfileStore;

class ProfileStore {
public:
    // Locks the profile (StoreLocked), finds its passphrase (passphrase.h) and opens or
    // creates store.db (WrongPassphrase leaves the file untouched). dataRoot as ProfilePaths.
    static Expected<std::unique_ptr<ProfileStore>> open(const QString& profile, const QString& dataRoot,
                                                        const PassphrasePrompt& prompt);
    // The same with a passphrase the caller already has (tests, a linked-device setup).
    static Expected<std::unique_ptr<ProfileStore>> openWithPassphrase(const ProfilePaths& paths,
                                                                      const QByteArray& passphrase);
    ~ProfileStore();
    ProfileStore(const ProfileStore&) = delete;
    ProfileStore& operator=(const ProfileStore&) = delete;

    const ProfilePaths& paths() const { return m_paths; }
    QString directory() const { return m_paths.directory(); }
    QString mediaDirectory() const { return m_paths.mediaDirectory(); }
    // Where the passphrase that opened the store came from.
    PassphraseSource passphraseSource() const { return m_source; }

    Database& database() { return *m_db; }
    AccountStore& account() { return *m_account; }
    ContactStore& contacts() { return *m_contacts; }
    DeviceListStore& deviceLists() { return *m_deviceLists; }
    ChatStore& chats() { return *m_chats; }
    MessageStore& messages() { return *m_messages; }
    OutboxStore& outbox() { return *m_outbox; }
    GroupStore& groups() { return *m_groups; }
    BlockStore& blocks() { return *m_blocks; }
    PeerProfileStore& peerProfiles() { return *m_peerProfiles; }

private:
    ProfileStore(ProfilePaths paths, std::unique_ptr<ProfileLock> lock, std::unique_ptr<Database> db,
                 PassphraseSource source);

    ProfilePaths m_paths;
    std::unique_ptr<ProfileLock> m_lock;
    std::unique_ptr<Database> m_db;
    PassphraseSource m_source;
    std::unique_ptr<AccountStore> m_account;
    std::unique_ptr<ContactStore> m_contacts;
    std::unique_ptr<DeviceListStore> m_deviceLists;
    std::unique_ptr<ChatStore> m_chats;
    std::unique_ptr<MessageStore> m_messages;
    std::unique_ptr<OutboxStore> m_outbox;
    std::unique_ptr<GroupStore> m_groups;
    std::unique_ptr<BlockStore> m_blocks;
    std::unique_ptr<PeerProfileStore> m_peerProfiles;
};

} // namespace natter::client::store
