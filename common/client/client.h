// One open profile, connected: the encrypted store, this device's Signal keys, the
// connection to natterd and the messaging services, behind the signals, slots and models
// both apps use. Apps never touch the protocol, crypto or storage directly.
#pragma once

#include "client/core/result.h"
#include "client/net/connection.h"
#include "client/store/message_store.h"
#include "client/store/records.h"
#include "protocol/e2e.h"
#include "protocol/rest.h"

#include <QObject>
#include <QUrl>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

namespace natter::client {
namespace store { class ProfileStore; }
namespace net { class ApiClient; }
namespace crypto { class KeyStore; class SignalAccount; class PairwiseCipher; class GroupCipher; }
class DeviceDirectory;
class FollowUps;
class Outbox;
class Inbox;
class Receipts;
class GroupDirectory;
class TypingTracker;
class PresenceTracker;
class MediaTransfer;
class MessageActions;
class KeyMaintenance;
class ChatTimers;
class AccountSync;
class ExpirySweeper;
class MessageRequests;
class BlockListSync;
class Clock;
class ChatListModel;
class ContactListModel;
class MessageListModel;

class Client : public QObject {
    Q_OBJECT
public:
    template <class T>
    using Callback = std::function<void(Expected<T>)>;
    using Progress = std::function<void(qint64 done, qint64 total)>;
    using PassphrasePrompt = std::function<std::optional<QByteArray>()>;

    struct Options {
        QString profile = QStringLiteral("default");
        QString dataRoot;        // profiles live under <dataRoot>/natter/profiles; empty: XDG data dir
        QUrl server;             // for registration; a registered profile remembers its own
        PassphrasePrompt prompt; // asked when neither keychain nor NATTER_PASSPHRASE has it
        std::shared_ptr<Clock> clock; // "now" for disappearing messages; nullptr: the system clock
    };

    // Locks and opens (or creates) the profile. WrongPassphrase / StoreLocked as values.
    static Expected<std::unique_ptr<Client>> open(const Options& options);
    ~Client() override;

    bool isRegistered() const { return m_account.userId != 0; }
    const AccountRecord& account() const { return m_account; }
    store::ProfileStore& store() { return *m_store; }
    QString profileDir() const;

    // ---- account --------------------------------------------------------------------
    void requestCode(const QString& phone, Callback<void> done);
    // Verifies the code, creating the account (or adding this device to it), publishes keys.
    void verify(const QString& phone, const QString& code, const QString& displayName, Callback<void> done);
    // On an existing device: a one-time code for a new device; it carries the account identity
    // sealed for that device (the server never sees the key that opens it).
    void createLinkCode(Callback<QString> done);
    // On the new device: joins the account of the code and takes its identity.
    void linkWithCode(const QString& code, const QString& deviceName, Callback<void> done);
    // ...and, with `withHistory`, asks for the account's message history too (docs/protocol.md,
    // "History transfer"): historyTransferProgress reports it as it arrives.
    void linkWithCode(const QString& code, const QString& deviceName, bool withHistory, Callback<void> done);
    // Where receiving the history stands: `wanted` until every announced message is applied.
    struct HistoryTransferState {
        bool wanted = false;
        qint64 received = 0;
        qint64 total = 0; // 0 until the first chunk arrived
    };
    Expected<HistoryTransferState> historyTransferState();

    // This account's devices (GET /api/devices) and unlinking one (its session ends at once;
    // the account's signed device list drops it first).
    void devices(Callback<protocol::rest::DeviceList> done);
    void unlinkDevice(DeviceId device, Callback<void> done);

    // ---- connection -----------------------------------------------------------------
    void connectToServer();
    void disconnectFromServer();
    net::Connection::State connectionState() const;
    bool isSynced() const { return m_synced; }

    // ---- one-shot sync (client_sync.cpp) ---------------------------------------------
    struct SyncLimits {
        std::chrono::milliseconds connect{2000}; // to reach natterd (its welcome); a refusal fails at once
        std::chrono::milliseconds settle{10000}; // then for the replay of what waited and the outbox's acks
    };
    // How a one-shot sync ended: everything settled, or what was still under way when `settle`
    // ran out (the command goes on with what arrived).
    struct SyncOutcome {
        bool settled = true;
        QString unfinished; // e.g. "2 outgoing messages, group details"; empty when settled
    };
    // For a command that runs once (the CLI, `sync`): connects unless connected, and calls back
    // once natterd replayed what waited for this device, acknowledged every queued outgoing
    // message, and the work those messages started (group details, secrets, device lists) is
    // done — or when `settle` ran out. Fails with ErrorKind::Network naming natterd and why when
    // it cannot be reached within `connect` or the connection drops meanwhile: a connection this
    // call started then stops (the profile works offline; its outbox waits for the next
    // connection), one that already ran (a daemon's) keeps retrying. Called again once a
    // command ran, it waits the same way for what the command queued (e.g. a new group's secret).
    void syncOnce(SyncLimits limits, Callback<SyncOutcome> done);
    // Messages written on this device that natterd has not acknowledged yet.
    Expected<int> queuedCount();

