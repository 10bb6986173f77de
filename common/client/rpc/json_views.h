// The JSON shapes of the client's records, shared by the JSON-RPC API and the CLI's
// --json output (docs/rpc.md documents them): one place decides what a message looks like.
#pragma once

#include "client/store/message_store.h"
#include "client/store/records.h"

#include <QJsonArray>
#include <QJsonObject>

namespace natter::client::rpc {

QJsonObject toJson(const MessageRecord& message);
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
