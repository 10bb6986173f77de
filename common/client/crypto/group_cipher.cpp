#include "client/crypto/group_cipher.h"

#include "client/crypto/signal_errors.h"

#include <protocol.h>

namespace natter::client::crypto {

namespace {

// A sender key name whose bytes live as long as the object.
class SenderKeyName {
public:
    SenderKeyName(const QString& groupId, UserId user, DeviceId device)
        : m_group(groupId.toUtf8()), m_address(user, device) {
        m_name.group_id = m_group.constData();
        m_name.group_id_len = std::size_t(m_group.size());
        m_name.sender = *m_address.get();
    }
    const signal_protocol_sender_key_name* get() const { return &m_name; }

private:
    QByteArray m_group;
    SignalAddress m_address;
    signal_protocol_sender_key_name m_name{};
};

const std::uint8_t* bytes(const QByteArray& data) { return reinterpret_cast<const std::uint8_t*>(data.constData()); }

Expected<void> checkGroupId(const QString& groupId) {
    if (groupId.isEmpty()) return makeClientError(ErrorKind::InvalidArgument, QStringLiteral("empty group id"));
    return {};
}

} // namespace

Expected<QByteArray> GroupCipher::distributionMessage(const QString& groupId, UserId ownUser, DeviceId ownDevice) {
    if (auto r = checkGroupId(groupId); !r) return r.error();
    auto guard = m_account.lock();
    const SenderKeyName name(groupId, ownUser, ownDevice);
    group_session_builder* rawBuilder = nullptr;
    if (int rc = group_session_builder_create(&rawBuilder, m_account.storeContext(), m_account.context()); rc < 0)
        return signalError(rc, QStringLiteral("creating a group session builder"));
    GroupSessionBuilderHandle builder(rawBuilder);
    SignalRef<sender_key_distribution_message> message;
    if (int rc = group_session_builder_create_session(builder.get(), message.out(), name.get()); rc < 0)
        return signalError(rc, QStringLiteral("creating our sender key"));
    signal_buffer* serialized =
        ciphertext_message_get_serialized(reinterpret_cast<ciphertext_message*>(message.get())); // borrowed
    return QByteArray(reinterpret_cast<const char*>(signal_buffer_const_data(serialized)),
                      qsizetype(signal_buffer_len(serialized)));
}

Expected<void> GroupCipher::processDistribution(const QString& groupId, UserId senderUser, DeviceId senderDevice,
                                                const QByteArray& distribution) {
    if (auto r = checkGroupId(groupId); !r) return r.error();
    auto guard = m_account.lock();
    SignalRef<sender_key_distribution_message> message;
    if (int rc = sender_key_distribution_message_deserialize(message.out(), bytes(distribution),
                                                             std::size_t(distribution.size()), m_account.context());
        rc < 0)
        return signalError(rc, QStringLiteral("reading a sender key distribution"));
    group_session_builder* rawBuilder = nullptr;
    if (int rc = group_session_builder_create(&rawBuilder, m_account.storeContext(), m_account.context()); rc < 0)
        return signalError(rc, QStringLiteral("creating a group session builder"));
    GroupSessionBuilderHandle builder(rawBuilder);
    const SenderKeyName name(groupId, senderUser, senderDevice);
    if (int rc = group_session_builder_process_session(builder.get(), name.get(), message.get()); rc < 0)
        return signalError(rc, QStringLiteral("storing a sender key"));
    return {};
}

Expected<QByteArray> GroupCipher::encrypt(const QString& groupId, UserId ownUser, DeviceId ownDevice,
                                          const QByteArray& plaintext) {
    if (auto r = checkGroupId(groupId); !r) return r.error();
    auto guard = m_account.lock();
    const SenderKeyName name(groupId, ownUser, ownDevice);
    group_cipher* rawCipher = nullptr;
    if (int rc = group_cipher_create(&rawCipher, m_account.storeContext(), name.get(), m_account.context()); rc < 0)
        return signalError(rc, QStringLiteral("creating a group cipher"));
    GroupCipherHandle cipher(rawCipher);
    SignalRef<ciphertext_message> message;
    if (int rc = group_cipher_encrypt(cipher.get(), bytes(plaintext), std::size_t(plaintext.size()), message.out());
        rc < 0)
        return signalError(rc, QStringLiteral("encrypting a group message"));
    signal_buffer* serialized = ciphertext_message_get_serialized(message.get()); // borrowed
    return QByteArray(reinterpret_cast<const char*>(signal_buffer_const_data(serialized)),
                      qsizetype(signal_buffer_len(serialized)));
}

Expected<QByteArray> GroupCipher::decrypt(const QString& groupId, UserId senderUser, DeviceId senderDevice,
                                          const QByteArray& ciphertext) {
    if (auto r = checkGroupId(groupId); !r) return r.error();
    auto guard = m_account.lock();
    SignalRef<sender_key_message> message;
    if (int rc = sender_key_message_deserialize(message.out(), bytes(ciphertext), std::size_t(ciphertext.size()),
                                                m_account.context());
        rc < 0)
        return signalError(rc, QStringLiteral("reading a group message"));
    const SenderKeyName name(groupId, senderUser, senderDevice);
    group_cipher* rawCipher = nullptr;
    if (int rc = group_cipher_create(&rawCipher, m_account.storeContext(), name.get(), m_account.context()); rc < 0)
        return signalError(rc, QStringLiteral("creating a group cipher"));
    GroupCipherHandle cipher(rawCipher);
    SecretBuffer plaintext;
    if (int rc = group_cipher_decrypt(cipher.get(), message.get(), nullptr, plaintext.out()); rc < 0)
        return signalError(rc, QStringLiteral("decrypting a group message"));
    return plaintext.toByteArray();
}

Expected<void> GroupCipher::resetOwnSenderKey(const QString& groupId, UserId ownUser, DeviceId ownDevice) {
    if (auto r = checkGroupId(groupId); !r) return r.error();
    auto guard = m_account.lock();
    auto deleted = m_account.keyStore().deleteSenderKey(groupId, QString::number(ownUser), ownDevice);
    if (!deleted) return deleted.error();
    return {};
}

Expected<int> GroupCipher::forgetGroup(const QString& groupId) {
    auto guard = m_account.lock();
    return m_account.keyStore().deleteSenderKeysOfGroup(groupId);
}

} // namespace natter::client::crypto
