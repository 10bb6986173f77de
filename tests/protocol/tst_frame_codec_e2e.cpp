// Refusals of malformed end-to-end content: what a client does with a decrypted plaintext
// that is not a valid Content (it shows a placeholder instead of garbage).
#include "tst_frame_codec.h"

#include "samples.h"

#include "protocol/base64.h"
#include "protocol/e2e_codec.h"

#include <QTest>

using namespace natter::protocol;
using namespace natter::protocol::test;

namespace {
const std::string kKey = base64::encode(std::string(64, 'k'));
const std::string kDigest = base64::encode(std::string(32, 'd'));
// As the server issues them: 32 random bytes, unpadded base64url.
const std::string kMediaId = "Zm9vYmFyYmF6cXV4LV9mb29iYXJiYXpxdXgtX2Zvb2I";

std::string attachmentJson(const std::string& key, const std::string& digest, const std::string& mediaId = kMediaId) {
    return R"({"version":1,"attachment":{"media_id":")" + mediaId + R"(","key":")" + key + R"(","digest":")" + digest +
           R"(","mime":"image/png","size":3,"file_name":"a.png"}})";
}
} // namespace

void TestFrameCodec::contentWithoutAnyPartOrWithTwoPartsIsRefused() {
    const QString onlyOne = "invalid_field: content must carry exactly one of: text/attachment, profile, sender_key, "
                            "group_secret, resend_request, reaction, edit, delete_for_everyone, delete_for_me, disappearing, account_sync";
    QCOMPARE(bodyVerdict<e2e::Content>(R"({"version":1})"), onlyOne);
    QCOMPARE(bodyVerdict<e2e::Content>(R"({"version":1,"text":"hi","resend_request":{"chat_id":"dm:1:2","message_id":3}})"),
             onlyOne);
    QCOMPARE(bodyVerdict<e2e::Content>(R"({"version":1,"text":"hi"})"), "accepted");
    QCOMPARE(bodyVerdict<e2e::Content>(R"({"version":1,"text":"hi","resend_chat_id":"g:abc"})"),
             "invalid_field: field 'resend_chat_id' needs 'resend_of'");
}

void TestFrameCodec::contentOfAnUnknownVersionIsRefused() {
    QCOMPARE(bodyVerdict<e2e::Content>(R"({"version":2,"text":"hi"})"), "invalid_field: unsupported content version 2");
    QCOMPARE(bodyVerdict<e2e::Content>(R"({"text":"hi"})"), "invalid_field: missing field 'version'");
}

void TestFrameCodec::attachmentWithAKeyOrDigestOfTheWrongLengthIsRefused() {
    QCOMPARE(bodyVerdict<e2e::Content>(attachmentJson(kKey, kDigest)), "accepted");
    QCOMPARE(bodyVerdict<e2e::Content>(attachmentJson(base64::encode(std::string(32, 'k')), kDigest)),
             "invalid_field: field 'attachment.key' must hold 64 bytes");
    QCOMPARE(bodyVerdict<e2e::Content>(attachmentJson(kKey, "not base64!")),
             "invalid_field: field 'attachment.digest' must be base64");
}

void TestFrameCodec::attachmentWithAMediaIdThatIsNotOneIsRefused_data() {
    QTest::addColumn<QString>("mediaId");
    QTest::newRow("climbs out of a folder") << QStringLiteral("../x");
    QTest::newRow("climbs out at full length") << QStringLiteral("../../../../../../../../../../../../etc/pwn");
    QTest::newRow("an absolute path") << QStringLiteral("/tmp/Zm9vYmFyYmF6cXV4LV9mb29iYXJiYXpxdXgtX2");
    QTest::newRow("one character short") << QString::fromStdString(kMediaId.substr(1));
    QTest::newRow("one character long") << QString::fromStdString(kMediaId + "A");
    QTest::newRow("empty") << QString();
    QTest::newRow("standard base64 '+'") << QStringLiteral("Zm9vYmFyYmF6cXV4LV9mb29iYXJiYXpxdXgtX2Zvb+I");
    QTest::newRow("a slash") << QStringLiteral("Zm9vYmFyYmF6cXV4LV9mb29iYXJiYXpxdXgtX2Zvb/I");
    QTest::newRow("a dot") << QStringLiteral("Zm9vYmFyYmF6cXV4LV9mb29iYXJiYXpxdXgtX2Zvb.I");
    QTest::newRow("padding") << QStringLiteral("Zm9vYmFyYmF6cXV4LV9mb29iYXJiYXpxdXgtX2Zvb2=");
    QTest::newRow("a backslash") << QStringLiteral("Zm9vYmFyYmF6cXV4LV9mb29iYXJiYXpxdXgtX2Zvb\\\\I"); // JSON-escaped
}

