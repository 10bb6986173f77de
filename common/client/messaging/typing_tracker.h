// Typing indicators both ways, as WhatsApp behaves: one "start" when the user begins
// typing, nothing more while typing continues, "stop" after 3 s of silence or on send;
// a remote indicator disappears after 5 s without news, even if its "stop" is lost.
#pragma once

#include "protocol/frames.h"

#include <QHash>
#include <QObject>
#include <QSet>
#include <QTimer>

#include <chrono>
#include <functional>

namespace natter::client {

class TypingTracker : public QObject {
    Q_OBJECT
public:
    using Sender = std::function<bool(const protocol::TypingNotice&)>;

    explicit TypingTracker(Sender send, QObject* parent = nullptr);

    void setTimeouts(std::chrono::milliseconds idle, std::chrono::milliseconds remoteExpiry);

    // The local user typed a key in chatId.
    void userTyped(const QString& chatId);
    // The local user sent a message or left the chat: stop at once.
    void userStopped(const QString& chatId);

    // A typing frame from the server.
    void onRemoteTyping(const protocol::TypingEvent& event);
    // Users currently typing in a chat.
    QList<protocol::UserId> typingIn(const QString& chatId) const;

signals:
    void typingChanged(const QString& chatId);

private:
    struct RemoteKey {
        QString chatId;
        protocol::UserId userId;
        bool operator==(const RemoteKey&) const = default;
    };
    friend size_t qHash(const RemoteKey& k, size_t seed) { return qHashMulti(seed, k.chatId, k.userId); }

    void expireRemote(const RemoteKey& key);

    Sender m_send;
    std::chrono::milliseconds m_idle{3000};
    std::chrono::milliseconds m_remoteExpiry{5000};
    // Timers are children of this tracker, deleted with deleteLater (they may be the sender
    // of the signal being handled).
    QHash<QString, QTimer*> m_local;      // chats the local user is typing in
    QHash<RemoteKey, QTimer*> m_remote;   // remote indicators and their expiry
};

} // namespace natter::client
