// KeyStore in the profile's SQLCipher database (tables of migration v1): key material is
// encrypted at rest with the profile passphrase and survives restarts.
#pragma once

#include "client/crypto/key_store.h"

namespace natter::client::store {
class Database;
}

namespace natter::client::crypto {

class SqlcipherKeyStore final : public KeyStore {
public:
    // db must outlive the store and already carry the v1 schema.
    explicit SqlcipherKeyStore(store::Database& db) : m_db(db) {}

    Expected<void> transaction(const std::function<Expected<void>()>& body) override;

    Expected<std::optional<LocalIdentity>> loadLocalIdentity() override;
    Expected<void> storeLocalIdentity(const LocalIdentity& identity) override;
    Expected<std::uint32_t> nextKeyId(KeyIdSequence sequence) override;
    Expected<void> setNextKeyId(KeyIdSequence sequence, std::uint32_t next) override;

    Expected<std::optional<QByteArray>> loadPreKey(std::uint32_t id) override;
    Expected<void> storePreKey(std::uint32_t id, const QByteArray& record) override;
    Expected<bool> containsPreKey(std::uint32_t id) override;
    Expected<void> removePreKey(std::uint32_t id) override;
    Expected<int> preKeyCount() override;

    Expected<std::optional<QByteArray>> loadSignedPreKey(std::uint32_t id) override;
    Expected<void> storeSignedPreKey(std::uint32_t id, const QByteArray& record, qint64 createdAt) override;
    Expected<bool> containsSignedPreKey(std::uint32_t id) override;
    Expected<void> removeSignedPreKey(std::uint32_t id) override;
    Expected<std::vector<SignedPreKeyInfo>> listSignedPreKeys() override;

    Expected<std::optional<QByteArray>> loadSession(const QString& name, DeviceId device) override;
    Expected<void> storeSession(const QString& name, DeviceId device, const QByteArray& record) override;
    Expected<bool> containsSession(const QString& name, DeviceId device) override;
    Expected<bool> deleteSession(const QString& name, DeviceId device) override;
    Expected<std::vector<DeviceId>> sessionDevices(const QString& name) override;
    Expected<int> deleteAllSessions(const QString& name) override;

    Expected<std::optional<QByteArray>> loadSenderKey(const QString& groupId, const QString& name,
                                                      DeviceId device) override;
    Expected<void> storeSenderKey(const QString& groupId, const QString& name, DeviceId device,
                                  const QByteArray& record) override;
    Expected<bool> deleteSenderKey(const QString& groupId, const QString& name, DeviceId device) override;
    Expected<int> deleteSenderKeysOfGroup(const QString& groupId) override;

    Expected<std::optional<QByteArray>> loadIdentity(const QString& name, DeviceId device) override;
    Expected<bool> saveIdentity(const QString& name, DeviceId device, const QByteArray& publicKey) override;
    Expected<void> removeIdentity(const QString& name, DeviceId device) override;
    Expected<std::vector<QByteArray>> identitiesOf(const QString& name) override;

private:
    store::Database& m_db;
};

} // namespace natter::client::crypto
