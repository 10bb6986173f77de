// ProfileStore: the order of opening a profile and ownership of what it opened.
#include "client/store/profile_store.h"

#include "client/store/account_store.h"
#include "client/store/block_store.h"
#include "client/store/chat_store.h"
#include "client/store/contact_store.h"
#include "client/store/device_list_store.h"
#include "client/store/database.h"
#include "client/store/group_store.h"
#include "client/store/message_store.h"
#include "client/store/outbox_store.h"
#include "client/store/peer_profile_store.h"

namespace natter::client::store {

namespace {

struct Locked {
    ProfilePaths paths;
    std::unique_ptr<ProfileLock> lock;
};

Expected<Locked> lockProfile(const ProfilePaths& paths) {
    if (auto r = paths.create(); !r) return r.error();
    auto lock = ProfileLock::acquire(paths.lockPath());
    if (!lock) return lock.error();
    return Locked{paths, std::move(*lock)};
}

} // namespace

ProfileStore::ProfileStore(ProfilePaths paths, std::unique_ptr<ProfileLock> lock, std::unique_ptr<Database> db,
                           PassphraseSource source)
    : m_paths(std::move(paths)),
      m_lock(std::move(lock)),
      m_db(std::move(db)),
      m_source(source),
      m_account(std::make_unique<AccountStore>(*m_db)),
      m_contacts(std::make_unique<ContactStore>(*m_db)),
      m_deviceLists(std::make_unique<DeviceListStore>(*m_db)),
      m_chats(std::make_unique<ChatStore>(*m_db)),
      m_messages(std::make_unique<MessageStore>(*m_db)),
      m_outbox(std::make_unique<OutboxStore>(*m_db)),
      m_groups(std::make_unique<GroupStore>(*m_db)),
      m_blocks(std::make_unique<BlockStore>(*m_db)),
      m_peerProfiles(std::make_unique<PeerProfileStore>(*m_db)) {}

ProfileStore::~ProfileStore() = default;

Expected<std::unique_ptr<ProfileStore>> ProfileStore::open(const QString& profile, const QString& dataRoot,
                                                           const PassphrasePrompt& prompt) {
    auto paths = ProfilePaths::forName(profile, dataRoot);
    if (!paths) return paths.error();
    auto locked = lockProfile(*paths);
    if (!locked) return locked.error();

    PassphraseProvider provider(QStringLiteral("store:") + paths->directory(), prompt);
    const bool existed = paths->exists();
    auto passphrase = existed ? provider.forExisting() : provider.forNew();
    if (!passphrase) return passphrase.error();
    auto db = Database::open(paths->databasePath(), passphrase->value);
    // A keychain entry that no longer fits (the store was re-created with another
    // passphrase) is not the last word: the environment or the prompt may still open it.
    if (!db && db.error().kind == ErrorKind::WrongPassphrase && passphrase->source == PassphraseSource::Keychain) {
        auto other = provider.fallback();
        if (other) {
            passphrase = std::move(other);
            db = Database::open(paths->databasePath(), passphrase->value);
        }
    }
    if (!db) return db.error();
    return std::unique_ptr<ProfileStore>(
        new ProfileStore(std::move(locked->paths), std::move(locked->lock), std::move(*db), passphrase->source));
}

Expected<std::unique_ptr<ProfileStore>> ProfileStore::openWithPassphrase(const ProfilePaths& paths,
                                                                         const QByteArray& passphrase) {
    auto locked = lockProfile(paths);
    if (!locked) return locked.error();
    auto db = Database::open(paths.databasePath(), passphrase);
    if (!db) return db.error();
    return std::unique_ptr<ProfileStore>(new ProfileStore(std::move(locked->paths), std::move(locked->lock),
                                                          std::move(*db), PassphraseSource::Prompt));
}

} // namespace natter::client::store
