// Groups from this device's side: create/add/remove/leave/promote through the REST API
// with the name and description sealed under the group secret (shared over pairwise
// sessions), membership events applied in chat order as system lines, and a fresh sender
// key whenever someone leaves or is removed.
#pragma once

#include "client/core/result.h"
#include "client/messaging/follow_ups.h"
#include "client/messaging/outbox.h"
#include "client/store/records.h"
#include "protocol/frames.h"
#include "protocol/rest_groups.h"

#include <QObject>

#include <functional>

namespace natter::client {
namespace net { class ApiClient; class Connection; }
namespace store { class ProfileStore; }
namespace crypto { class GroupCipher; }

class GroupDirectory : public QObject {
    Q_OBJECT
public:
    template <class T>
    using Callback = std::function<void(Expected<T>)>;

    GroupDirectory(store::ProfileStore& store, net::ApiClient& api, net::Connection& connection,
                   crypto::GroupCipher& group, Outbox& outbox, FollowUps& followUps, Outbox::Identity self,
                   QObject* parent = nullptr);

    void create(const QString& name, const std::vector<UserId>& members, Callback<QString> done);
    void addMembers(const QString& chatId, const std::vector<UserId>& users, Callback<GroupRecord> done);
    void removeMember(const QString& chatId, UserId user, Callback<GroupRecord> done);
    void leave(const QString& chatId, Callback<void> done);
    void setRole(const QString& chatId, UserId user, protocol::GroupRole role, Callback<GroupRecord> done);
    void rename(const QString& chatId, const QString& name, Callback<GroupRecord> done);
    // GET /api/groups/{chat}, decrypting name and description when the secret is known.
    void refresh(const QString& chatId, Callback<GroupRecord> done);

    void onGroupEvent(const protocol::GroupEvent& event);
    // Fetches the group's details for an incoming event, counted in FollowUps until applied.
    void refreshInBackground(const QString& chatId);
    // After a sync: fetches the groups whose secret arrived but whose name never got opened
    // (a command that ran before cut the fetch off), unless this account left them, and the
    // groups that have not had the own profile of this version yet (announced once fetched).
    void refreshNameless();

signals:
    void groupChanged(const QString& chatId);
    void messageAdded(qint64 localId, const QString& chatId);

private:
    // Stores the server's view of the group (members, roles) and the decrypted metadata; a
    // non-empty secret (a group this device just created) is stored with it.
    Expected<GroupRecord> apply(const protocol::rest::GroupInfo& info, const QByteArray& secret = {});
    void shareSecret(const QString& chatId, const QByteArray& secret, const std::vector<UserId>& users);
    void rotateSenderKey(const QString& chatId);
    QString describe(const protocol::GroupEvent& event);
    QString nameOf(UserId user);
    QString path(const QString& chatId) const;

    store::ProfileStore& m_store;
    net::ApiClient& m_api;
    net::Connection& m_connection;
    crypto::GroupCipher& m_group;
    Outbox& m_outbox;
    FollowUps& m_followUps;
    Outbox::Identity m_self;
};

} // namespace natter::client
