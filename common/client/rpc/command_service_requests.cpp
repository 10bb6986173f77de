// CommandService: message requests (requests, accept, requests.delete) and the account's block
// list (block, unblock, blocked). A person is named as resolvePerson takes them: a contact's
// name or phone number, a direct chat id, or a request's title.
#include "client/rpc/command_service.h"

#include "client/client.h"
#include "client/rpc/json_views.h"
#include "protocol/identifiers.h"

#include <QJsonArray>

namespace natter::client::rpc {

namespace {
QString chatWith(const Client& client, UserId user) {
    return QString::fromStdString(protocol::directChatId(client.account().userId, user));
}
} // namespace

void CommandService::registerRequests() {
    add("requests", [this](const QJsonObject&, Done done) {
        auto requests = m_client.messageRequests();
        if (!requests) return done(requests.error());
        QJsonArray out;
        for (const auto& chat : *requests) {
            QJsonObject json = toJson(chat);
            json.insert("user_id", qint64(chat.peerId));
            out.append(json);
        }
        done(QJsonValue(QJsonObject{{"requests", out}}));
    });
    // accept and requests.delete: {"chat": NAME} of a request.
    const auto onRequest = [this](const QJsonObject& p, const Done& done, auto act) {
        auto who = stringParam(p, "chat");
        if (!who) return done(who.error());
        auto user = m_client.resolvePerson(*who);
        if (!user) return done(user.error());
        const QString chatId = chatWith(m_client, *user);
        const QString title = m_client.displayNameOf(*user);
        auto count = act(chatId);
        if (!count) return done(count.error());
        done(QJsonValue(QJsonObject{{"chat", chatId}, {"user_id", qint64(*user)}, {"title", title}, {"count", *count}}));
    };
    add("accept", [this, onRequest](const QJsonObject& p, Done done) {
        onRequest(p, done, [this](const QString& chatId) { return m_client.acceptRequest(chatId); });
    });
    add("requests.delete", [this, onRequest](const QJsonObject& p, Done done) {
        onRequest(p, done, [this](const QString& chatId) { return m_client.deleteRequest(chatId); });
    });
    add("block", [this](const QJsonObject& p, Done done) {
        auto who = stringParam(p, "user");
        if (!who) return done(who.error());
        auto user = m_client.resolvePerson(*who);
        if (!user) return done(user.error());
        const QString name = m_client.displayNameOf(*user);
        m_client.blockUser(*user, [this, done, user = *user, name](Expected<int> removed) {
            if (!removed) return done(removed.error());
            done(QJsonValue(QJsonObject{{"user_id", qint64(user)},
                                        {"name", name},
                                        {"chat", chatWith(m_client, user)},
                                        {"blocked", true},
                                        {"request_messages_removed", *removed}}));
        });
    });
    add("unblock", [this](const QJsonObject& p, Done done) {
        auto who = stringParam(p, "user");
        if (!who) return done(who.error());
        auto user = m_client.resolvePerson(*who);
        if (!user) return done(user.error());
        m_client.unblockUser(*user, [this, done, user = *user](Expected<void> r) {
            if (!r) return done(r.error());
            done(QJsonValue(QJsonObject{{"user_id", qint64(user)},
                                        {"name", m_client.displayNameOf(user)},
                                        {"chat", chatWith(m_client, user)},
                                        {"blocked", false}}));
        });
    });
    add("blocked", [this](const QJsonObject&, Done done) {
        m_client.blockedUsers([this, done](Expected<std::vector<UserId>> users) {
            if (!users) return done(users.error());
            QJsonArray out;
            for (UserId user : *users) {
                const auto contact = m_client.contactInfo(user);
                QJsonObject json{{"user_id", qint64(user)},
                                 {"name", m_client.displayNameOf(user)},
                                 {"chat", chatWith(m_client, user)}};
                if (contact) json.insert("phone", contact->phone);
                out.append(json);
            }
            done(QJsonValue(QJsonObject{{"blocked", out}}));
        });
    });
}

} // namespace natter::client::rpc
