#include "client/messaging/new_chat.h"

#include "client/messaging/profile_names.h"
#include "client/store/group_store.h"
#include "client/store/profile_store.h"
#include "protocol/identifiers.h"

namespace natter::client {

Expected<ChatRecord> newChatRecord(store::ProfileStore& store, const QString& chatId, UserId self) {
    ChatRecord record;
    record.chatId = chatId;
    const std::string id = chatId.toStdString();
    if (!protocol::isGroupChatId(id)) {
        record.type = ChatType::direct;
        const auto pair = protocol::parseDirectChatId(id);
        record.peerId = !pair ? self : pair->first == self ? pair->second : pair->first; // self: the own chat
        record.title = knownNameOf(store, record.peerId).value_or(QStringLiteral("User %1").arg(record.peerId));
    } else {
        record.type = ChatType::group;
        auto group = store.groups().byId(chatId);
        if (!group) return group.error();
        record.title = *group && !(*group)->name.isEmpty() ? (*group)->name : QStringLiteral("Group");
    }
    return record;
}

} // namespace natter::client
