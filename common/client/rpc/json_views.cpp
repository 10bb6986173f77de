#include "client/rpc/json_views.h"

#include <QDateTime>

namespace natter::client::rpc {

QString isoTime(TimestampMs ms) { return QDateTime::fromMSecsSinceEpoch(ms).toUTC().toString(Qt::ISODateWithMs); }

namespace {
QJsonValue id(quint64 value) { return QJsonValue(qint64(value)); }
} // namespace

QJsonObject toJson(const MessageRecord& m) {
    QJsonObject out{{"id", m.localId},
                    {"chat", m.chatId},
                    {"server_id", id(m.messageId)},
                    {"seq", id(m.seq)},
                    {"sender_id", id(m.senderId)},
                    {"outgoing", m.direction == MessageDirection::outgoing},
                    {"kind", kindName(m.kind)},
                    {"state", stateName(m.state)},
                    {"time", isoTime(m.timestamp)},
                    {"text", m.text},
                    {"edited", m.edited()},
                    {"deleted", m.deleted()},
                    {"forwarded", m.forwarded},
                    {"expire_timer", qint64(m.expireTimer)},
                    {"mentions_me", m.mentionsMe}};
    if (m.quote)
        out.insert("quote", QJsonObject{{"server_id", id(m.quote->messageId)},
                                        {"sender_id", id(m.quote->senderId)},
                                        {"snippet", m.quote->snippet},
                                        {"deleted", m.quote->deleted}});
    QJsonArray reactions;
    for (const auto& r : m.reactions) reactions.append(QJsonObject{{"user_id", id(r.reactorId)}, {"emoji", r.emoji}});
    out.insert("reactions", reactions);
    if (m.media) {
        out.insert("file", QJsonObject{{"name", m.media->fileName},
                                       {"mime", m.media->mime},
                                       {"size", m.media->size},
                                       {"downloaded", !m.media->localBlobPath.isEmpty()}});
    }
    return out;
}

QJsonObject toJson(const MessageRecord& m, const std::function<QString(UserId)>& nameOf) {
    QJsonObject out = toJson(m);
    out.insert("sender", nameOf(m.senderId));
    if (m.quote) {
        QJsonObject quote = out.value("quote").toObject();
        quote.insert("sender", nameOf(m.quote->senderId));
        out.insert("quote", quote);
    }
    QJsonArray reactions;
    for (const auto& r : m.reactions)
        reactions.append(QJsonObject{{"user_id", id(r.reactorId)}, {"name", nameOf(r.reactorId)}, {"emoji", r.emoji}});
    out.insert("reactions", reactions);
    return out;
}

QJsonObject toJson(const ChatRecord& c) {
    return QJsonObject{{"chat", c.chatId},
                       {"type", c.type == ChatType::group ? "group" : "direct"},
                       {"title", c.title},
                       {"unread", c.unread},
                       {"last_activity", c.lastActivity ? QJsonValue(isoTime(c.lastActivity)) : QJsonValue()},
                       {"preview", c.lastPreview},
                       {"pinned", c.pinned},
                       {"muted", c.muted},
                       {"archived", c.archived},
                       {"expire_timer", qint64(c.expireTimer)},
                       {"request", c.request}};
}

QJsonObject toJson(const ContactRecord& c) {
    return QJsonObject{{"user_id", id(c.userId)},
                       {"phone", c.phone},
                       {"name", c.name},
                       {"identity_changed", c.identityChanged}};
}

QJsonObject toJson(const GroupRecord& g) {
    QJsonArray members;
    for (const auto& m : g.members)
        members.append(QJsonObject{{"user_id", id(m.userId)}, {"role", m.role == GroupRole::admin ? "admin" : "member"}});
    return QJsonObject{{"chat", g.chatId}, {"name", g.name}, {"description", g.description}, {"members", members}};
}

QJsonObject toJson(const store::SearchHit& h) {
    return QJsonObject{{"id", h.localId}, {"chat", h.chatId}, {"snippet", h.snippet}, {"time", isoTime(h.timestamp)}};
}

} // namespace natter::client::rpc
