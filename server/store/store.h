// The storage interface natterd's logic runs against. SQLite implements it (embedded
// default); PostgreSQL will too. Calls come from one worker thread inside a batch
// transaction (see StoreWorker). Absent rows are std::nullopt; database failures throw
// StoreError, which the worker turns into an "internal" error for that request only
// (for its whole batch when the request ran without a savepoint: OnError::nothingWritten).
#pragma once

#include "protocol/error.h"
#include "protocol/frames.h"
#include "protocol/rest.h"
#include "protocol/rest_chats.h"
#include "protocol/rest_groups.h"
#include "protocol/rest_keys.h"
#include "protocol/types.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <variant>
#include <vector>

namespace natter::server {

using protocol::DeviceId;
using protocol::MessageId;
using protocol::Seq;
using protocol::TimestampMs;
using protocol::UserId;

struct StoreError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

struct DeviceKey {
    UserId user_id = 0;
    DeviceId device_id = 0;
    friend bool operator==(const DeviceKey&, const DeviceKey&) = default;
    friend auto operator<=>(const DeviceKey&, const DeviceKey&) = default;
};

struct PrivacyRecord {
    protocol::Visibility last_seen = protocol::Visibility::everyone;
    protocol::Visibility online = protocol::Visibility::everyone;
    bool read_receipts = true;
};

struct UserRecord {
    UserId id = 0;
    std::string phone;
    std::string display_name;
    std::string status_text;
    std::optional<TimestampMs> last_seen;
    PrivacyRecord privacy;
};

struct DeviceRecord {
    DeviceKey key;
    std::string name;
    std::string secret_hash; // SHA-256 of the device secret
    TimestampMs created_at = 0;
    bool revoked = false;
    bool listed = true; // named by the account's signed device list (or the account has none yet)
    protocol::RevocationReason revoked_reason = protocol::RevocationReason::unlinked; // when revoked
};

// An account's signed device list as its device published it (rest::SignedDeviceList JSON).
struct DeviceListRecord {
    std::uint64_t version = 0;
    std::string body;
};

struct LinkCodeRecord {
    UserId user = 0;
    std::string provision; // the sealed account identity, base64, handed to the linking device
};

struct RevokedDevice {
    DeviceKey key;
    protocol::RevocationReason reason = protocol::RevocationReason::unlinked;
};

struct VerificationRecord {
    std::string code_hash; // HMAC-SHA256 of the phone and code under the server's code key
    TimestampMs expires_at = 0;
};

enum class ChatKind { direct = 0, group = 1 };

enum class MessageKind { user = 0, group_event = 1 };

struct MessageRecord {
    MessageId id = 0;
    std::string chat_id;
    Seq seq = 0;
    DeviceKey sender;
    std::string client_msg_id;
    TimestampMs created_at = 0;
    MessageKind kind = MessageKind::user;
};

// A group's settings. Name, description and avatar are ciphertext bytes (not base64).
struct GroupRecord {
    std::string chat_id;
    std::string name;
    std::optional<std::string> description;
    std::optional<std::string> avatar;
    bool members_can_edit = false;
    TimestampMs created_at = 0;
};

struct KeyBundleRecord {
    std::uint32_t registration_id = 0;
    std::string identity_key; // raw bytes
    std::uint32_t signed_key_id = 0;
    std::string signed_public_key;
    std::string signed_signature;
    std::optional<std::pair<std::uint32_t, std::string>> one_time; // id and public key
};

// One entry of a device's queue, ready to become a frame. For receipts (and events) the
// frame's receipt_id (event_id) is the queue id.
struct QueueEntry {
    std::uint64_t qid = 0;
    DeviceKey target;
    std::variant<protocol::MessageDelivery, protocol::GroupEvent, protocol::ReceiptEvent, protocol::IdentityChanged>
        frame;
    // `frame` already serialised, when one text serves many devices (a group message goes out
    // to every member as the same frame: serialised once, not once per member). May be null.
    std::shared_ptr<const std::string> text{};
};

class Store {
public:
    virtual ~Store() = default;

    // Batch transaction control, used only by StoreWorker.
    virtual void begin() = 0;
    virtual void commit() = 0;
    virtual void rollback() = 0;
    virtual void savepoint() = 0;
    virtual void releaseSavepoint() = 0;
    virtual void rollbackToSavepoint() = 0;
    // Rows inserted, updated or deleted through this store so far: how StoreWorker checks
    // that a job run without a savepoint wrote nothing before it failed.
    virtual std::uint64_t rowsChanged() = 0;
    // Housekeeping outside any transaction, run by StoreWorker when no request waits (SQLite:
    // the WAL checkpoint, kept out of the commits so requests do not wait for it). `idle` is
    // false when requests keep coming: only what cannot wait longer is done then.
    virtual void maintain(bool idle) = 0;

