// Account sync content (contacts, profile name, chat settings and groups for the account's own
// devices) and the own chat id it travels in: what parses back whole and what is refused.
#include "tst_frame_codec.h"

#include "protocol/base64.h"
#include "protocol/e2e_codec.h"
#include "protocol/identifiers.h"

#include <QTest>

#include <limits>

using namespace natter::protocol;
using namespace natter::protocol::test;

namespace {
const QString kSecret = QString::fromStdString(base64::encode(std::string(32, 's')));

// A Content carrying `sync` (the JSON of an AccountSync).
std::string syncContent(const QString& sync) {
    return (QStringLiteral(R"({"version":1,"account_sync":)") + sync + QStringLiteral("}")).toStdString();
}
} // namespace

void TestFrameCodec::accountSnapshotRoundTripsWithEveryContactChatAndGroup() {
    e2e::Content content;
    e2e::AccountSnapshot snapshot;
    snapshot.contacts = {{2, "+4915112345678", "Bob"}, {3, "+12025550123", ""}};
    snapshot.profile_name = "Alice 🌻";
    snapshot.chats = {{"dm:1:2", true, e2e::kMutedForever, false}, {"g:AbCdEfGhIjKlMnOpQrStUv", false, 1732780800123, true}};
    snapshot.groups = {{"g:AbCdEfGhIjKlMnOpQrStUv", kSecret.toStdString()}};
    content.account_sync = e2e::AccountSync{std::nullopt, snapshot, std::nullopt};
    const auto parsed = e2e::parseContent(e2e::serializeContent(content));
    QVERIFY2(parsed, parsed ? "" : parsed.error().message.c_str());
    QVERIFY(parsed->account_sync && parsed->account_sync->snapshot && !parsed->account_sync->change);
    const auto& back = *parsed->account_sync->snapshot;
    QCOMPARE(back.contacts.size(), std::size_t(2));
    QCOMPARE(QString::fromStdString(back.contacts[0].name), QStringLiteral("Bob"));
    QCOMPARE(QString::fromStdString(back.contacts[1].phone), QStringLiteral("+12025550123"));
    QCOMPARE(QString::fromStdString(back.profile_name.value_or("")), QStringLiteral("Alice 🌻"));
    QCOMPARE(back.chats[0].muted_until, e2e::kMutedForever);
    QVERIFY(back.chats[0].pinned && !back.chats[0].archived && back.chats[1].archived);
    QCOMPARE(QString::fromStdString(back.groups[0].secret), kSecret);
}

void TestFrameCodec::snapshotPeerProfilesRoundTripAndBadOnesAreRefused() {
    e2e::Content content;
    content.account_sync.emplace().snapshot.emplace().peer_profiles =
        std::vector<e2e::SyncedPeerProfile>{{3, "Bob the Builder", 7}};
    auto parsed = e2e::parseContent(e2e::serializeContent(content));
    QVERIFY2(parsed, parsed ? "" : parsed.error().message.c_str());
    const auto& peers = parsed->account_sync->snapshot->peer_profiles;
    QVERIFY(peers && peers->size() == 1);
    QCOMPARE(peers->front().user_id, UserId(3));
    QCOMPARE(QString::fromStdString(peers->front().name), QStringLiteral("Bob the Builder"));
    QCOMPARE(peers->front().version, 7u);

    const QString bad = "invalid_field: field 'account_sync.snapshot.peer_profiles[]' must name a user, a name of 1 to "
                        "100 bytes of UTF-8 and a version of 1 or more";
    QCOMPARE(bodyVerdict<e2e::Content>(syncContent(R"({"snapshot":{"peer_profiles":[{"user_id":3,"name":"Bob","version":1}]}})")),
             "accepted");
    QCOMPARE(bodyVerdict<e2e::Content>(syncContent(R"({"snapshot":{"peer_profiles":[{"user_id":0,"name":"Bob","version":1}]}})")),
             bad);
    QCOMPARE(bodyVerdict<e2e::Content>(syncContent(R"({"snapshot":{"peer_profiles":[{"user_id":3,"name":"","version":1}]}})")),
             bad);
    QCOMPARE(bodyVerdict<e2e::Content>(syncContent(R"({"snapshot":{"peer_profiles":[{"user_id":3,"name":"Bob","version":0}]}})")),
             bad);
}

