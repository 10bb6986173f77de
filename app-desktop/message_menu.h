// What the message menu of one chat offers and does (MessageMenu.qml): which actions apply to a
// message (reply, react, copy, edit and delete for everyone within natterd's windows, forward,
// info), and the ones that need no composer: react, delete, forward, and the receipts per member.
#pragma once

#include <QObject>
#include <QVariantList>
#include <QVariantMap>

namespace natter::client { class Client; }

namespace natter::desktop {

class MessageMenu : public QObject {
    Q_OBJECT
public:
    MessageMenu(client::Client& client, QString chatId, QObject* parent = nullptr);

    // What applies to message `localId` now: {canReply, canReact, canCopy, canEdit,
    // canDeleteForEveryone, canDeleteForMe, canForward, canInfo (bool), myReaction (the emoji
    // this user reacted with, or "")}. All false for a message not in this chat.
    Q_INVOKABLE QVariantMap options(qint64 localId) const;
    // The emoji the React row offers, as WhatsApp's: 👍 ❤️ 😂 😮 😢 🙏.
    Q_INVOKABLE QStringList quickReactions() const;
    // "" removes this user's reaction. false (and failed()) when the core refused.
    Q_INVOKABLE bool react(qint64 localId, const QString& emoji);
    Q_INVOKABLE bool deleteForMe(qint64 localId);
    Q_INVOKABLE bool deleteForEveryone(qint64 localId);
    // The chats a message can go to: [{chatId, title, isGroup}], this one excluded, as the chat list orders them.
    Q_INVOKABLE QVariantList forwardTargets() const;
    Q_INVOKABLE bool forward(qint64 localId, const QStringList& chatIds);
    // Message Info: [{name, status ("Sent", "Delivered", "Read"), time}] per recipient, by name.
    Q_INVOKABLE QVariantList info(qint64 localId);

signals:
    // Message `localId` of this chat changed (new text, reactions, ticks or receipts).
    void messageChanged(qint64 localId);
    void failed(const QString& message);
    void notice(const QString& message);

private:
    client::Client& m_client;
    QString m_chatId;
};

} // namespace natter::desktop
