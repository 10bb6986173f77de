// MessageMenu: the message menu's checks and its actions over the client core.
#include "message_menu.h"

#include "formatting.h"

#include "client/client.h"
#include "client/models/chat_list_model.h"
#include "protocol/limits.h"

#include <QDateTime>

#include <algorithm>

namespace natter::desktop {

using client::MessageDirection;
using client::MessageKind;
using client::MessageState;

MessageMenu::MessageMenu(client::Client& client, QString chatId, QObject* parent)
    : QObject(parent), m_client(client), m_chatId(std::move(chatId)) {
    connect(&client, &client::Client::messageUpdated, this, [this](qint64 localId, const QString& chat) {
        if (chat == m_chatId) emit messageChanged(localId);
    });
}

QVariantMap MessageMenu::options(qint64 localId) const {
    QVariantMap out{{"canReply", false}, {"canReact", false}, {"canCopy", false}, {"canEdit", false},
                    {"canDeleteForEveryone", false}, {"canDeleteForMe", false}, {"canForward", false},
                    {"canInfo", false}, {"myReaction", QString()}};
    const auto m = m_client.messageInfo(localId);
    if (!m || m->chatId != m_chatId) return out;
    const bool content = m->kind == MessageKind::text || m->kind == MessageKind::media;
    const bool own = m->direction == MessageDirection::outgoing;
    const bool sent = m->messageId != 0 && !m->deleted();
    const qint64 age = QDateTime::currentMSecsSinceEpoch() - m->timestamp;
    const auto within = [age](std::uint64_t windowS) { return age <= qint64(windowS) * 1000; };
    const bool uploaded = !m->media || !m->media->mediaId.isEmpty();
    out["canReply"] = content && sent;
    out["canReact"] = content && sent;
    out["canCopy"] = content && !m->deleted() && !m->text.isEmpty();
    out["canEdit"] = own && sent && m->kind == MessageKind::text && within(protocol::limits::kEditWindowS);
    out["canDeleteForEveryone"] = own && content && sent && within(protocol::limits::kDeleteForEveryoneWindowS);
    out["canDeleteForMe"] = !(own && m->state == MessageState::pending);
    out["canForward"] = content && sent && uploaded;
    out["canInfo"] = own && content && m->messageId != 0;
    for (const auto& r : m->reactions)
        if (r.reactorId == m_client.account().userId) out["myReaction"] = r.emoji;
    return out;
}

QStringList MessageMenu::quickReactions() const {
    return {QStringLiteral("👍"), QStringLiteral("❤️"), QStringLiteral("😂"), QStringLiteral("😮"), QStringLiteral("😢"),
            QStringLiteral("🙏")};
}

bool MessageMenu::react(qint64 localId, const QString& emoji) {
    if (auto r = m_client.react(localId, emoji); !r) {
        emit failed(tr("Could not react: %1").arg(r.error().message));
        return false;
    }
    return true;
}

bool MessageMenu::deleteForMe(qint64 localId) {
    if (auto r = m_client.deleteMessage(localId, false); !r) {
        emit failed(tr("Could not delete the message: %1").arg(r.error().message));
        return false;
    }
    return true;
}

bool MessageMenu::deleteForEveryone(qint64 localId) {
    if (auto r = m_client.deleteMessage(localId, true); !r) {
        emit failed(tr("Could not delete the message for everyone: %1").arg(r.error().message));
        return false;
    }
    return true;
}

QVariantList MessageMenu::forwardTargets() const {
    QVariantList out;
    auto* chats = m_client.chatList();
    for (int row = 0; row < chats->rowCount(); ++row) {
        const QModelIndex i = chats->index(row, 0);
        const QString chatId = i.data(client::ChatListModel::ChatIdRole).toString();
        if (chatId == m_chatId) continue;
        out << QVariantMap{{"chatId", chatId},
                           {"title", i.data(client::ChatListModel::TitleRole).toString()},
                           {"isGroup", i.data(client::ChatListModel::IsGroupRole).toBool()}};
    }
    return out;
}

bool MessageMenu::forward(qint64 localId, const QStringList& chatIds) {
    if (chatIds.isEmpty()) return false;
    if (auto r = m_client.forward(localId, chatIds); !r) {
        emit failed(tr("Could not forward the message: %1").arg(r.error().message));
        return false;
    }
    emit notice(chatIds.size() == 1 ? tr("Forwarded") : tr("Forwarded to %n chats", nullptr, int(chatIds.size())));
    return true;
}

QVariantList MessageMenu::info(qint64 localId) {
    const auto message = m_client.messageInfo(localId);
    if (!message || message->chatId != m_chatId) return {};
    auto receipts = m_client.receipts(localId);
    if (!receipts) {
        emit failed(receipts.error().message);
        return {};
    }
    std::vector<client::UserId> members;
    if (auto group = m_client.groupInfo(m_chatId)) {
        for (const auto& member : group->members)
            if (member.userId != m_client.account().userId) members.push_back(member.userId);
    } else if (auto chat = m_client.chatInfo(m_chatId); chat && chat->peerId) {
        members.push_back(chat->peerId);
    }
    for (const auto& r : *receipts)
        if (std::find(members.begin(), members.end(), r.userId) == members.end()) members.push_back(r.userId);
    const QDateTime now = QDateTime::currentDateTime();
    QVariantList out;
    for (const auto user : members) {
        const auto r = std::find_if(receipts->begin(), receipts->end(), [user](const auto& x) { return x.userId == user; });
        const bool known = r != receipts->end() && r->status != protocol::DeliveryStatus::sent;
        const bool read = known && r->status == protocol::DeliveryStatus::read;
        out << QVariantMap{{"name", m_client.displayNameOf(user)},
                           {"status", read ? tr("Read") : (known ? tr("Delivered") : tr("Sent"))},
                           {"time", known ? chatListTime(QDateTime::fromMSecsSinceEpoch(r->at), now) : QString()}};
    }
    std::sort(out.begin(), out.end(), [](const QVariant& a, const QVariant& b) {
        return a.toMap().value("name").toString().localeAwareCompare(b.toMap().value("name").toString()) < 0;
    });
    return out;
}

} // namespace natter::desktop