void TestFrameCodec::accountSyncWithTwoPartsOrNoneIsRefused() {
    const QString onlyOne = "invalid_field: field 'account_sync' must carry exactly one of: snapshot_request, "
                            "snapshot, change, history_request, history";
    QCOMPARE(bodyVerdict<e2e::Content>(syncContent("{}")), onlyOne);
    QCOMPARE(bodyVerdict<e2e::Content>(syncContent(R"({"snapshot":{},"change":{"profile_name":"A"}})")), onlyOne);
    QCOMPARE(bodyVerdict<e2e::Content>(syncContent(R"({"snapshot_request":true,"snapshot":{}})")), onlyOne);
    QCOMPARE(bodyVerdict<e2e::Content>(syncContent(R"({"snapshot":{}})")), "accepted");
    QCOMPARE(bodyVerdict<e2e::Content>(syncContent(R"({"snapshot_request":true})")), "accepted");
    QCOMPARE(bodyVerdict<e2e::Content>(syncContent(R"({"snapshot_request":false})")),
             "invalid_field: field 'account_sync.snapshot_request' must be true");
    QCOMPARE(bodyVerdict<e2e::Content>(R"({"version":1,"text":"hi","account_sync":{"snapshot":{}}})"),
             "invalid_field: content must carry exactly one of: text/attachment, profile, sender_key, group_secret, "
             "resend_request, reaction, edit, delete_for_everyone, delete_for_me, disappearing, account_sync");
}

void TestFrameCodec::accountChangeWithTwoChangesIsRefused() {
    const QString onlyOne = "invalid_field: field 'account_sync.change' must carry exactly one of: contact_saved, "
                            "contact_removed, profile_name, chat_settings, profile_about, request_deleted";
    QCOMPARE(bodyVerdict<e2e::Content>(syncContent(R"({"change":{}})")), onlyOne);
    QCOMPARE(bodyVerdict<e2e::Content>(syncContent(R"({"change":{"profile_name":"A","contact_removed":2}})")), onlyOne);
    QCOMPARE(bodyVerdict<e2e::Content>(syncContent(R"({"change":{"contact_removed":2}})")), "accepted");
    QCOMPARE(bodyVerdict<e2e::Content>(syncContent(R"({"change":{"contact_removed":0}})")),
             "invalid_field: field 'account_sync.change.contact_removed' must name a user");
    QCOMPARE(bodyVerdict<e2e::Content>(syncContent(R"({"change":{"profile_about":""}})")), "accepted");
    QCOMPARE(bodyVerdict<e2e::Content>(syncContent(R"({"change":{"request_deleted":"dm:1:2"}})")), "accepted");
    for (const char* notDirect : {R"({"change":{"request_deleted":"g:AbCdEfGhIjKlMnOpQrStUv"}})", R"({"change":{"request_deleted":""}})",
                                  R"({"change":{"request_deleted":"dm:2:2"}})"})
        QCOMPARE(bodyVerdict<e2e::Content>(syncContent(notDirect)),
                 "invalid_field: field 'account_sync.change.request_deleted' must be a 1:1 chat id");
    QCOMPARE(bodyVerdict<e2e::Content>(syncContent(QString::fromStdString(R"({"change":{"profile_about":")" + std::string(141, 'a') + R"("}})"))),
             "invalid_field: field 'account_sync.change.profile_about' must be UTF-8 of at most 140 bytes");
    QCOMPARE(bodyVerdict<e2e::Content>(syncContent(QString::fromStdString(R"({"snapshot":{"profile_about":")" + std::string(141, 'a') + R"("}})"))),
             "invalid_field: field 'account_sync.snapshot.profile_about' must be UTF-8 of at most 140 bytes");
    QCOMPARE(bodyVerdict<e2e::Content>(syncContent(QString::fromStdString(R"({"snapshot":{"peer_profiles":[{"user_id":3,"name":"Bob","version":1,"about":")" +
                                                                      std::string(141, 'a') + R"("}]}})"))),
             "invalid_field: field 'account_sync.snapshot.peer_profiles[].about' must be UTF-8 of at most 140 bytes");
}

