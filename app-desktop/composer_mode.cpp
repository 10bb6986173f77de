// ComposerMode: reply and edit targets, and the core call that sends the composer's text.
#include "composer_mode.h"

#include "client/client.h"
#include "client/messaging/message_actions.h"

namespace natter::desktop {

using client::MessageDirection;
using client::MessageKind;

ComposerMode::ComposerMode(client::Client& client, QString chatId, QObject* parent)
    : QObject(parent), m_client(client), m_chatId(std::move(chatId)) {}

bool ComposerMode::target(qint64 localId, const QString& mode) {
    const auto m = m_client.messageInfo(localId);
    if (!m || m->chatId != m_chatId || m->messageId == 0 || m->deleted() ||
        (m->kind != MessageKind::text && m->kind != MessageKind::media))
        return false;
    m_mode = mode;
    m_target = localId;
    m_name = m->direction == MessageDirection::outgoing ? tr("You") : m_client.displayNameOf(m->senderId);
    m_snippet = client::MessageActions::snippetOf(*m);
    emit changed();
    return true;
}

bool ComposerMode::startReply(qint64 localId) { return target(localId, QStringLiteral("reply")); }

QString ComposerMode::startEdit(qint64 localId) {
    const auto m = m_client.messageInfo(localId);
    if (!m || m->direction != MessageDirection::outgoing || m->kind != MessageKind::text) {
        emit failed(tr("Only your own text messages can be edited."));
        return {};
    }
    if (!target(localId, QStringLiteral("edit"))) {
        emit failed(tr("This message cannot be edited."));
        return {};
    }
    return m->text;
}

void ComposerMode::cancel() {
    if (m_mode.isEmpty()) return;
    m_mode.clear();
    m_name.clear();
    m_snippet.clear();
    m_target = 0;
    emit changed();
}

bool ComposerMode::submit(const QString& text) {
    QString error;
    if (m_mode == QLatin1String("reply")) {
        if (auto r = m_client.reply(m_chatId, m_target, text); !r) error = r.error().message;
    } else if (m_mode == QLatin1String("edit")) {
        if (auto r = m_client.editMessage(m_target, text); !r) error = tr("Could not edit the message: %1").arg(r.error().message);
    } else if (auto r = m_client.sendText(m_chatId, text); !r) {
        error = r.error().message;
    }
    if (!error.isEmpty()) {
        emit failed(error);
        return false;
    }
    cancel();
    return true;
}

} // namespace natter::desktop
