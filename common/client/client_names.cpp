// Client: what a person types to name a chat (a contact's name, a phone number, a group's name,
// a chat id) turned into the chat or user it means. A name that fits several is refused with
// every candidate's unambiguous address, never silently resolved to one of them.
#include "client/client.h"

#include "client/store/chat_store.h"
#include "client/store/contact_store.h"
#include "client/store/group_store.h"
#include "client/store/profile_store.h"
#include "protocol/identifiers.h"

#include <QDateTime>

namespace natter::client {

namespace {

ClientError notRegistered() {
    return makeClientError(ErrorKind::InvalidArgument, QStringLiteral("this profile is not registered yet"));
}

bool isChatId(const QString& who) { return who.startsWith(QLatin1String("dm:")) || who.startsWith(QLatin1String("g:")); }

// One line per candidate: its address (what to type instead), then what it is.
ClientError ambiguous(const QString& message, const QStringList& candidates) {
    return makeClientError(ErrorKind::InvalidArgument, message + QStringLiteral(":\n  ") + candidates.join(QStringLiteral("\n  ")));
}

QString contactLine(const ContactRecord& c) { return QObject::tr("%1  contact '%2'").arg(c.phone, c.name); }

QString groupCandidateLine(store::ProfileStore& store, const GroupRecord& g) {
    const auto chat = store.chats().byId(g.chatId);
    const qint64 last = chat && *chat ? (*chat)->lastActivity : 0;
    const QString when = last > 0 ? QObject::tr("last activity %1")
                                        .arg(QDateTime::fromMSecsSinceEpoch(last).toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm")))
                                  : QObject::tr("no activity yet");
    return QObject::tr("%1  group '%2', %3 members, %4").arg(g.chatId, g.name).arg(g.members.size()).arg(when);
}

} // namespace

Expected<UserId> Client::resolveUser(const QString& who) {
    auto& contacts = m_store->contacts();
    if (protocol::isE164(who.toStdString())) {
        auto contact = contacts.byPhone(who);
        if (!contact) return contact.error();
        if (!*contact)
            return makeClientError(ErrorKind::NotFound, tr("%1 is not a contact yet: add it with 'contacts add %1'").arg(who));
        return (*contact)->userId;
    }
    auto named = contacts.byName(who);
    if (!named) return named.error();
    if (named->size() == 1) return named->front().userId;
    if (named->empty()) return makeClientError(ErrorKind::NotFound, tr("no contact called '%1'").arg(who));
    QStringList candidates;
    for (const auto& c : *named) candidates << contactLine(c);
    return ambiguous(tr("%1 contacts are called '%2'; name the one you mean by phone number").arg(named->size()).arg(who),
                     candidates);
}

Expected<QString> Client::resolveGroup(const QString& who) {
    if (!isRegistered()) return notRegistered();
    if (isChatId(who)) {
        if (!who.startsWith(QLatin1String("g:"))) return makeClientError(ErrorKind::InvalidArgument, tr("'%1' is not a group").arg(who));
        auto group = m_store->groups().byId(who);
        if (!group) return group.error();
        if (!*group) return makeClientError(ErrorKind::NotFound, tr("no group %1").arg(who));
        return who;
    }
    auto named = m_store->groups().byName(who);
    if (!named) return named.error();
    if (named->size() == 1) return named->front().chatId;
    if (named->empty()) {
        // A contact of that name is not a group: say so rather than "unknown".
        if (auto contacts = m_store->contacts().byName(who); contacts && !contacts->empty())
            return makeClientError(ErrorKind::InvalidArgument, tr("'%1' is not a group").arg(who));
        return makeClientError(ErrorKind::NotFound, tr("no group called '%1'").arg(who));
    }
    QStringList candidates;
    for (const auto& g : *named) candidates << groupCandidateLine(*m_store, g);
    return ambiguous(tr("%1 groups are called '%2'; name the one you mean by its chat id").arg(named->size()).arg(who),
                     candidates);
}

Expected<QString> Client::resolveChat(const QString& who) {
    if (!isRegistered()) return notRegistered();
    if (isChatId(who)) {
        auto chat = m_store->chats().byId(who);
        if (!chat) return chat.error();
        if (!*chat) return makeClientError(ErrorKind::NotFound, tr("no chat %1").arg(who));
        return who;
    }
    UserId user = 0;
    if (protocol::isE164(who.toStdString())) {
        auto byPhone = resolveUser(who);
        if (!byPhone) return byPhone.error();
        user = *byPhone;
    } else {
        auto groups = m_store->groups().byName(who);
        if (!groups) return groups.error();
        auto contacts = m_store->contacts().byName(who);
        if (!contacts) return contacts.error();
        const std::size_t fits = groups->size() + contacts->size();
        if (fits == 0)
            return makeClientError(ErrorKind::NotFound, tr("no contact or group called '%1'").arg(who));
        if (fits > 1) {
            QStringList candidates;
            for (const auto& g : *groups) candidates << groupCandidateLine(*m_store, g);
            for (const auto& c : *contacts) candidates << contactLine(c);
            const QString by = contacts->empty() ? tr("its chat id") : groups->empty() ? tr("phone number")
                                                                                       : tr("its chat id or phone number");
            return ambiguous(tr("%1 chats are called '%2'; name the one you mean by %3").arg(fits).arg(who, by), candidates);
        }
        if (!groups->empty()) return groups->front().chatId;
        user = contacts->front().userId;
    }
    const QString chatId = QString::fromStdString(protocol::directChatId(m_account.userId, user));
    ChatRecord chat;
    chat.chatId = chatId;
    chat.type = ChatType::direct;
    chat.peerId = user;
    chat.title = displayNameOf(user);
    if (auto r = m_store->chats().ensure(chat); !r) return r.error();
    return chatId;
}

} // namespace natter::client
