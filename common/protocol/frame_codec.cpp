#include "protocol/frame_codec.h"

#include "protocol/base64.h"
#include "protocol/identifiers.h"
#include "protocol/limits.h"

#include <boost/mp11/algorithm.hpp>

#include <set>

namespace natter::protocol {
namespace {

std::optional<Error> checkText(std::string_view field, const std::string& value, std::size_t maxBytes,
                               bool allowEmpty) {
    if (!allowEmpty && value.empty())
        return makeError(ErrorCode::InvalidField, "field '" + std::string(field) + "' must not be empty");
    if (value.size() > maxBytes)
        return makeError(ErrorCode::InvalidField, "field '" + std::string(field) + "' is longer than " +
                                                      std::to_string(maxBytes) + " bytes");
    if (!isValidUtf8(value))
        return makeError(ErrorCode::InvalidField, "field '" + std::string(field) + "' is not valid UTF-8");
    return std::nullopt;
}

std::optional<Error> checkPhone(std::string_view field, const std::string& phone) {
    if (!isE164(phone))
        return makeError(ErrorCode::InvalidField,
                         "field '" + std::string(field) + "' must be an E.164 number like +4915112345678");
    return std::nullopt;
}

// At most maxBytes of text, cut before a character rather than inside one, so an error
// frame echoing it as "ref" stays valid UTF-8.
std::string truncateUtf8(std::string_view text, std::size_t maxBytes) {
    if (text.size() <= maxBytes) return std::string(text);
    std::size_t cut = maxBytes;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
    return std::string(text.substr(0, cut));
}

std::optional<Error> checkBase64(std::string_view field, const std::string& value, std::size_t maxBytes) {
    if (value.empty() || value.size() > maxBytes || !base64::isValid(value))
        return makeError(ErrorCode::InvalidField, "field '" + std::string(field) + "' must be non-empty base64 of at most " +
                                                      std::to_string(maxBytes) + " characters");
    return std::nullopt;
}

std::optional<Error> checkPreKeys(const std::vector<rest::OneTimePreKey>& keys) {
    if (keys.size() > limits::kMaxPreKeysPerUpload)
        return makeError(ErrorCode::InvalidField, "field 'one_time_prekeys' holds more than " +
                                                      std::to_string(limits::kMaxPreKeysPerUpload));
    std::set<std::uint32_t> ids;
    for (std::size_t i = 0; i < keys.size(); ++i) {
        const std::string where = "one_time_prekeys[" + std::to_string(i) + "]";
        if (!ids.insert(keys[i].key_id).second)
            return makeError(ErrorCode::InvalidField, "field '" + where + ".key_id' repeats another key's id");
        if (auto e = checkBase64(where + ".public_key", keys[i].public_key, limits::kMaxKeyBytes)) return e;
    }
    return std::nullopt;
}

template <class Variant>
Result<Variant> decodeVariant(const boost::json::object& obj, std::string_view type) {
    std::optional<Result<Variant>> out;
    boost::mp11::mp_for_each<boost::mp11::mp_iota_c<std::variant_size_v<Variant>>>([&](auto I) {
        using Frame = std::variant_alternative_t<I, Variant>;
        if (out || Frame::kType != type) return;
        Frame frame{};
        if (auto err = json_codec::decodeStruct(obj, frame, "")) {
            out = *err;
            return;
        }
        if (auto err = validate(frame)) {
            out = *err;
            return;
        }
        out = Variant{std::move(frame)};
    });
    if (!out) {
        // The type is the client's text: quote only its start, so the answer stays small.
        constexpr std::size_t kQuoted = 32;
        const std::string quoted = truncateUtf8(type, kQuoted);
        return makeError(ErrorCode::UnknownType,
                         "unknown frame type '" + quoted + (quoted.size() < type.size() ? "...'" : "'"));
    }
    return std::move(*out);
}

template <class Variant>
Result<Variant> parseFrame(std::string_view text, std::string* ref) {
    if (text.size() > limits::kMaxFrameBytes)
        return makeError(ErrorCode::PayloadTooLarge,
                         "frame exceeds " + std::to_string(limits::kMaxFrameBytes) + " bytes");
    auto obj = parseObject(text);
    if (!obj) return obj.error();
    if (ref) {
        // Whatever is echoed as "ref" is cut to a bounded length: an error answer must not
        // cost the server more memory than the request's limits allow.
        if (const auto* id = obj->if_contains("id"); id && id->is_string()) {
            const std::string_view text(id->get_string());
            *ref = truncateUtf8(text, limits::kMaxRequestIdBytes);
            if (text.size() > limits::kMaxRequestIdBytes)
                return makeError(ErrorCode::InvalidField, "field 'id' is longer than " +
                                                              std::to_string(limits::kMaxRequestIdBytes) + " bytes");
        } else if (const auto* cid = obj->if_contains("client_msg_id"); cid && cid->is_string()) {
            *ref = truncateUtf8(std::string_view(cid->get_string()), limits::kMaxClientMsgIdBytes);
        }
    }
    const auto* type = obj->if_contains("type");
    if (!type) return makeError(ErrorCode::InvalidField, "missing field 'type'");
    if (!type->is_string()) return json_codec::fieldError("type", "a string");
    return decodeVariant<Variant>(*obj, std::string_view(type->get_string()));
}

} // namespace

Result<boost::json::object> parseObject(std::string_view text) {
    boost::json::parse_options opts;
    opts.max_depth = limits::kMaxJsonDepth;
    boost::system::error_code ec;
    auto value = boost::json::parse(boost::json::string_view(text.data(), text.size()), ec, {}, opts);
    if (ec) return makeError(ErrorCode::MalformedJson, "invalid JSON: " + ec.message());
    if (!value.is_object()) return makeError(ErrorCode::MalformedJson, "expected a JSON object");
    return std::move(value.get_object());
}

Result<ClientFrame> parseClientFrame(std::string_view text, std::string& ref) {
    return parseFrame<ClientFrame>(text, &ref);
}

Result<ServerFrame> parseServerFrame(std::string_view text) { return parseFrame<ServerFrame>(text, nullptr); }

std::optional<Error> validate(const SendMessage& m) {
    if (auto e = checkText("chat_id", m.chat_id, limits::kMaxChatIdBytes, false)) return e;
    if (auto e = checkText("client_msg_id", m.client_msg_id, limits::kMaxClientMsgIdBytes, false)) return e;
    if (m.content) {
        if (!m.envelopes.empty())
            return makeError(ErrorCode::InvalidField, "a message has either 'envelopes' (1:1) or 'content' (group), not both");
        if (m.content->empty() || !base64::isValid(*m.content))
            return makeError(ErrorCode::InvalidField, "field 'content' must be non-empty base64");
        if (m.devices_hash) return checkBase64("devices_hash", *m.devices_hash, limits::kMaxKeyBytes);
        return std::nullopt;
    }
    if (m.devices_hash)
        return makeError(ErrorCode::InvalidField, "field 'devices_hash' belongs to group messages only");
    if (m.envelopes.empty())
        return makeError(ErrorCode::InvalidField,
                         "field 'envelopes' must hold at least one envelope (or send 'content' to a group)");
    if (m.envelopes.size() > limits::kMaxEnvelopes)
        return makeError(ErrorCode::InvalidField,
                         "field 'envelopes' holds more than " + std::to_string(limits::kMaxEnvelopes));
    std::set<std::pair<UserId, DeviceId>> seen;
    for (std::size_t i = 0; i < m.envelopes.size(); ++i) {
        const auto& env = m.envelopes[i];
        const std::string where = "envelopes[" + std::to_string(i) + "]";
        if (env.user_id == 0 || env.device_id == 0)
            return makeError(ErrorCode::InvalidField, "field '" + where + "' must address a user and device (ids start at 1)");
        if (!seen.emplace(env.user_id, env.device_id).second)
            return makeError(ErrorCode::InvalidField, "field '" + where + "' addresses a device twice");
        if (env.content.empty() || !base64::isValid(env.content))
            return makeError(ErrorCode::InvalidField, "field '" + where + ".content' must be non-empty base64");
    }
    return std::nullopt;
}

std::optional<Error> validate(const AckMessage& m) {
    if (m.status == DeliveryStatus::sent)
        return makeError(ErrorCode::InvalidField, "field 'status' must be one of: delivered read");
    if (m.message_id == 0) return makeError(ErrorCode::InvalidField, "field 'message_id' must be positive");
    return std::nullopt;
}

std::optional<Error> validate(const TypingNotice& m) {
    return checkText("chat_id", m.chat_id, limits::kMaxChatIdBytes, false);
}

std::optional<Error> validate(const rest::RegisterRequest& r) { return checkPhone("phone", r.phone); }

std::optional<Error> validate(const rest::VerifyRequest& r) {
    if (auto e = checkPhone("phone", r.phone)) return e;
    if (auto e = checkText("code", r.code, 32, false)) return e;
    if (r.device_name) return checkText("device_name", *r.device_name, limits::kMaxDeviceNameBytes, true);
    return std::nullopt;
}

std::optional<Error> validate(const rest::ProfileUpdate& r) {
    if (r.display_name)
        if (auto e = checkText("display_name", *r.display_name, limits::kMaxDisplayNameBytes, true)) return e;
    if (r.status_text)
        if (auto e = checkText("status_text", *r.status_text, limits::kMaxStatusTextBytes, true)) return e;
    return std::nullopt;
}

std::optional<Error> validate(const rest::ContactsLookupRequest& r) {
    if (r.phones.size() > limits::kMaxLookupPhones)
        return makeError(ErrorCode::InvalidField,
                         "field 'phones' holds more than " + std::to_string(limits::kMaxLookupPhones));
    for (std::size_t i = 0; i < r.phones.size(); ++i)
        if (auto e = checkPhone("phones[" + std::to_string(i) + "]", r.phones[i])) return e;
    return std::nullopt;
}

std::optional<Error> validate(const rest::ContactsAddRequest& r) {
    if (r.user_ids.size() > limits::kMaxContactsPerRequest)
        return makeError(ErrorCode::InvalidField, "field 'user_ids' holds more than " +
                                                      std::to_string(limits::kMaxContactsPerRequest));
    return std::nullopt;
}

std::optional<Error> validate(const rest::CreateGroupRequest& r) {
    if (auto e = checkBase64("name", r.name, limits::kMaxGroupFieldBytes)) return e;
    if (r.description)
        if (auto e = checkBase64("description", *r.description, limits::kMaxGroupFieldBytes)) return e;
    if (r.avatar)
        if (auto e = checkBase64("avatar", *r.avatar, limits::kMaxGroupFieldBytes)) return e;
    if (r.participants.size() > limits::kMaxContactsPerRequest)
        return makeError(ErrorCode::InvalidField, "field 'participants' holds too many users");
    return std::nullopt;
}

std::optional<Error> validate(const rest::GroupUpdate& r) {
    if (r.name)
        if (auto e = checkBase64("name", *r.name, limits::kMaxGroupFieldBytes)) return e;
    if (r.description)
        if (auto e = checkBase64("description", *r.description, limits::kMaxGroupFieldBytes)) return e;
    if (r.avatar)
        if (auto e = checkBase64("avatar", *r.avatar, limits::kMaxGroupFieldBytes)) return e;
    return std::nullopt;
}

std::optional<Error> validate(const rest::KeysUpload& r) {
    if (auto e = checkBase64("identity_key", r.identity_key, limits::kMaxKeyBytes)) return e;
    if (auto e = checkBase64("signed_prekey.public_key", r.signed_prekey.public_key, limits::kMaxKeyBytes)) return e;
    if (auto e = checkBase64("signed_prekey.signature", r.signed_prekey.signature, limits::kMaxKeyBytes)) return e;
    return checkPreKeys(r.one_time_prekeys);
}

std::optional<Error> validate(const rest::OneTimePreKeysUpload& r) {
    if (r.one_time_prekeys.empty())
        return makeError(ErrorCode::InvalidField, "field 'one_time_prekeys' must hold at least one key");
    return checkPreKeys(r.one_time_prekeys);
}

std::optional<Error> validate(const rest::SignedPreKey& r) {
    if (auto e = checkBase64("public_key", r.public_key, limits::kMaxKeyBytes)) return e;
    return checkBase64("signature", r.signature, limits::kMaxKeyBytes);
}

std::optional<Error> validate(const ReceiptAck& m) {
    if (m.receipt_id == 0) return makeError(ErrorCode::InvalidField, "field 'receipt_id' must be positive");
    return std::nullopt;
}

std::optional<Error> validate(const EventAck& m) {
    if (m.event_id == 0) return makeError(ErrorCode::InvalidField, "field 'event_id' must be positive");
    return std::nullopt;
}

std::optional<Error> validate(const rest::SignedDeviceList& r) {
    if (r.user_id == 0) return makeError(ErrorCode::InvalidField, "field 'user_id' must be positive");
    if (r.version == 0) return makeError(ErrorCode::InvalidField, "field 'version' must be positive");
    if (auto e = checkBase64("identity_key", r.identity_key, limits::kMaxKeyBytes)) return e;
    if (auto e = checkBase64("signature", r.signature, limits::kMaxKeyBytes)) return e;
    if (r.devices.empty() || r.devices.size() > limits::kMaxDevicesInList)
        return makeError(ErrorCode::InvalidField, "field 'devices' must hold 1 to " +
                                                      std::to_string(limits::kMaxDevicesInList) + " device ids");
    for (std::size_t i = 0; i < r.devices.size(); ++i)
        if (r.devices[i] == 0 || (i > 0 && r.devices[i] <= r.devices[i - 1]))
            return makeError(ErrorCode::InvalidField, "field 'devices' must hold positive device ids in ascending order");
    return std::nullopt;
}

std::optional<Error> validate(const rest::LinkCodeRequest& r) {
    return checkBase64("provision", r.provision, limits::kMaxProvisionBytes);
}

std::optional<Error> validate(const rest::LinkRequest& r) {
    if (auto e = checkText("code", r.code, 64, false)) return e;
    if (r.device_name) return checkText("device_name", *r.device_name, limits::kMaxDeviceNameBytes, true);
    return std::nullopt;
}

} // namespace natter::protocol
