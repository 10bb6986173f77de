// Client: what a revoked device does. The server's word (a device_revoked answer, or the
// WebSocket closed with 1008) arrives once through ApiClient::deviceRevoked; the client keeps
// it in the profile, stops connecting, fails what waits in the outbox and says so. A revoked
// profile opened later knows it from its store at once. Verifying or linking again starts the
// profile over as a new device.
#include "client/client.h"

#include "client/crypto/group_cipher.h"
#include "client/crypto/pairwise_cipher.h"
#include "client/crypto/signal_account.h"
#include "client/crypto/sqlcipher_key_store.h"
#include "client/messaging/outbox.h"
#include "client/net/api_client.h"
#include "client/store/profile_store.h"
#include "client/store/revocation_store.h"
#include "protocol/error.h"

#include <QDateTime>
#include <QLoggingCategory>

Q_LOGGING_CATEGORY(lcRevocation, "natter.revocation")

namespace natter::client {

using protocol::RevocationReason;

ClientError Client::revokedError() const {
    const RevocationReason reason = m_revocation.value_or(RevocationReason::unlinked);
    ClientError error = net::ApiClient::revokedError(reason);
    const QString number = m_account.phone.isEmpty() ? tr("unknown number") : m_account.phone;
    error.message = reason == RevocationReason::reregistered
                        ? tr("This device was signed out: its phone number (%1) was registered again on another device.")
                              .arg(number)
                        : tr("This device was unlinked from the account (%1).").arg(number);
    return error;
}

Expected<void> Client::loadRevocation() {
    connect(m_api, &net::ApiClient::deviceRevoked, this, &Client::onDeviceRevoked);
    auto stored = store::RevocationStore(m_store->database()).load();
    if (!stored) return stored.error();
    if (!*stored || !isRegistered()) return {};
    m_revocation = **stored;
    m_api->setRevoked(**stored, false);
    // Left over when the process ended between storing the revocation and failing the outbox.
    if (m_outbox)
        for (qint64 id : m_outbox->halt(revokedError().message)) m_unsentAtRevocation.push_back(id);
    return {};
}

void Client::onDeviceRevoked(RevocationReason reason) {
    if (m_revocation || !isRegistered()) return;
    m_revocation = reason;
    if (auto saved = store::RevocationStore(m_store->database()).save(reason, QDateTime::currentMSecsSinceEpoch()); !saved)
        qCWarning(lcRevocation) << "cannot remember that this device was revoked:" << saved.error().message;
    m_synced = false;
    if (m_connection) m_connection->stop();
    const QString message = revokedError().message;
    qCInfo(lcRevocation).noquote() << "the server revoked this device:" << QString::fromUtf8(protocol::toString(reason));
    if (m_outbox)
        for (qint64 id : m_outbox->halt(message)) m_unsentAtRevocation.push_back(id);
    emit deviceRevoked(reason, message);
    emit sessionEnded(message);
}

void Client::forgetRevokedCredentials() {
    if (isRevoked()) m_api->clearCredentials();
}

Expected<void> Client::startOverIfRevoked() {
    if (!isRevoked()) return {};
    qCInfo(lcRevocation) << "starting over as a new device";
    stopServices();
    m_groupCipher.reset();
    m_pairwise.reset();
    m_signal.reset();
    m_keyStore.reset();
    if (auto r = store::RevocationStore(m_store->database()).forgetDevice(); !r) return r;
    m_revocation.reset();
    m_unsentAtRevocation.clear();
    m_account = AccountRecord{};
    m_synced = false;
    return initCrypto(); // a new identity key pair and registration id
}

} // namespace natter::client
