// The open conversation as the QML conversation pane sees it: header (title, presence or
// typing, identity warning), the newest-first message model, and what the composer and the
// bubbles can do (send text, replies, edits and files, save or open attachments, the message
// menu, jumping to a quoted message, group administration).
#pragma once

#include "client/store/records.h"

#include <QObject>
#include <QTemporaryDir>
#include <QUrl>
#include <QVariantList>

namespace natter::client { class Client; class MessageListModel; }

namespace natter::desktop {

class ComposerMode;
class MentionCompleter;
class MessageMenu;
class MessageProxy;
class ThumbnailCache;
class UnreadMarker;

class ConversationView : public QObject {
    Q_OBJECT
    Q_PROPERTY(QString chatId READ chatId CONSTANT)
    Q_PROPERTY(bool isGroup READ isGroup CONSTANT)
    Q_PROPERTY(qulonglong peerId READ peerId CONSTANT)
    Q_PROPERTY(QString title READ title NOTIFY headerChanged)
    Q_PROPERTY(QString subtitle READ subtitle NOTIFY headerChanged)
    Q_PROPERTY(QString typing READ typing NOTIFY headerChanged)
    Q_PROPERTY(bool identityChanged READ identityChanged NOTIFY headerChanged)
    // A message request: a stranger started this 1:1 chat (the banner above the composer).
    Q_PROPERTY(bool isRequest READ isRequest NOTIFY headerChanged)
    Q_PROPERTY(QVariantList members READ members NOTIFY groupChanged)
    Q_PROPERTY(bool amAdmin READ amAdmin NOTIFY groupChanged)
    Q_PROPERTY(QObject* messages READ messages CONSTANT)
    // The unread divider at open and the count of new messages below (UnreadMarker).
    Q_PROPERTY(QObject* unread READ unread CONSTANT)
    // The "@name" list above the composer (MentionCompleter; never opens in a 1:1 chat).
    Q_PROPERTY(QObject* mentions READ mentions CONSTANT)
    // The message menu's checks and actions (MessageMenu).
    Q_PROPERTY(QObject* actions READ actions CONSTANT)
    // Whether the composer replies to or edits a message (ComposerMode).
    Q_PROPERTY(QObject* composing READ composing CONSTANT)
    Q_PROPERTY(bool uploading READ uploading NOTIFY uploadChanged)
    Q_PROPERTY(double uploadProgress READ uploadProgress NOTIFY uploadChanged)
    Q_PROPERTY(QString uploadName READ uploadName NOTIFY uploadChanged)
public:
    // cacheDir: where pasted images wait until sent (the profile's cache directory).
    ConversationView(client::Client& client, const QString& chatId, ThumbnailCache& thumbnails, QString cacheDir,
                     QObject* parent = nullptr);

    QString chatId() const { return m_chatId; }
    bool isGroup() const { return m_chat.type == client::ChatType::group; }
    qulonglong peerId() const { return m_chat.peerId; }
    QString title() const { return m_chat.title; }
    QString subtitle() const;
    QString typing() const;
    bool identityChanged() const;
    bool isRequest() const { return m_chat.request; }
    QVariantList members() const;
    bool amAdmin() const;
    QObject* messages() const;
    QObject* unread() const;
    QObject* mentions() const;
    MentionCompleter* mentionCompleter() const { return m_mentions; }
    QObject* actions() const;
    QObject* composing() const;
    MessageMenu* messageMenu() const { return m_actions; }
    ComposerMode* composerMode() const { return m_composing; }
    client::MessageListModel* messageModel() const;
    bool uploading() const { return m_uploading; }
    double uploadProgress() const { return m_progress; }
    QString uploadName() const { return m_uploadName; }

    // Sends the text (as a reply or an edit when the composer is in that mode); false (and
    // failed()) when the core refused it.
    Q_INVOKABLE bool send(const QString& text);
    // Files dropped on the conversation or picked in the attach dialog: each local file is
    // sent in turn (the caption goes with the first); folders and remote URLs are refused
    // with failed(). Returns how many files were queued.
    Q_INVOKABLE int attachFiles(const QList<QUrl>& files, const QString& caption = {});
    // Pasting: the clipboard's image is kept as a PNG in the cache directory, sent, then
    // deleted; false when the clipboard holds no image (the composer then pastes text).
    Q_INVOKABLE bool pasteImage();
    Q_INVOKABLE void saveAttachment(qint64 localId, const QUrl& destination);
    Q_INVOKABLE void openAttachment(qint64 localId);
    // A message's text (or a file's caption) onto the clipboard; false when it has none or is
    // not in this chat.
    Q_INVOKABLE bool copyText(qint64 localId);
    Q_INVOKABLE void userTyping();
    Q_INVOKABLE void markRead();
    Q_INVOKABLE void loadOlder();
    // The row (newest first) of the message with server id `messageId`, loading older pages
    // until it is there; -1 (and notice()) when this device does not have it.
    Q_INVOKABLE int locate(qulonglong messageId);
    Q_INVOKABLE void acknowledgeIdentity();
    // The request banner's buttons: a normal chat from now on; the sender blocked (natterd drops
    // their messages; the request goes); the request deleted on this device. Block and delete
    // close the chat (left()).
    Q_INVOKABLE void acceptRequest();
    Q_INVOKABLE void blockSender();
    Q_INVOKABLE void deleteRequest();
    // Group administration (admins), and leaving.
    Q_INVOKABLE void addMembers(const QVariantList& userIds);
    Q_INVOKABLE void removeMember(qulonglong userId);
    Q_INVOKABLE void setAdmin(qulonglong userId, bool admin);
    Q_INVOKABLE void rename(const QString& name);
    Q_INVOKABLE void leave();

signals:
    void headerChanged();
    // Client::identityWarning for this chat's contact (the banner shows from now on).
    void identityWarned();
    void groupChanged();
    void uploadChanged();
    void failed(const QString& message);
    void notice(const QString& message);
    void left();

private:
    void reloadChat();
    void reloadGroup();
    void sendNextFile();

    client::Client& m_client;
    QString m_chatId;
    client::ChatRecord m_chat;
    client::GroupRecord m_group;
    MessageProxy* m_proxy = nullptr;
    UnreadMarker* m_unread = nullptr;
    MentionCompleter* m_mentions = nullptr;
    MessageMenu* m_actions = nullptr;
    ComposerMode* m_composing = nullptr;
    QString m_cacheDir;
    QList<QUrl> m_queue;
    QStringList m_temporary; // pasted images to delete once sent
    QString m_caption;
    bool m_uploading = false;
    double m_progress = 0;
    QString m_uploadName;
    QTemporaryDir m_scratch; // attachments opened for viewing
};

} // namespace natter::desktop