    // ---- contacts and chats ---------------------------------------------------------
    void addContact(const QString& phone, const QString& name, Callback<ContactRecord> done);
    // Removes a contact here, on natterd (presence shared with "contacts" stops) and on the
    // account's other devices; their chat and its messages stay. NotFound when not a contact.
    void removeContact(UserId user, Callback<void> done);
    // ---- names (client_names.cpp) ----------------------------------------------------
    // A phone number, contact name, group name or chat id -> chat id (direct chats of
    // contacts are created on first use). A name several chats share (two groups, a group
    // and a contact) is refused (InvalidArgument) with each candidate's chat id or phone
    // number; an unknown one is NotFound.
    Expected<QString> resolveChat(const QString& who);
    // resolveChat for someone to write to: a phone number that is not a contact yet is looked
    // up on natterd and added as a contact (named as its account names itself) first. A number
    // without a Natter account there is NotFound; natterd out of reach is Network (nothing added).
    void resolveChatAddingNumber(const QString& who, Callback<QString> done);
    // A group's name or chat id -> chat id; only groups count (a contact of the same name does not).
    Expected<QString> resolveGroup(const QString& who);
    // A phone number or contact name -> user (several contacts of one name: refused, listing their numbers).
    Expected<UserId> resolveUser(const QString& who);
    Expected<qint64> sendText(const QString& chatId, const QString& text);
    void sendFile(const QString& chatId, const QString& path, const QString& caption, Progress progress,
                  Callback<qint64> done);
    void saveAttachment(qint64 localId, const QString& destination, Progress progress, Callback<QString> done);
    // The attachment verified and decrypted into memory (for an in-app viewer): no plaintext on disk.
    void readAttachment(qint64 localId, Progress progress, Callback<QByteArray> done);
    // Marks the chat read (sending read receipts unless turned off), or only up to message
    // upToLocalId of it; the number of messages marked.
    Expected<int> markRead(const QString& chatId, qint64 upToLocalId = 0);

    // ---- what people do with a message (client_actions.cpp) ---------------------------
    // Each takes this device's local message ids; the message must be sent (natterd has it).
    // A reply to message `quotedLocalId` of the chat: a new text message quoting it.
    Expected<qint64> reply(const QString& chatId, qint64 quotedLocalId, const QString& text);
    // One emoji, or "" to remove this user's reaction (one per person per message).
    Expected<void> react(qint64 localId, const QString& emoji);
    // New text for a message of this user's own, within GET /api/config's edit_window_s.
    Expected<void> editMessage(qint64 localId, const QString& text);
    // forEveryone: a message of this user's own, within delete_for_everyone_window_s; every
    // device keeps "This message was deleted". Else only this account's devices drop it.
    Expected<void> deleteMessage(qint64 localId, bool forEveryone);
    // Message `localId` (text or attachment) sent on to each chat, marked "forwarded"; an
    // attachment reuses its uploaded blob and key (docs/protocol.md, "Forward"). Every chat is
    // checked before anything is sent; the new messages' local ids, in the chats' order.
    Expected<std::vector<qint64>> forward(qint64 localId, const QStringList& chatIds);
    // Who got and read message `localId` of this user's own: the furthest receipt per member
    // (delivered or read, with its time); a member without one has it only as sent. NotFound
    // for an unknown message, InvalidArgument for someone else's.
    Expected<std::vector<ReceiptRecord>> receipts(qint64 localId);
    // Disappearing messages: texts and files sent in the chat from now on are erased on every
    // device `seconds` after sending (0: off; else 300, 3600, 86400, 604800 or 7776000). In a
    // group only admins may. Every member's devices show the chat event; returns its local id.
    Expected<qint64> setDisappearing(const QString& chatId, quint32 seconds);
    // Pin, mute or archive a chat, then chatsChanged; the account's other devices follow.
    Expected<void> setChatFlags(const QString& chatId, bool pinned, bool muted, bool archived);
    // Full-text search over this profile's messages (local only), newest first; only in chat
    // `chatId` when it is not empty.
    Expected<std::vector<store::SearchHit>> search(const QString& text, int limit = 50, const QString& chatId = {});
    void userTyping(const QString& chatId);
    QStringList typingNames(const QString& chatId) const;
    QString displayNameOf(UserId user);
    // A group's members (this user too) with the names this device shows for them, which are
    // the names "@Name" mentions (mentions.h); empty for a 1:1 or unknown chat.
    std::vector<std::pair<UserId, QString>> mentionMembers(const QString& chatId);
    // One chat, group or contact as stored (nullopt when unknown), for the apps' headers.
    std::optional<ChatRecord> chatInfo(const QString& chatId);
    std::optional<GroupRecord> groupInfo(const QString& chatId);
    std::optional<ContactRecord> contactInfo(UserId user);
    std::optional<MessageRecord> messageInfo(qint64 localId);

