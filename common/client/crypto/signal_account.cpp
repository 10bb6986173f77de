#include "client/crypto/signal_account.h"

#include "client/crypto/crypto_provider.h"
#include "client/crypto/signal_errors.h"
#include "client/crypto/store_bridge.h"
#include "protocol/base64.h"

#include <curve.h>
#include <key_helper.h>
#include <ratchet.h>
#include <session_pre_key.h>

#include <QDateTime>

namespace natter::client::crypto {

namespace {

// libsignal's medium-range key ids (PRE_KEY_MEDIUM_MAX_VALUE is 0xFFFFFF): 1 .. 0xFFFFFE, wrapping.
constexpr std::uint32_t kMaxKeyId = 0xFFFFFE;
std::uint32_t followingKeyId(std::uint32_t id) { return id % kMaxKeyId + 1; }
std::uint32_t validKeyId(std::uint32_t id) { return (id == 0 || id > kMaxKeyId) ? 1 : id; }

void lockAccount(void* userData) { static_cast<std::recursive_mutex*>(userData)->lock(); }
void unlockAccount(void* userData) { static_cast<std::recursive_mutex*>(userData)->unlock(); }

Expected<QByteArray> serializePublic(const ec_public_key* key) {
    Buffer buffer;
    if (int rc = ec_public_key_serialize(buffer.out(), key); rc < 0)
        return signalError(rc, QStringLiteral("serializing a public key"));
    return buffer.toByteArray();
}

} // namespace

SignalAddress::SignalAddress(UserId user, DeviceId device) : m_name(QByteArray::number(quint64(user))) {
    m_address.name = m_name.constData();
    m_address.name_len = std::size_t(m_name.size());
    m_address.device_id = std::int32_t(device);
}

SignalAccount::SignalAccount(KeyStore& store) : m_store(store) {}

SignalAccount::~SignalAccount() = default;

Expected<std::unique_ptr<SignalAccount>> SignalAccount::open(KeyStore& store) {
    std::unique_ptr<SignalAccount> account(new SignalAccount(store));
    if (auto r = account->setUp(); !r) return r.error();
    auto guard = account->lock();
    if (auto r = account->ensureIdentity(); !r) return r.error();
    return account;
}

Expected<void> SignalAccount::setUp() {
    auto provider = OpenSslCryptoProvider::create();
    if (!provider) return provider.error();
    m_provider = std::move(*provider);
    m_bridge = std::make_unique<StoreBridge>(m_store, [this](const QString& name, DeviceId device) {
        m_identityChanges.push_back({name, device});
    });

    signal_context* context = nullptr;
    if (int rc = signal_context_create(&context, &m_mutex); rc < 0)
        return signalError(rc, QStringLiteral("creating the signal context"));
    m_context.reset(context);
    const signal_crypto_provider cryptoProvider = m_provider->provider();
    if (int rc = signal_context_set_crypto_provider(context, &cryptoProvider); rc < 0)
        return signalError(rc, QStringLiteral("installing the crypto provider"));
    if (int rc = signal_context_set_locking_functions(context, lockAccount, unlockAccount); rc < 0)
        return signalError(rc, QStringLiteral("installing the locking functions"));

    signal_protocol_store_context* storeContext = nullptr;
    if (int rc = signal_protocol_store_context_create(&storeContext, context); rc < 0)
        return signalError(rc, QStringLiteral("creating the store context"));
    m_storeContext.reset(storeContext);
    return m_bridge->install(storeContext);
}

Expected<void> SignalAccount::ensureIdentity() {
    auto existing = m_store.loadLocalIdentity();
    if (!existing) return existing.error();
    if (*existing) return {};

    SignalRef<ratchet_identity_key_pair> pair;
    if (int rc = signal_protocol_key_helper_generate_identity_key_pair(pair.out(), context()); rc < 0)
        return signalError(rc, QStringLiteral("generating the identity key"));
    std::uint32_t registrationId = 0;
    if (int rc = signal_protocol_key_helper_generate_registration_id(&registrationId, 0, context()); rc < 0)
        return signalError(rc, QStringLiteral("generating the registration id"));
    auto publicKey = serializePublic(ratchet_identity_key_pair_get_public(pair.get()));
    if (!publicKey) return publicKey.error();
    SecretBuffer privateKey;
    if (int rc = ec_private_key_serialize(privateKey.out(), ratchet_identity_key_pair_get_private(pair.get())); rc < 0)
        return signalError(rc, QStringLiteral("serializing the identity key"));
    return m_store.storeLocalIdentity(LocalIdentity{*publicKey, privateKey.toByteArray(), registrationId});
}

Expected<std::uint32_t> SignalAccount::registrationId() {
    auto guard = lock();
    auto identity = m_store.loadLocalIdentity();
    if (!identity) return identity.error();
    if (!*identity) return makeClientError(ErrorKind::NotFound, QStringLiteral("no local identity"));
    return (*identity)->registrationId;
}

Expected<QByteArray> SignalAccount::identityPublicKey() {
    auto guard = lock();
    auto identity = m_store.loadLocalIdentity();
    if (!identity) return identity.error();
    if (!*identity) return makeClientError(ErrorKind::NotFound, QStringLiteral("no local identity"));
    return (*identity)->publicKey;
}

Expected<LocalIdentity> SignalAccount::localIdentity() {
    auto guard = lock();
    auto identity = m_store.loadLocalIdentity();
    if (!identity) return identity.error();
    if (!*identity) return makeClientError(ErrorKind::NotFound, QStringLiteral("no local identity"));
    return **identity;
}

Expected<void> SignalAccount::adoptIdentity(const QByteArray& publicKey, const QByteArray& privateKey) {
    auto guard = lock();
    std::uint32_t registrationId = 0;
    if (int rc = signal_protocol_key_helper_generate_registration_id(&registrationId, 0, context()); rc < 0)
        return signalError(rc, QStringLiteral("generating the registration id"));
    return m_store.transaction([&]() -> Expected<void> {
        auto signedKeys = m_store.listSignedPreKeys();
        if (!signedKeys) return signedKeys.error();
        for (const auto& key : *signedKeys)
            if (auto r = m_store.removeSignedPreKey(key.id); !r) return r;
        return m_store.storeLocalIdentity(LocalIdentity{publicKey, privateKey, registrationId});
    });
}

Expected<std::uint32_t> SignalAccount::generateSignedPreKey() {
    SignalRef<ratchet_identity_key_pair> identity;
    if (int rc = signal_protocol_identity_get_key_pair(storeContext(), identity.out()); rc < 0)
        return signalError(rc, QStringLiteral("loading the identity key"));
    auto next = m_store.nextKeyId(KeyIdSequence::SignedPreKey);
    if (!next) return next.error();
    const std::uint32_t id = validKeyId(*next);
    const qint64 nowMs = QDateTime::currentMSecsSinceEpoch();

    SignalRef<session_signed_pre_key> key;
    if (int rc = signal_protocol_key_helper_generate_signed_pre_key(key.out(), identity.get(), id,
                                                                   std::uint64_t(nowMs), context());
        rc < 0)
        return signalError(rc, QStringLiteral("generating a signed pre-key"));
    SecretBuffer record;
    if (int rc = session_signed_pre_key_serialize(record.out(), key.get()); rc < 0)
        return signalError(rc, QStringLiteral("serializing a signed pre-key"));
    auto stored = m_store.transaction([&]() -> Expected<void> {
        if (auto r = m_store.storeSignedPreKey(id, record.toByteArray(), nowMs / 1000); !r) return r;
        return m_store.setNextKeyId(KeyIdSequence::SignedPreKey, followingKeyId(id));
    });
    if (!stored) return stored.error();
    return id;
}

Expected<bool> SignalAccount::rotateSignedPreKeyIfOlderThan(std::chrono::seconds maxAge) {
    auto guard = lock();
    auto list = m_store.listSignedPreKeys();
    if (!list) return list.error();
    const qint64 now = QDateTime::currentSecsSinceEpoch();
    if (!list->empty() && now - list->back().createdAt < qint64(maxAge.count())) return false;

    auto created = generateSignedPreKey();
    if (!created) return created.error();
    // Keep the new key and the one it replaces (late messages may still use it).
    if (list->size() > 1) {
        for (std::size_t i = 0; i + 1 < list->size(); ++i)
            if (auto r = m_store.removeSignedPreKey((*list)[i].id); !r) return r.error();
    }
    return true;
}

Expected<protocol::rest::SignedPreKey> SignalAccount::currentSignedPreKey() {
    auto guard = lock();
    auto list = m_store.listSignedPreKeys();
    if (!list) return list.error();
    if (list->empty()) return makeClientError(ErrorKind::NotFound, QStringLiteral("no signed pre-key yet"));
    const std::uint32_t id = list->back().id;
    SignalRef<session_signed_pre_key> key;
    if (int rc = signal_protocol_signed_pre_key_load_key(storeContext(), key.out(), id); rc < 0)
        return signalError(rc, QStringLiteral("loading the signed pre-key"));
    auto publicKey = serializePublic(ec_key_pair_get_public(session_signed_pre_key_get_key_pair(key.get())));
    if (!publicKey) return publicKey.error();
    const QByteArray signature(reinterpret_cast<const char*>(session_signed_pre_key_get_signature(key.get())),
                               qsizetype(session_signed_pre_key_get_signature_len(key.get())));
    return protocol::rest::SignedPreKey{id, toBase64(*publicKey), toBase64(signature)};
}

Expected<std::vector<protocol::rest::OneTimePreKey>> SignalAccount::generateOneTimePreKeys(int count) {
    auto guard = lock();
    if (count < 0 || count > 10000)
        return makeClientError(ErrorKind::InvalidArgument, QStringLiteral("one-time pre-key count out of range"));
    std::vector<protocol::rest::OneTimePreKey> keys;
    auto done = m_store.transaction([&]() -> Expected<void> {
        auto next = m_store.nextKeyId(KeyIdSequence::PreKey);
        if (!next) return next.error();
        std::uint32_t id = validKeyId(*next);
        for (int i = 0; i < count; ++i, id = followingKeyId(id)) {
            SignalRef<ec_key_pair> pair;
            if (int rc = curve_generate_key_pair(context(), pair.out()); rc < 0)
                return signalError(rc, QStringLiteral("generating a one-time pre-key"));
            SignalRef<session_pre_key> preKey;
            if (int rc = session_pre_key_create(preKey.out(), id, pair.get()); rc < 0)
                return signalError(rc, QStringLiteral("creating a one-time pre-key"));
            SecretBuffer record;
            if (int rc = session_pre_key_serialize(record.out(), preKey.get()); rc < 0)
                return signalError(rc, QStringLiteral("serializing a one-time pre-key"));
            auto publicKey = serializePublic(ec_key_pair_get_public(pair.get()));
            if (!publicKey) return publicKey.error();
            if (auto r = m_store.storePreKey(id, record.toByteArray()); !r) return r;
            keys.push_back({id, toBase64(*publicKey)});
        }
        return m_store.setNextKeyId(KeyIdSequence::PreKey, id);
    });
    if (!done) return done.error();
    return keys;
}

Expected<protocol::rest::KeysUpload> SignalAccount::keysUpload(int oneTimePreKeys) {
    auto guard = lock();
    auto list = m_store.listSignedPreKeys();
    if (!list) return list.error();
    if (list->empty())
        if (auto r = generateSignedPreKey(); !r) return r.error();
    protocol::rest::KeysUpload upload;
    auto registration = registrationId();
    if (!registration) return registration.error();
    auto identity = identityPublicKey();
    if (!identity) return identity.error();
    auto signedPreKey = currentSignedPreKey();
    if (!signedPreKey) return signedPreKey.error();
    auto oneTime = generateOneTimePreKeys(oneTimePreKeys);
    if (!oneTime) return oneTime.error();
    upload.registration_id = *registration;
    upload.identity_key = toBase64(*identity);
    upload.signed_prekey = std::move(*signedPreKey);
    upload.one_time_prekeys = std::move(*oneTime);
    return upload;
}

Expected<protocol::rest::OneTimePreKeysUpload> SignalAccount::oneTimePreKeysUpload(int count) {
    auto keys = generateOneTimePreKeys(count);
    if (!keys) return keys.error();
    return protocol::rest::OneTimePreKeysUpload{std::move(*keys)};
}

std::vector<IdentityChange> SignalAccount::takeIdentityChanges() {
    auto guard = lock();
    return std::exchange(m_identityChanges, {});
}

std::size_t SignalAccount::identityChangeMark() const {
    auto guard = lock();
    return m_identityChanges.size();
}

bool SignalAccount::identityChangedSince(std::size_t mark, const QString& name, DeviceId device) const {
    auto guard = lock();
    for (std::size_t i = mark; i < m_identityChanges.size(); ++i)
        if (m_identityChanges[i].name == name && m_identityChanges[i].device == device) return true;
    return false;
}

} // namespace natter::client::crypto