    // --- accounts ---
    virtual void saveVerification(const std::string& phone, const VerificationRecord& v) = 0;
    virtual std::optional<VerificationRecord> findVerification(const std::string& phone) = 0;
    virtual void deleteVerification(const std::string& phone) = 0;

    virtual std::optional<UserRecord> findUser(UserId id) = 0;
    virtual std::optional<UserRecord> findUserByPhone(const std::string& phone) = 0;
    virtual UserId createUser(const std::string& phone, TimestampMs now) = 0;
    virtual void updateProfile(UserId id, const std::optional<std::string>& displayName,
                               const std::optional<std::string>& statusText) = 0;
    virtual void savePrivacy(UserId id, const PrivacyRecord& privacy) = 0;
    virtual void setLastSeen(UserId id, TimestampMs when) = 0;

    // A new device is unlisted while its account has a signed device list that does not name it.
    virtual DeviceId addDevice(UserId user, const std::string& name, const std::string& secretHash, TimestampMs now) = 0;
    virtual std::optional<DeviceRecord> findDevice(DeviceKey key) = 0;
    virtual std::vector<DeviceRecord> activeDevices(UserId user) = 0;
    // Replaces the account's signed device list; exactly the devices in `listed` are listed after.
    virtual void saveDeviceList(UserId user, const DeviceListRecord& list, const std::vector<DeviceId>& listed) = 0;
    virtual std::optional<DeviceListRecord> findDeviceList(UserId user) = 0;
    // The device opened a WebSocket at `when` (what queue expiry measures absence by).
    virtual void recordConnection(DeviceKey device, TimestampMs when) = 0;

    virtual std::vector<protocol::rest::RegisteredContact> lookupPhones(const std::vector<std::string>& phones) = 0;
    virtual void addContact(UserId owner, UserId contact) = 0;
    virtual bool removeContact(UserId owner, UserId contact) = 0;
    virtual std::vector<protocol::rest::RegisteredContact> listContacts(UserId owner) = 0;
    virtual bool isContact(UserId owner, UserId contact) = 0;
    // `owner` looked up `user`'s phone number and found it: the only way to see it.
    virtual void rememberKnownPhone(UserId owner, UserId user) = 0;
    virtual bool knowsPhone(UserId owner, UserId user) = 0;
    // Users who hear about `user`'s presence: its contacts and its 1:1 partners.
    virtual std::vector<UserId> presenceAudience(UserId user) = 0;

    // --- chats and messages ---
    virtual std::optional<ChatKind> findChat(const std::string& chatId) = 0;
    virtual void createChat(const std::string& chatId, ChatKind kind, const std::vector<UserId>& members,
                            TimestampMs now) = 0;
    // Current members (not those who left or were removed).
    virtual std::vector<UserId> chatMembers(const std::string& chatId) = 0;
    virtual bool isChatMember(const std::string& chatId, UserId user) = 0;
    // Users sharing any chat with `user` (for identity-change notices).
    virtual std::vector<UserId> chatPartners(UserId user) = 0;
    // The chat's newest seq (0 when empty).
    virtual Seq lastSeq(const std::string& chatId) = 0;
    // Moves the user's read cursor forward to `seq` (never back).
    virtual void markReadUpTo(const std::string& chatId, UserId user, Seq seq) = 0;
    virtual std::vector<protocol::rest::ChatSummary> listChats(UserId user) = 0;
    // What `device` may read in the chat, newest `limit` before `beforeSeq`, ascending.
    virtual std::vector<protocol::rest::HistoryItem> history(const std::string& chatId, DeviceKey device,
                                                             Seq beforeSeq, std::size_t limit) = 0;

    // --- groups ---
    virtual void createGroup(const GroupRecord& group, TimestampMs now) = 0;
    virtual std::optional<GroupRecord> findGroup(const std::string& chatId) = 0;
    virtual void updateGroup(const GroupRecord& group) = 0;
    // Adds (or re-adds) a member from `joinedSeq` on.
    virtual void addMember(const std::string& chatId, UserId user, protocol::GroupRole role, Seq joinedSeq) = 0;
    // Ends a membership after `leftSeq`: nothing later reaches the user.
    virtual void removeMember(const std::string& chatId, UserId user, Seq leftSeq) = 0;
    virtual void setRole(const std::string& chatId, UserId user, protocol::GroupRole role) = 0;
    virtual std::optional<protocol::GroupRole> memberRole(const std::string& chatId, UserId user) = 0;
    virtual std::vector<protocol::rest::GroupMember> groupMembers(const std::string& chatId) = 0;

