#include "client/crypto/store_bridge.h"

#include "client/crypto/signal_errors.h"
#include "client/crypto/signal_wrappers.h"

namespace natter::client::crypto {

namespace {

// Any KeyStore failure becomes this negative code: libsignal aborts the operation with it.
constexpr int kStoreFailure = SG_ERR_UNKNOWN;

KeyStore& storeOf(void* userData) { return static_cast<StoreBridge*>(userData)->store(); }

QString nameOf(const char* name, std::size_t len) { return QString::fromUtf8(name, qsizetype(len)); }
QString nameOf(const signal_protocol_address* a) { return nameOf(a->name, a->name_len); }
DeviceId deviceOf(const signal_protocol_address* a) { return DeviceId(a->device_id); }
QString groupOf(const signal_protocol_sender_key_name* n) { return nameOf(n->group_id, n->group_id_len); }

QByteArray bytes(const std::uint8_t* data, std::size_t len) {
    return QByteArray(reinterpret_cast<const char*>(data), qsizetype(len));
}

// Hands a copy of found to libsignal in *out. Returns foundCode, notFoundCode or an error.
int handOut(const Expected<std::optional<QByteArray>>& found, signal_buffer** out, int foundCode, int notFoundCode) {
    if (!found) return kStoreFailure;
    if (!*found) return notFoundCode;
    signal_buffer* buffer = newSignalBuffer(**found);
    if (!buffer) return SG_ERR_NOMEM;
    *out = buffer;
    return foundCode;
}

int boolCode(const Expected<bool>& r) { return !r ? kStoreFailure : (*r ? 1 : 0); }
int voidCode(const Expected<void>& r) { return r ? SG_SUCCESS : kStoreFailure; }

// --- sessions: load 1/0, contains 1/0, delete 1/0, delete all = count, sub devices = count
int loadSession(signal_buffer** record, signal_buffer** /*user_record: none kept*/, const signal_protocol_address* a,
                void* ud) {
    return handOut(storeOf(ud).loadSession(nameOf(a), deviceOf(a)), record, 1, 0);
}

int subDeviceSessions(signal_int_list** sessions, const char* name, std::size_t len, void* ud) {
    auto devices = storeOf(ud).sessionDevices(nameOf(name, len));
    if (!devices) return kStoreFailure;
    IntListHandle list(signal_int_list_alloc());
    if (!list) return SG_ERR_NOMEM;
    for (DeviceId d : *devices)
        if (signal_int_list_push_back(list.get(), int(d)) < 0) return SG_ERR_NOMEM;
    *sessions = list.release();
    return int(devices->size());
}

int storeSession(const signal_protocol_address* a, std::uint8_t* record, std::size_t len, std::uint8_t*, std::size_t,
                 void* ud) {
    return voidCode(storeOf(ud).storeSession(nameOf(a), deviceOf(a), bytes(record, len)));
}

int containsSession(const signal_protocol_address* a, void* ud) {
    return boolCode(storeOf(ud).containsSession(nameOf(a), deviceOf(a)));
}

int deleteSession(const signal_protocol_address* a, void* ud) {
    return boolCode(storeOf(ud).deleteSession(nameOf(a), deviceOf(a)));
}

int deleteAllSessions(const char* name, std::size_t len, void* ud) {
    auto n = storeOf(ud).deleteAllSessions(nameOf(name, len));
    return n ? *n : kStoreFailure;
}

// --- pre-keys: load SG_SUCCESS / SG_ERR_INVALID_KEY_ID, contains 1/0, store/remove 0
int loadPreKey(signal_buffer** record, std::uint32_t id, void* ud) {
    return handOut(storeOf(ud).loadPreKey(id), record, SG_SUCCESS, SG_ERR_INVALID_KEY_ID);
}
int storePreKey(std::uint32_t id, std::uint8_t* record, std::size_t len, void* ud) {
    return voidCode(storeOf(ud).storePreKey(id, bytes(record, len)));
}
int containsPreKey(std::uint32_t id, void* ud) { return boolCode(storeOf(ud).containsPreKey(id)); }
int removePreKey(std::uint32_t id, void* ud) { return voidCode(storeOf(ud).removePreKey(id)); }

// --- signed pre-keys: same conventions as pre-keys
int loadSignedPreKey(signal_buffer** record, std::uint32_t id, void* ud) {
    return handOut(storeOf(ud).loadSignedPreKey(id), record, SG_SUCCESS, SG_ERR_INVALID_KEY_ID);
}
int storeSignedPreKey(std::uint32_t id, std::uint8_t* record, std::size_t len, void* ud) {
    // libsignal itself never creates signed pre-keys; keep an existing creation time.
    KeyStore& store = storeOf(ud);
    auto list = store.listSignedPreKeys();
    if (!list) return kStoreFailure;
    qint64 createdAt = 0;
    for (const auto& info : *list)
        if (info.id == id) createdAt = info.createdAt;
    return voidCode(store.storeSignedPreKey(id, bytes(record, len), createdAt));
}
int containsSignedPreKey(std::uint32_t id, void* ud) { return boolCode(storeOf(ud).containsSignedPreKey(id)); }
int removeSignedPreKey(std::uint32_t id, void* ud) { return voidCode(storeOf(ud).removeSignedPreKey(id)); }

// --- identity: key pair / registration id 0 or negative; save 0; trusted 1/0
int identityKeyPair(signal_buffer** publicData, signal_buffer** privateData, void* ud) {
    auto identity = storeOf(ud).loadLocalIdentity();
    if (!identity) return kStoreFailure;
    if (!*identity) return SG_ERR_INVALID_KEY; // no identity generated yet
    SecretBuffer pub(newSignalBuffer((*identity)->publicKey));
    SecretBuffer priv(newSignalBuffer((*identity)->privateKey));
    QByteArray& privateCopy = (*identity)->privateKey;
    privateCopy.fill('\0');
    if (!pub || !priv) return SG_ERR_NOMEM;
    // Ownership passes to libsignal.
    *publicData = pub.release();
    *privateData = priv.release();
    return SG_SUCCESS;
}

int localRegistrationId(void* ud, std::uint32_t* registrationId) {
    auto identity = storeOf(ud).loadLocalIdentity();
    if (!identity) return kStoreFailure;
    if (!*identity) return SG_ERR_INVALID_KEY;
    *registrationId = (*identity)->registrationId;
    return SG_SUCCESS;
}

int saveIdentity(const signal_protocol_address* a, std::uint8_t* key, std::size_t len, void* ud) {
    auto* bridge = static_cast<StoreBridge*>(ud);
    if (!key) return voidCode(bridge->store().removeIdentity(nameOf(a), deviceOf(a)));
    auto changed = bridge->store().saveIdentity(nameOf(a), deviceOf(a), bytes(key, len));
    if (!changed) return kStoreFailure;
    if (*changed) bridge->identityChanged(nameOf(a), deviceOf(a));
    return SG_SUCCESS;
}

// Trust on first use, and a changed key is accepted too: saveIdentity reports the change so
// the UI can warn, instead of refusing to talk to a reinstalled device.
int isTrustedIdentity(const signal_protocol_address*, std::uint8_t*, std::size_t, void*) { return 1; }

// --- sender keys: load 1/0, store 0
int storeSenderKey(const signal_protocol_sender_key_name* n, std::uint8_t* record, std::size_t len, std::uint8_t*,
                   std::size_t, void* ud) {
    return voidCode(storeOf(ud).storeSenderKey(groupOf(n), nameOf(&n->sender), deviceOf(&n->sender),
                                               bytes(record, len)));
}

int loadSenderKey(signal_buffer** record, signal_buffer**, const signal_protocol_sender_key_name* n, void* ud) {
    return handOut(storeOf(ud).loadSenderKey(groupOf(n), nameOf(&n->sender), deviceOf(&n->sender)), record, 1, 0);
}

} // namespace

Expected<void> StoreBridge::install(signal_protocol_store_context* context) {
    signal_protocol_session_store sessions{loadSession, subDeviceSessions, storeSession, containsSession,
                                           deleteSession, deleteAllSessions, nullptr, this};
    signal_protocol_pre_key_store preKeys{loadPreKey, storePreKey, containsPreKey, removePreKey, nullptr, this};
    signal_protocol_signed_pre_key_store signedPreKeys{loadSignedPreKey, storeSignedPreKey, containsSignedPreKey,
                                                       removeSignedPreKey, nullptr, this};
    signal_protocol_identity_key_store identities{identityKeyPair, localRegistrationId, saveIdentity,
                                                  isTrustedIdentity, nullptr, this};
    signal_protocol_sender_key_store senderKeys{storeSenderKey, loadSenderKey, nullptr, this};

    int rc = signal_protocol_store_context_set_session_store(context, &sessions);
    if (rc >= 0) rc = signal_protocol_store_context_set_pre_key_store(context, &preKeys);
    if (rc >= 0) rc = signal_protocol_store_context_set_signed_pre_key_store(context, &signedPreKeys);
    if (rc >= 0) rc = signal_protocol_store_context_set_identity_key_store(context, &identities);
    if (rc >= 0) rc = signal_protocol_store_context_set_sender_key_store(context, &senderKeys);
    if (rc < 0) return signalError(rc, QStringLiteral("installing the key store"));
    return {};
}

} // namespace natter::client::crypto
