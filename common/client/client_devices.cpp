// Client: linking and unlinking devices, the account's signed device list, safety numbers and
// the notices shown when a contact's identity or devices change.
#include "client/client.h"

#include "client/core/bytes.h"
#include "client/crypto/account_identity.h"
#include "client/crypto/safety_number.h"
#include "client/crypto/signal_account.h"
#include "client/messaging/device_directory.h"
#include "client/messaging/inbox.h"
#include "client/net/api_client.h"
#include "client/store/contact_store.h"
#include "client/store/profile_store.h"
#include "protocol/rest_keys.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QStringList>

#include <boost/json/value.hpp>

#include <algorithm>

namespace natter::client {

namespace rest = protocol::rest;
using net::HttpMethod;

void Client::createLinkCode(Callback<QString> done) {
    auto identity = m_signal->localIdentity();
    if (!identity) {
        done(identity.error());
        return;
    }
    auto sealed = crypto::sealIdentity(*identity);
    if (!sealed) {
        done(sealed.error());
        return;
    }
    m_api->call<rest::LinkCode>(HttpMethod::Post, QStringLiteral("/api/devices/link-code"),
                                rest::LinkCodeRequest{sealed->provision.toStdString()},
                                [done, secret = sealed->secret](Expected<rest::LinkCode> r) {
                                    if (!r) done(r.error());
                                    else done(crypto::joinLinkCode(QString::fromStdString(r->code), secret));
                                });
}

void Client::linkWithCode(const QString& code, const QString& deviceName, Callback<void> done) {
    linkWithCode(code, deviceName, false, std::move(done));
}

void Client::linkWithCode(const QString& code, const QString& deviceName, bool withHistory, Callback<void> done) {
    if (isRegistered() && !isRevoked()) {
        done(makeClientError(ErrorKind::InvalidArgument, tr("this profile is already registered")));
        return;
    }
    auto parts = crypto::splitLinkCode(code);
    if (!parts) {
        done(parts.error());
        return;
    }
    forgetRevokedCredentials();
    rest::LinkRequest request{parts->first.toStdString(),
                              deviceName.isEmpty() ? std::nullopt : std::optional(deviceName.toStdString())};
    m_api->call<rest::VerifyResponse>(
        HttpMethod::Post, QStringLiteral("/api/devices/link"), request,
        [this, secret = parts->second, withHistory, done](Expected<rest::VerifyResponse> r) {
            if (!r) {
                done(r.error());
                return;
            }
            auto identity = crypto::openIdentity(QString::fromStdString(r->provision.value_or("")), secret);
            if (!identity) {
                done(makeClientError(ErrorKind::Crypto, tr("the link code does not open the account's identity: %1")
                                                            .arg(identity.error().message)));
                return;
            }
            // A revoked profile starts over first, so the account identity taken here stays.
            if (auto fresh = startOverIfRevoked(); !fresh) {
                done(fresh.error());
                return;
            }
            if (auto adopted = m_signal->adoptIdentity(identity->publicKey, identity->privateKey); !adopted) {
                done(adopted.error());
                return;
            }
            const rest::VerifyResponse verified = *r;
            m_api->setAccessToken(QString::fromStdString(verified.access_token), verified.expires_in);
            m_api->call<rest::Profile>(HttpMethod::Get, QStringLiteral("/api/profile"),
                                       [this, verified, withHistory, done](Expected<rest::Profile> profile) {
                                           if (!profile) {
                                               done(profile.error());
                                               return;
                                           }
                                           // Linked: the account's other devices send what it keeps.
                                           const auto askForSnapshot = [this, withHistory, done](Expected<void> adopted) {
                                               if (adopted) requestAccountSnapshot(withHistory);
                                               done(adopted);
                                           };
                                           adopt(verified, QString::fromStdString(profile->phone.value_or("")),
                                                 QString::fromStdString(profile->display_name), askForSnapshot);
                                       });
        });
}

void Client::devices(Callback<rest::DeviceList> done) {
    m_api->call<rest::DeviceList>(HttpMethod::Get, QStringLiteral("/api/devices"), std::move(done));
}

void Client::unlinkDevice(DeviceId device, Callback<void> done) {
    auto remove = [this, device, done](Expected<void>) {
        m_api->call<boost::json::value>(HttpMethod::Delete, QStringLiteral("/api/devices/%1").arg(device),
                                        [done](Expected<boost::json::value> r) {
                                            if (!r) done(r.error());
                                            else done({});
                                        });
    };
    // The list is signed by a device that stays; unlinking this device itself only ends it.
    if (device == m_account.deviceId) remove({});
    else publishDeviceList(device, [remove, done](Expected<void> published) {
        if (!published) done(published.error());
        else remove({});
    });
}

void Client::publishDeviceList(std::optional<DeviceId> removing, Callback<void> done) {
    m_api->call<rest::DeviceList>(
        HttpMethod::Get, QStringLiteral("/api/devices"), [this, removing, done](Expected<rest::DeviceList> current) {
            if (!current) {
                done(current.error());
                return;
            }
            auto own = m_signal->identityPublicKey();
            if (!own) {
                done(own.error());
                return;
            }
            rest::SignedDeviceList list;
            list.user_id = m_account.userId;
            list.identity_key = toBase64(*own);
            list.devices = {m_account.deviceId};
            // Carry forward only what this account signed; a list the server made up starts over.
            const auto& published = current->device_list;
            const bool ours = published && published->identity_key == list.identity_key &&
                              valueOr(crypto::verifyDeviceList(*m_signal, *published), false);
            if (ours) {
                list.version = published->version + 1;
                for (DeviceId d : published->devices)
                    if (d != removing && std::any_of(current->devices.begin(), current->devices.end(),
                                                     [&](const rest::DeviceInfo& i) { return i.device_id == d; }))
                        list.devices.push_back(d);
            } else {
                list.version = published ? published->version + 1 : 1;
            }
            std::sort(list.devices.begin(), list.devices.end());
            list.devices.erase(std::unique(list.devices.begin(), list.devices.end()), list.devices.end());
            if (auto signed_ = crypto::signDeviceList(*m_signal, list); !signed_) {
                done(signed_.error());
                return;
            }
            m_api->call<rest::SignedDeviceList>(HttpMethod::Put, QStringLiteral("/api/devices/list"), list,
                                                [done](Expected<rest::SignedDeviceList> r) {
                                                    if (!r) done(r.error());
                                                    else done({});
                                                });
        });
}

void Client::safetyNumber(UserId user, Callback<SafetyNumberView> done) {
    if (!isRegistered()) {
        done(makeClientError(ErrorKind::InvalidArgument, tr("this profile is not registered yet")));
        return;
    }
    auto contact = m_store->contacts().byId(user);
    if (!contact || !*contact) {
        done(makeClientError(ErrorKind::NotFound, tr("user %1 is not a contact").arg(user)));
        return;
    }
    const QString remotePhone = (*contact)->phone;
    // The current lists, not what is cached: a changed identity shows up here first.
    m_devices->refreshLists({user, m_account.userId}, [this, user, remotePhone, done](Expected<void> ready) {
        if (!ready) {
            done(ready.error());
            return;
        }
        auto own = m_signal->identityPublicKey();
        const auto theirs = m_devices->identityKeyOf(user);
        if (!own || !theirs) {
            done(makeClientError(ErrorKind::NotFound, tr("no identity key is known for user %1").arg(user)));
            return;
        }
        auto number = crypto::SafetyNumbers(*m_signal).compute(m_account.phone, {*own}, remotePhone, {*theirs});
        if (!number) {
            done(number.error());
            return;
        }
        done(SafetyNumberView{number->grouped, number->scannable});
    });
}

void Client::onIdentityChanged(UserId user, const QByteArray& identityKey) {
    if (auto r = m_store->contacts().setIdentityChanged(user, true); !r) return;
    const QString lineId =
        QStringLiteral("identity-") + QString::fromLatin1(QCryptographicHash::hash(identityKey, QCryptographicHash::Sha256).toHex().left(32));
    m_inbox->announce(user, lineId,
                      tr("Your security code with %1 changed. Verify the safety number.").arg(displayNameOf(user)),
                      QDateTime::currentMSecsSinceEpoch());
    emit identityWarning(user);
}

void Client::onDevicesChanged(UserId user, const std::vector<DeviceId>& added, const std::vector<DeviceId>& removed) {
    const bool self = user == m_account.userId;
    const QString who = displayNameOf(user);
    QStringList parts;
    if (added.size() == 1) parts << (self ? tr("A new device was linked to your account.") : tr("%1 linked a new device.").arg(who));
    else if (!added.empty())
        parts << (self ? tr("%1 new devices were linked to your account.").arg(added.size())
                       : tr("%1 linked %2 new devices.").arg(who).arg(added.size()));
    if (removed.size() == 1) parts << (self ? tr("A device was removed from your account.") : tr("%1 removed a device.").arg(who));
    else if (!removed.empty())
        parts << (self ? tr("%1 devices were removed from your account.").arg(removed.size())
                       : tr("%1 removed %2 devices.").arg(who).arg(removed.size()));
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    m_inbox->announce(user, QStringLiteral("devices-%1-%2").arg(user).arg(now), parts.join(QLatin1Char(' ')), now);
}

} // namespace natter::client