    virtual std::optional<MessageRecord> findMessage(MessageId id) = 0;
    virtual std::optional<MessageRecord> findMessageByClientId(DeviceKey sender, const std::string& clientMsgId) = 0;
    // Stores a message with the chat's next seq and bumps the chat's activity; creates a
    // "sent" receipt row per recipient user (none for group events).
    virtual MessageRecord appendMessage(const std::string& chatId, DeviceKey sender, const std::string& clientMsgId,
                                        const std::vector<UserId>& recipients, TimestampMs now,
                                        MessageKind kind = MessageKind::user) = 0;
    // The one content of a group message (or a group event's description).
    virtual void storeBody(MessageId message, const std::string& bytes) = 0;
    // The ciphertext addressed to one device of a 1:1 message.
    virtual void storeEnvelope(MessageId message, DeviceKey target, const std::string& bytes) = 0;
    virtual bool hasEnvelope(MessageId message, DeviceKey target) = 0;

    // --- per-device queues ---
    virtual std::uint64_t enqueueMessage(DeviceKey target, MessageId message) = 0;
    virtual std::uint64_t enqueueReceipt(DeviceKey target, const protocol::ReceiptEvent& receipt) = 0;
    virtual std::uint64_t enqueueIdentityChange(DeviceKey target, DeviceKey changed, TimestampMs when) = 0;
    virtual bool dequeueEvent(DeviceKey device, std::uint64_t qid) = 0;
    // Drops a device's whole queue (it was unlinked).
    virtual void clearQueue(DeviceKey device) = 0;
    // Entries with qid > afterQid, oldest first.
    virtual std::vector<QueueEntry> fetchQueue(DeviceKey device, std::uint64_t afterQid, std::size_t limit) = 0;
    // Removes a queued message; returns its qid if it was queued.
    virtual std::optional<std::uint64_t> dequeueMessage(DeviceKey device, MessageId message) = 0;
    virtual bool dequeueReceipt(DeviceKey device, std::uint64_t qid) = 0;
    virtual std::uint64_t queueDepth() = 0;
    // Deletes up to `limit` entries queued before `queuedBefore` for devices that have not
    // connected since the entry was queued; returns how many it deleted.
    virtual std::uint64_t expireQueue(TimestampMs queuedBefore, std::size_t limit) = 0;

    // --- receipts ---
    // Records the first delivered/read time of `user`; true if this changed the row.
    virtual bool markDelivered(MessageId message, UserId user, TimestampMs when) = 0;
    virtual bool markRead(MessageId message, UserId user, TimestampMs when) = 0;
    virtual std::vector<protocol::rest::RecipientStatus> recipientStatuses(MessageId message) = 0;

    // --- key directory and device links ---
    // Stores the identity and signed pre-key; true if a different identity key was replaced.
    virtual bool saveIdentity(DeviceKey device, std::uint32_t registrationId, const std::string& identityKey,
                              TimestampMs now) = 0;
    virtual void saveSignedPreKey(DeviceKey device, std::uint32_t keyId, const std::string& publicKey,
                                  const std::string& signature) = 0;
    virtual void addOneTimePreKeys(DeviceKey device, const std::vector<std::pair<std::uint32_t, std::string>>& keys) = 0;
    virtual std::uint64_t countOneTimePreKeys(DeviceKey device) = 0;
    virtual bool hasIdentity(DeviceKey device) = 0;
    // The device's published identity key (raw bytes).
    virtual std::optional<std::string> identityKey(DeviceKey device) = 0;
    // The device's bundle; with `withOneTime`, consuming (deleting) one one-time pre-key if
    // any is left, otherwise without one.
    virtual std::optional<KeyBundleRecord> takeBundle(DeviceKey device, bool withOneTime) = 0;
    virtual void saveLinkCode(const std::string& codeHash, const LinkCodeRecord& code, TimestampMs expiresAt) = 0;
    // Removes the code and returns it if it existed and had not expired.
    virtual std::optional<LinkCodeRecord> takeLinkCode(const std::string& codeHash, TimestampMs now) = 0;
    // Revokes an active device for `reason` and deletes its keys and push endpoint; false when
    // it is unknown or already revoked. Its queue is the caller's to clear.
    virtual bool revokeDevice(DeviceKey device, protocol::RevocationReason reason, TimestampMs now) = 0;
    virtual std::vector<RevokedDevice> revokedDevices() = 0;
    // Link codes of `user` that have not expired at `now`.
    virtual std::uint64_t countLinkCodes(UserId user, TimestampMs now) = 0;

    // --- push ---
    // Sets (or replaces) the device's push endpoint URL.
    virtual void savePushEndpoint(DeviceKey device, const std::string& endpoint) = 0;
    virtual std::optional<std::string> findPushEndpoint(DeviceKey device) = 0;
    // Removes the device's endpoint; with `onlyIf`, only while it is still that URL. True if removed.
    virtual bool deletePushEndpoint(DeviceKey device, const std::optional<std::string>& onlyIf) = 0;
    // Entries waiting in the device's queue (the badge of a wake-up).
    virtual std::uint64_t countQueued(DeviceKey device) = 0;

    // --- counters for /metrics and start-up logs ---
    virtual std::uint64_t messageCount() = 0;
};

} // namespace natter::server
