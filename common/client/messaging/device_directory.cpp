#include "client/messaging/device_directory.h"

#include "client/crypto/pairwise_cipher.h"
#include "client/net/api_client.h"
#include "client/store/contact_store.h"
#include "protocol/rest_keys.h"

#include <QLoggingCategory>

#include <algorithm>
#include <memory>

Q_LOGGING_CATEGORY(lcDevices, "natter.devices")

namespace natter::client {

using protocol::DeviceId;
using protocol::UserId;

std::function<void(Expected<void>)> Join::of(std::size_t count, std::function<void(Expected<void>)> done) {
    if (count == 0) {
        done({});
        return [](Expected<void>) {};
    }
    struct State {
        std::size_t left;
        std::optional<ClientError> error;
        std::function<void(Expected<void>)> done;
    };
    auto state = std::make_shared<State>(State{count, std::nullopt, std::move(done)});
    return [state](Expected<void> r) {
        if (!r && !state->error) state->error = r.error();
        if (--state->left > 0) return;
        if (state->error) state->done(*state->error);
        else state->done({});
    };
}

DeviceDirectory::DeviceDirectory(net::ApiClient& api, store::ContactStore& contacts, crypto::PairwiseCipher& cipher,
                                 UserId self, DeviceId selfDevice, QObject* parent)
    : QObject(parent), m_api(api), m_contacts(contacts), m_cipher(cipher), m_self(self), m_selfDevice(selfDevice) {}

std::vector<DeviceId> DeviceDirectory::devicesOf(UserId user) {
    auto known = m_contacts.devices(user);
    std::vector<DeviceId> out = known ? *known : std::vector<DeviceId>{};
    if (user == m_self) std::erase(out, m_selfDevice);
    return out;
}

bool DeviceDirectory::needsBundles(UserId user) {
    // The stored list of this user includes this device once fetched: empty means unknown.
    const auto known = m_contacts.devices(user);
    if (!known || known->empty()) return true;
    const auto devices = devicesOf(user);
    return std::any_of(devices.begin(), devices.end(), [&](DeviceId d) { return !valueOr(m_cipher.hasSession(user, d), false); });
}

void DeviceDirectory::ensureSessions(std::vector<UserId> users, Done done) {
    std::sort(users.begin(), users.end());
    users.erase(std::unique(users.begin(), users.end()), users.end());
    std::vector<UserId> todo;
    for (UserId u : users)
        if (needsBundles(u)) todo.push_back(u);
    auto join = Join::of(todo.size(), std::move(done));
    for (UserId u : todo) {
        // A user whose device list is known only needs bundles for the devices without a
        // session; a first contact needs all of them.
        const auto known = m_contacts.devices(u);
        const bool firstContact = !known || known->empty();
        const auto devices = devicesOf(u);
        std::vector<DeviceId> missing;
        for (DeviceId d : devices)
            if (!valueOr(m_cipher.hasSession(u, d), false)) missing.push_back(d);
        if (firstContact || missing.size() == devices.size()) {
            fetchBundles(u, std::nullopt, join);
        } else {
            auto inner = Join::of(missing.size(), join);
            for (DeviceId d : missing) fetchBundles(u, d, inner);
        }
    }
}

void DeviceDirectory::applyMismatch(const std::vector<protocol::DeviceAddress>& missing,
                                    const std::vector<protocol::DeviceAddress>& extra, Done done) {
    for (const auto& addr : extra) {
        auto known = m_contacts.devices(addr.user_id);
        std::vector<DeviceId> devices = known ? *known : std::vector<DeviceId>{};
        std::erase(devices, addr.device_id);
        (void)m_contacts.setDevices(addr.user_id, devices);
        (void)m_cipher.deleteSession(addr.user_id, addr.device_id);
    }
    auto join = Join::of(missing.size(), std::move(done));
    for (const auto& addr : missing) fetchBundles(addr.user_id, addr.device_id, join);
}

void DeviceDirectory::resetSession(UserId user, DeviceId device, Done done) {
    forgetSession(user, device);
    fetchBundles(user, device, std::move(done));
}

void DeviceDirectory::forgetSession(UserId user, DeviceId device) { (void)m_cipher.deleteSession(user, device); }

void DeviceDirectory::fetchBundles(UserId user, std::optional<DeviceId> device, Done done) {
    QString path = QStringLiteral("/api/users/%1/keys").arg(user);
    if (device) path += QStringLiteral("?device_id=%1").arg(*device);
    m_api.call<protocol::rest::KeyBundles>(
        net::HttpMethod::Get, path,
        [this, user, device, done = std::move(done)](Expected<protocol::rest::KeyBundles> bundles) {
            if (!bundles) {
                qCWarning(lcDevices) << "no pre-key bundles for user" << user << ":" << bundles.error().message;
                done(bundles.error());
                return;
            }
            std::vector<DeviceId> devices;
            if (device)
                if (auto known = m_contacts.devices(user)) devices = *known;
            for (const auto& bundle : bundles->devices) {
                if (user == m_self && bundle.device_id == m_selfDevice) continue;
                auto built = m_cipher.buildSession(user, bundle);
                if (!built) {
                    done(built.error());
                    return;
                }
                if (built->identityChanged) emit identityChanged(user, bundle.device_id);
                if (std::find(devices.begin(), devices.end(), bundle.device_id) == devices.end())
                    devices.push_back(bundle.device_id);
            }
            if (user == m_self && std::find(devices.begin(), devices.end(), m_selfDevice) == devices.end())
                devices.push_back(m_selfDevice);
            std::sort(devices.begin(), devices.end());
            if (auto r = m_contacts.setDevices(user, devices); !r) {
                done(r.error());
                return;
            }
            done({});
        });
}

} // namespace natter::client
