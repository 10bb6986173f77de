// The embedded default store: one SQLite database file in WAL mode with
// synchronous=FULL, so a committed batch is on disk before anything is acknowledged.
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
    void releaseSavepoint() override;
    void rollbackToSavepoint() override;

    void saveVerification(const std::string& phone, const VerificationRecord& v) override;
    std::optional<VerificationRecord> findVerification(const std::string& phone) override;
    void countFailedVerification(const std::string& phone) override;
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

    std::vector<protocol::rest::RegisteredContact> lookupPhones(const std::vector<std::string>& phones) override;
    void addContact(UserId owner, UserId contact) override;
    bool removeContact(UserId owner, UserId contact) override;
    std::vector<protocol::rest::RegisteredContact> listContacts(UserId owner) override;
    bool isContact(UserId owner, UserId contact) override;
    std::vector<UserId> presenceAudience(UserId user) override;

    std::optional<ChatKind> findChat(const std::string& chatId) override;
    void createChat(const std::string& chatId, ChatKind kind, const std::vector<UserId>& members,
                    TimestampMs now) override;
    std::vector<UserId> chatMembers(const std::string& chatId) override;
    bool isChatMember(const std::string& chatId, UserId user) override;

    std::optional<MessageRecord> findMessage(MessageId id) override;
    std::optional<MessageRecord> findMessageByClientId(DeviceKey sender, const std::string& clientMsgId) override;
    MessageRecord appendMessage(const std::string& chatId, DeviceKey sender, const std::string& clientMsgId,
                                const std::vector<UserId>& recipients, TimestampMs now) override;

    std::uint64_t enqueueMessage(DeviceKey target, MessageId message, const std::string& content) override;
    std::uint64_t enqueueReceipt(DeviceKey target, const protocol::ReceiptEvent& receipt) override;
    std::vector<QueueEntry> fetchQueue(DeviceKey device, std::uint64_t afterQid, std::size_t limit) override;
    std::optional<std::uint64_t> dequeueMessage(DeviceKey device, MessageId message) override;
    bool dequeueReceipt(DeviceKey device, std::uint64_t qid) override;
    std::uint64_t queueDepth() override;

    bool markDelivered(MessageId message, UserId user, TimestampMs when) override;
    bool markRead(MessageId message, UserId user, TimestampMs when) override;
    std::vector<protocol::rest::RecipientStatus> recipientStatuses(MessageId message) override;

    std::uint64_t messageCount() override;

private:
    UserRecord readUser(sqlite::Statement& stmt);

    sqlite::Connection db_;
};

} // namespace natter::server
