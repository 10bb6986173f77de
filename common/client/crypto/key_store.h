// Where the Signal protocol's key material lives (identity, pre-keys, sessions, sender keys,
// remote identities): one interface, kept in memory (tests) or in the SQLCipher profile.
#pragma once

#include "client/core/result.h"
#include "protocol/types.h"

#include <QByteArray>
#include <QString>

#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

namespace natter::client::crypto {

using protocol::DeviceId;

// This device's long-term identity: serialized public key (33 bytes, type byte first),
// private key (32 bytes) and libsignal registration id.
struct LocalIdentity {
    QByteArray publicKey;
    QByteArray privateKey;
    std::uint32_t registrationId = 0;
};

struct SignedPreKeyInfo {
    std::uint32_t id = 0;
    qint64 createdAt = 0; // seconds since the Unix epoch
};

// Which id sequence nextKeyId/setNextKeyId address: ids keep increasing across batches.
enum class KeyIdSequence { PreKey = 1, SignedPreKey = 2 };

// Addresses are (name, device): name is the decimal user id, device its DeviceId. Loads
// return nullopt when absent; only storage failures are errors.
class KeyStore {
public:
    virtual ~KeyStore() = default;

    // Runs body atomically where the backend supports it (SQLCipher: one transaction).
    virtual Expected<void> transaction(const std::function<Expected<void>()>& body) = 0;

    virtual Expected<std::optional<LocalIdentity>> loadLocalIdentity() = 0;
    virtual Expected<void> storeLocalIdentity(const LocalIdentity& identity) = 0;

    // The next unused id of a sequence (1 when never set).
    virtual Expected<std::uint32_t> nextKeyId(KeyIdSequence sequence) = 0;
    virtual Expected<void> setNextKeyId(KeyIdSequence sequence, std::uint32_t next) = 0;

    virtual Expected<std::optional<QByteArray>> loadPreKey(std::uint32_t id) = 0;
    virtual Expected<void> storePreKey(std::uint32_t id, const QByteArray& record) = 0;
    virtual Expected<bool> containsPreKey(std::uint32_t id) = 0;
    virtual Expected<void> removePreKey(std::uint32_t id) = 0; // absent is fine
    virtual Expected<int> preKeyCount() = 0;

    virtual Expected<std::optional<QByteArray>> loadSignedPreKey(std::uint32_t id) = 0;
    virtual Expected<void> storeSignedPreKey(std::uint32_t id, const QByteArray& record, qint64 createdAt) = 0;
    virtual Expected<bool> containsSignedPreKey(std::uint32_t id) = 0;
    virtual Expected<void> removeSignedPreKey(std::uint32_t id) = 0;
    // Oldest first (by createdAt, then id).
    virtual Expected<std::vector<SignedPreKeyInfo>> listSignedPreKeys() = 0;

    virtual Expected<std::optional<QByteArray>> loadSession(const QString& name, DeviceId device) = 0;
    virtual Expected<void> storeSession(const QString& name, DeviceId device, const QByteArray& record) = 0;
    virtual Expected<bool> containsSession(const QString& name, DeviceId device) = 0;
    virtual Expected<bool> deleteSession(const QString& name, DeviceId device) = 0; // true when one existed
    virtual Expected<std::vector<DeviceId>> sessionDevices(const QString& name) = 0; // ascending
    virtual Expected<int> deleteAllSessions(const QString& name) = 0;               // how many

    virtual Expected<std::optional<QByteArray>> loadSenderKey(const QString& groupId, const QString& name,
                                                              DeviceId device) = 0;
    virtual Expected<void> storeSenderKey(const QString& groupId, const QString& name, DeviceId device,
                                          const QByteArray& record) = 0;
    virtual Expected<bool> deleteSenderKey(const QString& groupId, const QString& name, DeviceId device) = 0;
    virtual Expected<int> deleteSenderKeysOfGroup(const QString& groupId) = 0;

    virtual Expected<std::optional<QByteArray>> loadIdentity(const QString& name, DeviceId device) = 0;
    // Trust on first use: stores key and returns true when it replaced a DIFFERENT key stored
    // before (the UI warns), false for a first sighting or the same key.
    virtual Expected<bool> saveIdentity(const QString& name, DeviceId device, const QByteArray& publicKey) = 0;
    virtual Expected<void> removeIdentity(const QString& name, DeviceId device) = 0;
    // The keys stored for any device of name, by device (ascending): what a contact's first
    // signed device list is checked against.
    virtual Expected<std::vector<QByteArray>> identitiesOf(const QString& name) = 0;
};

} // namespace natter::client::crypto
