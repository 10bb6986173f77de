#include "client/messaging/typing_tracker.h"

namespace natter::client {

TypingTracker::TypingTracker(Sender send, QObject* parent) : QObject(parent), m_send(std::move(send)) {}

void TypingTracker::setTimeouts(std::chrono::milliseconds idle, std::chrono::milliseconds remoteExpiry) {
    m_idle = idle;
    m_remoteExpiry = remoteExpiry;
}

void TypingTracker::userTyped(const QString& chatId) {
    auto it = m_local.find(chatId);
    if (it == m_local.end()) {
        // A start that could not be sent (offline) is simply not remembered: the next
        // keystroke tries again.
        if (!m_send(protocol::TypingNotice{chatId.toStdString(), protocol::TypingState::start})) return;
        auto* idle = new QTimer(this);
        idle->setSingleShot(true);
        connect(idle, &QTimer::timeout, this, [this, chatId] { userStopped(chatId); });
        it = m_local.insert(chatId, idle);
    }
    (*it)->start(m_idle);
}

void TypingTracker::userStopped(const QString& chatId) {
    auto it = m_local.find(chatId);
    if (it == m_local.end()) return;
    (*it)->stop();
    (*it)->deleteLater();
    m_local.erase(it);
    m_send(protocol::TypingNotice{chatId.toStdString(), protocol::TypingState::stop});
}

void TypingTracker::onRemoteTyping(const protocol::TypingEvent& event) {
    const RemoteKey key{QString::fromStdString(event.chat_id), event.user_id};
    if (event.state == protocol::TypingState::stop) {
        expireRemote(key);
        return;
    }
    QTimer*& timer = m_remote[key];
    const bool wasTyping = timer != nullptr;
    if (!timer) {
        timer = new QTimer(this);
        timer->setSingleShot(true);
        connect(timer, &QTimer::timeout, this, [this, key] { expireRemote(key); });
    }
    timer->start(m_remoteExpiry);
    if (!wasTyping) emit typingChanged(key.chatId);
}

void TypingTracker::expireRemote(const RemoteKey& key) {
    auto it = m_remote.find(key);
    if (it == m_remote.end()) return;
    (*it)->stop();
    (*it)->deleteLater();
    m_remote.erase(it);
    emit typingChanged(key.chatId);
}

QList<protocol::UserId> TypingTracker::typingIn(const QString& chatId) const {
    QList<protocol::UserId> out;
    for (auto it = m_remote.begin(); it != m_remote.end(); ++it)
        if (it.key().chatId == chatId) out.push_back(it.key().userId);
    return out;
}

} // namespace natter::client
