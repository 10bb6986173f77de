// Representative instances of every frame and REST body, with optional fields both present
// and absent and values at the edges of their types, for round trip tests.
#pragma once

#include "protocol/base64.h"
#include "protocol/e2e.h"
#include "protocol/frames.h"
#include "protocol/rest.h"
#include "protocol/rest_chats.h"
#include "protocol/rest_groups.h"
#include "protocol/rest_keys.h"

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
    return {{"dm:1:2", "c-0001", {{2, 1, base64::encode("hello")}, {1, 2, binaryContent()}}, std::nullopt},
            {"dm:1:18446744073709551615", std::string(64, 'x'), {{kMaxUser, kMaxDevice, "AA=="}}, std::nullopt},
            {"g:AbCdEfGhIjKlMnOpQrStUv", "c-0002", {}, binaryContent(), std::nullopt},
            {"g:AbCdEfGhIjKlMnOpQrStUv", "c-0003", {}, binaryContent(), "3q2+7wABAgMEBQYHCAkKCw=="}};
}
inline std::vector<AckMessage> samplesOf(std::type_identity<AckMessage>) {
    return {{42, DeliveryStatus::delivered}, {kMaxU64, DeliveryStatus::read}};
}
inline std::vector<ReceiptAck> samplesOf(std::type_identity<ReceiptAck>) { return {{7}, {kMaxU64}}; }
inline std::vector<TypingNotice> samplesOf(std::type_identity<TypingNotice>) {
    return {{"dm:1:2", TypingState::start}, {"dm:1:2", TypingState::stop}};
}
inline std::vector<Ping> samplesOf(std::type_identity<Ping>) { return {{}}; }
inline std::vector<EventAck> samplesOf(std::type_identity<EventAck>) { return {{9}, {kMaxU64}}; }

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
inline std::vector<GroupEvent> samplesOf(std::type_identity<GroupEvent>) {
    return {{"g:AbCdEfGhIjKlMnOpQrStUv", 1002, 1, 1, kNow, GroupEventKind::created, {1, 2, 3}},
            {"g:AbCdEfGhIjKlMnOpQrStUv", kMaxU64, kMaxU64, kMaxUser, kMinTime, GroupEventKind::updated, {}},
            {"g:x", 7, 4, 2, kNow, GroupEventKind::left, {2}}};
}
inline std::vector<IdentityChanged> samplesOf(std::type_identity<IdentityChanged>) {
    return {{11, 2, 1, kNow}, {kMaxU64, kMaxUser, kMaxDevice, kMinTime}};
}
inline std::vector<PrekeysLow> samplesOf(std::type_identity<PrekeysLow>) {
    return {{3, 10, std::nullopt}, {0, kMaxU64, std::nullopt}, {12, 10, true}, {0, 10, false}};
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
inline std::vector<BlocksChanged> samplesOf(std::type_identity<BlocksChanged>) { return {{}}; }
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
    return {{1, 1, "s3cr3t", "eyJhbGciOiJIUzI1NiJ9.e30.sig", 900, true, std::nullopt},
            {kMaxUser, kMaxDevice, "another", "token", 0, false, "c2VhbGVk"}};
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
inline std::vector<rest::SignedDeviceList> samplesOf(std::type_identity<rest::SignedDeviceList>) {
    return {{2, 3, "BQ==", {1, 2}, "c2ln"}, {kMaxUser, kMaxU64, std::string(256, 'A'), {1, kMaxDevice}, "AA=="}};
}
inline std::vector<rest::DeviceList> samplesOf(std::type_identity<rest::DeviceList>) {
    return {{2, {{1, "phone", kNow}, {2, "laptop", kNow + 1}}, rest::SignedDeviceList{2, 3, "BQ==", {1, 2}, "c2ln"}},
            {kMaxUser, {}, std::nullopt}};
}
inline std::vector<rest::ErrorBody> samplesOf(std::type_identity<rest::ErrorBody>) {
    return {{"not_found", "no user 99"}, {"internal", kAwkwardText}};
}
inline std::vector<rest::Health> samplesOf(std::type_identity<rest::Health>) { return {{}, {"ok", 7}}; }
inline std::vector<rest::MediaUploaded> samplesOf(std::type_identity<rest::MediaUploaded>) {
    return {{"q2hM4w1V0l8xYf3nJd7Kc5Rz-PqT6uWsA9bE_yGoLiN", 1, kNow}, {std::string(43, '_'), kMaxU64, kMaxTime}};
}
inline std::vector<rest::BlockList> samplesOf(std::type_identity<rest::BlockList>) {
    return {{{}}, {{2, 3}}, {{kMaxUser}}};
}
inline std::vector<rest::PushRegistration> samplesOf(std::type_identity<rest::PushRegistration>) {
    return {{"https://push.example.org/up/AbC123?x=1"}, {"http://[::1]:8080/" + std::string(2000, 'p')}};
}
inline std::vector<rest::PushWakeUp> samplesOf(std::type_identity<rest::PushWakeUp>) {
    return {{"dm:1:2", 1}, {"dm:1:18446744073709551615", kMaxU64}};
}

// ---- groups, keys, chats ----
inline std::vector<rest::CreateGroupRequest> samplesOf(std::type_identity<rest::CreateGroupRequest>) {
    return {{base64::encode("Family"), base64::encode("our group"), binaryContent(), {2, 3}},
            {"AA==", std::nullopt, std::nullopt, {}}};
}
inline std::vector<rest::GroupMember> samplesOf(std::type_identity<rest::GroupMember>) {
    return {{1, GroupRole::admin}, {kMaxUser, GroupRole::member}};
}
inline std::vector<rest::GroupInfo> samplesOf(std::type_identity<rest::GroupInfo>) {
    return {{"g:AbCdEfGhIjKlMnOpQrStUv", base64::encode("Family"), std::nullopt, binaryContent(), false,
             {{1, GroupRole::admin}, {2, GroupRole::member}}, kNow},
            {"g:x", "AA==", "AA==", std::nullopt, true, {}, kMinTime}};
}
inline std::vector<rest::GroupUpdate> samplesOf(std::type_identity<rest::GroupUpdate>) {
    return {{base64::encode("New name"), std::nullopt, std::nullopt, std::nullopt},
            {std::nullopt, std::nullopt, std::nullopt, true},
            {"AA==", "AA==", "AA==", false}};
}
inline std::vector<rest::AddMembersRequest> samplesOf(std::type_identity<rest::AddMembersRequest>) {
    return {{{4, 5}}, {{kMaxUser}}};
}
inline std::vector<rest::RoleUpdate> samplesOf(std::type_identity<rest::RoleUpdate>) {
    return {{GroupRole::admin}, {GroupRole::member}};
}
inline std::vector<rest::SignedPreKey> samplesOf(std::type_identity<rest::SignedPreKey>) {
    return {{1, "BQ==", "c2ln"}, {std::numeric_limits<std::uint32_t>::max(), std::string(256, 'A'), "c2ln"}};
}
inline std::vector<rest::OneTimePreKey> samplesOf(std::type_identity<rest::OneTimePreKey>) {
    return {{100, "BQ=="}, {std::numeric_limits<std::uint32_t>::max(), std::string(256, 'A')}};
}
inline std::vector<rest::KeysUpload> samplesOf(std::type_identity<rest::KeysUpload>) {
    return {{4711, "BQ==", {1, "BQ==", "c2ln"}, {{100, "BQ=="}, {101, "BQ=="}}}, {0, "AA==", {0, "AA==", "AA=="}, {}}};
}
inline std::vector<rest::OneTimePreKeysUpload> samplesOf(std::type_identity<rest::OneTimePreKeysUpload>) {
    return {{{{102, "BQ=="}}}};
}
inline std::vector<rest::KeysStatus> samplesOf(std::type_identity<rest::KeysStatus>) { return {{3, 10}, {kMaxU64, 0}}; }
inline std::vector<rest::PreKeyBundle> samplesOf(std::type_identity<rest::PreKeyBundle>) {
    return {{1, 4711, "BQ==", {1, "BQ==", "c2ln"}, rest::OneTimePreKey{100, "BQ=="}},
            {kMaxDevice, 0, "AA==", {0, "AA==", "AA=="}, std::nullopt}};
}
inline std::vector<rest::KeyBundles> samplesOf(std::type_identity<rest::KeyBundles>) {
    return {{2, {{1, 4711, "BQ==", {1, "BQ==", "c2ln"}, std::nullopt}}, rest::SignedDeviceList{2, 1, "BQ==", {1}, "c2ln"}},
            {kMaxUser, {}, std::nullopt}};
}
inline std::vector<rest::LinkCodeRequest> samplesOf(std::type_identity<rest::LinkCodeRequest>) {
    return {{"c2VhbGVk"}, {std::string(4096, 'A')}};
}
inline std::vector<rest::LinkCode> samplesOf(std::type_identity<rest::LinkCode>) {
    return {{"Xk3vQ9mZ0pA7bT2cW8sL1nR4", 300}};
}
inline std::vector<rest::LinkRequest> samplesOf(std::type_identity<rest::LinkRequest>) {
    return {{"Xk3vQ9mZ0pA7bT2cW8sL1nR4", "laptop"}, {"x", std::nullopt}};
}
inline std::vector<rest::MessageSummary> samplesOf(std::type_identity<rest::MessageSummary>) {
    return {{1001, 3, 2, kNow}, {kMaxU64, kMaxU64, kMaxUser, kMinTime}};
}
inline std::vector<rest::ChatSummary> samplesOf(std::type_identity<rest::ChatSummary>) {
    return {{"dm:1:2", ChatType::direct, {1, 2}, std::nullopt, rest::MessageSummary{1001, 3, 2, kNow}, 2, kNow},
            {"g:x", ChatType::group, {1, 2, 3}, "AA==", std::nullopt, 0, kMinTime}};
}
inline std::vector<rest::ChatList> samplesOf(std::type_identity<rest::ChatList>) {
    return {{{{"dm:1:2", ChatType::direct, {1, 2}, std::nullopt, std::nullopt, 0, kNow}}}, {{}}};
}
inline std::vector<rest::HistoryItem> samplesOf(std::type_identity<rest::HistoryItem>) {
    return {{1001, 1, 1, 1, kNow, "c-0001", binaryContent(), std::nullopt, {}},
            {1002, 2, 1, 0, kNow, "", std::nullopt, GroupEventKind::added, {4, 5}}};
}
inline std::vector<rest::History> samplesOf(std::type_identity<rest::History>) {
    return {{{{1001, 1, 1, 1, kNow, "c-0001", "AA==", std::nullopt, {}}}, true}, {{}, false}};
}
inline std::vector<rest::ServerPolicy> samplesOf(std::type_identity<rest::ServerPolicy>) {
    return {{1, 256, 104857600, 2592000, 1000, 5, 50, 256, 15, 10, 1073741824, 4, 1000, 6, 50, 500, 2592000}, {}};
}

// The samples of T; a type without samplesOf does not compile, so nothing escapes the round trip.
// ---- end-to-end content ----
inline std::string bytesOf(std::size_t n, char c) { return base64::encode(std::string(n, c)); }
inline std::vector<e2e::Attachment> samplesOf(std::type_identity<e2e::Attachment>) {
    return {{std::string(43, 'm'), bytesOf(64, 'k'), bytesOf(32, 'd'), "image/png", 12345, "holiday photo.png", bytesOf(100, 't')},
            {"-_" + std::string(41, 'z'), bytesOf(64, '\0'), bytesOf(32, '\xff'), "application/octet-stream", kMaxU64, "", std::nullopt}};
}
inline std::vector<e2e::SenderKeyDistribution> samplesOf(std::type_identity<e2e::SenderKeyDistribution>) {
    return {{"g:AbCdEfGhIjKlMnOpQrStUv", binaryContent()}};
}
inline std::vector<e2e::GroupSecretShare> samplesOf(std::type_identity<e2e::GroupSecretShare>) {
    return {{"g:AbCdEfGhIjKlMnOpQrStUv", bytesOf(32, 's')}};
}
inline std::vector<e2e::ResendRequest> samplesOf(std::type_identity<e2e::ResendRequest>) {
    return {{"dm:1:2", 1}, {"g:AbCdEfGhIjKlMnOpQrStUv", kMaxU64}};
}
inline std::vector<e2e::Quote> samplesOf(std::type_identity<e2e::Quote>) {
    return {{4711, 2, "See you at 8 👋"}, {kMaxU64, kMaxUser, ""}};
}
inline std::vector<e2e::SenderProfile> samplesOf(std::type_identity<e2e::SenderProfile>) {
    return {{"Alice 🌻", 1, std::nullopt}, {std::string(100, 'n'), 4294967295u, std::string(140, 'a')},
            {"Zoë", 2, "Climbing on Saturdays 🧗"}};
}
inline std::vector<e2e::Reaction> samplesOf(std::type_identity<e2e::Reaction>) {
    return {{4711, "👍"}, {kMaxU64, "👨‍👩‍👧‍👦"}, {1, ""}};
}
inline std::vector<e2e::Edit> samplesOf(std::type_identity<e2e::Edit>) {
    return {{4711, "See you at 9 👋"}, {kMaxU64, kAwkwardText}};
}
inline std::vector<e2e::Deletion> samplesOf(std::type_identity<e2e::Deletion>) { return {{4711}, {kMaxU64}}; }
inline std::vector<e2e::DisappearingTimer> samplesOf(std::type_identity<e2e::DisappearingTimer>) {
    return {{0}, {3600}, {7776000}};
}
inline std::vector<e2e::DeleteForMe> samplesOf(std::type_identity<e2e::DeleteForMe>) {
    return {{"dm:1:2", 4711}, {"g:AbCdEfGhIjKlMnOpQrStUv", kMaxU64}};
}
inline std::vector<e2e::SyncedContact> samplesOf(std::type_identity<e2e::SyncedContact>) {
    return {{2, "+4915112345678", "Bob"}, {kMaxUser, "+12025550123", ""}};
}
inline std::vector<e2e::ChatSettings> samplesOf(std::type_identity<e2e::ChatSettings>) {
    return {{"dm:1:2", true, e2e::kMutedForever, false}, {"g:AbCdEfGhIjKlMnOpQrStUv", false, 0, true}};
}
inline std::vector<e2e::SyncedGroup> samplesOf(std::type_identity<e2e::SyncedGroup>) {
    return {{"g:AbCdEfGhIjKlMnOpQrStUv", bytesOf(32, 's')}};
}
inline std::vector<e2e::SyncedPeerProfile> samplesOf(std::type_identity<e2e::SyncedPeerProfile>) {
    return {{3, "Bob the Builder", 1, std::nullopt}, {kMaxUser, std::string(100, 'n'), 4294967295u, std::string(140, 'a')}};
}
inline std::vector<e2e::AccountSnapshot> samplesOf(std::type_identity<e2e::AccountSnapshot>) {
    return {{samplesOf(std::type_identity<e2e::SyncedContact>{}), kAwkwardText, samplesOf(std::type_identity<e2e::ChatSettings>{}),
             samplesOf(std::type_identity<e2e::SyncedGroup>{}), samplesOf(std::type_identity<e2e::SyncedPeerProfile>{}),
             "Climbing on Saturdays 🧗"},
            {{}, std::nullopt, {}, {}, std::nullopt, std::nullopt}};
}
inline std::vector<e2e::AccountChange> samplesOf(std::type_identity<e2e::AccountChange>) {
    e2e::AccountChange saved, removed, named, settings, about, aboutRemoved, requestDeleted;
    saved.contact_saved = samplesOf(std::type_identity<e2e::SyncedContact>{})[0];
    removed.contact_removed = kMaxUser;
    named.profile_name = "Alice 🌻";
    settings.chat_settings = samplesOf(std::type_identity<e2e::ChatSettings>{})[1];
    about.profile_about = std::string(140, 'a');
    aboutRemoved.profile_about = "";
    requestDeleted.request_deleted = "dm:1:2";
    return {saved, removed, named, settings, about, aboutRemoved, requestDeleted};
}
inline std::vector<e2e::HistoryRequest> samplesOf(std::type_identity<e2e::HistoryRequest>) { return {{0}, {41}}; }
inline std::vector<e2e::HistoryMessage> samplesOf(std::type_identity<e2e::HistoryMessage>) {
    e2e::HistoryMessage text;
    text.chat_id = "dm:1:2";
    text.message_id = 41;
    text.client_msg_id = "c-7f3a";
    text.sender_id = 2;
    text.sender_device = 1;
    text.seq = 12;
    text.timestamp = 1732780800123;
    text.state = "read";
    text.text = kAwkwardText;
    text.quote = samplesOf(std::type_identity<e2e::Quote>{})[0];
    text.edited_at = 1732780900000;
    e2e::HistoryMessage file = text;
    file.chat_id = "g:AbCdEfGhIjKlMnOpQrStUv";
    file.message_id = 42;
    file.sender_id = 1;
    file.state = "delivered";
    file.text.reset();
    file.quote.reset();
    file.attachment = samplesOf(std::type_identity<e2e::Attachment>{})[0];
    file.forwarded = true;
    file.expire_timer = 3600;
    file.edited_at = 0;
    return {text, file};
}
inline std::vector<e2e::HistoryChunk> samplesOf(std::type_identity<e2e::HistoryChunk>) {
    return {e2e::HistoryChunk{0, 3, 42, samplesOf(std::type_identity<e2e::HistoryMessage>{}), true},
            e2e::HistoryChunk{3, 3, 0, {}, false}};
}
inline std::vector<e2e::AccountSync> samplesOf(std::type_identity<e2e::AccountSync>) {
    e2e::AccountSync request, snapshot, change, historyRequest, history;
    request.snapshot_request = true;
    snapshot.snapshot = samplesOf(std::type_identity<e2e::AccountSnapshot>{})[0];
    change.change = samplesOf(std::type_identity<e2e::AccountChange>{})[3];
    historyRequest.history_request = samplesOf(std::type_identity<e2e::HistoryRequest>{})[1];
    history.history = samplesOf(std::type_identity<e2e::HistoryChunk>{})[0];
    return {request, snapshot, change, historyRequest, history};
}
inline std::vector<e2e::Content> samplesOf(std::type_identity<e2e::Content>) {
    e2e::Content text;
    text.text = kAwkwardText;
    e2e::Content file;
    file.text = "caption";
    file.attachment = samplesOf(std::type_identity<e2e::Attachment>{})[0];
    e2e::Content senderKey;
    senderKey.sender_key = samplesOf(std::type_identity<e2e::SenderKeyDistribution>{})[0];
    e2e::Content secret;
    secret.group_secret = samplesOf(std::type_identity<e2e::GroupSecretShare>{})[0];
    e2e::Content resendRequest;
    resendRequest.resend_request = e2e::ResendRequest{"dm:1:2", 77};
    e2e::Content resent;
    resent.text = "hello again";
    resent.resend_of = 77;
    resent.resend_chat_id = "g:AbCdEfGhIjKlMnOpQrStUv";
    e2e::Content reply;
    reply.text = "9 is better";
    reply.quote = samplesOf(std::type_identity<e2e::Quote>{})[0];
    e2e::Content fileReply = file;
    fileReply.quote = e2e::Quote{kMaxU64, kMaxUser, std::string(256, 'q')};
    e2e::Content reaction;
    reaction.reaction = samplesOf(std::type_identity<e2e::Reaction>{})[0];
    e2e::Content unreact;
    unreact.reaction = e2e::Reaction{4711, ""};
    e2e::Content edit;
    edit.edit = samplesOf(std::type_identity<e2e::Edit>{})[0];
    e2e::Content deletion;
    deletion.delete_for_everyone = e2e::Deletion{4711};
    e2e::Content deleteForMe;
    deleteForMe.delete_for_me = samplesOf(std::type_identity<e2e::DeleteForMe>{})[1];
    e2e::Content forwardedFile = file;
    forwardedFile.forwarded = true;
    e2e::Content disappearingText = text;
    disappearingText.expire_timer = 300;
    e2e::Content timer;
    timer.disappearing = samplesOf(std::type_identity<e2e::DisappearingTimer>{})[1];
    e2e::Content accountSnapshot;
    accountSnapshot.account_sync = samplesOf(std::type_identity<e2e::AccountSync>{})[0];
    e2e::Content accountChange;
    accountChange.account_sync = samplesOf(std::type_identity<e2e::AccountSync>{})[2];
    e2e::Content history;
    history.account_sync = samplesOf(std::type_identity<e2e::AccountSync>{})[4];
    e2e::Content introduced = reply;
    introduced.profile = samplesOf(std::type_identity<e2e::SenderProfile>{})[0];
    return {text, file, senderKey, secret, resendRequest, resent, reply, fileReply, reaction, unreact, edit, deletion,
            deleteForMe, forwardedFile, disappearingText, timer, accountSnapshot, accountChange, history, introduced};
}

template <class T>
std::vector<T> samples() {
    return samplesOf(std::type_identity<T>{});
}

} // namespace natter::protocol::test