    // ---- message requests and blocking (client_requests.cpp) ---------------------------
    // 1:1 chats a stranger (not a contact) started that the user has not accepted yet: while
    // one is, its sender gets no read receipts and no typing from this device.
    Expected<std::vector<ChatRecord>> messageRequests();
    // A normal chat from now on (writing to them accepts too); the held-back read receipts go.
    Expected<void> acceptRequest(const QString& chatId);
    // The request and its messages are gone from this device (the sender is not told).
    Expected<void> deleteRequest(const QString& chatId);
    // Blocks through natterd, which then withholds the user's 1:1 messages, key fetches and
    // presence without telling them; the account's other devices learn it (blocks_changed).
    // A request from them is removed. done with the block list, oldest block first.
    void block(UserId user, Callback<std::vector<UserId>> done);
    void unblock(UserId user, Callback<std::vector<UserId>> done);
    // The block list as natterd last answered it (read at every connect).
    Expected<std::vector<UserId>> blocked();
    // Whom `block` and `unblock` take: a contact (name or phone number), a 1:1 chat id (a
    // stranger's request) or a user id of the block list. NotFound for anyone else.
    Expected<UserId> resolveBlockable(const QString& who);

    // ---- groups, privacy, safety ----------------------------------------------------
    GroupDirectory& groups() { return *m_groups; }
    PresenceTracker& presence() { return *m_presence; }
    void setPrivacy(const QString& key, const QString& value, Callback<void> done);
    // This account's privacy settings as the server holds them (GET /api/settings/privacy).
    void privacy(Callback<protocol::rest::PrivacySettings> done);
    struct SafetyNumberView {
        QString digits;       // 60 digits in groups of five, as Signal shows them
        QByteArray scannable; // the QR code's payload
    };
    // Fetches both accounts' current signed device lists, then computes the number from the two
    // account identity keys: both sides get the same number whatever they had cached.
    void safetyNumber(UserId user, Callback<SafetyNumberView> done);
    Expected<void> acknowledgeIdentity(UserId user);

    // ---- account sync (client_account_sync.cpp) ----------------------------------------
    // The account's display name: natterd's profile and this device's, then the account's
    // other devices (end-to-end encrypted). 1 to 100 bytes; InvalidArgument otherwise.
    void setProfileName(const QString& name, Callback<void> done);
    // The account's "about" text (empty removes it): stored here, then to the account's other
    // devices and, with the profile, to the people it writes to and its groups. At most 140
    // bytes of UTF-8; InvalidArgument otherwise, and nothing changes.
    Expected<void> setProfileAbout(const QString& about);
    // The about text `user` wrote (this account's own for its own id); empty when none is known.
    QString aboutOf(UserId user);

    // ---- revocation (client_revocation.cpp) -------------------------------------------
    // Why the server revoked this device (unlinked, or its number registered again on another
    // device); nullopt while it works. A revoked profile knows it from its store at open(),
    // offline, and never connects again; verify or linkWithCode starts it over as a new device
    // (new keys, no old sessions) that keeps the profile's messages.
    std::optional<protocol::RevocationReason> revocation() const { return m_revocation; }
    bool isRevoked() const { return m_revocation.has_value(); }
    // What every command of a revoked profile fails with (ErrorKind::Revoked), naming the number.
    ClientError revokedError() const;
    // Outgoing messages this process marked failed because the device was revoked.
    const std::vector<qint64>& unsentAtRevocation() const { return m_unsentAtRevocation; }