void TestFrameCodec::attachmentWithAMediaIdThatIsNotOneIsRefused() {
    QFETCH(QString, mediaId);
    QCOMPARE(bodyVerdict<e2e::Content>(attachmentJson(kKey, kDigest, mediaId.toStdString())),
             "invalid_field: field 'attachment.media_id' must be a media id (43 characters of base64url)");
}

void TestFrameCodec::attachmentWithAServerIssuedMediaIdRoundTrips() {
    e2e::Content content;
    content.attachment = e2e::Attachment{kMediaId, kKey, kDigest, "image/png", 3, "a.png", std::nullopt};
    const auto parsed = e2e::parseContent(e2e::serializeContent(content));
    QVERIFY2(parsed, parsed ? "" : parsed.error().message.c_str());
    QCOMPARE(QString::fromStdString(parsed->attachment->media_id), QString::fromStdString(kMediaId));
    // Serialising does not check: a client that builds a bad attachment is refused by its peers.
    content.attachment->media_id = "../x";
    QVERIFY(!e2e::parseContent(e2e::serializeContent(content)));
}

void TestFrameCodec::controlContentNamingADirectChatAsGroupIsRefused() {
    QCOMPARE(bodyVerdict<e2e::Content>(R"({"version":1,"sender_key":{"chat_id":"dm:1:2","distribution":"AA=="}})"),
             "invalid_field: field 'sender_key.chat_id' must be a group");
    QCOMPARE(bodyVerdict<e2e::Content>(R"({"version":1,"group_secret":{"chat_id":"g:x","secret":"AA=="}})"),
             "invalid_field: field 'group_secret.secret' must hold 32 bytes");
}

void TestFrameCodec::everyNewContentTypeRoundTripsWithItsFields() {
    e2e::Content reply;
    reply.text = "9 is better";
    reply.quote = e2e::Quote{4711, 2, "See you at 8 👋"};
    auto parsed = e2e::parseContent(e2e::serializeContent(reply));
    QVERIFY2(parsed, parsed ? "" : parsed.error().message.c_str());
    QCOMPARE(parsed->quote->message_id, MessageId(4711));
    QCOMPARE(parsed->quote->sender_id, UserId(2));
    QCOMPARE(QString::fromStdString(parsed->quote->snippet), QStringLiteral("See you at 8 👋"));

    e2e::Content reaction;
    reaction.reaction = e2e::Reaction{4711, "👨‍👩‍👧‍👦"};
    parsed = e2e::parseContent(e2e::serializeContent(reaction));
    QVERIFY(parsed && parsed->reaction && parsed->reaction->emoji == "👨‍👩‍👧‍👦" && !parsed->text);
    reaction.reaction->emoji.clear(); // removes the reaction
    parsed = e2e::parseContent(e2e::serializeContent(reaction));
    QVERIFY(parsed && parsed->reaction && parsed->reaction->emoji.empty());

    e2e::Content edit;
    edit.edit = e2e::Edit{4711, "See you at 9"};
    parsed = e2e::parseContent(e2e::serializeContent(edit));
    QVERIFY(parsed && parsed->edit && parsed->edit->message_id == 4711 && parsed->edit->text == "See you at 9");

    e2e::Content deletion;
    deletion.delete_for_everyone = e2e::Deletion{4711};
    parsed = e2e::parseContent(e2e::serializeContent(deletion));
    QVERIFY(parsed && parsed->delete_for_everyone && parsed->delete_for_everyone->message_id == 4711);

    e2e::Content mine;
    mine.delete_for_me = e2e::DeleteForMe{"g:AbCdEfGhIjKlMnOpQrStUv", 4711};
    parsed = e2e::parseContent(e2e::serializeContent(mine));
    QVERIFY(parsed && parsed->delete_for_me && parsed->delete_for_me->chat_id == "g:AbCdEfGhIjKlMnOpQrStUv");

    e2e::Content mention;
    mention.text = "@Bob @Cid lunch?";
    mention.mentions = std::vector<UserId>{2, 3};
    parsed = e2e::parseContent(e2e::serializeContent(mention));
    QVERIFY(parsed && parsed->mentions && *parsed->mentions == (std::vector<UserId>{2, 3}));
}

