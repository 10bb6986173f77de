#include "client/rpc/command_service.h"

#include "client/client.h"
#include "client/messaging/presence_tracker.h"
#include "client/rpc/json_views.h"
#include "client/store/chat_store.h"
#include "client/store/contact_store.h"
#include "client/store/message_store.h"
#include "client/store/profile_store.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QTimer>

namespace natter::client::rpc {

ClientError paramError(const QString& name, const QString& message) {
    ClientError error = makeClientError(ErrorKind::InvalidArgument, message);
    error.param = name;
    return error;
}

Expected<QString> stringParam(const QJsonObject& params, const QString& name) {
    const QJsonValue v = params.value(name);
    if (!v.isString() || v.toString().isEmpty())
        return paramError(name, QStringLiteral("params.%1 must be a non-empty string").arg(name));
    return v.toString();
}

Expected<QStringList> stringListParam(const QJsonObject& params, const QString& name) {
    const QJsonValue v = params.value(name);
    QStringList out;
    if (v.isArray())
        for (const auto& item : v.toArray())
            if (item.isString() && !item.toString().isEmpty()) out << item.toString();
    if (!v.isArray() || out.size() != v.toArray().size() || out.isEmpty())
        return paramError(name, QStringLiteral("params.%1 must be a non-empty array of strings").arg(name));
    return out;
}

int intParam(const QJsonObject& params, const QString& name, int fallback) {
    const QJsonValue v = params.value(name);
    return v.isDouble() ? v.toInt(fallback) : fallback;
}

CommandService::CommandService(Client& client, QObject* parent) : QObject(parent), m_client(client) {
    registerMessaging();
    registerGroups();
    registerAccount();
    registerMessageActions();
    registerRequests();
    registerProfile();
    registerSettings();
}

QStringList CommandService::methods() const {
    QStringList names = m_methods.keys();
    names.sort();
    return names;
}

void CommandService::call(const QString& method, const QJsonObject& params, Done done) {
    const auto it = m_methods.constFind(method);
    if (it == m_methods.constEnd()) {
        done(makeClientError(ErrorKind::NotFound, QStringLiteral("unknown method '%1'").arg(method)));
        return;
    }
    // A revoked device's profile still opens (its history is kept), but answers only whoami.
    if (method != QLatin1String("whoami") && m_client.isRevoked()) {
        done(m_client.revokedError());
        return;
    }
    if (method != QLatin1String("whoami") && !m_client.isRegistered()) {
        done(makeClientError(ErrorKind::InvalidArgument,
                             QStringLiteral("this profile is not registered yet: run 'natter register <phone>' first")));
        return;
    }
    (*it)(params, std::move(done));
}

void CommandService::answerWhenSent(qint64 localId, Done done) {
    auto finished = std::make_shared<bool>(false);
    auto answer = [this, localId, done, finished]() {
        if (*finished) return;
        *finished = true;
        auto message = m_client.store().messages().byLocalId(localId);
        if (!message || !*message) done(makeClientError(ErrorKind::NotFound, QStringLiteral("message vanished")));
        else done(QJsonValue(toJson(**message)));
    };
    // Offline there is nothing to wait for: the message stays queued ("pending") for the next connection.
    if (m_client.connectionState() == net::Connection::State::Offline) return answer();
    auto* context = new QObject(this);
    auto finish = [context, answer]() {
        answer();
        context->deleteLater();
    };
    connect(&m_client, &Client::messageUpdated, context, [localId, finish](qint64 id, const QString&) {
        if (id == localId) finish();
    });
    connect(&m_client, &Client::messageFailed, context,
            [this, localId, done, finished, context](qint64 id, const QString& chatId, const QString& reason) {
                if (id != localId || std::exchange(*finished, true)) return;
                context->deleteLater();
                const auto chat = m_client.chatInfo(chatId);
                done(makeClientError(ErrorKind::Server, tr("message %1 to %2 was not sent: %3")
                                                            .arg(id)
                                                            .arg(chat && !chat->title.isEmpty() ? chat->title : chatId, reason)));
            });
    connect(&m_client, &Client::connectionStateChanged, context, [finish](net::Connection::State state) {
        if (state == net::Connection::State::Offline) finish();
    });
    QTimer::singleShot(m_sentTimeoutMs, context, finish);
}

void CommandService::sync(Done done) {
    auto before = m_client.queuedCount();
    if (!before) return done(before.error());
    m_client.syncOnce(m_syncLimits, [this, done, before = *before](Expected<Client::SyncOutcome> synced) {
        auto queued = m_client.queuedCount();
        if (!queued) return done(queued.error());
        if (!synced) {
            ClientError error = synced.error();
            if (error.kind == ErrorKind::Network)
                error.message += *queued == 0   ? tr("; nothing is queued")
                                 : *queued == 1 ? tr("; 1 message is still queued")
                                                : tr("; %1 messages are still queued").arg(*queued);
            return done(error);
        }
        QJsonObject result{{"server", m_client.account().server.toString(QUrl::RemoveUserInfo)},
                           {"sent", std::max(0, before - *queued)},
                           {"queued", *queued},
                           {"settled", synced->settled}};
        if (!synced->settled) result.insert("unfinished", synced->unfinished);
        done(QJsonValue(result));
    });
}

void CommandService::withPresence(const std::vector<ContactRecord>& contacts, QJsonArray json, Done done) {
    constexpr std::size_t kMaxPresenceLookups = 100; // one GET each: a long list shows the first ones
    const std::size_t n = std::min(contacts.size(), kMaxPresenceLookups);
    if (n == 0 || m_client.connectionState() == net::Connection::State::Offline)
        return done(QJsonValue(QJsonObject{{"contacts", json}}));
    auto out = std::make_shared<QJsonArray>(std::move(json));
    auto waiting = std::make_shared<std::size_t>(n);
    for (std::size_t i = 0; i < n; ++i) {
        m_client.presence().fetch(contacts[i].userId, [out, waiting, done, i](Expected<PresenceState> state) {
            if (state && state->known) {
                QJsonObject contact = (*out)[qsizetype(i)].toObject();
                contact.insert("online", state->online);
                if (state->lastSeen) contact.insert("last_seen", isoTime(*state->lastSeen));
                out->replace(qsizetype(i), contact);
            }
            if (--*waiting == 0) done(QJsonValue(QJsonObject{{"contacts", *out}}));
        });
    }
}

void CommandService::registerMessaging() {
    add("send", [this](const QJsonObject& p, Done done) {
        auto to = stringParam(p, "to");
        auto text = to ? stringParam(p, "text") : Expected<QString>(to.error());
        if (!text) return done(text.error());
        m_client.resolveChatAddingNumber(*to, [this, text = *text, done](Expected<QString> chat) {
            if (!chat) return done(chat.error());
            auto localId = m_client.sendText(*chat, text);
            if (!localId) return done(localId.error());
            answerWhenSent(*localId, done);
        });
    });
    add("send_file", [this](const QJsonObject& p, Done done) {
        auto to = stringParam(p, "to");
        auto path = to ? stringParam(p, "path") : Expected<QString>(to.error());
        if (!path) return done(path.error());
        const QString file = QFileInfo(*path).absoluteFilePath();
        const QString caption = p.value("caption").toString();
        m_client.resolveChatAddingNumber(*to, [this, file, caption, done](Expected<QString> chat) {
            if (!chat) return done(chat.error());
            m_client.sendFile(*chat, file, caption, {}, [this, done](Expected<qint64> localId) {
                if (!localId) return done(localId.error());
                answerWhenSent(*localId, done);
            });
        });
    });
    add("save", [this](const QJsonObject& p, Done done) {
        const qint64 id = p.value("id").toInteger(0);
        if (id <= 0) return done(paramError("id", "params.id must be a message id"));
        auto message = m_client.store().messages().byLocalId(id);
        if (!message) return done(message.error());
        if (!*message) return done(makeClientError(ErrorKind::NotFound, QStringLiteral("message %1 does not exist").arg(id)));
        if (!(*message)->media)
            return done(makeClientError(ErrorKind::NotFound, QStringLiteral("message %1 has no file").arg(id)));
        // The sender chose the file name: only its last part is used, and never "." or "..".
        QString name = QFileInfo((*message)->media->fileName).fileName();
        if (name.isEmpty() || name == QLatin1String(".") || name == QLatin1String(".."))
            name = QStringLiteral("attachment-%1").arg(id);
        QString to = p.value("to").toString();
        if (to.isEmpty()) to = name;
        if (QFileInfo(to).isDir()) to = QDir(to).filePath(name);
        m_client.saveAttachment(id, QFileInfo(to).absoluteFilePath(), {}, [id, done](Expected<QString> path) {
            if (!path) return done(path.error());
            done(QJsonValue(QJsonObject{{"id", id}, {"path", *path}}));
        });
    });
    add("search", [this](const QJsonObject& p, Done done) {
        auto text = stringParam(p, "text");
        if (!text) return done(text.error());
        // Within one chat when `chat` names one (a name, number or chat id).
        QString chat;
        if (p.contains("chat")) {
            auto who = stringParam(p, "chat");
            if (!who) return done(who.error());
            auto resolved = m_client.resolveChat(*who);
            if (!resolved) return done(resolved.error());
            chat = *resolved;
        }
        const QJsonValue limit = p.value("limit");
        if (!limit.isUndefined() && (!limit.isDouble() || limit.toDouble() != double(limit.toInt()) || limit.toInt() < 1 ||
                                     limit.toInt() > 1000))
            return done(paramError("limit", "params.limit must be a whole number from 1 to 1000"));
        auto hits = m_client.search(*text, limit.toInt(50), chat);
        if (!hits) return done(hits.error());
        done(QJsonValue(QJsonObject{{"hits", toJsonArray(*hits)}}));
    });
    add("sync", [this](const QJsonObject&, Done done) { sync(std::move(done)); });
    add("chats", [this](const QJsonObject&, Done done) {
        auto chats = m_client.store().chats().list(true);
        if (!chats) return done(chats.error());
        done(QJsonValue(QJsonObject{{"chats", toJsonArray(*chats)}}));
    });
    add("history", [this](const QJsonObject& p, Done done) {
        auto who = stringParam(p, "chat");
        if (!who) return done(who.error());
        auto chat = m_client.resolveChat(*who);
        if (!chat) return done(chat.error());
        const int limit = std::clamp(intParam(p, "limit", 20), 1, 10000);
        // Paging back: the messages older than `before` (a message id of this chat).
        const QJsonValue before = p.value("before");
        const bool paging = !before.isUndefined() && !before.isNull();
        const qint64 beforeId = paging ? before.toInteger(0) : 0; // 0 also for a fraction or a string
        if (paging && beforeId <= 0) return done(paramError("before", "params.before must be a message id"));
        auto page = m_client.store().messages().page(*chat, limit, beforeId);
        if (!page) return done(page.error());
        QJsonArray out;
        for (const auto& message : *page) out.append(messageJson(message));
        done(QJsonValue(QJsonObject{{"chat", *chat}, {"messages", out}}));
    });
    add("typing", [this](const QJsonObject& p, Done done) {
        auto who = stringParam(p, "chat");
        if (!who) return done(who.error());
        auto chat = m_client.resolveChat(*who);
        if (!chat) return done(chat.error());
        m_client.userTyping(*chat);
        done(QJsonValue(QJsonObject{{"chat", *chat}}));
    });
    add("read", [this](const QJsonObject& p, Done done) {
        auto who = stringParam(p, "chat");
        if (!who) return done(who.error());
        auto chat = m_client.resolveChat(*who);
        if (!chat) return done(chat.error());
        // Up to one message only: `id`, a message id of the chat.
        const QJsonValue upTo = p.value("id");
        const qint64 upToId = upTo.isUndefined() || upTo.isNull() ? 0 : upTo.toInteger(0);
        if (!upTo.isUndefined() && !upTo.isNull() && upToId <= 0) return done(paramError("id", "params.id must be a message id"));
        auto marked = m_client.markRead(*chat, upToId);
        if (!marked) return done(marked.error());
        QJsonObject out{{"chat", *chat}, {"marked", *marked}};
        if (upToId > 0) out.insert("id", upToId);
        done(QJsonValue(out));
    });
    add("contacts.add", [this](const QJsonObject& p, Done done) {
        auto phone = stringParam(p, "phone");
        if (!phone) return done(phone.error());
        m_client.addContact(*phone, p.value("name").toString(), [done](Expected<ContactRecord> c) {
            if (!c) return done(c.error());
            done(QJsonValue(toJson(*c)));
        });
    });
    add("contacts.list", [this](const QJsonObject&, Done done) {
        auto all = m_client.store().contacts().all();
        if (!all) return done(all.error());
        withPresence(*all, toJsonArray(*all), std::move(done));
    });
}

} // namespace natter::client::rpc
