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

void TestFrameCodec::accountSyncWithTwoPartsOrNoneIsRefused() {
    const QString onlyOne =
        "invalid_field: field 'account_sync' must carry exactly one of: snapshot_request, snapshot, change";
    QCOMPARE(bodyVerdict<e2e::Content>(syncContent("{}")), onlyOne);
    QCOMPARE(bodyVerdict<e2e::Content>(syncContent(R"({"snapshot":{},"change":{"profile_name":"A"}})")), onlyOne);
    QCOMPARE(bodyVerdict<e2e::Content>(syncContent(R"({"snapshot_request":true,"snapshot":{}})")), onlyOne);
    QCOMPARE(bodyVerdict<e2e::Content>(syncContent(R"({"snapshot":{}})")), "accepted");
    QCOMPARE(bodyVerdict<e2e::Content>(syncContent(R"({"snapshot_request":true})")), "accepted");
    QCOMPARE(bodyVerdict<e2e::Content>(syncContent(R"({"snapshot_request":false})")),
             "invalid_field: field 'account_sync.snapshot_request' must be true");
    QCOMPARE(bodyVerdict<e2e::Content>(R"({"version":1,"text":"hi","account_sync":{"snapshot":{}}})"),
             "invalid_field: content must carry exactly one of: text/attachment, sender_key, group_secret, "
             "resend_request, reaction, edit, delete_for_everyone, delete_for_me, disappearing, account_sync");
}

void TestFrameCodec::accountChangeWithTwoChangesIsRefused() {
    const QString onlyOne = "invalid_field: field 'account_sync.change' must carry exactly one of: contact_saved, "
                            "contact_removed, profile_name, chat_settings";
    QCOMPARE(bodyVerdict<e2e::Content>(syncContent(R"({"change":{}})")), onlyOne);
    QCOMPARE(bodyVerdict<e2e::Content>(syncContent(R"({"change":{"profile_name":"A","contact_removed":2}})")), onlyOne);
    QCOMPARE(bodyVerdict<e2e::Content>(syncContent(R"({"change":{"contact_removed":2}})")), "accepted");
    QCOMPARE(bodyVerdict<e2e::Content>(syncContent(R"({"change":{"contact_removed":0}})")),
             "invalid_field: field 'account_sync.change.contact_removed' must name a user");
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
    QCOMPARE(bodyVerdict<e2e::Content>(syncContent(R"({"snapshot":{"groups":[{"chat_id":"g:x","secret":"AA=="}]}})")),
             "invalid_field: field 'account_sync.snapshot.groups[].secret' must hold 32 bytes");
    QCOMPARE(bodyVerdict<e2e::Content>(syncContent(
                 QStringLiteral(R"({"snapshot":{"groups":[{"chat_id":"dm:1:2","secret":"%1"}]}})").arg(kSecret))),
             "invalid_field: field 'account_sync.snapshot.groups[].chat_id' must be a group");
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
