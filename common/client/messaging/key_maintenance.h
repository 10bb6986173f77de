// Keeps this device's public keys on the server: the first upload after registration or
// linking, one-time pre-keys topped up when the server says they run low or are being drained
// (a warning is logged then), and the signed pre-key rotated weekly (the previous one kept for
// messages still in flight).
#pragma once

#include "client/core/result.h"

#include <QObject>

#include <chrono>
#include <functional>

namespace natter::protocol { struct PrekeysLow; }

namespace natter::client {
namespace net { class ApiClient; }
namespace crypto { class SignalAccount; }

class KeyMaintenance : public QObject {
    Q_OBJECT
public:
    static constexpr int kBatch = 100;                               // one-time pre-keys per upload
    static constexpr std::chrono::hours kSignedPreKeyAge{24 * 7};   // rotation period

    KeyMaintenance(net::ApiClient& api, crypto::SignalAccount& signal, QObject* parent = nullptr);

    // PUT /api/keys with the identity, the signed pre-key and a first batch.
    void publish(std::function<void(Expected<void>)> done);
    // prekeys_low: warns when it reports an abnormal drain, then replenishes.
    void onPrekeysLow(const protocol::PrekeysLow& warning);
    // On connect: a signed pre-key older than a week is replaced and published.
    void rotateIfDue();

private:
    // POST /api/keys/one-time with another batch.
    void replenish();

    net::ApiClient& m_api;
    crypto::SignalAccount& m_signal;
    bool m_replenishing = false;
};

} // namespace natter::client