void TestFrameCodec::accountSyncWithABadContactChatOrSecretIsRefused() {
    QCOMPARE(bodyVerdict<e2e::Content>(
                 syncContent(R"({"change":{"contact_saved":{"user_id":2,"phone":"0151","name":"Bob"}}})")),
             "invalid_field: field 'account_sync.change.contact_saved' must name a user and an E.164 phone number");
    QCOMPARE(bodyVerdict<e2e::Content>(syncContent(QStringLiteral(R"({"change":{"profile_name":"%1"}})")
                                                       .arg(QString(101, QLatin1Char('n'))))),
             "invalid_field: field 'account_sync.change.profile_name' must be UTF-8 of at most 100 bytes");
    QCOMPARE(bodyVerdict<e2e::Content>(syncContent(
                 R"({"change":{"chat_settings":{"chat_id":"dm:2:1","pinned":true,"muted_until":0,"archived":false}}})")),
             "invalid_field: field 'account_sync.change.chat_settings.chat_id' must be a chat");
    QCOMPARE(bodyVerdict<e2e::Content>(syncContent(
                 R"({"change":{"chat_settings":{"chat_id":"dm:1:2","pinned":true,"muted_until":9007199254740992,"archived":false}}})")),
             "invalid_field: field 'account_sync.change.chat_settings.muted_until' must be at most 2^53 - 1");
    QCOMPARE(bodyVerdict<e2e::Content>(syncContent(
                 R"({"change":{"chat_settings":{"chat_id":"dm:1:2","pinned":false,"muted_until":0,"archived":false,"request":true}}})")),
             "invalid_field: field 'account_sync.change.chat_settings.request' may only be false (accepted)");
    QCOMPARE(bodyVerdict<e2e::Content>(syncContent(
                 R"({"change":{"chat_settings":{"chat_id":"dm:1:2","pinned":false,"muted_until":0,"archived":false,"request":false}}})")),
             "accepted");
    QCOMPARE(bodyVerdict<e2e::Content>(syncContent(R"({"snapshot":{"groups":[{"chat_id":"g:x","secret":"AA=="}]}})")),
             "invalid_field: field 'account_sync.snapshot.groups[].secret' must hold 32 bytes");
    QCOMPARE(bodyVerdict<e2e::Content>(syncContent(
                 QStringLiteral(R"({"snapshot":{"groups":[{"chat_id":"dm:1:2","secret":"%1"}]}})").arg(kSecret))),
             "invalid_field: field 'account_sync.snapshot.groups[].chat_id' must be a group");
}

void TestFrameCodec::historyChunkRoundTripsWithItsMessagesAndProgress() {
    e2e::HistoryMessage m;
    m.chat_id = "g:AbCdEfGhIjKlMnOpQrStUv";
    m.message_id = 41;
    m.sender_id = 2;
    m.sender_device = 3;
    m.seq = 12;
    m.timestamp = 1732780800123;
    m.state = "read";
    m.text = "bring the rope";
    m.quote = e2e::Quote{40, 1, "see you"};
    m.expire_timer = 3600;
    e2e::Content content;
    content.account_sync = e2e::AccountSync{};
    content.account_sync->history = e2e::HistoryChunk{200, 500, 41, {m}, true};
    const auto parsed = e2e::parseContent(e2e::serializeContent(content));
    QVERIFY2(parsed, parsed ? "" : parsed.error().message.c_str());
    QVERIFY(parsed->account_sync && parsed->account_sync->history);
    const auto& back = *parsed->account_sync->history;
    QCOMPARE(back.first, 200u);
    QCOMPARE(back.total, 500u);
    QVERIFY(back.more);
    QCOMPARE(back.messages.size(), std::size_t(1));
    QCOMPARE(QString::fromStdString(back.messages[0].text.value_or("")), QStringLiteral("bring the rope"));
    QCOMPARE(back.messages[0].sender_device, DeviceId(3));
    QCOMPARE(back.messages[0].quote->message_id, MessageId(40));
    QCOMPARE(back.messages[0].expire_timer, 3600u);
}

