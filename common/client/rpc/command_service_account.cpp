// CommandService: this account and its trust: whoami, devices (list, unlink), linking,
// privacy settings, safety numbers and acknowledging a contact's changed one.
#include "client/rpc/command_service.h"

#include "client/client.h"
#include "client/rpc/json_views.h"
#include "client/store/profile_store.h"
#include "protocol/error.h"

#include <QDateTime>
#include <QJsonArray>

#include <boost/describe/enum_to_string.hpp>

#include <algorithm>

namespace natter::client::rpc {

Expected<ContactRecord> CommandService::contactParam(const QJsonObject& params) {
    auto who = stringParam(params, "contact");
    if (!who) return who.error();
    auto user = m_client.resolveUser(*who);
    if (!user) return user.error();
    const auto contact = m_client.contactInfo(*user);
    if (!contact) return makeClientError(ErrorKind::NotFound, QStringLiteral("%1 is not a contact").arg(*who));
    return *contact;
}

void CommandService::registerAccount() {
    add("safety_number", [this](const QJsonObject& p, Done done) {
        auto who = stringParam(p, "contact");
        if (!who) return done(who.error());
        auto user = m_client.resolveUser(*who);
        if (!user) return done(user.error());
        m_client.safetyNumber(*user, [this, done, user = *user](Expected<Client::SafetyNumberView> n) {
            if (!n) return done(n.error());
            const auto contact = m_client.contactInfo(user);
            done(QJsonValue(QJsonObject{{"user_id", qint64(user)},
                                        {"name", m_client.displayNameOf(user)},
                                        {"safety_number", n->digits},
                                        {"qr", QString::fromLatin1(n->scannable.toBase64())},
                                        {"changed", contact && contact->identityChanged}}));
        });
    });
    add("devices", [this](const QJsonObject&, Done done) {
        m_client.devices([this, done](Expected<protocol::rest::DeviceList> list) {
            if (!list) return done(list.error());
            QJsonArray out;
            for (const auto& d : list->devices)
                out.append(QJsonObject{{"device_id", qint64(d.device_id)},
                                       {"name", QString::fromStdString(d.name)},
                                       {"this_device", d.device_id == m_client.account().deviceId},
                                       {"created", QDateTime::fromMSecsSinceEpoch(d.created_at).toUTC().toString(Qt::ISODate)}});
            done(QJsonValue(QJsonObject{{"devices", out}}));
        });
    });
    add("devices.unlink", [this](const QJsonObject& p, Done done) {
        const qint64 device = p.value("device").toInteger(0);
        if (device <= 0) return done(paramError("device", "params.device must be a device id"));
        // Only a device of this account other than this one: the list says which exist.
        m_client.devices([this, device, done](Expected<protocol::rest::DeviceList> list) {
            if (!list) return done(list.error());
            const auto& all = list->devices;
            if (std::none_of(all.begin(), all.end(), [&](const auto& d) { return qint64(d.device_id) == device; }))
                return done(makeClientError(ErrorKind::NotFound,
                                            QStringLiteral("this account has no device %1 ('natter devices' lists them)").arg(device)));
            if (device == qint64(m_client.account().deviceId))
                return done(makeClientError(ErrorKind::InvalidArgument,
                                            QStringLiteral("device %1 is this device: unlink it from another device of the account")
                                                .arg(device)));
            m_client.unlinkDevice(DeviceId(device), [device, done](Expected<void> r) {
                if (!r) return done(r.error());
                done(QJsonValue(QJsonObject{{"device_id", device}, {"unlinked", true}}));
            });
        });
    });
    add("link.code", [this](const QJsonObject&, Done done) {
        m_client.createLinkCode([done](Expected<QString> code) {
            if (!code) return done(code.error());
            done(QJsonValue(QJsonObject{{"code", *code}}));
        });
    });
    add("settings.privacy", [this](const QJsonObject& p, Done done) {
        auto setting = stringParam(p, "setting");
        auto value = setting ? stringParam(p, "value") : Expected<QString>(setting.error());
        if (!value) return done(value.error());
        m_client.setPrivacy(*setting, *value, [done, setting = *setting, value = *value](Expected<void> r) {
            if (!r) return done(r.error());
            done(QJsonValue(QJsonObject{{"setting", setting}, {"value", value}}));
        });
    });
    add("settings.privacy.show", [this](const QJsonObject&, Done done) {
        m_client.privacy([done](Expected<protocol::rest::PrivacySettings> s) {
            if (!s) return done(s.error());
            // What the server does when a setting was never set (docs/protocol.md).
            const auto visibility = [](std::optional<protocol::Visibility> v) {
                return QString::fromLatin1(boost::describe::enum_to_string(v.value_or(protocol::Visibility::everyone), "everyone"));
            };
            done(QJsonValue(QJsonObject{{"last_seen", visibility(s->last_seen)},
                                        {"online", visibility(s->online)},
                                        {"read_receipts", s->read_receipts.value_or(true)}}));
        });
    });
    add("contacts.verify", [this](const QJsonObject& p, Done done) {
        auto contact = contactParam(p);
        if (!contact) return done(contact.error());
        if (auto r = m_client.acknowledgeIdentity(contact->userId); !r) return done(r.error());
        ContactRecord verified = *contact;
        verified.identityChanged = false;
        QJsonObject out = toJson(verified);
        out.insert("acknowledged", contact->identityChanged); // false: there was no change to acknowledge
        done(QJsonValue(out));
    });
    add("contacts.remove", [this](const QJsonObject& p, Done done) {
        auto contact = contactParam(p);
        if (!contact) return done(contact.error());
        m_client.removeContact(contact->userId, [done, removed = *contact](Expected<void> r) {
            if (!r) return done(r.error());
            QJsonObject out = toJson(removed);
            out.insert("removed", true);
            done(QJsonValue(out));
        });
    });
    add("whoami", [this](const QJsonObject&, Done done) {
        const auto& a = m_client.account();
        if (!m_client.isRegistered())
            return done(QJsonValue(QJsonObject{{"registered", false}, {"profile", m_client.store().paths().name()}}));
        QJsonObject me{{"registered", true},
                       {"profile", m_client.store().paths().name()},
                       {"user_id", qint64(a.userId)},
                       {"device_id", qint64(a.deviceId)},
                       {"phone", a.phone},
                       {"name", a.displayName},
                       {"server", a.server.toString()}};
        if (const auto reason = m_client.revocation()) {
            me.insert("revoked", QString::fromUtf8(protocol::toString(*reason)));
            me.insert("revoked_message", m_client.revokedError().message);
        }
        done(QJsonValue(me));
    });
}

} // namespace natter::client::rpc
