// The embedded default store: one SQLite database file in WAL mode with
// synchronous=FULL, so a committed batch is on disk before anything is acknowledged; the log
// is checkpointed between batches (maintain), not inside a commit.
#pragma once

#include "store/sqlite/sqlite_connection.h"
#include "store/store.h"

#include <filesystem>

namespace natter::server {

class SqliteStore final : public Store {
public:
    // Opens or creates the database and applies pending migrations. Throws StoreError.
    explicit SqliteStore(const std::filesystem::path& file);

    void begin() override;
    void commit() override;
    void rollback() override;
    void savepoint() override;
    std::uint64_t rowsChanged() override;
    void maintain(bool idle) override;
    void probe() override;
    bool denseQueueIds() const override { return false; }
    void releaseSavepoint() override;
    void rollbackToSavepoint() override;
    void boundLockWaits() override {} // one writer: a batch never waits inside

    void saveVerification(const std::string& phone, const VerificationRecord& v) override;
    std::optional<VerificationRecord> findVerification(const std::string& phone) override;
    void deleteVerification(const std::string& phone) override;

    std::optional<UserRecord> findUser(UserId id) override;
    std::optional<UserRecord> findUserByPhone(const std::string& phone) override;
    UserId createUser(const std::string& phone, TimestampMs now) override;
    void updateProfile(UserId id, const std::optional<std::string>& displayName,
                       const std::optional<std::string>& statusText) override;
    void savePrivacy(UserId id, const PrivacyRecord& privacy) override;
    void setLastSeen(UserId id, TimestampMs when) override;

    DeviceId addDevice(UserId user, const std::string& name, const std::string& secretHash, TimestampMs now) override;
    std::optional<DeviceRecord> findDevice(DeviceKey key) override;
    std::vector<DeviceRecord> activeDevices(UserId user) override;
    std::vector<DeviceRecord> activeDevicesOf(std::vector<UserId> users) override;
    void saveDeviceList(UserId user, const DeviceListRecord& list, const std::vector<DeviceId>& listed) override;
    std::optional<DeviceListRecord> findDeviceList(UserId user) override;
    void recordConnection(DeviceKey device, TimestampMs when) override;

    std::vector<protocol::rest::RegisteredContact> lookupPhones(const std::vector<std::string>& phones) override;
    void addContact(UserId owner, UserId contact) override;
    bool removeContact(UserId owner, UserId contact) override;
    std::vector<protocol::rest::RegisteredContact> listContacts(UserId owner) override;
    bool isContact(UserId owner, UserId contact) override;
    void rememberKnownPhone(UserId owner, UserId user) override;
    bool knowsPhone(UserId owner, UserId user) override;
    std::vector<UserId> presenceAudience(UserId user) override;

    std::optional<ChatKind> findChat(const std::string& chatId) override;
    void createChat(const std::string& chatId, ChatKind kind, const std::vector<UserId>& members,
                    TimestampMs now) override;
    std::vector<UserId> chatMembers(const std::string& chatId) override;
    bool isChatMember(const std::string& chatId, UserId user) override;
    std::vector<UserId> chatPartners(UserId user) override;
    Seq lastSeq(const std::string& chatId) override;
    void markReadUpTo(const std::string& chatId, UserId user, Seq seq) override;
    std::vector<protocol::rest::ChatSummary> listChats(UserId user) override;
    std::vector<protocol::rest::HistoryItem> history(const std::string& chatId, DeviceKey device, Seq beforeSeq,
                                                     std::size_t limit) override;

    void createGroup(const GroupRecord& group, TimestampMs now) override;
    std::optional<GroupRecord> findGroup(const std::string& chatId) override;
    void updateGroup(const GroupRecord& group) override;
    void addMember(const std::string& chatId, UserId user, protocol::GroupRole role, Seq joinedSeq) override;
    void removeMember(const std::string& chatId, UserId user, Seq leftSeq) override;
    void setRole(const std::string& chatId, UserId user, protocol::GroupRole role) override;
    std::optional<protocol::GroupRole> memberRole(const std::string& chatId, UserId user) override;
    std::vector<protocol::rest::GroupMember> groupMembers(const std::string& chatId) override;

