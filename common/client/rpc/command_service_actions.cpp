// CommandService: reply, react, edit, delete, forward and disappearing (docs/rpc.md). Messages are named by this
// device's local id (`id` in history) within a chat; each answers once natterd took it.
#include "client/rpc/command_service.h"

#include "client/client.h"
#include "client/rpc/json_views.h"
#include "client/store/message_store.h"
#include "client/store/profile_store.h"

#include <QJsonArray>

#include <limits>

namespace natter::client::rpc {

namespace {

// At most this many chats per forward (as WhatsApp's five, with room for small groups of friends).
constexpr int kMaxForwardChats = 20;

// params.id: a message of chat `chatId` (its local id), or why not.
Expected<qint64> messageParam(Client& client, const QJsonObject& params, const QString& chatId) {
    const qint64 id = params.value("id").toInteger(0);
    if (id <= 0) return makeClientError(ErrorKind::InvalidArgument, QStringLiteral("params.id must be a message id"));
    auto message = client.store().messages().byLocalId(id);
    if (!message) return message.error();
    if (!*message || (*message)->chatId != chatId)
        return makeClientError(ErrorKind::NotFound, QStringLiteral("no message %1 in %2").arg(id).arg(chatId));
    return id;
}

// params.chat resolved, and params.id a message of it.
Expected<std::pair<QString, qint64>> target(Client& client, const QJsonObject& params) {
    auto who = stringParam(params, "chat");
    if (!who) return who.error();
    auto chat = client.resolveChat(*who);
    if (!chat) return chat.error();
    auto id = messageParam(client, params, *chat);
    if (!id) return id.error();
    return std::pair{*chat, *id};
}

} // namespace

QJsonObject CommandService::messageJson(const MessageRecord& message) {
    return toJson(message, [this](UserId user) { return m_client.displayNameOf(user); });
}

void CommandService::answerWhenDelivered(qint64 localId, QJsonObject result, Done done) {
    m_client.syncOnce(m_syncLimits, [this, localId, result, done](Expected<Client::SyncOutcome> synced) mutable {
        if (!synced && synced.error().kind != ErrorKind::Network) return done(synced.error());
        if (auto message = m_client.store().messages().byLocalId(localId); message && *message && result.isEmpty())
            result = messageJson(**message);
        result.insert("queued", !synced || valueOr(m_client.queuedCount(), 0) > 0);
        done(QJsonValue(result));
    });
}

void CommandService::registerMessageActions() {
    add("reply", [this](const QJsonObject& p, Done done) {
        auto quoted = target(m_client, p);
        if (!quoted) return done(quoted.error());
        auto text = stringParam(p, "text");
        if (!text) return done(text.error());
        auto localId = m_client.reply(quoted->first, quoted->second, *text);
        if (!localId) return done(localId.error());
        answerWhenSent(*localId, std::move(done));
    });
    add("react", [this](const QJsonObject& p, Done done) {
        auto message = target(m_client, p);
        if (!message) return done(message.error());
        if (!p.value("emoji").isString() && !p.value("emoji").isUndefined())
            return done(makeClientError(ErrorKind::InvalidArgument, "params.emoji must be a string (\"\" removes)"));
        if (auto r = m_client.react(message->second, p.value("emoji").toString()); !r) return done(r.error());
        answerWhenDelivered(message->second, {}, std::move(done));
    });
    add("edit", [this](const QJsonObject& p, Done done) {
        auto message = target(m_client, p);
        if (!message) return done(message.error());
        auto text = stringParam(p, "text");
        if (!text) return done(text.error());
        if (auto r = m_client.editMessage(message->second, *text); !r) return done(r.error());
        answerWhenDelivered(message->second, {}, std::move(done));
    });
    add("delete", [this](const QJsonObject& p, Done done) {
        auto message = target(m_client, p);
        if (!message) return done(message.error());
        const QJsonValue everyone = p.value("for_everyone");
        if (!everyone.isBool() && !everyone.isUndefined())
            return done(makeClientError(ErrorKind::InvalidArgument, "params.for_everyone must be a boolean"));
        if (auto r = m_client.deleteMessage(message->second, everyone.toBool(false)); !r) return done(r.error());
        if (everyone.toBool(false)) return answerWhenDelivered(message->second, {}, std::move(done));
        answerWhenDelivered(message->second,
                            QJsonObject{{"chat", message->first}, {"id", message->second}, {"deleted", "for_me"}},
                            std::move(done));
    });
    add("disappearing", [this](const QJsonObject& p, Done done) {
        auto who = stringParam(p, "chat");
        if (!who) return done(who.error());
        const QJsonValue seconds = p.value("seconds");
        if (!seconds.isDouble() || seconds.toDouble() != double(seconds.toInteger(-1)) || seconds.toInteger(-1) < 0 ||
            seconds.toInteger(-1) > std::numeric_limits<quint32>::max())
            return done(makeClientError(ErrorKind::InvalidArgument,
                                        "params.seconds must be 0 (off), 300, 3600, 86400, 604800 or 7776000"));
        auto chat = m_client.resolveChat(*who);
        if (!chat) return done(chat.error());
        auto line = m_client.setDisappearing(*chat, quint32(seconds.toInteger()));
        if (!line) return done(line.error());
        answerWhenSent(*line, std::move(done));
    });
    add("forward", [this](const QJsonObject& p, Done done) {
        const qint64 id = p.value("id").toInteger(0);
        if (id <= 0) return done(makeClientError(ErrorKind::InvalidArgument, "params.id must be a message id"));
        const QJsonArray to = p.value("to").toArray();
        if (to.isEmpty() || to.size() > kMaxForwardChats)
            return done(makeClientError(ErrorKind::InvalidArgument,
                                        QStringLiteral("params.to must list 1 to %1 chats").arg(kMaxForwardChats)));
        QStringList chats;
        for (const auto& who : to) {
            if (!who.isString()) return done(makeClientError(ErrorKind::InvalidArgument, "params.to must list chats"));
            auto chat = m_client.resolveChat(who.toString());
            if (!chat) return done(chat.error());
            chats << *chat;
        }
        auto sent = m_client.forward(id, chats);
        if (!sent) return done(sent.error());
        m_client.syncOnce(m_syncLimits, [this, ids = *sent, done](Expected<Client::SyncOutcome> synced) {
            if (!synced && synced.error().kind != ErrorKind::Network) return done(synced.error());
            QJsonArray messages;
            for (qint64 localId : ids)
                if (auto message = m_client.store().messages().byLocalId(localId); message && *message)
                    messages.append(messageJson(**message));
            done(QJsonValue(QJsonObject{{"messages", messages},
                                        {"queued", !synced || valueOr(m_client.queuedCount(), 0) > 0}}));
        });
    });
}

} // namespace natter::client::rpc
