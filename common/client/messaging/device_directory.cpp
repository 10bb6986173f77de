#include "client/messaging/device_directory.h"

#include "client/core/bytes.h"
#include "client/crypto/account_identity.h"
#include "client/crypto/pairwise_cipher.h"
#include "client/crypto/signal_account.h"
#include "client/net/api_client.h"
#include "client/store/contact_store.h"
#include "client/store/device_list_store.h"
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

DeviceDirectory::DeviceDirectory(net::ApiClient& api, store::ContactStore& contacts, store::DeviceListStore& lists,
                                 crypto::SignalAccount& account, crypto::PairwiseCipher& cipher, UserId self,
                                 DeviceId selfDevice, QObject* parent)
    : QObject(parent), m_api(api), m_contacts(contacts), m_lists(lists), m_account(account), m_cipher(cipher),
      m_self(self), m_selfDevice(selfDevice) {}

std::vector<DeviceId> DeviceDirectory::devicesOf(UserId user) {
    auto known = m_contacts.devices(user);
    std::vector<DeviceId> out = known ? *known : std::vector<DeviceId>{};
    if (user == m_self) std::erase(out, m_selfDevice);
    return out;
}

std::optional<QByteArray> DeviceDirectory::identityKeyOf(UserId user) {
    auto pinned = m_lists.pinned(user);
    if (!pinned || !*pinned) return std::nullopt;
    return (*pinned)->identityKey;
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

void DeviceDirectory::refreshLists(std::vector<UserId> users, Done done) {
    std::sort(users.begin(), users.end());
    users.erase(std::unique(users.begin(), users.end()), users.end());
    auto join = Join::of(users.size(), [this, users, done = std::move(done)](Expected<void> fetched) {
        if (!fetched) done(fetched.error());
        else ensureSessions(users, done);
    });
    for (UserId user : users) {
        m_api.call<protocol::rest::DeviceList>(
            net::HttpMethod::Get, QStringLiteral("/api/users/%1/devices").arg(user),
            [this, user, join](Expected<protocol::rest::DeviceList> list) {
                if (!list) {
                    join(list.error());
                    return;
                }
                auto listed = acceptList(user, list->device_list);
                if (!listed) {
                    join(listed.error());
                    return;
                }
                // Address what the list names and the server still serves (unlinked devices go).
                std::vector<DeviceId> devices;
                for (const auto& d : list->devices)
                    if (std::binary_search(listed->begin(), listed->end(), d.device_id)) devices.push_back(d.device_id);
                for (DeviceId old : devicesOf(user))
                    if (std::find(devices.begin(), devices.end(), old) == devices.end()) forgetSession(user, old);
                if (user == m_self && std::find(devices.begin(), devices.end(), m_selfDevice) == devices.end())
                    devices.push_back(m_selfDevice);
                std::sort(devices.begin(), devices.end());
                join(m_contacts.setDevices(user, devices));
            });
    }
}

Expected<std::vector<DeviceId>> DeviceDirectory::acceptList(UserId user,
                                                            const std::optional<protocol::rest::SignedDeviceList>& list) {
    if (!list)
        return makeClientError(ErrorKind::Crypto,
                               QStringLiteral("user %1 has not published a signed device list yet").arg(user));
    auto valid = crypto::verifyDeviceList(m_account, *list);
    if (!valid) return valid.error();
    const auto key = fromBase64(list->identity_key);
    if (!*valid || list->user_id != user || !key)
        return makeClientError(ErrorKind::Crypto,
                               QStringLiteral("the device list of user %1 is not signed by that account: not encrypting "
                                              "to its devices")
                                   .arg(user));
    if (user == m_self) {
        auto own = m_account.identityPublicKey();
        if (!own) return own.error();
        if (*own != *key)
            return makeClientError(ErrorKind::Crypto,
                                   QStringLiteral("the server sent a device list for this account that no device of it signed"));
    }
    auto pinned = m_lists.pinned(user);
    if (!pinned) return pinned.error();
    const bool sameIdentity = *pinned && (*pinned)->identityKey == *key;
    if (sameIdentity && (list->version < (*pinned)->version ||
                         (list->version == (*pinned)->version && list->devices != (*pinned)->devices)))
        return makeClientError(ErrorKind::Crypto,
                               QStringLiteral("the server sent an older device list of user %1 (version %2, seen %3)")
                                   .arg(user)
                                   .arg(list->version)
                                   .arg((*pinned)->version));
    // The key to compare with: the pinned list's, or on a first list the one this device's
    // sessions knew (someone who only ever wrote to us had no list pinned here).
    const std::optional<QByteArray> before = *pinned ? std::optional((*pinned)->identityKey) : sessionIdentity(user, *key);
    if (auto r = m_lists.pin(user, {*key, list->version, list->devices}); !r) return r.error();
    if (before && *before != *key) {
        qCWarning(lcDevices) << "the account identity key of user" << user << "changed";
        if (*pinned)
            for (DeviceId d : (*pinned)->devices) forgetSession(user, d);
        for (DeviceId d : list->devices) forgetSession(user, d);
        for (DeviceId d : devicesOf(user)) forgetSession(user, d);
        emit identityChanged(user, *key);
    } else if (*pinned && list->devices != (*pinned)->devices) {
        std::vector<DeviceId> added, removed;
        std::set_difference(list->devices.begin(), list->devices.end(), (*pinned)->devices.begin(),
                            (*pinned)->devices.end(), std::back_inserter(added));
        std::set_difference((*pinned)->devices.begin(), (*pinned)->devices.end(), list->devices.begin(),
                            list->devices.end(), std::back_inserter(removed));
        emit devicesChanged(user, added, removed);
    }
    return list->devices;
}

std::optional<QByteArray> DeviceDirectory::sessionIdentity(UserId user, const QByteArray& listed) {
    auto known = m_cipher.knownIdentities(user);
    if (!known) {
        qCWarning(lcDevices) << "cannot read the identity keys known for user" << user << ":" << known.error().message;
        return std::nullopt;
    }
    const auto other = std::find_if(known->begin(), known->end(), [&](const QByteArray& k) { return k != listed; });
    if (other != known->end()) return *other;
    if (!known->empty()) return listed;
    return std::nullopt;
}

void DeviceDirectory::applyMismatch(const std::vector<protocol::DeviceAddress>& missing,
                                    const std::vector<protocol::DeviceAddress>& extra, Done done) {
    for (const auto& addr : extra) {
        auto known = m_contacts.devices(addr.user_id);
        std::vector<DeviceId> devices = known ? *known : std::vector<DeviceId>{};
        std::erase(devices, addr.device_id);
        if (auto r = m_contacts.setDevices(addr.user_id, devices); !r) {
            done(r.error());
            return;
        }
        forgetSession(addr.user_id, addr.device_id);
    }
    // A removed device shows in the user's signed list too: fetch it (no pre-key is used).
    std::vector<UserId> shrunk;
    for (const auto& addr : extra) shrunk.push_back(addr.user_id);
    auto join = Join::of(missing.size() + (shrunk.empty() ? 0 : 1), std::move(done));
    for (const auto& addr : missing) fetchBundles(addr.user_id, addr.device_id, join);
    if (!shrunk.empty()) refreshLists(std::move(shrunk), join);
}

void DeviceDirectory::resetSession(UserId user, DeviceId device, Done done) {
    forgetSession(user, device);
    fetchBundles(user, device, std::move(done));
}

void DeviceDirectory::identityReplaced(UserId user, DeviceId device, Done done) {
    auto pinned = m_lists.pinned(user);
    if (pinned && !*pinned) {
        auto key = m_cipher.knownIdentity(user, device);
        if (key && *key) {
            qCWarning(lcDevices) << "the identity key of user" << user << "changed (seen in a message of device" << device << ")";
            emit identityChanged(user, **key);
        }
    }
    refreshLists({user}, std::move(done));
}

void DeviceDirectory::forgetSession(UserId user, DeviceId device) {
    if (auto r = m_cipher.deleteSession(user, device); !r)
        qCWarning(lcDevices) << "cannot delete a session:" << r.error().message;
}

void DeviceDirectory::forgetUser(UserId user) {
    for (DeviceId d : devicesOf(user)) forgetSession(user, d);
    if (auto r = m_contacts.setDevices(user, {}); !r)
        qCWarning(lcDevices) << "cannot forget the devices of user" << user << ":" << r.error().message;
}

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
            auto listed = acceptList(user, bundles->device_list);
            if (!listed) {
                qCWarning(lcDevices) << "refusing the devices of user" << user << ":" << listed.error().message;
                done(listed.error());
                return;
            }
            if (device && !std::binary_search(listed->begin(), listed->end(), *device)) {
                done(makeClientError(ErrorKind::Crypto, QStringLiteral("device %1 of user %2 is not in the account's "
                                                                       "signed device list: not encrypting to it")
                                                            .arg(*device)
                                                            .arg(user)));
                return;
            }
            std::vector<DeviceId> devices;
            if (device)
                if (auto known = m_contacts.devices(user)) devices = *known;
            std::erase_if(devices, [&](DeviceId d) { return !std::binary_search(listed->begin(), listed->end(), d); });
            for (const auto& bundle : bundles->devices) {
                if (user == m_self && bundle.device_id == m_selfDevice) continue;
                // Every device of an account shares its identity key: anything else is not theirs.
                if (!std::binary_search(listed->begin(), listed->end(), bundle.device_id) ||
                    bundle.identity_key != bundles->device_list->identity_key) {
                    qCWarning(lcDevices) << "skipping device" << bundle.device_id << "of user" << user
                                         << ": not signed by the account";
                    continue;
                }
                auto built = m_cipher.buildSession(user, bundle);
                if (!built) {
                    done(built.error());
                    return;
                }
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
