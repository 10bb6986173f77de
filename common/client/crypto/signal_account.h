// One device's Signal protocol state: owns its signal_context (recursive locking), the OpenSSL
// crypto provider and the store context over a KeyStore; generates and publishes its keys.
#pragma once

#include "client/core/bytes.h"
#include "client/crypto/key_store.h"
#include "client/crypto/signal_wrappers.h"
#include "protocol/rest_keys.h"

#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace natter::client::crypto {

class OpenSslCryptoProvider;
class StoreBridge;

using protocol::UserId;

// A libsignal address (name = decimal user id) whose name bytes live as long as the object.
class SignalAddress {
public:
    SignalAddress(UserId user, DeviceId device);
    SignalAddress(const SignalAddress&) = delete;
    SignalAddress& operator=(const SignalAddress&) = delete;
    const signal_protocol_address* get() const { return &m_address; }
    QString name() const { return QString::fromLatin1(m_name); }

private:
    QByteArray m_name;
    signal_protocol_address m_address{};
};

// A remote device whose stored identity key was replaced by a different one.
struct IdentityChange {
    QString name; // decimal user id
    DeviceId device = 0;
};

class SignalAccount {
public:
    // Sets up the contexts over store (which must outlive the account) and generates the
    // identity key pair and registration id on first use.
    static Expected<std::unique_ptr<SignalAccount>> open(KeyStore& store);
    ~SignalAccount();
    SignalAccount(const SignalAccount&) = delete;
    SignalAccount& operator=(const SignalAccount&) = delete;

    signal_context* context() const { return m_context.get(); }
    signal_protocol_store_context* storeContext() const { return m_storeContext.get(); }
    KeyStore& keyStore() const { return m_store; }
    // The same recursive mutex libsignal's locking callbacks take: hold it for a whole operation.
    std::unique_lock<std::recursive_mutex> lock() const { return std::unique_lock(m_mutex); }

    Expected<std::uint32_t> registrationId();
    Expected<QByteArray> identityPublicKey(); // 33 bytes, type byte first
    Expected<LocalIdentity> localIdentity();
    // Takes the account's identity key pair instead of this device's own (a device being linked,
    // before it publishes keys): a fresh registration id, and signed pre-keys signed by the old
    // key are dropped.
    Expected<void> adoptIdentity(const QByteArray& publicKey, const QByteArray& privateKey);

    // Generates a signed pre-key when there is none or the newest is at least maxAge old
    // (true when it did). The previous one is kept for messages still in flight; older go.
    Expected<bool> rotateSignedPreKeyIfOlderThan(std::chrono::seconds maxAge);
    Expected<protocol::rest::SignedPreKey> currentSignedPreKey();
    // count new one-time pre-keys, ids continuing after the previous batch.
    Expected<std::vector<protocol::rest::OneTimePreKey>> generateOneTimePreKeys(int count);

    // PUT /api/keys: identity, current signed pre-key (generated if none) and count one-time keys.
    Expected<protocol::rest::KeysUpload> keysUpload(int oneTimePreKeys);
    // POST /api/keys/one-time: count more one-time keys.
    Expected<protocol::rest::OneTimePreKeysUpload> oneTimePreKeysUpload(int count);

    // Identity changes seen by the store callbacks since the last call (oldest first).
    std::vector<IdentityChange> takeIdentityChanges();
    // For one operation: take a mark before, then ask whether that device changed since.
    std::size_t identityChangeMark() const;
    bool identityChangedSince(std::size_t mark, const QString& name, DeviceId device) const;

private:
    explicit SignalAccount(KeyStore& store);
    Expected<void> setUp();
    Expected<void> ensureIdentity();
    Expected<std::uint32_t> generateSignedPreKey();

    mutable std::recursive_mutex m_mutex;
    KeyStore& m_store;
    std::vector<IdentityChange> m_identityChanges;
    std::unique_ptr<OpenSslCryptoProvider> m_provider;
    std::unique_ptr<StoreBridge> m_bridge;
    ContextHandle m_context;            // destroyed after the store context
    StoreContextHandle m_storeContext;  // declared last: destroyed first
};

} // namespace natter::client::crypto
