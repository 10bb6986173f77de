// Parsing and serialising frames and REST bodies: the only way protocol JSON is read or
// written. Parsing validates everything a server or client must check before acting.
#pragma once

#include "protocol/error.h"
#include "protocol/frames.h"
#include "protocol/json_codec.h"
#include "protocol/rest.h"
#include "protocol/rest_chats.h"
#include "protocol/rest_groups.h"
#include "protocol/rest_keys.h"

#include <boost/json.hpp>

#include <string>
#include <string_view>

namespace natter::protocol {

// Parses one client->server text frame. `ref` receives the frame's "id" (or, for messages,
// its client_msg_id) whenever it could be read, so errors can point at the request; it is cut
// to limits::kMaxRequestIdBytes (kMaxClientMsgIdBytes), and a longer "id" refuses the frame.
Result<ClientFrame> parseClientFrame(std::string_view text, std::string& ref);

// Parses one server->client text frame (used by clients and tests).
Result<ServerFrame> parseServerFrame(std::string_view text);

// Rules beyond types (lengths, formats, UTF-8, base64); nullopt when valid.
std::optional<Error> validate(const SendMessage& m);
std::optional<Error> validate(const AckMessage& m);
std::optional<Error> validate(const TypingNotice& m);
std::optional<Error> validate(const rest::RegisterRequest& r);
std::optional<Error> validate(const rest::VerifyRequest& r);
std::optional<Error> validate(const rest::ProfileUpdate& r);
std::optional<Error> validate(const rest::ContactsLookupRequest& r);
std::optional<Error> validate(const rest::ContactsAddRequest& r);
std::optional<Error> validate(const rest::CreateGroupRequest& r);
std::optional<Error> validate(const rest::GroupUpdate& r);
std::optional<Error> validate(const rest::KeysUpload& r);
std::optional<Error> validate(const rest::OneTimePreKeysUpload& r);
std::optional<Error> validate(const rest::LinkRequest& r);
std::optional<Error> validate(const rest::LinkCodeRequest& r);
std::optional<Error> validate(const rest::SignedDeviceList& r);
std::optional<Error> validate(const rest::SignedPreKey& r);
std::optional<Error> validate(const ReceiptAck& m);
std::optional<Error> validate(const EventAck& m);
template <class T>
std::optional<Error> validate(const T&) { return std::nullopt; }

// Parses a JSON document that must be an object (depth and size limited).
Result<boost::json::object> parseObject(std::string_view text);

// Serialises a frame: {"type": ..., fields...}; absent optionals are omitted.
template <class Frame>
std::string serializeFrame(const Frame& frame) {
    boost::json::object obj;
    obj["type"] = boost::json::string_view(Frame::kType.data(), Frame::kType.size());
    json_codec::encodeStructInto(frame, obj);
    return boost::json::serialize(obj);
}

// Serialises a REST body.
template <class Body>
std::string serializeBody(const Body& body) {
    return boost::json::serialize(json_codec::encode(body));
}

// Parses and validates a REST body.
template <class Body>
Result<Body> parseBody(std::string_view text) {
    auto obj = parseObject(text);
    if (!obj) return obj.error();
    Body body{};
    if (auto err = json_codec::decodeStruct(*obj, body, "")) return *err;
    if (auto err = validate(body)) return *err;
    return body;
}

} // namespace natter::protocol
