#include "client/messaging/group_directory.h"

#include "client/core/bytes.h"
#include "client/core/random_bytes.h"
#include "client/crypto/group_cipher.h"
#include "client/crypto/group_metadata_cipher.h"
#include "client/messaging/group_profiles.h"
#include "client/messaging/profile_names.h"
#include "client/net/api_client.h"
#include "client/net/connection.h"
#include "client/store/chat_store.h"
#include "client/store/database.h"
#include "client/store/contact_store.h"
#include "client/store/group_store.h"
#include "client/store/message_store.h"
#include "client/store/profile_store.h"

#include <QLoggingCategory>
#include <QUrl>

#include <algorithm>

Q_LOGGING_CATEGORY(lcGroups, "natter.groups")

namespace natter::client {

namespace rest = protocol::rest;
namespace e2e = protocol::e2e;
using net::HttpMethod;

GroupDirectory::GroupDirectory(store::ProfileStore& store, net::ApiClient& api, net::Connection& connection,
                               crypto::GroupCipher& group, Outbox& outbox, FollowUps& followUps,
                               Outbox::Identity self, QObject* parent)
    : QObject(parent), m_store(store), m_api(api), m_connection(connection), m_group(group), m_outbox(outbox),
      m_followUps(followUps), m_self(self) {}

QString GroupDirectory::path(const QString& chatId) const {
    return QStringLiteral("/api/groups/") + QString::fromLatin1(QUrl::toPercentEncoding(chatId));
}

void GroupDirectory::create(const QString& name, const std::vector<UserId>& members, Callback<QString> done) {
    if (name.trimmed().isEmpty()) {
        done(makeClientError(ErrorKind::InvalidArgument, QStringLiteral("a group needs a name")));
        return;
    }
    const QByteArray secret = randomBytes(32);
    auto sealed = crypto::GroupMetadataCipher::seal(secret, name);
    if (!sealed) {
        done(sealed.error());
        return;
    }
    rest::CreateGroupRequest request;
    request.name = sealed->toStdString();
    request.participants = members;
    m_api.call<rest::GroupInfo>(HttpMethod::Post, QStringLiteral("/api/groups"), request,
                                [this, secret, done](Expected<rest::GroupInfo> info) {
                                    if (!info) {
                                        done(info.error());
                                        return;
                                    }
                                    const QString chatId = QString::fromStdString(info->chat_id);
                                    // The secret is stored with the group, in one transaction: a
                                    // group this device cannot name or share is an error, not a success.
                                    auto record = apply(*info, secret);
                                    if (!record) {
                                        qCWarning(lcGroups) << "new group" << chatId
                                                            << "not stored on this device:" << record.error().message;
                                        done(makeClientError(record.error().kind,
                                                             QStringLiteral("the group was created on the server, but this "
                                                                            "device could not store it: %1")
                                                                 .arg(record.error().message)));
                                        return;
                                    }
                                    // natterd sends the creating device no event of its own: the
                                    // chat list shows the new group on top, dated, from here.
                                    if (auto r = m_store.chats().touch(chatId, info->created_at,
                                                                       QStringLiteral("You created the group"), false);
                                        !r)
                                        qCWarning(lcGroups) << "cannot date the new group:" << r.error().message;
                                    std::vector<UserId> others;
                                    for (const auto& m : record->members)
                                        if (m.userId != m_self.user) others.push_back(m.userId);
                                    // Our other devices need the secret too.
                                    others.push_back(m_self.user);
                                    shareSecret(chatId, secret, others);
                                    done(chatId);
                                });
}

void GroupDirectory::addMembers(const QString& chatId, const std::vector<UserId>& users, Callback<GroupRecord> done) {
    m_api.call<rest::GroupInfo>(HttpMethod::Post, path(chatId) + QStringLiteral("/members"), rest::AddMembersRequest{users},
                                [this, chatId, users, done](Expected<rest::GroupInfo> info) {
                                    if (!info) {
                                        done(info.error());
                                        return;
                                    }
                                    auto record = apply(*info);
                                    if (record) {
                                        shareSecret(chatId, record->secret, users);
                                        if (auto r = announceProfileToAdded(m_store, m_outbox, chatId, m_self.user, users); !r)
                                            qCWarning(lcGroups) << "cannot queue the profile for the new members:"
                                                                << r.error().message;
                                    }
                                    done(record);
                                });
}

void GroupDirectory::removeMember(const QString& chatId, UserId user, Callback<GroupRecord> done) {
    m_api.call<rest::GroupInfo>(HttpMethod::Delete, path(chatId) + QStringLiteral("/members/%1").arg(user),
                                [this, chatId, done](Expected<rest::GroupInfo> info) {
                                    if (!info) {
                                        done(info.error());
                                        return;
                                    }
                                    rotateSenderKey(chatId);
                                    done(apply(*info));
                                });
}

void GroupDirectory::leave(const QString& chatId, Callback<void> done) {
    m_api.call<rest::GroupInfo>(HttpMethod::Delete, path(chatId) + QStringLiteral("/members/%1").arg(m_self.user),
                                [this, chatId, done](Expected<rest::GroupInfo> info) {
                                    if (!info) {
                                        done(info.error());
                                        return;
                                    }
                                    auto group = m_store.groups().byId(chatId);
                                    if (group && *group) {
                                        GroupRecord record = **group;
                                        std::erase_if(record.members, [&](const GroupMemberRecord& m) {
                                            return m.userId == m_self.user;
                                        });
                                        // The server already let us go; a stale local member list
                                        // only shows us as a member until the next group event.
                                        if (auto r = m_store.groups().save(record); !r)
                                            qCWarning(lcGroups) << "left group" << chatId
                                                                << "but cannot update its members here:" << r.error().message;
                                    }
                                    emit groupChanged(chatId);
                                    done({});
                                });
}

void GroupDirectory::setRole(const QString& chatId, UserId user, protocol::GroupRole role, Callback<GroupRecord> done) {
    m_api.call<rest::GroupInfo>(HttpMethod::Put, path(chatId) + QStringLiteral("/members/%1").arg(user),
                                rest::RoleUpdate{role}, [this, done](Expected<rest::GroupInfo> info) {
                                    if (!info) done(info.error());
                                    else done(apply(*info));
                                });
}

void GroupDirectory::rename(const QString& chatId, const QString& name, Callback<GroupRecord> done) {
    auto group = m_store.groups().byId(chatId);
    if (!group || !*group || (*group)->secret.isEmpty()) {
        done(makeClientError(ErrorKind::NotFound, QStringLiteral("this device does not know the group's secret yet")));
        return;
    }
    auto sealed = crypto::GroupMetadataCipher::seal((*group)->secret, name);
    if (!sealed) {
        done(sealed.error());
        return;
    }
    rest::GroupUpdate update;
    update.name = sealed->toStdString();
    m_api.call<rest::GroupInfo>(HttpMethod::Put, path(chatId), update, [this, done](Expected<rest::GroupInfo> info) {
        if (!info) done(info.error());
        else done(apply(*info));
    });
}

void GroupDirectory::refresh(const QString& chatId, Callback<GroupRecord> done) {
    m_api.call<rest::GroupInfo>(HttpMethod::Get, path(chatId), [this, done](Expected<rest::GroupInfo> info) {
        if (!info) done(info.error());
        else done(apply(*info));
    });
}

void GroupDirectory::refreshInBackground(const QString& chatId) {
    auto job = m_followUps.start(QStringLiteral("group details"));
    refresh(chatId, [job](Expected<GroupRecord> r) mutable {
        if (!r) qCInfo(lcGroups) << "group refresh failed:" << r.error().message;
        job.done();
    });
}

void GroupDirectory::refreshNameless() {
    auto groups = m_store.groups().all();
    if (!groups) return;
    const auto profile = ownProfile(m_store);
    for (const GroupRecord& g : *groups) {
        const bool member = std::any_of(g.members.begin(), g.members.end(),
                                        [&](const GroupMemberRecord& m) { return m.userId == m_self.user; });
        const bool left = !g.members.empty() && !member;
        // A group joined whose refresh was cut off (the app closed) has not had the own profile:
        // the refresh announces it (apply), once.
        const bool unannounced = member && profile && valueOr(m_store.chats().profileSent(g.chatId), profile->version) != profile->version;
        if ((g.name.isEmpty() && !g.secret.isEmpty() && !left) || unannounced) refreshInBackground(g.chatId);
    }
}

Expected<GroupRecord> GroupDirectory::apply(const rest::GroupInfo& info, const QByteArray& secret) {
    const QString chatId = QString::fromStdString(info.chat_id);
    auto existing = m_store.groups().byId(chatId);
    if (!existing) return existing.error();
    GroupRecord record = *existing ? **existing : GroupRecord{};
    record.chatId = chatId;
    if (!secret.isEmpty()) record.secret = secret;
    record.members.clear();
    for (const auto& m : info.members) record.members.push_back({m.user_id, m.role});
    if (!record.secret.isEmpty()) {
        // A name that does not open under our secret stays as it was (never shown as garbage).
        if (auto name = crypto::GroupMetadataCipher::open(record.secret, QString::fromStdString(info.name))) record.name = *name;
        if (info.description)
            if (auto text = crypto::GroupMetadataCipher::open(record.secret, QString::fromStdString(*info.description))) record.description = *text;
    }
    auto stored = m_store.database().transaction([&]() -> Expected<void> {
        if (auto r = m_store.groups().save(record); !r) return r;
        ChatRecord chat;
        chat.chatId = chatId;
        chat.type = ChatType::group;
        chat.title = record.name.isEmpty() ? QStringLiteral("Group") : record.name;
        if (auto r = m_store.chats().ensure(chat); !r) return r;
        if (!record.name.isEmpty()) return m_store.chats().setTitle(chatId, record.name);
        return {};
    });
    if (!stored) return stored.error();
    emit groupChanged(chatId);
    // Now that the member list is the server's: the own name reaches a group just joined.
    if (auto r = announceProfileToGroup(m_store, m_outbox, chatId, m_self.user); !r)
        qCWarning(lcGroups) << "cannot queue the profile for group" << chatId << ":" << r.error().message;
    return record;
}

void GroupDirectory::shareSecret(const QString& chatId, const QByteArray& secret, const std::vector<UserId>& users) {
    if (secret.isEmpty()) return;
    e2e::Content content;
    content.group_secret = e2e::GroupSecretShare{chatId.toStdString(), toBase64(secret)};
    for (UserId user : users)
        if (auto r = m_outbox.sendControl(user, content); !r)
            qCWarning(lcGroups) << "cannot queue the group secret:" << r.error().message;
}

void GroupDirectory::rotateSenderKey(const QString& chatId) {
    // Whoever left must not read what follows: a new key, distributed before the next send.
    if (auto r = m_group.resetOwnSenderKey(chatId, m_self.user, m_self.device); !r)
        qCWarning(lcGroups) << "cannot reset the sender key:" << r.error().message;
    m_outbox.senderKeyRotated(chatId);
}

QString GroupDirectory::nameOf(UserId user) {
    if (user == m_self.user) return QStringLiteral("You");
    if (auto known = knownNameOf(m_store, user)) return *known;
    return QStringLiteral("User %1").arg(user);
}

QString GroupDirectory::describe(const protocol::GroupEvent& event) {
    QStringList names;
    for (UserId u : event.user_ids) names << nameOf(u);
    const QString who = names.join(QStringLiteral(", "));
    const QString actor = nameOf(event.actor_id);
    using K = protocol::GroupEventKind;
    switch (event.event) {
    case K::created: return QStringLiteral("%1 created the group").arg(actor);
    case K::added: return QStringLiteral("%1 added %2").arg(actor, who);
    case K::removed: return QStringLiteral("%1 removed %2").arg(actor, who);
    case K::left: return QStringLiteral("%1 left").arg(who.isEmpty() ? actor : who);
    case K::promoted: return QStringLiteral("%1 made %2 an admin").arg(actor, who);
    case K::demoted: return QStringLiteral("%1 is no longer an admin").arg(who);
    case K::updated: return QStringLiteral("%1 changed the group info").arg(actor);
    }
    return {};
}

void GroupDirectory::onGroupEvent(const protocol::GroupEvent& event) {
    const QString chatId = QString::fromStdString(event.chat_id);
    if (auto known = m_store.messages().byMessageId(event.message_id); known && *known) {
        m_connection.send(protocol::AckMessage{event.message_id, protocol::DeliveryStatus::delivered});
        return;
    }
    MessageRecord line;
    line.chatId = chatId;
    line.messageId = event.message_id;
    line.clientMsgId = QStringLiteral("group-event-%1").arg(event.message_id);
    line.senderId = event.actor_id;
    line.seq = event.seq;
    line.timestamp = event.timestamp;
    line.direction = MessageDirection::incoming;
    line.kind = MessageKind::system;
    line.state = MessageState::read;
    line.text = describe(event);
    using K = protocol::GroupEventKind;
    const bool someoneLeft = event.event == K::removed || event.event == K::left;
    const bool aboutMe = std::find(event.user_ids.begin(), event.user_ids.end(), m_self.user) != event.user_ids.end();
    const bool iWasRemoved = someoneLeft && aboutMe;
    const bool iJoined = (event.event == K::added || event.event == K::created) && aboutMe;
    qint64 localId = 0;
    auto stored = m_store.database().transaction([&]() -> Expected<void> {
        ChatRecord chat;
        chat.chatId = chatId;
        chat.type = ChatType::group;
        chat.title = QStringLiteral("Group");
        if (auto r = m_store.chats().ensure(chat); !r) return r;
        auto inserted = m_store.messages().insert(line);
        if (!inserted) return inserted.error();
        localId = inserted->localId;
        auto group = m_store.groups().byId(chatId);
        if (!group) return group.error();
        GroupRecord record = *group ? **group : GroupRecord{chatId, {}, {}, {}, {}};
        for (UserId u : event.user_ids) {
            std::erase_if(record.members, [&](const GroupMemberRecord& m) { return m.userId == u; });
            if (event.event == K::added || event.event == K::created) record.members.push_back({u, protocol::GroupRole::member});
            if (event.event == K::promoted) record.members.push_back({u, protocol::GroupRole::admin});
            if (event.event == K::demoted) record.members.push_back({u, protocol::GroupRole::member});
        }
        if (auto r = m_store.groups().save(record); !r) return r;
        if (auto r = m_store.chats().touch(chatId, event.timestamp, line.text, false); !r) return r;
        // Profile names: a group just joined gets the own name once its members are known (the
        // refresh below); members added to a group this account was in get it pairwise, now
        // (group_profiles.h).
        if (iJoined) return m_store.chats().setProfileSent(chatId, 0);
        if (event.event == K::added)
            return announceProfileToAdded(m_store, m_outbox, chatId, m_self.user, event.user_ids);
        return {};
    });
    if (!stored) return; // delivered again later
    m_connection.send(protocol::AckMessage{event.message_id, protocol::DeliveryStatus::delivered});
    emit messageAdded(localId, chatId);
    if (someoneLeft && !iWasRemoved) rotateSenderKey(chatId);
    // Roles and the full member list come from the server; a removed member cannot ask.
    if (!iWasRemoved) refreshInBackground(chatId);
}

} // namespace natter::client
