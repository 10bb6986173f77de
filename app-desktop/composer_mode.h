// What the composer sends next: a plain message, a reply to a chosen message (the "Replying
// to NAME: snippet" bar) or the new text of one of the user's messages (the "Editing" bar).
// ConversationView::send hands the text here; Escape or ✕ cancels back to a plain message.
#pragma once

#include <QObject>

namespace natter::client { class Client; }

namespace natter::desktop {

class ComposerMode : public QObject {
    Q_OBJECT
    // "" (a new message), "reply" or "edit".
    Q_PROPERTY(QString mode READ mode NOTIFY changed)
    // The message replied to or edited: its sender ("You" for the user) and a snippet.
    Q_PROPERTY(QString name READ name NOTIFY changed)
    Q_PROPERTY(QString snippet READ snippet NOTIFY changed)
    Q_PROPERTY(qint64 targetId READ targetId NOTIFY changed)
public:
    ComposerMode(client::Client& client, QString chatId, QObject* parent = nullptr);

    QString mode() const { return m_mode; }
    QString name() const { return m_name; }
    QString snippet() const { return m_snippet; }
    qint64 targetId() const { return m_target; }

    // false when message `localId` is not a sent message of this chat.
    Q_INVOKABLE bool startReply(qint64 localId);
    // The text to edit (the composer shows it); "" when it cannot be edited (failed() says why).
    Q_INVOKABLE QString startEdit(qint64 localId);
    Q_INVOKABLE void cancel();
    // Sends `text` as a new message, a reply or the edit; back to a new message when the core
    // took it, else failed() with the core's reason and the mode stays.
    bool submit(const QString& text);

signals:
    void changed();
    void failed(const QString& message);

private:
    bool target(qint64 localId, const QString& mode);

    client::Client& m_client;
    QString m_chatId;
    QString m_mode;
    QString m_name;
    QString m_snippet;
    qint64 m_target = 0;
};

} // namespace natter::desktop