void TestFrameCodec::senderProfileRoundTripsWithATextAndAFile() {
    e2e::Content text;
    text.text = "hi, it's me";
    text.profile = e2e::SenderProfile{"Zoë 🌻", 3, std::nullopt};
    auto parsed = e2e::parseContent(e2e::serializeContent(text));
    QVERIFY2(parsed, parsed ? "" : parsed.error().message.c_str());
    QVERIFY(parsed->profile);
    QCOMPARE(QString::fromStdString(parsed->profile->name), QStringLiteral("Zoë 🌻"));
    QCOMPARE(parsed->profile->version, 3u);

    e2e::Content file;
    file.attachment = samples<e2e::Attachment>()[0];
    file.profile = e2e::SenderProfile{std::string(e2e::kMaxSyncedNameBytes, 'n'), 4294967295u, std::nullopt};
    parsed = e2e::parseContent(e2e::serializeContent(file));
    QVERIFY2(parsed, parsed ? "" : parsed.error().message.c_str());
    QVERIFY(parsed->profile && parsed->profile->name.size() == e2e::kMaxSyncedNameBytes);
    QCOMPARE(parsed->profile->version, 4294967295u);

    e2e::Content plain;
    plain.text = "no profile";
    parsed = e2e::parseContent(e2e::serializeContent(plain));
    QVERIFY(parsed && !parsed->profile);
}

void TestFrameCodec::profileAloneOrWithAboutRoundTrips() {
    e2e::Content alone;
    alone.profile = e2e::SenderProfile{"Zoë 🌻", 5, "Climbing on Saturdays 🧗"};
    auto parsed = e2e::parseContent(e2e::serializeContent(alone));
    QVERIFY2(parsed, parsed ? "" : parsed.error().message.c_str());
    QVERIFY(parsed->profile && !parsed->text && !parsed->attachment);
    QCOMPARE(QString::fromStdString(parsed->profile->name), QStringLiteral("Zoë 🌻"));
    QCOMPARE(parsed->profile->version, 5u);
    QCOMPARE(QString::fromStdString(parsed->profile->about.value_or("")), QStringLiteral("Climbing on Saturdays 🧗"));

    e2e::Content longest;
    longest.text = "hi";
    longest.profile = e2e::SenderProfile{"Bob", 1, std::string(e2e::kMaxAboutBytes, 'a')};
    parsed = e2e::parseContent(e2e::serializeContent(longest));
    QVERIFY2(parsed, parsed ? "" : parsed.error().message.c_str());
    QCOMPARE(parsed->profile->about->size(), e2e::kMaxAboutBytes);

    // A profile from an older client has no about text.
    parsed = e2e::parseContent(R"({"version":1,"profile":{"name":"Bob","version":2}})");
    QVERIFY2(parsed, parsed ? "" : parsed.error().message.c_str());
    QVERIFY(parsed->profile && !parsed->profile->about);
}

