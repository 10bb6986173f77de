// CommandService: what account sync carries to the account's other devices: a chat's settings
// (pin, mute, archive and the reverse), the account's display name and its about text.
#include "client/rpc/command_service.h"

#include "client/client.h"
#include "client/rpc/json_views.h"

#include <QJsonObject>

namespace natter::client::rpc {

void CommandService::registerSettings() {
    // chat.pin and the others: the flag set or cleared, the chat's other settings kept.
    struct Flag {
        const char* method;
        bool ChatRecord::*field;
        bool value;
    };
    static constexpr Flag kFlags[] = {
        {"chat.pin", &ChatRecord::pinned, true},     {"chat.unpin", &ChatRecord::pinned, false},
        {"chat.mute", &ChatRecord::muted, true},     {"chat.unmute", &ChatRecord::muted, false},
        {"chat.archive", &ChatRecord::archived, true}, {"chat.unarchive", &ChatRecord::archived, false},
    };
    for (const Flag& flag : kFlags)
        add(QString::fromLatin1(flag.method), [this, flag](const QJsonObject& p, Done done) {
            auto who = stringParam(p, "chat");
            if (!who) return done(who.error());
            auto chatId = m_client.resolveChat(*who);
            if (!chatId) return done(chatId.error());
            auto chat = m_client.chatInfo(*chatId);
            if (!chat) return done(makeClientError(ErrorKind::NotFound, QStringLiteral("no chat %1").arg(*who)));
            (*chat).*flag.field = flag.value;
            if (auto r = m_client.setChatFlags(*chatId, chat->pinned, chat->muted, chat->archived); !r)
                return done(r.error());
            const auto changed = m_client.chatInfo(*chatId);
            done(QJsonValue(toJson(changed.value_or(*chat))));
        });
    add("settings.name", [this](const QJsonObject& p, Done done) {
        auto name = stringParam(p, "name");
        if (!name) return done(name.error());
        m_client.setProfileName(*name, [this, done](Expected<void> r) {
            if (!r) return done(r.error());
            done(QJsonValue(QJsonObject{{"name", m_client.account().displayName}}));
        });
    });
    add("settings.about", [this](const QJsonObject& p, Done done) {
        // An empty text removes it: only a missing or non-string one is refused here.
        if (!p.value("about").isString()) return done(stringParam(p, "about").error());
        if (auto r = m_client.setProfileAbout(p.value("about").toString()); !r) return done(r.error());
        done(QJsonValue(QJsonObject{{"about", m_client.aboutOf(m_client.account().userId)}}));
    });
}

} // namespace natter::client::rpc
