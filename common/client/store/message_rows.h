// Shared by the MessageStore translation units: the messages table's column list and the
// reader that turns one row of it into a MessageRecord.
#pragma once

#include "client/core/result.h"
#include "client/store/records.h"

#include <vector>

namespace natter::client::store {

class Statement;

// Prefix of every SELECT returning whole messages; readMessage() expects this column order.
inline constexpr const char* kMessageColumns =
    "SELECT id, chat_id, message_id, client_msg_id, sender_id, sender_device, seq, timestamp, direction, kind, "
    "state, text, media_id, media_key, media_digest, media_mime, media_size, media_file_name, media_thumbnail, "
    "media_blob_path, quote_message_id, quote_sender_id, quote_snippet, edited_at, deleted_at, "
    "(SELECT q.deleted_at <> 0 FROM messages q WHERE q.message_id = messages.quote_message_id "
    "AND messages.quote_message_id <> 0), forwarded, expire_timer, mentions_me FROM messages ";

class Database;

MessageRecord readMessage(const Statement& s);
// Every remaining row of `s` (a kMessageColumns select), without reactions.
Expected<std::vector<MessageRecord>> readMessages(Statement& s);
// Fills each message's reactions (message_actions_store.cpp).
Expected<void> attachReactions(Database& db, std::vector<MessageRecord>& messages);

} // namespace natter::client::store
