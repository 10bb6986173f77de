// The local record of a chat this device has not stored yet: 1:1 or group from its id, titled
// with the contact's name (or phone), else the name the user chose, else "User N"; or the
// group's name (or "Group"). Shared by the inbox, account sync and history transfer, which each
// meet chats for the first time.
#pragma once

#include "client/core/result.h"
#include "client/store/records.h"

#include <QString>

namespace natter::client {

namespace store { class ProfileStore; }

Expected<ChatRecord> newChatRecord(store::ProfileStore& store, const QString& chatId, UserId self);

} // namespace natter::client
