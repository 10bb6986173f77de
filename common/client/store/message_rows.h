// Shared by the MessageStore translation units: the messages table's column list and the
// reader that turns one row of it into a MessageRecord.
#pragma once

#include "client/store/records.h"

namespace natter::client::store {

class Statement;

// Prefix of every SELECT returning whole messages; readMessage() expects this column order.
inline constexpr const char* kMessageColumns =
    "SELECT id, chat_id, message_id, client_msg_id, sender_id, sender_device, seq, timestamp, direction, kind, "
    "state, text, media_id, media_key, media_digest, media_mime, media_size, media_file_name, media_thumbnail, "
    "media_blob_path FROM messages ";

MessageRecord readMessage(const Statement& s);

} // namespace natter::client::store