    std::optional<MessageRecord> findMessage(MessageId id) override;
    std::optional<MessageRecord> findMessageByClientId(DeviceKey sender, const std::string& clientMsgId) override;
    MessageRecord appendMessage(const std::string& chatId, DeviceKey sender, const std::string& clientMsgId,
                                const std::vector<UserId>& recipients, TimestampMs now, MessageKind kind) override;
    void withhold(MessageId message, UserId user) override;
    void storeBody(MessageId message, const std::string& bytes) override;
    void storeEnvelope(MessageId message, DeviceKey target, const std::string& bytes) override;
    bool hasEnvelope(MessageId message, DeviceKey target) override;

    std::uint64_t enqueueMessage(DeviceKey target, MessageId message) override;
    std::uint64_t enqueueReceipt(DeviceKey target, const protocol::ReceiptEvent& receipt) override;
    std::uint64_t enqueueIdentityChange(DeviceKey target, DeviceKey changed, TimestampMs when) override;
    bool dequeueEvent(DeviceKey device, std::uint64_t qid) override;
    void clearQueue(DeviceKey device) override;
    std::vector<QueueEntry> fetchQueue(DeviceKey device, std::uint64_t afterQid, std::size_t limit) override;
    std::optional<std::uint64_t> dequeueMessage(DeviceKey device, MessageId message) override;
    bool dequeueReceipt(DeviceKey device, std::uint64_t qid) override;
    std::uint64_t queueDepth() override;
    std::uint64_t expireQueue(TimestampMs queuedBefore, std::size_t limit) override;

    bool markDelivered(MessageId message, UserId user, TimestampMs when) override;
    bool markRead(MessageId message, UserId user, TimestampMs when) override;
    std::vector<protocol::rest::RecipientStatus> recipientStatuses(MessageId message) override;

    bool saveIdentity(DeviceKey device, std::uint32_t registrationId, const std::string& identityKey,
                      TimestampMs now) override;
    void saveSignedPreKey(DeviceKey device, std::uint32_t keyId, const std::string& publicKey,
                          const std::string& signature) override;
    void addOneTimePreKeys(DeviceKey device, const std::vector<std::pair<std::uint32_t, std::string>>& keys) override;
    std::uint64_t countOneTimePreKeys(DeviceKey device) override;
    bool hasIdentity(DeviceKey device) override;
    std::optional<std::string> identityKey(DeviceKey device) override;
    std::optional<KeyBundleRecord> takeBundle(DeviceKey device, bool withOneTime) override;
    void saveLinkCode(const std::string& codeHash, const LinkCodeRecord& code, TimestampMs expiresAt) override;
    std::optional<LinkCodeRecord> takeLinkCode(const std::string& codeHash, TimestampMs now) override;
    bool revokeDevice(DeviceKey device, protocol::RevocationReason reason, TimestampMs now) override;
    std::vector<RevokedDevice> revokedDevices() override;
    std::uint64_t countLinkCodes(UserId user, TimestampMs now) override;

    void savePushEndpoint(DeviceKey device, const std::string& endpoint) override;
    std::optional<std::string> findPushEndpoint(DeviceKey device) override;
    bool deletePushEndpoint(DeviceKey device, const std::optional<std::string>& onlyIf) override;
    std::uint64_t countQueued(DeviceKey device) override;

    bool addBlock(UserId owner, UserId blocked, TimestampMs at) override;
    bool removeBlock(UserId owner, UserId blocked) override;
    std::vector<UserId> blockedBy(UserId owner) override;
    std::uint64_t countBlocked(UserId owner) override;
    bool hasBlocked(UserId owner, UserId other) override;

    std::uint64_t messageCount() override;

    // The store's own connection, for natterd admin's raw SQL inside the same transaction
    // (store/sqlite/sqlite_account_erasure.h).
    sqlite::Connection& connection() { return db_; }

private:
    UserRecord readUser(sqlite::Statement& stmt);
    // devices.revoked_reason as stored (the enum's value; NULL reads as 0, unlinked).
    static protocol::RevocationReason revocationReasonOf(std::int64_t stored) {
        return stored == static_cast<std::int64_t>(protocol::RevocationReason::reregistered)
                   ? protocol::RevocationReason::reregistered
                   : protocol::RevocationReason::unlinked;
    }

    sqlite::Connection db_;
    int walPages_ = 0; // frames in the WAL after the last commit (from the WAL hook)
};

} // namespace natter::server
