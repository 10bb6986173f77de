// CommandService: groups, safety numbers, devices, linking, privacy and whoami.
#include "client/rpc/command_service.h"

#include "client/client.h"
#include "client/messaging/group_directory.h"
#include "client/rpc/json_views.h"
#include "client/store/group_store.h"
#include "client/store/profile_store.h"
#include "protocol/error.h"

#include <QDateTime>
#include <QJsonArray>

namespace natter::client::rpc {

namespace {

Expected<std::vector<UserId>> usersOf(Client& client, const QStringList& names) {
    std::vector<UserId> users;
    for (const auto& name : names) {
        auto user = client.resolveUser(name);
        if (!user) return user.error();
        users.push_back(*user);
    }
    return users;
}

Expected<QString> groupOf(Client& client, const QJsonObject& p) {
    auto name = stringParam(p, "group");
    if (!name) return name.error();
    return client.resolveGroup(*name);
}

void removeEach(Client& client, const QString& chat, std::shared_ptr<std::vector<UserId>> remaining,
                std::function<void(Expected<GroupRecord>)> answer) {
    const UserId next = remaining->back();
    remaining->pop_back();
    client.groups().removeMember(chat, next, [&client, chat, remaining, answer](Expected<GroupRecord> g) {
        if (!g || remaining->empty()) return answer(g);
        removeEach(client, chat, remaining, answer);
    });
}

// The group as JSON, with each member's display name as this user knows it.
QJsonValue groupJson(Client& client, const GroupRecord& group) {
    QJsonObject out = toJson(group);
    QJsonArray members;
    for (const auto& m : out.value("members").toArray()) {
        QJsonObject member = m.toObject();
        member.insert("display", client.displayNameOf(UserId(member.value("user_id").toInteger())));
        members.append(member);
    }
    out.insert("members", members);
    return out;
}

} // namespace

void CommandService::registerGroupsAndAccount() {
    add("group.create", [this](const QJsonObject& p, Done done) {
        auto name = stringParam(p, "name");
        if (!name) return done(name.error());
        auto names = stringListParam(p, "members");
        if (!names) return done(names.error());
        auto users = usersOf(m_client, *names);
        if (!users) return done(users.error());
        m_client.groups().create(*name, *users, [this, done, name = *name](Expected<QString> chat) {
            if (!chat) return done(chat.error());
            auto group = m_client.store().groups().byId(*chat);
            if (!group || !*group) return done(makeClientError(ErrorKind::NotFound, "group vanished"));
            // Groups may share a name; then only their chat ids tell them apart.
            QJsonArray sameName;
            if (auto named = m_client.store().groups().byName(name))
                for (const auto& g : *named)
                    if (g.chatId != *chat) sameName.append(g.chatId);
            QJsonObject out = groupJson(m_client, **group).toObject();
            out.insert("same_name", sameName);
            done(QJsonValue(out));
        });
    });
    const auto membership = [this](bool adding) {
        return [this, adding](const QJsonObject& p, Done done) {
            auto chat = groupOf(m_client, p);
            if (!chat) return done(chat.error());
            auto names = stringListParam(p, "members");
            if (!names) return done(names.error());
            auto users = usersOf(m_client, *names);
            if (!users) return done(users.error());
            auto answer = [this, done](Expected<GroupRecord> g) {
                if (!g) return done(g.error());
                done(groupJson(m_client, *g));
            };
            if (adding) return m_client.groups().addMembers(*chat, *users, answer);
            // One removal after the other; the answer is the group after the last.
            removeEach(m_client, *chat, std::make_shared<std::vector<UserId>>(*users), answer);
        };
    };
    add("group.add", membership(true));
    add("group.remove", membership(false));
    add("group.leave", [this](const QJsonObject& p, Done done) {
        auto chat = groupOf(m_client, p);
        if (!chat) return done(chat.error());
        m_client.groups().leave(*chat, [chat = *chat, done](Expected<void> r) {
            if (!r) return done(r.error());
            done(QJsonValue(QJsonObject{{"chat", chat}, {"left", true}}));
        });
    });
    add("group.info", [this](const QJsonObject& p, Done done) {
        auto chat = groupOf(m_client, p);
        if (!chat) return done(chat.error());
        m_client.groups().refresh(*chat, [this, done](Expected<GroupRecord> g) {
            if (!g) return done(g.error());
            done(groupJson(m_client, *g));
        });
    });
    add("safety_number", [this](const QJsonObject& p, Done done) {
        auto who = stringParam(p, "contact");
        if (!who) return done(who.error());
        auto user = m_client.resolveUser(*who);
        if (!user) return done(user.error());
        m_client.safetyNumber(*user, [done, user = *user](Expected<Client::SafetyNumberView> n) {
            if (!n) return done(n.error());
            done(QJsonValue(QJsonObject{{"user_id", qint64(user)},
                                        {"safety_number", n->digits},
                                        {"qr", QString::fromLatin1(n->scannable.toBase64())}}));
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
