// Disappearing messages, the chat's timer (docs/protocol.md, "Disappearing messages"): setting
// it on this device (any member of a direct chat, a group's admins) and accepting a change that
// arrives only from someone who may make it; both leave a chat event in the history.
#pragma once

#include "client/core/result.h"
#include "client/store/records.h"
#include "protocol/e2e.h"
#include "protocol/frames.h"

#include <functional>
#include <optional>

namespace natter::client {
namespace store { class ProfileStore; }
class Outbox;

class ChatTimers {
public:
    using NameOf = std::function<QString(UserId)>;
    ChatTimers(store::ProfileStore& store, Outbox& outbox, UserId self, NameOf nameOf);

    // Sets the chat's timer (0: off, else one of e2e::kDisappearingTimers) for what is sent from
    // now on, tells every member's devices, and returns the local id of the chat event.
    Expected<qint64> setTimer(const QString& chatId, quint32 seconds);
    // Inbox: a timer change arrived in delivery `d`. The text of the chat event to store (the
    // caller stores it and the chat's new timer together), or nullopt when its sender may not
    // change the timer.
    std::optional<QString> accept(const protocol::MessageDelivery& d, const protocol::e2e::DisappearingTimer& timer);

    // "5 minutes", "1 hour", "1 day", "1 week", "90 days" ("off" for 0).
    static QString durationName(quint32 seconds);

private:
    // In a direct chat either person; in a group its admins (as this device knows the group).
    bool maySet(const QString& chatId, UserId user);
    QString eventText(UserId setter, quint32 seconds) const;

    store::ProfileStore& m_store;
    Outbox& m_outbox;
    UserId m_self = 0;
    NameOf m_nameOf;
};

} // namespace natter::client
