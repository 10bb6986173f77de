// Refusals of malformed end-to-end content: what a client does with a decrypted plaintext
// that is not a valid Content (it shows a placeholder instead of garbage).
#include "tst_frame_codec.h"

#include "protocol/base64.h"
#include "protocol/e2e_codec.h"

#include <QTest>

using namespace natter::protocol;
using namespace natter::protocol::test;

namespace {
const std::string kKey = base64::encode(std::string(64, 'k'));
const std::string kDigest = base64::encode(std::string(32, 'd'));

std::string attachmentJson(const std::string& key, const std::string& digest) {
    return R"({"version":1,"attachment":{"media_id":"m","key":")" + key + R"(","digest":")" + digest +
           R"(","mime":"image/png","size":3,"file_name":"a.png"}})";
}
} // namespace

void TestFrameCodec::contentWithoutAnyPartOrWithTwoPartsIsRefused() {
    const QString onlyOne = "invalid_field: content must carry exactly one of: text/attachment, sender_key, "
                            "group_secret, resend_request";
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

void TestFrameCodec::controlContentNamingADirectChatAsGroupIsRefused() {
    QCOMPARE(bodyVerdict<e2e::Content>(R"({"version":1,"sender_key":{"chat_id":"dm:1:2","distribution":"AA=="}})"),
             "invalid_field: field 'sender_key.chat_id' must be a group");
    QCOMPARE(bodyVerdict<e2e::Content>(R"({"version":1,"group_secret":{"chat_id":"g:x","secret":"AA=="}})"),
             "invalid_field: field 'group_secret.secret' must hold 32 bytes");
}