    // ---- models (owned by the client) -------------------------------------------------
    ChatListModel* chatList();
    ContactListModel* contactList();
    // A new model for one conversation, owned by parent.
    MessageListModel* openConversation(const QString& chatId, QObject* parent);

signals:
    void registered();
    void connectionStateChanged(natter::client::net::Connection::State state);
    void synced();
    void messageAdded(qint64 localId, const QString& chatId);
    void messageUpdated(qint64 localId, const QString& chatId);
    void messageFailed(qint64 localId, const QString& chatId, const QString& reason);
    // Deleted for me (here or on another device of this account): the message is gone.
    void messageRemoved(qint64 localId, const QString& chatId);
    // Someone else reacted to a message of this user's own (reactions notify nobody else and
    // never raise unread counts).
    void reactionReceived(qint64 localId, const QString& chatId, natter::protocol::UserId reactor, const QString& emoji);
    void chatsChanged();
    // History from another device of this account: `received` of `total` messages applied.
    void historyTransferProgress(qint64 received, qint64 total);
    void typingChanged(const QString& chatId);
    void presenceChanged(natter::protocol::UserId user);
    void identityWarning(natter::protocol::UserId user);
    void groupChanged(const QString& chatId);
    // The block list changed (here, on another device of the account, or read at connect).
    void blocksChanged();
    void attachmentDownloaded(qint64 localId, const QString& chatId);
    // The server no longer accepts this device (revoked, refused) or another copy took over.
    void sessionEnded(const QString& reason);
    // The server revoked this device: it stopped connecting and the messages in its outbox
    // failed (messageFailed with `message`); sessionEnded(message) follows.
    void deviceRevoked(natter::protocol::RevocationReason reason, const QString& message);

private:
    Client(std::unique_ptr<store::ProfileStore> store, QUrl server, std::shared_ptr<Clock> clock);
    Expected<void> initCrypto();
    // sendText and reply: a text message, quoting another one when `quote` is given.
    Expected<qint64> sendTextMessage(const QString& chatId, const QString& text, std::optional<protocol::e2e::Quote> quote);
    // Registered, and a member of the chat if it is a group (else why nothing can be sent).
    Expected<void> checkWritable(const QString& chatId);
    void adopt(const protocol::rest::VerifyResponse& verified, const QString& phone, const QString& displayName,
               Callback<void> done);
    void finishRegistration(const QString& displayName, Callback<void> done);
    // Signs and publishes this account's device list: the current one (when its signature holds)
    // with this device added, or without `removing`.
    void publishDeviceList(std::optional<DeviceId> removing, Callback<void> done);
    void onIdentityChanged(UserId user, const QByteArray& identityKey);
    void onDevicesChanged(UserId user, const std::vector<DeviceId>& added, const std::vector<DeviceId>& removed);
    // Account sync (client_account_sync.cpp): wiring, and a display name from another device.
    void startAccountSync();
    void onProfileNameReceived(const QString& name);
    void onProfileAboutReceived(const QString& about);
    // The own profile changed on this device: each group this account is in gets it once.
    void announceProfileToGroups();
    // Just linked: asks the account's other devices for the snapshot of contacts, settings, groups.
    void requestAccountSnapshot(bool withHistory);
    // A contact added or renamed here, for the account's other devices.
    void syncContact(const ContactRecord& contact);
    void syncContactRemoved(UserId user);
    void startServices();
    void stopServices();
    void dispatch(const protocol::ServerFrame& frame);
    // Revocation (client_revocation.cpp): the stored state at open, the server's word later.
    Expected<void> loadRevocation();
    void onDeviceRevoked(protocol::RevocationReason reason);
    // Before a revoked profile verifies or links again: its old credential is not sent.
    void forgetRevokedCredentials();
    // The server accepted a revoked profile as a new device: forget the old device's keys,
    // sessions and services (adopt starts them again as the new device).
    Expected<void> startOverIfRevoked();

    std::unique_ptr<store::ProfileStore> m_store;
    AccountRecord m_account;
    QUrl m_server;
    bool m_synced = false;
    std::optional<protocol::RevocationReason> m_revocation;
    std::vector<qint64> m_unsentAtRevocation;
    std::shared_ptr<Clock> m_clock;

    std::unique_ptr<crypto::KeyStore> m_keyStore;
    std::unique_ptr<crypto::SignalAccount> m_signal;
    std::unique_ptr<crypto::PairwiseCipher> m_pairwise;
    std::unique_ptr<crypto::GroupCipher> m_groupCipher;

    // QObject children (deleted with the client, after the members above are still alive:
    // ~Client deletes them first explicitly).
    net::ApiClient* m_api = nullptr;
    net::Connection* m_connection = nullptr;
    DeviceDirectory* m_devices = nullptr;
    Outbox* m_outbox = nullptr;
    FollowUps* m_followUps = nullptr; // work incoming events started (syncOnce waits for it)
    Inbox* m_inbox = nullptr;
    Receipts* m_receipts = nullptr;
    GroupDirectory* m_groups = nullptr;
    TypingTracker* m_typing = nullptr;
    PresenceTracker* m_presence = nullptr;
    MediaTransfer* m_media = nullptr;
    MessageActions* m_actions = nullptr;
    AccountSync* m_accountSync = nullptr;
    std::unique_ptr<ChatTimers> m_timers;
    ExpirySweeper* m_expiry = nullptr;
    MessageRequests* m_requests = nullptr;
    BlockListSync* m_blocks = nullptr;
    KeyMaintenance* m_keys = nullptr;
    ChatListModel* m_chatList = nullptr;
    ContactListModel* m_contactList = nullptr;
};

} // namespace natter::client
