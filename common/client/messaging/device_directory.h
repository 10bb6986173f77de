// Which devices each user has and a Signal session with every one of them: sessions are
// started from pre-key bundles (X3DH) only when missing, and a device_mismatch answer from
// the server updates the list (new devices get sessions, removed ones are forgotten).
#pragma once

#include "client/core/result.h"
#include "protocol/types.h"

#include <QObject>

#include <functional>
#include <vector>

namespace natter::client {
namespace net { class ApiClient; }
namespace store { class ContactStore; }
namespace crypto { class PairwiseCipher; }

class DeviceDirectory : public QObject {
    Q_OBJECT
public:
    using Done = std::function<void(Expected<void>)>;

    DeviceDirectory(net::ApiClient& api, store::ContactStore& contacts, crypto::PairwiseCipher& cipher,
                    protocol::UserId self, protocol::DeviceId selfDevice, QObject* parent = nullptr);

    // Devices to address for a user; for this user, the other devices (never this one).
    std::vector<protocol::DeviceId> devicesOf(protocol::UserId user);
    // Every device of these users has a session afterwards (bundles fetched when needed).
    void ensureSessions(std::vector<protocol::UserId> users, Done done);
    // Applies the server's device_mismatch lists, then ensures sessions again.
    void applyMismatch(const std::vector<protocol::DeviceAddress>& missing,
                       const std::vector<protocol::DeviceAddress>& extra, Done done);
    // Drops the session with one device and starts a fresh one from a new bundle (after a
    // message failed to decrypt, or the device's identity key changed).
    void resetSession(protocol::UserId user, protocol::DeviceId device, Done done);
    // Forgets a device's session without fetching a new bundle now.
    void forgetSession(protocol::UserId user, protocol::DeviceId device);

signals:
    // A device's identity key differs from the one seen before (safety number changed).
    void identityChanged(protocol::UserId user, protocol::DeviceId device);

private:
    // GET /api/users/{id}/keys[?device_id=N] and builds a session per bundle.
    void fetchBundles(protocol::UserId user, std::optional<protocol::DeviceId> device, Done done);
    bool needsBundles(protocol::UserId user);

    net::ApiClient& m_api;
    store::ContactStore& m_contacts;
    crypto::PairwiseCipher& m_cipher;
    protocol::UserId m_self = 0;
    protocol::DeviceId m_selfDevice = 0;
};

// Runs `count` asynchronous steps and calls done once: with the first error, or success.
class Join {
public:
    static std::function<void(Expected<void>)> of(std::size_t count, std::function<void(Expected<void>)> done);
};

} // namespace natter::client
