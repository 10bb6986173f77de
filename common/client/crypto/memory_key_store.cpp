#include "client/crypto/memory_key_store.h"

#include <algorithm>

namespace natter::client::crypto {

namespace {
template <class Map, class Key>
std::optional<QByteArray> find(const Map& map, const Key& key) {
    auto it = map.find(key);
    if (it == map.end()) return std::nullopt;
    return it->second;
}
} // namespace

// No rollback in memory: body's partial changes stay when it fails.
Expected<void> MemoryKeyStore::transaction(const std::function<Expected<void>()>& body) { return body(); }

Expected<std::optional<LocalIdentity>> MemoryKeyStore::loadLocalIdentity() { return m_identity; }

Expected<void> MemoryKeyStore::storeLocalIdentity(const LocalIdentity& identity) {
    m_identity = identity;
    return {};
}

Expected<std::uint32_t> MemoryKeyStore::nextKeyId(KeyIdSequence sequence) {
    auto it = m_nextIds.find(sequence);
    return it == m_nextIds.end() ? 1u : it->second;
}

Expected<void> MemoryKeyStore::setNextKeyId(KeyIdSequence sequence, std::uint32_t next) {
    m_nextIds[sequence] = next;
    return {};
}

Expected<std::optional<QByteArray>> MemoryKeyStore::loadPreKey(std::uint32_t id) { return find(m_preKeys, id); }

Expected<void> MemoryKeyStore::storePreKey(std::uint32_t id, const QByteArray& record) {
    m_preKeys[id] = record;
    return {};
}

Expected<bool> MemoryKeyStore::containsPreKey(std::uint32_t id) { return m_preKeys.count(id) > 0; }

Expected<void> MemoryKeyStore::removePreKey(std::uint32_t id) {
    m_preKeys.erase(id);
    return {};
}

Expected<int> MemoryKeyStore::preKeyCount() { return int(m_preKeys.size()); }

Expected<std::optional<QByteArray>> MemoryKeyStore::loadSignedPreKey(std::uint32_t id) {
    auto it = m_signedPreKeys.find(id);
    if (it == m_signedPreKeys.end()) return std::optional<QByteArray>();
    return std::optional<QByteArray>(it->second.record);
}

Expected<void> MemoryKeyStore::storeSignedPreKey(std::uint32_t id, const QByteArray& record, qint64 createdAt) {
    m_signedPreKeys[id] = SignedEntry{record, createdAt};
    return {};
}

Expected<bool> MemoryKeyStore::containsSignedPreKey(std::uint32_t id) { return m_signedPreKeys.count(id) > 0; }

Expected<void> MemoryKeyStore::removeSignedPreKey(std::uint32_t id) {
    m_signedPreKeys.erase(id);
    return {};
}

Expected<std::vector<SignedPreKeyInfo>> MemoryKeyStore::listSignedPreKeys() {
    std::vector<SignedPreKeyInfo> list;
    for (const auto& [id, entry] : m_signedPreKeys) list.push_back({id, entry.createdAt});
    std::sort(list.begin(), list.end(), [](const SignedPreKeyInfo& a, const SignedPreKeyInfo& b) {
        return a.createdAt != b.createdAt ? a.createdAt < b.createdAt : a.id < b.id;
    });
    return list;
}

Expected<std::optional<QByteArray>> MemoryKeyStore::loadSession(const QString& name, DeviceId device) {
    return find(m_sessions, Address{name, device});
}

Expected<void> MemoryKeyStore::storeSession(const QString& name, DeviceId device, const QByteArray& record) {
    m_sessions[Address{name, device}] = record;
    return {};
}

Expected<bool> MemoryKeyStore::containsSession(const QString& name, DeviceId device) {
    return m_sessions.count(Address{name, device}) > 0;
}

Expected<bool> MemoryKeyStore::deleteSession(const QString& name, DeviceId device) {
    return m_sessions.erase(Address{name, device}) > 0;
}

Expected<std::vector<DeviceId>> MemoryKeyStore::sessionDevices(const QString& name) {
    std::vector<DeviceId> devices;
    for (const auto& [address, record] : m_sessions)
        if (address.first == name) devices.push_back(address.second);
    return devices; // the map is ordered by (name, device)
}

Expected<int> MemoryKeyStore::deleteAllSessions(const QString& name) {
    return int(std::erase_if(m_sessions, [&](const auto& entry) { return entry.first.first == name; }));
}

Expected<std::optional<QByteArray>> MemoryKeyStore::loadSenderKey(const QString& groupId, const QString& name,
                                                                  DeviceId device) {
    return find(m_senderKeys, SenderKeyAddress{groupId, name, device});
}

Expected<void> MemoryKeyStore::storeSenderKey(const QString& groupId, const QString& name, DeviceId device,
                                              const QByteArray& record) {
    m_senderKeys[SenderKeyAddress{groupId, name, device}] = record;
    return {};
}

Expected<bool> MemoryKeyStore::deleteSenderKey(const QString& groupId, const QString& name, DeviceId device) {
    return m_senderKeys.erase(SenderKeyAddress{groupId, name, device}) > 0;
}

Expected<int> MemoryKeyStore::deleteSenderKeysOfGroup(const QString& groupId) {
    return int(std::erase_if(m_senderKeys, [&](const auto& entry) { return std::get<0>(entry.first) == groupId; }));
}

Expected<std::optional<QByteArray>> MemoryKeyStore::loadIdentity(const QString& name, DeviceId device) {
    return find(m_identities, Address{name, device});
}

Expected<bool> MemoryKeyStore::saveIdentity(const QString& name, DeviceId device, const QByteArray& publicKey) {
    QByteArray& stored = m_identities[Address{name, device}];
    const bool changed = !stored.isEmpty() && stored != publicKey;
    stored = publicKey;
    return changed;
}

Expected<void> MemoryKeyStore::removeIdentity(const QString& name, DeviceId device) {
    m_identities.erase(Address{name, device});
    return {};
}

Expected<std::vector<QByteArray>> MemoryKeyStore::identitiesOf(const QString& name) {
    std::vector<QByteArray> keys;
    for (const auto& [address, key] : m_identities)
        if (address.first == name) keys.push_back(key);
    return keys;
}

} // namespace natter::client::crypto
