#include "client/rpc/event_stream.h"

#include "client/client.h"
#include "client/messaging/presence_tracker.h"
#include "client/rpc/json_views.h"
#include "client/store/message_store.h"
#include "client/store/profile_store.h"
#include "protocol/error.h"

#include <QDateTime>
#include <QJsonArray>
#include <QMetaEnum>

namespace natter::client::rpc {

EventStream::EventStream(Client& client, QObject* parent) : QObject(parent), m_client(client) {
    const auto messageEvent = [this](const QString& type) {
        return [this, type](qint64 localId, const QString& chatId) {
            auto message = m_client.store().messages().byLocalId(localId);
            if (!message || !*message) return;
            const QJsonObject m = toJson(**message, [this](UserId user) { return m_client.displayNameOf(user); });
            publish(type, QJsonObject{{"chat", chatId}, {"message", m}});
        };
    };
    connect(&client, &Client::messageAdded, this, messageEvent(QStringLiteral("message")));
    connect(&client, &Client::messageUpdated, this, messageEvent(QStringLiteral("message_updated")));
    connect(&client, &Client::messageFailed, this, [this](qint64 localId, const QString& chatId, const QString& reason) {
        publish(QStringLiteral("message_failed"), QJsonObject{{"chat", chatId}, {"id", localId}, {"reason", reason}});
    });
    connect(&client, &Client::messageRemoved, this, [this](qint64 localId, const QString& chatId) {
        publish(QStringLiteral("message_removed"), QJsonObject{{"chat", chatId}, {"id", localId}});
    });
    connect(&client, &Client::reactionReceived, this,
            [this](qint64 localId, const QString& chatId, protocol::UserId reactor, const QString& emoji) {
                publish(QStringLiteral("reaction"), QJsonObject{{"chat", chatId},
                                                                {"id", localId},
                                                                {"user_id", qint64(reactor)},
                                                                {"name", m_client.displayNameOf(reactor)},
                                                                {"emoji", emoji}});
            });
    connect(&client, &Client::typingChanged, this, [this](const QString& chatId) {
        publish(QStringLiteral("typing"),
                QJsonObject{{"chat", chatId}, {"users", QJsonArray::fromStringList(m_client.typingNames(chatId))}});
    });
    connect(&client, &Client::presenceChanged, this, [this](protocol::UserId user) {
        const auto p = m_client.presence().presenceOf(user);
        QJsonObject body{{"user_id", qint64(user)}, {"name", m_client.displayNameOf(user)}, {"online", p.online}};
        if (p.lastSeen) body.insert("last_seen", QDateTime::fromMSecsSinceEpoch(*p.lastSeen).toUTC().toString(Qt::ISODate));
        publish(QStringLiteral("presence"), body);
    });
    connect(&client, &Client::identityWarning, this, [this](protocol::UserId user) {
        publish(QStringLiteral("identity_changed"), QJsonObject{{"user_id", qint64(user)}, {"name", m_client.displayNameOf(user)}});
    });
    connect(&client, &Client::connectionStateChanged, this, [this](net::Connection::State state) {
        publish(QStringLiteral("connection"),
                QJsonObject{{"state", QString::fromLatin1(QMetaEnum::fromType<net::Connection::State>().valueToKey(int(state))).toLower()}});
    });
    connect(&client, &Client::historyTransferProgress, this, [this](qint64 received, qint64 total) {
        publish(QStringLiteral("history_progress"), QJsonObject{{"received", received}, {"total", total}});
    });
    connect(&client, &Client::sessionEnded, this, [this](const QString& reason) {
        QJsonObject body{{"reason", reason}};
        if (const auto revoked = m_client.revocation()) body.insert("revoked", QString::fromUtf8(protocol::toString(*revoked)));
        publish(QStringLiteral("session_ended"), body);
    });
}

void EventStream::publish(const QString& type, QJsonObject body) {
    body.insert("event_id", m_nextId++);
    body.insert("type", type);
    m_buffer.push_back(body);
    if (m_buffer.size() > kCapacity) m_buffer.pop_front();
    emit event(body);
}

std::vector<QJsonObject> EventStream::since(qint64 after, bool* gap) const {
    std::vector<QJsonObject> out;
    const qint64 oldest = m_buffer.empty() ? m_nextId : m_buffer.front().value("event_id").toInteger();
    if (gap) *gap = after + 1 < oldest && after < lastId();
    for (const auto& e : m_buffer)
        if (e.value("event_id").toInteger() > after) out.push_back(e);
    return out;
}

} // namespace natter::client::rpc
