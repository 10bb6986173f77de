// CommandService: groups: create, members, roles, rename, leave and info; what a group text's
// "@"s mention (mentions.check).
#include "client/rpc/command_service.h"

#include "client/client.h"
#include "client/messaging/group_directory.h"
#include "client/messaging/mention_candidates.h"
#include "client/messaging/mentions.h"
#include "client/rpc/json_views.h"
#include "client/store/group_store.h"
#include "client/store/profile_store.h"
#include "protocol/error.h"
#include "protocol/limits.h"

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

QJsonArray membersJson(const MentionMembers& members) {
    QJsonArray out;
    for (const auto& [user, name] : members) out.append(QJsonObject{{"user_id", qint64(user)}, {"name", name}});
    return out;
}

// mentions.check: whom a group text would mention, and its "@word"s that mention nobody with
// the members each could mean (the shell says so before sending).
QJsonObject mentionCheck(Client& client, const QString& chat, const QString& text) {
    const UserId self = client.account().userId;
    auto members = client.mentionMembers(chat);
    QJsonArray loose;
    if (!members.empty())
        for (const auto& l : looseMentions(text, members, self))
            loose.append(QJsonObject{{"word", l.word}, {"candidates", membersJson(l.candidates)}});
    std::erase_if(members, [self](const auto& m) { return m.first == self; });
    MentionMembers mentioned;
    for (UserId user : mentionedMembers(text, members))
        for (const auto& m : members)
            if (m.first == user) mentioned.push_back(m);
    return {{"chat", chat}, {"mentions", membersJson(mentioned)}, {"loose", loose}};
}

// A group's name: non-empty, at most as long as a display name.
Expected<QString> groupNameParam(const QJsonObject& p) {
    auto name = stringParam(p, "name");
    if (!name) return name.error();
    if (name->trimmed().isEmpty() || std::size_t(name->toUtf8().size()) > protocol::limits::kMaxDisplayNameBytes)
        return paramError("name", QStringLiteral("params.name must be a group name of 1 to %1 bytes")
                                      .arg(protocol::limits::kMaxDisplayNameBytes));
    return name->trimmed();
}

// natterd's refusals of a role or name change, said for people: who may do it, who is no member.
ClientError groupChangeRefused(Client& client, const QString& chat, ClientError error, const QString& action,
                               const QString& member = {}) {
    if (error.kind != ErrorKind::Server) return error;
    const auto group = client.groupInfo(chat);
    const QString name = group && !group->name.isEmpty() ? group->name : chat;
    if (error.serverCode == QLatin1String("forbidden"))
        error.message = QStringLiteral("only admins of '%1' may %2; you are not one of its admins").arg(name, action);
    else if (error.serverCode == QLatin1String("not_found") && !member.isEmpty())
        error.message = QStringLiteral("%1 is not a member of '%2'").arg(member, name);
    return error;
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

// The group as JSON, with each member's display name (and about text, when known) as this user knows it.
QJsonValue groupJson(Client& client, const GroupRecord& group) {
    QJsonObject out = toJson(group);
    QJsonArray members;
    for (const auto& m : out.value("members").toArray()) {
        QJsonObject member = m.toObject();
        const UserId user = UserId(member.value("user_id").toInteger());
        member.insert("display", client.displayNameOf(user));
        if (const QString about = client.aboutOf(user); !about.isEmpty()) member.insert("about", about);
        members.append(member);
    }
    out.insert("members", members);
    return out;
}

} // namespace

void CommandService::registerGroups() {
    add("group.create", [this](const QJsonObject& p, Done done) {
        auto name = groupNameParam(p);
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
    add("mentions.check", [this](const QJsonObject& p, Done done) {
        auto who = stringParam(p, "chat");
        auto text = who ? stringParam(p, "text") : Expected<QString>(who.error());
        if (!text) return done(text.error());
        auto chat = m_client.resolveChat(*who);
        if (!chat) return done(chat.error());
        done(QJsonValue(mentionCheck(m_client, *chat, *text)));
    });
    add("mentions.complete", [this](const QJsonObject& p, Done done) {
        auto who = stringParam(p, "chat");
        auto prefix = who ? Expected<QString>(p.value("prefix").toString()) : Expected<QString>(who.error());
        if (!prefix) return done(prefix.error());
        auto chat = m_client.resolveChat(*who);
        if (!chat) return done(chat.error());
        const QString token = QStringLiteral("@") + *prefix;
        const auto query = mentionQueryAt(token, token.size(), m_client.mentionMembers(*chat), m_client.account().userId);
        done(QJsonValue(QJsonObject{{"chat", *chat}, {"candidates", membersJson(query ? query->candidates : MentionMembers{})}}));
    });
    add("group.info", [this](const QJsonObject& p, Done done) {
        auto chat = groupOf(m_client, p);
        if (!chat) return done(chat.error());
        m_client.groups().refresh(*chat, [this, done](Expected<GroupRecord> g) {
            if (!g) return done(g.error());
            done(groupJson(m_client, *g));
        });
    });
    add("group.rename", [this](const QJsonObject& p, Done done) {
        auto chat = groupOf(m_client, p);
        if (!chat) return done(chat.error());
        auto name = groupNameParam(p);
        if (!name) return done(name.error());
        m_client.groups().rename(*chat, *name, [this, chat = *chat, done](Expected<GroupRecord> g) {
            if (!g) return done(groupChangeRefused(m_client, chat, g.error(), QStringLiteral("rename it")));
            done(groupJson(m_client, *g));
        });
    });
    const auto roleChange = [this](protocol::GroupRole role) {
        return [this, role](const QJsonObject& p, Done done) {
            auto chat = groupOf(m_client, p);
            if (!chat) return done(chat.error());
            auto member = stringParam(p, "member");
            if (!member) return done(member.error());
            auto user = m_client.resolveUser(*member);
            if (!user) return done(user.error());
            const QString action = role == protocol::GroupRole::admin ? QStringLiteral("make members admins")
                                                                      : QStringLiteral("demote admins");
            m_client.groups().setRole(*chat, *user, role,
                                      [this, chat = *chat, member = *member, action, done](Expected<GroupRecord> g) {
                                          if (!g) return done(groupChangeRefused(m_client, chat, g.error(), action, member));
                                          done(groupJson(m_client, *g));
                                      });
        };
    };
    add("group.promote", roleChange(protocol::GroupRole::admin));
    add("group.demote", roleChange(protocol::GroupRole::member));
}

} // namespace natter::client::rpc
