#include "revocation_notice.h"

#include "backend.h"
#include "command_line.h"
#include "printer.h"

#include "client/client.h"
#include "client/store/chat_store.h"
#include "client/store/message_store.h"
#include "client/store/profile_store.h"

#include <QJsonArray>

namespace natter::cli {

namespace {

// "Register it again with: ... or link it from another device with: ..."
QString howToContinue(const Invocation& inv, const QString& phone) {
    const QString profile = QStringLiteral("natter --profile %1").arg(inv.profile);
    return QStringLiteral("Register it again with: %1 register %2\n"
                          "or link it from another device (run 'natter link' there) with: %1 link --code CODE")
        .arg(profile, phone.isEmpty() ? QStringLiteral("<phone>") : phone);
}

// The outgoing messages this process found queued and marked not sent, as {id, chat, text}.
QJsonArray unsentMessages(Backend* backend) {
    QJsonArray out;
    client::Client* c = backend ? backend->localClient() : nullptr;
    if (!c) return out;
    for (qint64 id : c->unsentAtRevocation()) {
        auto message = c->store().messages().byLocalId(id);
        if (!message || !*message) continue;
        const auto chat = c->chatInfo((*message)->chatId);
        out.append(QJsonObject{{"id", id},
                               {"chat", chat && !chat->title.isEmpty() ? chat->title : (*message)->chatId},
                               {"text", (*message)->media ? (*message)->media->fileName : (*message)->text}});
    }
    return out;
}

} // namespace

bool isRevokedEvent(const QJsonObject& event) {
    return event.value("type").toString() == QLatin1String("session_ended") && event.contains("revoked");
}

int reportRevoked(const Invocation& inv, Printer& printer, const client::ClientError& error, Backend* backend) {
    QString phone;
    QString reason = QStringLiteral("unlinked");
    QString message = error.message;
    if (backend) {
        if (auto me = backend->call(QStringLiteral("whoami"), {}); me && me->toObject().contains("revoked")) {
            const QJsonObject o = me->toObject();
            phone = o.value("phone").toString();
            reason = o.value("revoked").toString();
            message = o.value("revoked_message").toString(message);
        }
    }
    printer.revoked(message, reason, howToContinue(inv, phone), unsentMessages(backend));
    return Revoked;
}

} // namespace natter::cli