void TestFrameCodec::profileBesideAnotherPartOrWithAnEmptyOrOverlongNameOrAboutIsRefused() {
    QCOMPARE(bodyVerdict<e2e::Content>(R"({"version":1,"text":"hi","profile":{"name":"Bob","version":1}})"), "accepted");
    QCOMPARE(bodyVerdict<e2e::Content>(R"({"version":1,"profile":{"name":"Bob","version":1}})"), "accepted");
    QCOMPARE(bodyVerdict<e2e::Content>(R"({"version":1,"reaction":{"message_id":3,"emoji":"👍"},)"
                                       R"("profile":{"name":"Bob","version":1}})"),
             "invalid_field: content must carry exactly one of: text/attachment, profile, sender_key, group_secret, "
             "resend_request, reaction, edit, delete_for_everyone, delete_for_me, disappearing, account_sync");
    QCOMPARE(bodyVerdict<e2e::Content>(R"({"version":1,"profile":{"name":"Bob","version":1,"about":")" +
                                       std::string(e2e::kMaxAboutBytes + 1, 'a') + R"("}})"),
             "invalid_field: field 'profile.about' must be UTF-8 of at most 140 bytes");
    QCOMPARE(bodyVerdict<e2e::Content>(R"({"version":1,"text":"hi","profile":{"name":"","version":1}})"),
             "invalid_field: field 'profile.name' must be UTF-8 of 1 to 100 bytes");
    QCOMPARE(bodyVerdict<e2e::Content>(R"({"version":1,"text":"hi","profile":{"name":")" + std::string(101, 'n') +
                                       R"(","version":1}})"),
             "invalid_field: field 'profile.name' must be UTF-8 of 1 to 100 bytes");
    QCOMPARE(bodyVerdict<e2e::Content>(R"({"version":1,"text":"hi","profile":{"name":"Bob","version":0}})"),
             "invalid_field: field 'profile.version' must be 1 or more");
}

void TestFrameCodec::mentionsWithoutTextOrOfNobodyOrTooManyAreRefused() {
    QCOMPARE(bodyVerdict<e2e::Content>(R"({"version":1,"text":"@Bob hi","mentions":[2]})"), "accepted");
    QCOMPARE(bodyVerdict<e2e::Content>(R"({"version":1,"reaction":{"message_id":3,"emoji":"👍"},"mentions":[2]})"),
             "invalid_field: field 'mentions' goes with text");
    QCOMPARE(bodyVerdict<e2e::Content>(R"({"version":1,"text":"hi","mentions":[]})"),
             "invalid_field: field 'mentions' must name 1 to 50 users");
    QCOMPARE(bodyVerdict<e2e::Content>(R"({"version":1,"text":"hi","mentions":[0]})"),
             "invalid_field: field 'mentions' must name users (ids above 0)");
    std::string many = R"({"version":1,"text":"hi","mentions":[1)";
    for (int i = 2; i <= 51; ++i) many += "," + std::to_string(i);
    QCOMPARE(bodyVerdict<e2e::Content>(many + "]}"), "invalid_field: field 'mentions' must name 1 to 50 users");
}

void TestFrameCodec::forwardedWithoutTextOrAnAttachmentIsRefused() {
    QCOMPARE(bodyVerdict<e2e::Content>(R"({"version":1,"reaction":{"message_id":3,"emoji":"👍"},"forwarded":true})"),
             "invalid_field: field 'forwarded' goes with text or an attachment");
    QCOMPARE(bodyVerdict<e2e::Content>(R"({"version":1,"text":"hi","forwarded":true})"), "accepted");
}

void TestFrameCodec::disappearingTimersOutsideTheListedOnesAreRefused() {
    QCOMPARE(bodyVerdict<e2e::Content>(R"({"version":1,"disappearing":{"seconds":61}})"),
             "invalid_field: field 'disappearing.seconds' must be 0, 300, 3600, 86400, 604800 or 7776000");
    QCOMPARE(bodyVerdict<e2e::Content>(R"({"version":1,"disappearing":{"seconds":0}})"), "accepted");
    QCOMPARE(bodyVerdict<e2e::Content>(R"({"version":1,"text":"hi","expire_timer":0})"),
             "invalid_field: field 'expire_timer' must be 300, 3600, 86400, 604800 or 7776000 seconds");
    QCOMPARE(bodyVerdict<e2e::Content>(R"({"version":1,"disappearing":{"seconds":300},"expire_timer":300})"),
             "invalid_field: field 'expire_timer' goes with text or an attachment");
    QCOMPARE(bodyVerdict<e2e::Content>(R"({"version":1,"text":"hi","disappearing":{"seconds":300}})"),
             "invalid_field: content must carry exactly one of: text/attachment, profile, sender_key, group_secret, "
             "resend_request, reaction, edit, delete_for_everyone, delete_for_me, disappearing, account_sync");
    QCOMPARE(bodyVerdict<e2e::Content>(R"({"version":1,"text":"hi","expire_timer":604800})"), "accepted");
}