void TestFrameCodec::historyChunksBeyondTheirBoundsAreRefused() {
    const auto message = [](int id) {
        return QStringLiteral(R"({"chat_id":"dm:1:2","message_id":%1,"client_msg_id":"","sender_id":2,"sender_device":1,)"
                              R"("seq":%1,"timestamp":1,"state":"read","text":"hi","forwarded":false,"expire_timer":0,"edited_at":0})")
            .arg(id);
    };
    const auto chunk = [&](int first, int total, int count, int last, bool more = false) {
        QStringList messages;
        for (int i = 1; i <= count; ++i) messages << message(i);
        return syncContent(QStringLiteral(R"({"history":{"first":%1,"total":%2,"last":%3,"more":%4,"messages":[%5]}})")
                               .arg(first)
                               .arg(total)
                               .arg(last)
                               .arg(more ? "true" : "false", messages.join(',')));
    };
    QCOMPARE(bodyVerdict<e2e::Content>(chunk(0, 200, 200, 200)), "accepted");
    QCOMPARE(bodyVerdict<e2e::Content>(chunk(0, 300, 201, 201)),
             "invalid_field: field 'account_sync.history.messages' must hold 1 to 200 messages");
    QCOMPARE(bodyVerdict<e2e::Content>(chunk(0, 5, 0, 0)),
             "invalid_field: field 'account_sync.history.messages' must hold 1 to 200 messages");
    QCOMPARE(bodyVerdict<e2e::Content>(chunk(5, 5, 0, 0)), "accepted"); // nothing (more) to send
    QCOMPARE(bodyVerdict<e2e::Content>(chunk(9, 10, 2, 2)),
             "invalid_field: field 'account_sync.history' must not go past its total");
    QCOMPARE(bodyVerdict<e2e::Content>(chunk(0, 2, 2, 2, true)),
             "invalid_field: field 'account_sync.history.more' needs messages left after the chunk");
    QCOMPARE(bodyVerdict<e2e::Content>(chunk(0, 9, 2, 7)),
             "invalid_field: field 'account_sync.history.last' must be its last message's id");
    const std::string descending = syncContent(QStringLiteral(R"({"history":{"first":0,"total":2,"last":1,"more":false,"messages":[%1,%2]}})")
                                               .arg(message(2), message(1)));
    QCOMPARE(bodyVerdict<e2e::Content>(descending),
             "invalid_field: field 'account_sync.history.messages' must ascend by message_id");
    const std::string textless = syncContent(QStringLiteral(R"({"history":{"first":0,"total":1,"last":1,"more":false,"messages":[%1]}})")
                                             .arg(message(1).replace(R"("text":"hi",)", "")));
    QCOMPARE(bodyVerdict<e2e::Content>(textless),
             "invalid_field: field 'account_sync.history.messages[]' must have text or a file");
    QCOMPARE(bodyVerdict<e2e::Content>(syncContent(R"({"history_request":{"after":41}})")), "accepted");
}

void TestFrameCodec::ownChatIdParsesBackOnlyForOneUser() {
    QCOMPARE(QString::fromStdString(ownChatId(7)), "dm:7:7");
    QCOMPARE(parseOwnChatId(ownChatId(7)).value_or(0), UserId(7));
    constexpr UserId max = std::numeric_limits<UserId>::max();
    QCOMPARE(parseOwnChatId(ownChatId(max)).value_or(0), max);
    QVERIFY(!parseOwnChatId("dm:1:2"));
    QVERIFY(!parseOwnChatId("dm:07:7"));
    QVERIFY(!parseOwnChatId("dm:0:0"));
    QVERIFY(!parseOwnChatId("g:7"));
    QVERIFY(!parseDirectChatId(ownChatId(7))); // never a 1:1 chat
}
