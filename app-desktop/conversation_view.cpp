// ConversationView: one chat's header, messages and actions over the client core.
#include "conversation_view.h"

#include "composer_mode.h"
#include "formatting.h"
#include "mention_completer.h"
#include "message_menu.h"
#include "message_proxy.h"
#include "unread_marker.h"

#include "client/client.h"
#include "client/messaging/group_directory.h"
#include "client/messaging/presence_tracker.h"
#include "client/models/message_list_model.h"

#include <QClipboard>
#include <QDateTime>
#include <QDesktopServices>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QGuiApplication>
#include <QImage>
#include <QPointer>
#include <QUuid>

namespace natter::desktop {

using client::Client;

ConversationView::ConversationView(Client& client, const QString& chatId, ThumbnailCache& thumbnails, QString cacheDir,
                                   QObject* parent)
    : QObject(parent), m_client(client), m_chatId(chatId), m_cacheDir(std::move(cacheDir)) {
    reloadChat();
    m_proxy = new MessageProxy(client.openConversation(chatId, this), &thumbnails, this);
    m_unread = new UnreadMarker(m_proxy->messages(), m_proxy, int(m_chat.unread), this);
    m_proxy->setUnreadDivider(m_unread->firstUnreadId(), m_unread->dividerText());
    m_mentions = new MentionCompleter(client, chatId, isGroup(), this);
    m_actions = new MessageMenu(client, chatId, this);
    m_composing = new ComposerMode(client, chatId, this);
    connect(m_actions, &MessageMenu::failed, this, &ConversationView::failed);
    connect(m_actions, &MessageMenu::notice, this, &ConversationView::notice);
    connect(m_composing, &ComposerMode::failed, this, &ConversationView::failed);
    connect(&client, &Client::chatsChanged, this, &ConversationView::reloadChat);
    connect(&client, &Client::typingChanged, this, [this](const QString& id) {
        if (id == m_chatId) emit headerChanged();
    });
    connect(&client, &Client::presenceChanged, this, [this](protocol::UserId user) {
        if (user == m_chat.peerId || isGroup()) emit headerChanged();
    });
    connect(&client, &Client::identityWarning, this, [this](protocol::UserId user) {
        if (isGroup() || user != m_chat.peerId) return;
        messageModel()->reload(); // shows the "security code changed" line the core stored
        emit identityWarned();
        emit headerChanged();
    });
    connect(&client, &Client::groupChanged, this, [this](const QString& id) {
        if (id == m_chatId) reloadGroup();
    });
    connect(&client, &Client::messageFailed, this, [this](qint64, const QString& id, const QString& reason) {
        if (id == m_chatId) emit failed(tr("A message could not be sent: %1").arg(reason));
    });
    if (isGroup()) {
        reloadGroup();
        QPointer<ConversationView> self(this);
        client.groups().refresh(chatId, [self](client::Expected<client::GroupRecord> r) {
            if (self && r) self->reloadGroup();
        });
    } else if (m_chat.peerId) {
        client.presence().refresh(m_chat.peerId);
    }
}

void ConversationView::reloadChat() {
    if (auto chat = m_client.chatInfo(m_chatId)) m_chat = *chat;
    else m_chat.chatId = m_chatId;
    emit headerChanged();
}

void ConversationView::reloadGroup() {
    if (auto group = m_client.groupInfo(m_chatId)) m_group = *group;
    emit groupChanged();
    emit headerChanged();
}

QString ConversationView::typing() const { return typingText(m_client.typingNames(m_chatId)); }

QString ConversationView::subtitle() const {
    if (const QString t = typing(); !t.isEmpty()) return t;
    if (isGroup()) {
        QStringList names;
        for (const auto& m : m_group.members) names << m_client.displayNameOf(m.userId);
        return names.join(QStringLiteral(", "));
    }
    const auto state = m_client.presence().presenceOf(m_chat.peerId);
    return presenceText(state.known, state.online, state.lastSeen ? std::optional<qint64>(qint64(*state.lastSeen)) : std::nullopt,
                        QDateTime::currentDateTime());
}

bool ConversationView::identityChanged() const {
    if (isGroup() || !m_chat.peerId) return false;
    const auto contact = m_client.contactInfo(m_chat.peerId);
    return contact && contact->identityChanged;
}

QVariantList ConversationView::members() const {
    QVariantList out;
    const auto self = m_client.account().userId;
    for (const auto& m : m_group.members) {
        const QString name = m_client.displayNameOf(m.userId);
        const bool admin = m.role == client::GroupRole::admin;
        out << QVariantMap{{QStringLiteral("userId"), QVariant::fromValue<qulonglong>(m.userId)},
                           {QStringLiteral("name"), name},
                           {QStringLiteral("about"), m_client.aboutOf(m.userId)},
                           {QStringLiteral("admin"), admin},
                           {QStringLiteral("isSelf"), m.userId == self}};
    }
    return out;
}

bool ConversationView::amAdmin() const {
    for (const auto& m : m_group.members)
        if (m.userId == m_client.account().userId) return m.role == client::GroupRole::admin;
    return false;
}

QObject* ConversationView::messages() const { return m_proxy; }
QObject* ConversationView::unread() const { return m_unread; }
QObject* ConversationView::mentions() const { return m_mentions; }
QObject* ConversationView::actions() const { return m_actions; }
QObject* ConversationView::composing() const { return m_composing; }
client::MessageListModel* ConversationView::messageModel() const { return m_proxy->messages(); }

bool ConversationView::send(const QString& text) { return m_composing->submit(text.trimmed()); }

int ConversationView::attachFiles(const QList<QUrl>& files, const QString& caption) {
    int queued = 0;
    for (const auto& url : files) {
        const QFileInfo info(url.toLocalFile());
        if (!url.isLocalFile()) emit failed(tr("Only files on this computer can be sent."));
        else if (info.isDir()) emit failed(tr("%1 is a folder; send the files in it instead.").arg(info.fileName()));
        else if (!info.isFile() || !info.isReadable()) emit failed(tr("Cannot read %1.").arg(info.fileName()));
        else {
            m_queue << url;
            ++queued;
        }
    }
    if (queued == 0) return 0;
    if (m_caption.isEmpty()) m_caption = caption;
    if (!m_uploading) sendNextFile();
    return queued;
}

void ConversationView::sendNextFile() {
    if (m_queue.isEmpty()) {
        m_uploading = false;
        m_uploadName.clear();
        emit uploadChanged();
        return;
    }
    const QString path = m_queue.takeFirst().toLocalFile();
    const QString caption = std::exchange(m_caption, QString());
    m_uploading = true;
    m_progress = 0;
    m_uploadName = QFileInfo(path).fileName();
    emit uploadChanged();
    QPointer<ConversationView> self(this);
    m_client.sendFile(
        m_chatId, path, caption,
        [self](qint64 done, qint64 total) {
            if (!self || total <= 0) return;
            self->m_progress = double(done) / double(total);
            emit self->uploadChanged();
        },
        [self, path](client::Expected<qint64> r) {
            if (!self) return;
            if (self->m_temporary.removeAll(path) > 0) QFile::remove(path);
            if (!r) emit self->failed(tr("Could not send %1: %2").arg(self->m_uploadName, r.error().message));
            self->sendNextFile();
        });
}

bool ConversationView::pasteImage() {
    const QImage image = QGuiApplication::clipboard()->image();
    if (image.isNull()) return false;
    const QString path = QDir(m_cacheDir).filePath(
        QStringLiteral("pasted-%1.png").arg(QUuid::createUuid().toString(QUuid::Id128).left(8)));
    if (m_cacheDir.isEmpty() || !QDir().mkpath(m_cacheDir) || !image.save(path, "PNG")) {
        emit failed(tr("Could not keep the pasted image."));
        return true; // it was an image: do not paste it as text
    }
    m_temporary << path;
    attachFiles({QUrl::fromLocalFile(path)});
    return true;
}

void ConversationView::saveAttachment(qint64 localId, const QUrl& destination) {
    QPointer<ConversationView> self(this);
    m_client.saveAttachment(localId, destination.toLocalFile(), {}, [self](client::Expected<QString> r) {
        if (!self) return;
        if (r) emit self->notice(tr("Saved to %1").arg(*r));
        else emit self->failed(tr("Could not save the file: %1").arg(r.error().message));
    });
}

void ConversationView::openAttachment(qint64 localId) {
    const auto message = m_client.messageInfo(localId);
    if (!message || !message->media || !m_scratch.isValid()) return;
    const QString name = QFileInfo(message->media->fileName).fileName();
    const QString path = m_scratch.filePath(QString::number(localId) + QLatin1Char('-') + (name.isEmpty() ? QStringLiteral("file") : name));
    QPointer<ConversationView> self(this);
    m_client.saveAttachment(localId, path, {}, [self](client::Expected<QString> r) {
        if (!self) return;
        if (!r) emit self->failed(tr("Could not open the file: %1").arg(r.error().message));
        else if (!QDesktopServices::openUrl(QUrl::fromLocalFile(*r))) emit self->failed(tr("No application opens this file."));
    });
}

bool ConversationView::copyText(qint64 localId) {
    const auto message = m_client.messageInfo(localId);
    if (!message || message->chatId != m_chatId || message->text.isEmpty() || message->kind == client::MessageKind::system) return false;
    QGuiApplication::clipboard()->setText(message->text);
    emit notice(tr("Copied"));
    return true;
}

void ConversationView::userTyping() { m_client.userTyping(m_chatId); }

void ConversationView::markRead() {
    // Not shown to the user: the chat simply stays unread and the next view tries again.
    if (auto r = m_client.markRead(m_chatId); !r)
        qWarning("natter-desktop: cannot mark chat %s read: %s", qPrintable(m_chatId), qPrintable(r.error().message));
}

void ConversationView::loadOlder() {
    auto* model = messageModel();
    if (model->canFetchMore({})) model->fetchMore({});
}

int ConversationView::locate(qulonglong messageId) {
    auto* model = messageModel();
    for (int checked = 0;;) {
        // Pages come in at the old end (row 0): the rows already checked are the last ones.
        const int rows = model->rowCount();
        for (int row = rows - checked - 1; row >= 0; --row)
            if (model->at(row)->messageId == messageId) return m_proxy->mapFromSource(model->index(row, 0)).row();
        checked = rows;
        if (!model->canFetchMore({})) break;
        model->fetchMore({});
        if (model->rowCount() == rows) break;
    }
    emit notice(tr("The original message is not on this device."));
    return -1;
}

void ConversationView::acknowledgeIdentity() {
    if (auto r = m_client.acknowledgeIdentity(m_chat.peerId); !r) emit failed(r.error().message);
    emit headerChanged();
}

namespace {
template <class Self>
auto groupDone(Self* view, QString okText) {
    return [self = QPointer<Self>(view), okText](client::Expected<client::GroupRecord> r) {
        if (!self) return;
        if (!r) {
            emit self->failed(r.error().message);
            return;
        }
        if (!okText.isEmpty()) emit self->notice(okText);
        emit self->groupChanged();
    };
}
} // namespace

void ConversationView::addMembers(const QVariantList& userIds) {
    std::vector<client::UserId> users;
    for (const auto& v : userIds) users.push_back(v.toULongLong());
    if (users.empty()) return;
    m_client.groups().addMembers(m_chatId, users, groupDone(this, tr("Members added")));
}

void ConversationView::removeMember(qulonglong userId) {
    m_client.groups().removeMember(m_chatId, userId, groupDone(this, tr("Member removed")));
}

void ConversationView::setAdmin(qulonglong userId, bool admin) {
    m_client.groups().setRole(m_chatId, userId, admin ? client::GroupRole::admin : client::GroupRole::member,
                              groupDone(this, admin ? tr("Now an admin") : tr("No longer an admin")));
}

void ConversationView::rename(const QString& name) {
    if (name.trimmed().isEmpty()) return;
    m_client.groups().rename(m_chatId, name.trimmed(), groupDone(this, tr("Group renamed")));
}

void ConversationView::acceptRequest() {
    if (auto r = m_client.acceptRequest(m_chatId); !r) emit failed(r.error().message);
}

void ConversationView::blockSender() {
    QPointer<ConversationView> self(this);
    const QString name = m_chat.title;
    m_client.block(m_chat.peerId, [self, name](client::Expected<std::vector<client::UserId>> r) {
        if (!self) return;
        if (!r) return emit self->failed(r.error().message);
        emit self->notice(tr("%1 is blocked").arg(name));
        emit self->left();
    });
}

void ConversationView::deleteRequest() {
    if (auto r = m_client.deleteRequest(m_chatId); !r) return emit failed(r.error().message);
    emit left();
}

void ConversationView::leave() {
    QPointer<ConversationView> self(this);
    m_client.groups().leave(m_chatId, [self](client::Expected<void> r) {
        if (!self) return;
        if (!r) emit self->failed(r.error().message);
        else emit self->left();
    });
}

} // namespace natter::desktop