void TestFrameCodec::quoteWithoutTextOrAnAttachmentIsRefused() {
    QCOMPARE(bodyVerdict<e2e::Content>(R"({"version":1,"reaction":{"message_id":3,"emoji":"👍"},)"
                                       R"("quote":{"message_id":3,"sender_id":2,"snippet":"x"}})"),
             "invalid_field: field 'quote' goes with text or an attachment");
    QCOMPARE(bodyVerdict<e2e::Content>(R"({"version":1,"text":"hi","quote":{"message_id":0,"sender_id":2,"snippet":"x"}})"),
             "invalid_field: field 'quote' must name a message and its sender");
    QCOMPARE(bodyVerdict<e2e::Content>(R"({"version":1,"text":"hi","quote":{"message_id":3,"sender_id":2,"snippet":")" +
                                       std::string(257, 'x') + R"("}})"),
             "invalid_field: field 'quote.snippet' must be UTF-8 of at most 256 bytes");
}

void TestFrameCodec::reactionThatIsNotOneEmojiIsRefused_data() {
    QTest::addColumn<QString>("emoji");
    QTest::newRow("a word") << QStringLiteral("lol");
    QTest::newRow("with a space") << QStringLiteral("👍 👍");
    QTest::newRow("ascii symbols") << QStringLiteral(":-)");
    QTest::newRow("too long") << QString(22, QChar(0x2764));
}

void TestFrameCodec::reactionThatIsNotOneEmojiIsRefused() {
    QFETCH(QString, emoji);
    QCOMPARE(bodyVerdict<e2e::Content>(R"({"version":1,"reaction":{"message_id":3,"emoji":")" + emoji.toStdString() + R"("}})"),
             "invalid_field: field 'reaction.emoji' must be one emoji (at most 64 bytes) or empty");
    QCOMPARE(bodyVerdict<e2e::Content>(R"({"version":1,"reaction":{"message_id":0,"emoji":"👍"}})"),
             "invalid_field: field 'reaction.message_id' must name a message");
}

void TestFrameCodec::editWithoutTextOrDeletesWithoutAMessageAreRefused() {
    QCOMPARE(bodyVerdict<e2e::Content>(R"({"version":1,"edit":{"message_id":3,"text":""}})"),
             "invalid_field: field 'edit.text' must be UTF-8 of 1 byte to 64 KiB");
    QCOMPARE(bodyVerdict<e2e::Content>(R"({"version":1,"edit":{"message_id":3,"text":"new"},"text":"new"})"),
             "invalid_field: content must carry exactly one of: text/attachment, profile, sender_key, group_secret, "
             "resend_request, reaction, edit, delete_for_everyone, delete_for_me, disappearing, account_sync");
    QCOMPARE(bodyVerdict<e2e::Content>(R"({"version":1,"delete_for_everyone":{"message_id":0}})"),
             "invalid_field: field 'delete_for_everyone.message_id' must name a message");
    QCOMPARE(bodyVerdict<e2e::Content>(R"({"version":1,"delete_for_me":{"chat_id":"nonsense","message_id":3}})"),
             "invalid_field: field 'delete_for_me' must name a chat and a message");
    QCOMPARE(bodyVerdict<e2e::Content>(R"({"version":1,"delete_for_me":{"chat_id":"dm:1:2","message_id":3}})"), "accepted");
}
