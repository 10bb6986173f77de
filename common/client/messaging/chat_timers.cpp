#include "client/messaging/chat_timers.h"

#include "client/messaging/outbox.h"
#include "client/store/chat_store.h"
#include "client/store/database.h"
#include "client/store/group_store.h"
#include "client/store/profile_store.h"
#include "protocol/identifiers.h"

#include <QObject>

#include <algorithm>

namespace natter::client {

namespace e2e = protocol::e2e;

ChatTimers::ChatTimers(store::ProfileStore& store, Outbox& outbox, UserId self, NameOf nameOf)
    : m_store(store), m_outbox(outbox), m_self(self), m_nameOf(std::move(nameOf)) {}

QString ChatTimers::durationName(quint32 seconds) {
    switch (seconds) {
    case 0: return QObject::tr("off");
    case 300: return QObject::tr("5 minutes");
    case 3600: return QObject::tr("1 hour");
    case 86400: return QObject::tr("1 day");
    case 604800: return QObject::tr("1 week");
    case 7776000: return QObject::tr("90 days");
    default: return QObject::tr("%1 seconds").arg(seconds);
    }
}

QString ChatTimers::eventText(UserId setter, quint32 seconds) const {
    const QString who = m_nameOf(setter);
    if (seconds == 0) return QObject::tr("%1 turned off disappearing messages").arg(who);
    return QObject::tr("%1 set disappearing messages to %2").arg(who, durationName(seconds));
}

bool ChatTimers::maySet(const QString& chatId, UserId user) {
    if (!protocol::isGroupChatId(chatId.toStdString())) {
        const auto pair = protocol::parseDirectChatId(chatId.toStdString());
        return pair && (pair->first == user || pair->second == user);
    }
    auto group = m_store.groups().byId(chatId);
    if (!group || !*group) return false;
    const auto& members = (*group)->members;
    return std::any_of(members.begin(), members.end(), [&](const GroupMemberRecord& m) {
        return m.userId == user && m.role == GroupRole::admin;
    });
}

Expected<qint64> ChatTimers::setTimer(const QString& chatId, quint32 seconds) {
    if (seconds != 0 && !e2e::isDisappearingTimer(seconds))
        return makeClientError(ErrorKind::InvalidArgument,
                               QObject::tr("%1 seconds is not a disappearing-messages timer: choose off, 5 minutes, "
                                           "1 hour, 1 day, 1 week or 90 days")
                                   .arg(seconds));
    auto chat = m_store.chats().byId(chatId);
    if (!chat) return chat.error();
    if (!*chat) return makeClientError(ErrorKind::NotFound, QObject::tr("no chat %1").arg(chatId));
    if (!maySet(chatId, m_self))
        return makeClientError(ErrorKind::InvalidArgument,
                               QObject::tr("only an admin of %1 can change its disappearing messages").arg((*chat)->title));
    e2e::Content content;
    content.disappearing = e2e::DisappearingTimer{seconds};
    MessageRecord line;
    line.chatId = chatId;
    line.kind = MessageKind::system;
    line.text = eventText(m_self, seconds);
    qint64 localId = 0;
    auto done = m_store.database().transaction([&]() -> Expected<void> {
        if (auto r = m_store.chats().setExpireTimer(chatId, seconds); !r) return r;
        auto sent = m_outbox.send(line, content);
        if (!sent) return sent.error();
        localId = *sent;
        return {};
    });
    if (!done) return done.error();
    return localId;
}

std::optional<QString> ChatTimers::accept(const protocol::MessageDelivery& d, const e2e::DisappearingTimer& timer) {
    if (!maySet(QString::fromStdString(d.chat_id), d.sender_id)) return std::nullopt;
    return eventText(d.sender_id, timer.seconds);
}

} // namespace natter::client
