#include "reinstalled_device.h"

#include "client_harness.h"
#include "natterd_process.h"
#include "test_client.h"

#include "client/client.h"
#include "client/crypto/account_identity.h"
#include "protocol/e2e_codec.h"
#include "protocol/frame_codec.h"
#include "protocol/rest_keys.h"

namespace natter::test {

ReinstalledDevice::~ReinstalledDevice() = default;

std::unique_ptr<ReinstalledDevice> ReinstalledDevice::publish(const NatterdProcess& server, client::Client* device) {
    std::unique_ptr<ReinstalledDevice> out(new ReinstalledDevice);
    out->m_raw = actAs(server, device);
    if (!out->m_raw) return nullptr;
    auto fresh = client::crypto::SignalAccount::open(out->m_keys);
    if (!fresh) return nullptr;
    out->m_account = std::move(*fresh);
    out->m_cipher = std::make_unique<client::crypto::PairwiseCipher>(*out->m_account);
    auto upload = out->m_account->keysUpload(5);
    if (!upload) return nullptr;
    const QByteArray body = QByteArray::fromStdString(protocol::serializeBody(*upload));
    if (out->m_raw->rawRequest("PUT", "/api/keys", body).status != 200) return nullptr;
    // The new identity's own signed device list (a new identity may start at any version).
    protocol::rest::SignedDeviceList list{device->account().userId, 1, upload->identity_key, {device->account().deviceId}, {}};
    if (!client::crypto::signDeviceList(*out->m_account, list)) return nullptr;
    const QByteArray listBody = QByteArray::fromStdString(protocol::serializeBody(list));
    if (out->m_raw->rawRequest("PUT", "/api/devices/list", listBody).status != 200) return nullptr;
    return out;
}

bool ReinstalledDevice::sendText(const QString& chatId, protocol::UserId user, protocol::DeviceId device,
                                 const QString& text, QString* why) {
    const HttpResult keys = m_raw->rawRequest("GET", QStringLiteral("/api/users/%1/keys?device_id=%2").arg(user).arg(device), {});
    auto bundles = protocol::parseBody<protocol::rest::KeyBundles>(keys.body.toStdString());
    if (keys.status != 200 || !bundles || bundles->devices.empty()) {
        *why = QStringLiteral("no bundle: ") + keys.describe();
        return false;
    }
    if (auto built = m_cipher->buildSession(user, bundles->devices.front()); !built) {
        *why = built.error().message;
        return false;
    }
    protocol::e2e::Content content;
    content.text = text.toStdString();
    const std::string plain = protocol::e2e::serializeContent(content);
    auto wire = m_cipher->encrypt(user, device, QByteArray::fromStdString(plain));
    if (!wire) {
        *why = wire.error().message;
        return false;
    }
    if (!m_connected && !(m_connected = m_raw->connectWs())) {
        *why = QStringLiteral("no WebSocket: ") + m_raw->lastError();
        return false;
    }
    const QString clientMsgId = QStringLiteral("reinstalled-%1").arg(++m_sent);
    m_raw->send(TestClient::messageFrame(chatId, clientMsgId, TestClient::envelopes({DeviceAddr{qint64(user), qint64(device)}}, *wire)));
    const auto result = m_raw->waitForSendResult(clientMsgId);
    if (!result || result->value("type") != QStringLiteral("ack")) {
        *why = QStringLiteral("not acknowledged: ") + m_raw->describePending();
        return false;
    }
    return true;
}

} // namespace natter::test
