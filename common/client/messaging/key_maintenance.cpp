#include "client/messaging/key_maintenance.h"

#include "client/crypto/signal_account.h"
#include "client/net/api_client.h"
#include "protocol/frames.h"
#include "protocol/rest_keys.h"

#include <QLoggingCategory>

#include <boost/json/value.hpp>

Q_LOGGING_CATEGORY(lcKeys, "natter.keys")

namespace natter::client {

KeyMaintenance::KeyMaintenance(net::ApiClient& api, crypto::SignalAccount& signal, QObject* parent)
    : QObject(parent), m_api(api), m_signal(signal) {}

void KeyMaintenance::publish(std::function<void(Expected<void>)> done) {
    auto upload = m_signal.keysUpload(kBatch);
    if (!upload) {
        done(upload.error());
        return;
    }
    m_api.call<boost::json::value>(net::HttpMethod::Put, QStringLiteral("/api/keys"), *upload,
                                   [done](Expected<boost::json::value> r) {
                                       if (!r) done(r.error());
                                       else done({});
                                   });
}

void KeyMaintenance::onPrekeysLow(const protocol::PrekeysLow& warning) {
    if (warning.abnormal_drain.value_or(false))
        qCWarning(lcKeys) << "this device's one-time pre-keys are being fetched faster than the server allows one"
                          << "account; the server withholds them from that account." << warning.remaining
                          << "left, uploading more";
    replenish();
}

void KeyMaintenance::replenish() {
    if (m_replenishing) return;
    auto batch = m_signal.oneTimePreKeysUpload(kBatch);
    if (!batch) {
        qCWarning(lcKeys) << "cannot make one-time pre-keys:" << batch.error().message;
        return;
    }
    m_replenishing = true;
    m_api.call<boost::json::value>(net::HttpMethod::Post, QStringLiteral("/api/keys/one-time"), *batch,
                                   [this](Expected<boost::json::value> r) {
                                       m_replenishing = false;
                                       if (!r) qCWarning(lcKeys) << "pre-key upload failed:" << r.error().message;
                                   });
}

void KeyMaintenance::rotateIfDue() {
    auto rotated = m_signal.rotateSignedPreKeyIfOlderThan(kSignedPreKeyAge);
    if (!rotated) {
        qCWarning(lcKeys) << "cannot rotate the signed pre-key:" << rotated.error().message;
        return;
    }
    if (!*rotated) return;
    auto upload = m_signal.keysUpload(0);
    if (!upload) return;
    m_api.call<boost::json::value>(net::HttpMethod::Put, QStringLiteral("/api/keys"), *upload,
                                   [](Expected<boost::json::value> r) {
                                       if (!r) qCWarning(lcKeys) << "signed pre-key upload failed:" << r.error().message;
                                   });
}

} // namespace natter::client
