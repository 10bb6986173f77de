// Representative instances of every frame and REST body, with optional fields both present
// and absent and values at the edges of their types, for round trip tests.
#pragma once

#include "protocol/base64.h"
#include "protocol/frames.h"
#include "protocol/rest.h"

#include <cstdint>
#include <limits>
#include <string>
#include <type_traits>
#include <vector>

namespace natter::protocol::test {

inline constexpr UserId kMaxUser = std::numeric_limits<UserId>::max();
inline constexpr DeviceId kMaxDevice = std::numeric_limits<DeviceId>::max();
inline constexpr std::uint64_t kMaxU64 = std::numeric_limits<std::uint64_t>::max();
inline constexpr TimestampMs kNow = 1732780800123;
inline constexpr TimestampMs kMinTime = std::numeric_limits<TimestampMs>::min();
inline constexpr TimestampMs kMaxTime = std::numeric_limits<TimestampMs>::max();

// Text that needs JSON escaping and multi-byte UTF-8.
inline const std::string kAwkwardText = "Zoë \"quoted\" \\ tab\t line\n \x01 \xF0\x9F\x98\x80";
// Ciphertext stand-in: every byte value, as the base64 the wire carries.
inline std::string binaryContent() {
    std::string bytes;
    for (int i = 0; i < 256; ++i) bytes.push_back(static_cast<char>(i));
    return base64::encode(bytes);
}

// ---- client frames ----
inline std::vector<SendMessage> samplesOf(std::type_identity<SendMessage>) {
    return {{"dm:1:2", "c-0001", {{2, 1, base64::encode("hello")}, {1, 2, binaryContent()}}},
            {"dm:1:18446744073709551615", std::string(64, 'x'), {{kMaxUser, kMaxDevice, "AA=="}}}};
}
inline std::vector<AckMessage> samplesOf(std::type_identity<AckMessage>) {
    return {{42, DeliveryStatus::delivered}, {kMaxU64, DeliveryStatus::read}};
}
inline std::vector<ReceiptAck> samplesOf(std::type_identity<ReceiptAck>) { return {{7}, {kMaxU64}}; }
inline std::vector<TypingNotice> samplesOf(std::type_identity<TypingNotice>) {
    return {{"dm:1:2", TypingState::start}, {"dm:1:2", TypingState::stop}};
}
inline std::vector<Ping> samplesOf(std::type_identity<Ping>) { return {{}}; }

// ---- server frames ----
inline std::vector<Welcome> samplesOf(std::type_identity<Welcome>) {
    return {{1, 1, 1, kNow, 15}, {kProtocolVersion, kMaxUser, kMaxDevice, kMaxTime, 1}};
}
inline std::vector<SentAck> samplesOf(std::type_identity<SentAck>) {
    return {{DeliveryStatus::sent, "c-0001", 1001, "dm:1:2", 1, kNow},
            {DeliveryStatus::sent, kAwkwardText, kMaxU64, "dm:1:2", kMaxU64, kMinTime}};
}
inline std::vector<MessageDelivery> samplesOf(std::type_identity<MessageDelivery>) {
    return {{"dm:1:2", 1001, 1, 1, 1, kNow, binaryContent(), "c-0001"},
            {"dm:1:2", kMaxU64, kMaxU64, 2, kMaxDevice, kMaxTime, "AA==", kAwkwardText}};
}
inline std::vector<ReceiptEvent> samplesOf(std::type_identity<ReceiptEvent>) {
    return {{5, "dm:1:2", 1001, 2, 1, DeliveryStatus::delivered, kNow},
            {kMaxU64, "dm:1:2", kMaxU64, kMaxUser, kMaxDevice, DeliveryStatus::read, kMinTime}};
}
inline std::vector<PresenceEvent> samplesOf(std::type_identity<PresenceEvent>) {
    return {{2, PresenceStatus::online, std::nullopt},
            {2, PresenceStatus::offline, kNow},
            {kMaxUser, PresenceStatus::offline, std::nullopt}};
}
inline std::vector<TypingEvent> samplesOf(std::type_identity<TypingEvent>) {
    return {{"dm:1:2", 1, 2, TypingState::start}, {"dm:1:2", kMaxUser, kMaxDevice, TypingState::stop}};
}
inline std::vector<Pong> samplesOf(std::type_identity<Pong>) { return {{kNow}, {kMinTime}}; }
inline std::vector<SyncComplete> samplesOf(std::type_identity<SyncComplete>) { return {{0}, {kMaxU64}}; }
inline std::vector<ErrorFrame> samplesOf(std::type_identity<ErrorFrame>) {
    return {{"device_mismatch", "envelopes must address exactly the chat's other devices", "c-0001",
             std::vector<DeviceAddress>{{2, 3}, {1, 2}}, std::vector<DeviceAddress>{{2, 1}}},
            {"invalid_field", kAwkwardText, std::nullopt, std::nullopt, std::nullopt},
            {"device_mismatch", "nothing extra", std::string{}, std::vector<DeviceAddress>{{kMaxUser, kMaxDevice}},
             std::vector<DeviceAddress>{}}};
}

// ---- REST bodies ----
inline std::vector<rest::RegisterRequest> samplesOf(std::type_identity<rest::RegisterRequest>) {
    return {{"+4915112345678"}, {"+1234567"}};
}
inline std::vector<rest::RegisterResponse> samplesOf(std::type_identity<rest::RegisterResponse>) {
    return {{}, {"code_sent", 1}};
}
inline std::vector<rest::VerifyRequest> samplesOf(std::type_identity<rest::VerifyRequest>) {
    return {{"+4915112345678", "123456", "laptop"}, {"+4915112345678", "123456", std::nullopt},
            {"+4915112345678", "000000", std::string{}}, {"+4915112345678", "1", kAwkwardText}};
}
inline std::vector<rest::VerifyResponse> samplesOf(std::type_identity<rest::VerifyResponse>) {
    return {{1, 1, "s3cr3t", "eyJhbGciOiJIUzI1NiJ9.e30.sig", 900, true},
            {kMaxUser, kMaxDevice, "another", "token", 0, false}};
}
inline std::vector<rest::TokenRequest> samplesOf(std::type_identity<rest::TokenRequest>) {
    return {{1, 2, "s3cr3t"}, {kMaxUser, kMaxDevice, ""}};
}
inline std::vector<rest::TokenResponse> samplesOf(std::type_identity<rest::TokenResponse>) {
    return {{"eyJhbGciOiJIUzI1NiJ9.e30.sig", 900}};
}
inline std::vector<rest::Profile> samplesOf(std::type_identity<rest::Profile>) {
    return {{1, "+4915112345678", "Alice", "Available"}, {2, std::nullopt, "", ""}, {kMaxUser, std::nullopt, kAwkwardText, kAwkwardText}};
}
inline std::vector<rest::ProfileUpdate> samplesOf(std::type_identity<rest::ProfileUpdate>) {
    return {{"Alice", "Busy"}, {std::nullopt, std::nullopt}, {std::string{}, std::nullopt}, {std::nullopt, kAwkwardText}};
}
inline std::vector<rest::ContactsLookupRequest> samplesOf(std::type_identity<rest::ContactsLookupRequest>) {
    return {{{"+4915112345678", "+14155550100"}}, {{}}};
}
inline std::vector<rest::RegisteredContact> samplesOf(std::type_identity<rest::RegisteredContact>) {
    return {{"+14155550100", 2, "Bob"}, {"+14155550101", kMaxUser, ""}};
}
inline std::vector<rest::ContactsLookupResponse> samplesOf(std::type_identity<rest::ContactsLookupResponse>) {
    return {{{{"+14155550100", 2, "Bob"}, {"+14155550101", 3, kAwkwardText}}}, {{}}};
}
inline std::vector<rest::ContactsAddRequest> samplesOf(std::type_identity<rest::ContactsAddRequest>) {
    return {{{2, 3, kMaxUser}}, {{}}};
}
inline std::vector<rest::ContactList> samplesOf(std::type_identity<rest::ContactList>) {
    return {{{{"+14155550100", 2, "Bob"}}}, {{}}};
}
inline std::vector<rest::PrivacySettings> samplesOf(std::type_identity<rest::PrivacySettings>) {
    return {{Visibility::everyone, Visibility::contacts, true},
            {Visibility::nobody, Visibility::nobody, false},
            {std::nullopt, std::nullopt, std::nullopt},
            {std::nullopt, Visibility::contacts, std::nullopt}};
}
inline std::vector<rest::PresenceInfo> samplesOf(std::type_identity<rest::PresenceInfo>) {
    return {{2, PresenceStatus::online, std::nullopt}, {2, PresenceStatus::offline, kNow},
            {2, std::nullopt, std::nullopt}, {kMaxUser, std::nullopt, kMinTime}};
}
inline std::vector<rest::RecipientStatus> samplesOf(std::type_identity<rest::RecipientStatus>) {
    return {{2, DeliveryStatus::sent, std::nullopt, std::nullopt},
            {2, DeliveryStatus::delivered, kNow, std::nullopt},
            {kMaxUser, DeliveryStatus::read, kNow, kMaxTime}};
}
inline std::vector<rest::MessageReceipts> samplesOf(std::type_identity<rest::MessageReceipts>) {
    return {{1001, "dm:1:2", {{2, DeliveryStatus::read, kNow, kNow + 5}, {3, DeliveryStatus::sent, std::nullopt, std::nullopt}}},
            {kMaxU64, "dm:1:2", {}}};
}
inline std::vector<rest::DeviceInfo> samplesOf(std::type_identity<rest::DeviceInfo>) {
    return {{1, "phone", kNow}, {kMaxDevice, kAwkwardText, kMinTime}};
}
inline std::vector<rest::DeviceList> samplesOf(std::type_identity<rest::DeviceList>) {
    return {{2, {{1, "phone", kNow}, {2, "laptop", kNow + 1}}}, {kMaxUser, {}}};
}
inline std::vector<rest::ErrorBody> samplesOf(std::type_identity<rest::ErrorBody>) {
    return {{"not_found", "no user 99"}, {"internal", kAwkwardText}};
}
inline std::vector<rest::Health> samplesOf(std::type_identity<rest::Health>) { return {{}, {"ok", 7}}; }

// The samples of T; a type without samplesOf does not compile, so nothing escapes the round trip.
template <class T>
std::vector<T> samples() {
    return samplesOf(std::type_identity<T>{});
}

} // namespace natter::protocol::test
