// The store on PostgreSQL: one connection per PgStore (StoreWorker runs one per lane), one
// job per transaction, committed with synchronous_commit on before anything is acknowledged.
// Concurrent writers are ordered by row locks taken in one order inside a job: chats, then
// chat_members, then device_queues (callers enqueue in DeviceKey order).
#pragma once

#include "store/postgres/pg_connection.h"
#include "store/store.h"

#include <string>

namespace natter::server {

class PgStore final : public Store {
public:
    // Connects to `uri` (a libpq URI) and applies pending migrations. Throws StoreError.
    explicit PgStore(const std::string& uri, const std::string& applicationName = "natterd");

    void begin() override;
    void commit() override;
    void rollback() override;
    void savepoint() override;
    std::uint64_t rowsChanged() override;
    void maintain(bool idle) override;
    void probe() override;
    bool denseQueueIds() const override { return true; }
    void releaseSavepoint() override;
    void rollbackToSavepoint() override;
    void boundLockWaits() override;

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

    DirectSendFacts directSendFacts(DeviceKey sender, const std::string& clientMsgId, const std::string& chatId,
                                    UserId recipient) override;
    AppendedDirect appendDirect(const std::string& chatId, DeviceKey sender, const std::string& clientMsgId,
                                const std::vector<UserId>& recipients, const std::vector<UserId>& readers,
                                const std::vector<EnvelopeToQueue>& envelopes,
                                        std::optional<UserId> withheldFrom, TimestampMs now) override;
    AckTarget takeForAck(DeviceKey device, MessageId message) override;
    DeliveredAck takeDelivered(DeviceKey device, MessageId message, TimestampMs now) override;
    std::vector<QueuedReceipt> enqueueReceiptForUser(UserId user, const protocol::ReceiptEvent& receipt) override;

    std::uint64_t messageCount() override;

private:
    static UserRecord readUser(const pg::Result& r);
    // The first column of every row, as user ids.
    static std::vector<UserId> userIds(const pg::Result& r);
    static MessageRecord readMessage(const pg::Result& r, int row);
    // Takes the device's next queue id (locking its device_queues row until commit).
    // devices.revoked_reason as stored (the enum's value; NULL reads as 0, unlinked).
    static protocol::RevocationReason revocationReasonOf(std::int64_t stored) {
        return stored == static_cast<std::int64_t>(protocol::RevocationReason::reregistered)
                   ? protocol::RevocationReason::reregistered
                   : protocol::RevocationReason::unlinked;
    }

    pg::Connection db_;
};

} // namespace natter::server
