// CommandService: message requests (requests.list, requests.accept, requests.delete) and the
// block list (blocks.list, blocks.add, blocks.remove), docs/rpc.md.
#include "client/rpc/command_service.h"

#include "client/client.h"
#include "client/rpc/json_views.h"

#include <QJsonArray>

namespace natter::client::rpc {

namespace {

// A request: its chat id, or the title `requests.list` shows (e.g. "User 7"), or whatever
// names a chat (then it must be a request).
Expected<QString> requestParam(Client& client, const QJsonObject& params) {
    auto who = stringParam(params, "chat");
    if (!who) return who.error();
    auto requests = client.messageRequests();
    if (!requests) return requests.error();
    for (const auto& chat : *requests)
        if (chat.chatId == *who || chat.title.compare(*who, Qt::CaseInsensitive) == 0) return chat.chatId;
    auto chat = client.resolveChat(*who);
    if (!chat) return chat.error();
    return makeClientError(ErrorKind::NotFound, QObject::tr("%1 is not a message request").arg(*who));
}

// The user `params.user` names (a contact, a request's chat id or title, a blocked user's id).
Expected<UserId> userParam(Client& client, const QJsonObject& params) {
    auto who = stringParam(params, "user");
    if (!who) return who.error();
    auto requests = client.messageRequests();
    if (!requests) return requests.error();
    for (const auto& chat : *requests)
        if (chat.title.compare(*who, Qt::CaseInsensitive) == 0) return chat.peerId;
    return client.resolveBlockable(*who);
}

QJsonObject requestJson(const ChatRecord& chat) {
    QJsonObject out = toJson(chat);
    out.insert("user_id", qint64(chat.peerId));
    return out;
}

} // namespace

void CommandService::registerRequests() {
    add("requests.list", [this](const QJsonObject&, Done done) {
        auto requests = m_client.messageRequests();
        if (!requests) return done(requests.error());
        QJsonArray out;
        for (const auto& chat : *requests) out.append(requestJson(chat));
        done(QJsonValue(QJsonObject{{"requests", out}}));
    });
    add("requests.accept", [this](const QJsonObject& p, Done done) {
        auto chat = requestParam(m_client, p);
        if (!chat) return done(chat.error());
        if (auto r = m_client.acceptRequest(*chat); !r) return done(r.error());
        const auto accepted = m_client.chatInfo(*chat);
        if (!accepted) return done(makeClientError(ErrorKind::NotFound, QStringLiteral("no chat %1").arg(*chat)));
        done(QJsonValue(toJson(*accepted)));
    });
    add("requests.delete", [this](const QJsonObject& p, Done done) {
        auto chat = requestParam(m_client, p);
        if (!chat) return done(chat.error());
        if (auto r = m_client.deleteRequest(*chat); !r) return done(r.error());
        done(QJsonValue(QJsonObject{{"chat", *chat}, {"deleted", true}}));
    });
    add("blocks.list", [this](const QJsonObject&, Done done) {
        auto blocked = m_client.blocked();
        if (!blocked) return done(blocked.error());
        QJsonArray out;
        for (UserId user : *blocked) out.append(QJsonObject{{"user_id", qint64(user)}, {"name", m_client.displayNameOf(user)}});
        done(QJsonValue(QJsonObject{{"blocked", out}}));
    });
    const auto change = [this](bool blocking) {
        return [this, blocking](const QJsonObject& p, Done done) {
            auto user = userParam(m_client, p);
            if (!user) return done(user.error());
            // The name before a block removes their request (and with it the chat's title).
            const QString name = m_client.displayNameOf(*user);
            auto answer = [user = *user, name, blocking, done](Expected<std::vector<UserId>> blocked) {
                if (!blocked) return done(blocked.error());
                done(QJsonValue(QJsonObject{{"user_id", qint64(user)}, {"name", name}, {"blocked", blocking}}));
            };
            if (blocking) m_client.block(*user, answer);
            else m_client.unblock(*user, answer);
        };
    };
    add("blocks.add", change(true));
    add("blocks.remove", change(false));
}

} // namespace natter::client::rpc
