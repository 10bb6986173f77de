// Which devices each user has and a Signal session with every one of them. A user's devices
// are those their account-signed device list names (verified with their account identity key,
// pinned on first use): the server cannot add a device unseen. Sessions are started from
// pre-key bundles (X3DH) only when missing; a device_mismatch answer or a changed list updates
// the devices, and a new identity key or a changed list is announced by a signal.
#pragma once

#include "client/core/result.h"
#include "protocol/rest.h"
#include "protocol/types.h"

#include <QByteArray>
#include <QObject>

#include <functional>
#include <optional>
#include <vector>

namespace natter::client {
namespace net { class ApiClient; }
namespace store { class ContactStore; class DeviceListStore; }
namespace crypto { class PairwiseCipher; class SignalAccount; }

class DeviceDirectory : public QObject {
    Q_OBJECT
public:
    using Done = std::function<void(Expected<void>)>;

    DeviceDirectory(net::ApiClient& api, store::ContactStore& contacts, store::DeviceListStore& lists,
                    crypto::SignalAccount& account, crypto::PairwiseCipher& cipher, protocol::UserId self,
                    protocol::DeviceId selfDevice, QObject* parent = nullptr);

    // Devices to address for a user; for this user, the other devices (never this one).
    std::vector<protocol::DeviceId> devicesOf(protocol::UserId user);
    // Every device of these users has a session afterwards (bundles fetched when needed).
    void ensureSessions(std::vector<protocol::UserId> users, Done done);
    // Fetches these users' current signed device lists (GET /api/users/{id}/devices), accepts
    // them, then ensures sessions: after a group's devices changed, or before a safety number.
    void refreshLists(std::vector<protocol::UserId> users, Done done);
    // Applies the server's device_mismatch lists, then ensures sessions again.
    void applyMismatch(const std::vector<protocol::DeviceAddress>& missing,
                       const std::vector<protocol::DeviceAddress>& extra, Done done);
    // Drops the session with one device and starts a fresh one from a new bundle (after a
    // message failed to decrypt, or the device's identity key changed).
    void resetSession(protocol::UserId user, protocol::DeviceId device, Done done);
    // A message from this device of the user came with another identity key than the one stored
    // here (libsignal replaced it while decrypting). With their list pinned, fetching it again
    // shows the change; with none pinned nothing would, so it is announced at once.
    void identityReplaced(protocol::UserId user, protocol::DeviceId device, Done done);
    // Forgets a device's session without fetching a new bundle now.
    void forgetSession(protocol::UserId user, protocol::DeviceId device);
    // Forgets every session and the device list of a user: the next send starts over.
    void forgetUser(protocol::UserId user);
    // The account identity key pinned for a user (their verified list's key), if any.
    std::optional<QByteArray> identityKeyOf(protocol::UserId user);

signals:
    // The user's account identity key differs from the one pinned before (safety number changed).
    void identityChanged(protocol::UserId user, const QByteArray& identityKey);
    // The user's signed device list added or removed devices (same identity key).
    void devicesChanged(protocol::UserId user, const std::vector<protocol::DeviceId>& added,
                        const std::vector<protocol::DeviceId>& removed);

private:
    // GET /api/users/{id}/keys[?device_id=N] and builds a session per bundle the list names.
    void fetchBundles(protocol::UserId user, std::optional<protocol::DeviceId> device, Done done);
    bool needsBundles(protocol::UserId user);
    // What a user's first pinned list (with identity key `listed`) is checked against: a key
    // other than `listed` that one of their devices had in a session here, else `listed` if a
    // device had that, else nothing (never in touch).
    std::optional<QByteArray> sessionIdentity(protocol::UserId user, const QByteArray& listed);
    // Verifies and pins a user's signed device list; the devices it names.
    Expected<std::vector<protocol::DeviceId>> acceptList(protocol::UserId user,
                                                         const std::optional<protocol::rest::SignedDeviceList>& list);

    net::ApiClient& m_api;
    store::ContactStore& m_contacts;
    store::DeviceListStore& m_lists;
    crypto::SignalAccount& m_account;
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
