// The JSON shapes of the client's records, shared by the JSON-RPC API and the CLI's
// --json output (docs/rpc.md documents them): one place decides what a message looks like.
#pragma once

#include "client/store/message_store.h"
#include "client/store/records.h"

#include <QJsonArray>
#include <QJsonObject>

#include <functional>

namespace natter::client::rpc {

// A time as every result gives it: ISO 8601 UTC with milliseconds.
QString isoTime(TimestampMs ms);
QJsonObject toJson(const MessageRecord& message);
// The same with the names of the people in it: `sender`, the quote's `sender`, each
// reaction's `name` (nameOf: a user id -> the name this device shows for them).
QJsonObject toJson(const MessageRecord& message, const std::function<QString(UserId)>& nameOf);
QJsonObject toJson(const ChatRecord& chat);
QJsonObject toJson(const ContactRecord& contact);
QJsonObject toJson(const GroupRecord& group);
QJsonObject toJson(const store::SearchHit& hit);

template <class Range>
QJsonArray toJsonArray(const Range& items) {
    QJsonArray out;
    for (const auto& item : items) out.append(toJson(item));
    return out;
}

} // namespace natter::client::rpc
