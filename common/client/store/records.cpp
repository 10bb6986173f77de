#include "client/store/records.h"

namespace natter::client {

QString stateName(MessageState state) {
    switch (state) {
    case MessageState::pending: return QStringLiteral("pending");
    case MessageState::sent: return QStringLiteral("sent");
    case MessageState::delivered: return QStringLiteral("delivered");
    case MessageState::read: return QStringLiteral("read");
    case MessageState::failed: return QStringLiteral("failed");
    }
    return {};
}

QString kindName(MessageKind kind) {
    switch (kind) {
    case MessageKind::text: return QStringLiteral("text");
    case MessageKind::media: return QStringLiteral("media");
    case MessageKind::system: return QStringLiteral("system");
    case MessageKind::undecryptable: return QStringLiteral("undecryptable");
    }
    return {};
}

} // namespace natter::client
