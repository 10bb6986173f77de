// tst_frame_codec refusals: every rule the codec enforces, checked with the exact error code
// and a message naming the offending field, plus how "ref" is taken from a frame.
#include "tst_frame_codec.h"

#include "protocol/identifiers.h"
#include "protocol/limits.h"

#include <QTest>

using namespace natter::protocol;
using namespace natter::protocol::test;

namespace {

// A send frame into dm:1:2 with the given client_msg_id and raw "envelopes" JSON.
std::string sendFrame(const std::string& clientMsgId, const std::string& envelopes) {
    return R"({"type":"message","chat_id":"dm:1:2","client_msg_id":")" + clientMsgId +
           R"(","envelopes":)" + envelopes + "}";
}

std::string envelope(UserId user, DeviceId device, const std::string& content = "aGk=") {
    return R"({"user_id":)" + std::to_string(user) + R"(,"device_id":)" + std::to_string(device) +
           R"(,"content":")" + content + R"("})";
}

QString refOf(std::string_view text) {
    std::string ref;
    (void)parseClientFrame(text, ref);
    return QString::fromStdString(ref);
}

} // namespace

void TestFrameCodec::textThatIsNotJsonIsRefusedAsMalformedJson() {
    for (const std::string_view text : {R"({"type":"ping")", "", "{type: 'ping'}", R"({"type":"ping",})"}) {
        const QString verdict = clientVerdict(text);
        QVERIFY2(verdict.startsWith("malformed_json: invalid JSON"), qPrintable(verdict));
    }
}

void TestFrameCodec::trailingDataAfterTheObjectIsRefusedAsMalformedJson() {
    QVERIFY(clientVerdict(R"({"type":"ping"} {"type":"ping"})").startsWith("malformed_json: invalid JSON"));
}

void TestFrameCodec::jsonThatIsNotAnObjectIsRefusedAsMalformedJson_data() {
    QTest::addColumn<QByteArray>("text");
    QTest::newRow("array") << QByteArray(R"([{"type":"ping"}])");
    QTest::newRow("string") << QByteArray(R"("ping")");
    QTest::newRow("number") << QByteArray("42");
    QTest::newRow("null") << QByteArray("null");
    QTest::newRow("boolean") << QByteArray("true");
}

void TestFrameCodec::jsonThatIsNotAnObjectIsRefusedAsMalformedJson() {
    QFETCH(QByteArray, text);
    QCOMPARE(clientVerdict(text.toStdString()), "malformed_json: expected a JSON object");
    QCOMPARE(serverVerdict(text.toStdString()), "malformed_json: expected a JSON object");
}

void TestFrameCodec::frameWithoutTypeIsRefusedNamingTheTypeField() {
    QCOMPARE(clientVerdict(R"({"message_id":5,"status":"read"})"), "invalid_field: missing field 'type'");
    QCOMPARE(serverVerdict("{}"), "invalid_field: missing field 'type'");
}

void TestFrameCodec::frameWhoseTypeIsNotAStringIsRefused() {
    QCOMPARE(clientVerdict(R"({"type":1})"), "invalid_field: field 'type' must be a string");
    QCOMPARE(clientVerdict(R"({"type":null})"), "invalid_field: field 'type' must be a string");
}

void TestFrameCodec::unknownTypeIsRefusedAsUnknownType() {
    QCOMPARE(clientVerdict(R"({"type":"hello"})"), "unknown_type: unknown frame type 'hello'");
    QCOMPARE(clientVerdict(R"({"type":"Ping"})"), "unknown_type: unknown frame type 'Ping'");
    QCOMPARE(serverVerdict(R"({"type":""})"), "unknown_type: unknown frame type ''");
}

void TestFrameCodec::typesOfTheOtherDirectionAreUnknown() {
    for (const char* type : {"welcome", "receipt", "presence", "pong", "sync_complete", "error"})
        QCOMPARE(clientVerdict(std::string(R"({"type":")") + type + "\"}"),
                 QStringLiteral("unknown_type: unknown frame type '%1'").arg(type));
    for (const char* type : {"receipt_ack", "ping"})
        QCOMPARE(serverVerdict(std::string(R"({"type":")") + type + "\"}"),
                 QStringLiteral("unknown_type: unknown frame type '%1'").arg(type));
}

void TestFrameCodec::missingFieldIsRefusedNamingTheField() {
    QCOMPARE(clientVerdict(R"({"type":"message","client_msg_id":"c1","envelopes":[]})"),
             "invalid_field: missing field 'chat_id'");
    QCOMPARE(clientVerdict(R"({"type":"ack","message_id":5})"), "invalid_field: missing field 'status'");
    QCOMPARE(clientVerdict(R"({"type":"receipt_ack"})"), "invalid_field: missing field 'receipt_id'");
    QCOMPARE(serverVerdict(R"({"type":"pong"})"), "invalid_field: missing field 'server_time'");
    QCOMPARE(bodyVerdict<rest::VerifyRequest>(R"({"phone":"+4915112345678"})"), "invalid_field: missing field 'code'");
}

void TestFrameCodec::missingEnvelopesArrayIsRefusedNamingIt() {
    QCOMPARE(clientVerdict(R"({"type":"message","chat_id":"dm:1:2","client_msg_id":"c1"})"),
             "invalid_field: field 'envelopes' must hold at least one envelope (or send 'content' to a group)");
}

void TestFrameCodec::missingNestedFieldIsRefusedWithItsFullPath() {
    QCOMPARE(clientVerdict(sendFrame("c1", "[" + envelope(2, 1) + R"(,{"user_id":1,"content":"aGk="}])")),
             "invalid_field: missing field 'envelopes[1].device_id'");
    QCOMPARE(bodyVerdict<rest::MessageReceipts>(R"({"message_id":1,"chat_id":"dm:1:2","recipients":[{"user_id":2}]})"),
             "invalid_field: missing field 'recipients[0].status'");
}

void TestFrameCodec::nullForARequiredFieldCountsAsMissing() {
    QCOMPARE(clientVerdict(R"({"type":"ack","message_id":null,"status":"read"})"),
             "invalid_field: missing field 'message_id'");
}

void TestFrameCodec::stringForAnIntegerIsRefused() {
    QCOMPARE(clientVerdict(R"({"type":"ack","message_id":"5","status":"read"})"),
             "invalid_field: field 'message_id' must be an unsigned integer");
    QCOMPARE(serverVerdict(R"({"type":"pong","server_time":"1732780800123"})"),
             "invalid_field: field 'server_time' must be an integer");
}

void TestFrameCodec::negativeNumberForAnUnsignedFieldIsRefused() {
    QCOMPARE(clientVerdict(R"({"type":"receipt_ack","receipt_id":-1})"),
             "invalid_field: field 'receipt_id' must be an unsigned integer");
    QCOMPARE(clientVerdict(sendFrame("c1", R"([{"user_id":2,"device_id":-1,"content":"aGk="}])")),
             "invalid_field: field 'envelopes[0].device_id' must be an unsigned integer");
}

void TestFrameCodec::fractionalNumberForAnIntegerIsRefused() {
    for (const char* number : {"5.5", "5.0", "1e2"})
        QCOMPARE(clientVerdict(std::string(R"({"type":"ack","status":"read","message_id":)") + number + "}"),
                 "invalid_field: field 'message_id' must be an unsigned integer");
}

void TestFrameCodec::numberBeyondTheFieldsRangeIsRefused() {
    QCOMPARE(clientVerdict(sendFrame("c1", R"([{"user_id":2,"device_id":4294967296,"content":"aGk="}])")),
             "invalid_field: field 'envelopes[0].device_id' must be an unsigned integer in range");
    QCOMPARE(clientVerdict(R"({"type":"ack","status":"read","message_id":18446744073709551616})"),
             "invalid_field: field 'message_id' must be an unsigned integer");
    QCOMPARE(serverVerdict(R"({"type":"pong","server_time":9223372036854775808})"),
             "invalid_field: field 'server_time' must be an integer");
    QCOMPARE(bodyVerdict<rest::TokenResponse>(R"({"access_token":"t","expires_in":2147483648})"),
             "invalid_field: field 'expires_in' must be an integer in range");
}

void TestFrameCodec::numberForAStringIsRefused() {
    QCOMPARE(clientVerdict(R"({"type":"typing","chat_id":12,"state":"start"})"),
             "invalid_field: field 'chat_id' must be a string");
    QCOMPARE(clientVerdict(sendFrame("c1", R"([{"user_id":2,"device_id":1,"content":42}])")),
             "invalid_field: field 'envelopes[0].content' must be a string");
}

void TestFrameCodec::wrongContainerShapesAreRefused() {
    QCOMPARE(clientVerdict(sendFrame("c1", "{}")), "invalid_field: field 'envelopes' must be an array");
    QCOMPARE(clientVerdict(sendFrame("c1", "[1]")), "invalid_field: field 'envelopes[0]' must be an object");
    QCOMPARE(bodyVerdict<rest::ContactsAddRequest>(R"({"user_ids":[2,"3"]})"),
             "invalid_field: field 'user_ids[1]' must be an unsigned integer");
    QCOMPARE(bodyVerdict<rest::ContactsLookupRequest>(R"({"phones":"+4915112345678"})"),
             "invalid_field: field 'phones' must be an array");
}

void TestFrameCodec::stringForABooleanIsRefused() {
    QCOMPARE(bodyVerdict<rest::PrivacySettings>(R"({"read_receipts":"false"})"),
             "invalid_field: field 'read_receipts' must be a boolean");
    QCOMPARE(bodyVerdict<rest::PrivacySettings>(R"({"read_receipts":0})"),
             "invalid_field: field 'read_receipts' must be a boolean");
}

void TestFrameCodec::clientAckWithSentStatusIsRefused() {
    QCOMPARE(clientVerdict(R"({"type":"ack","message_id":5,"status":"sent"})"),
             "invalid_field: field 'status' must be one of: delivered read");
}

void TestFrameCodec::statusOutsideTheEnumerationIsRefusedListingTheChoices() {
    QCOMPARE(clientVerdict(R"({"type":"ack","message_id":5,"status":"seen"})"),
             "invalid_field: field 'status' must be one of: sent delivered read");
    QCOMPARE(clientVerdict(R"({"type":"ack","message_id":5,"status":"READ"})"),
             "invalid_field: field 'status' must be one of: sent delivered read");
    QCOMPARE(clientVerdict(R"({"type":"ack","message_id":5,"status":2})"),
             "invalid_field: field 'status' must be one of: sent delivered read");
    QCOMPARE(bodyVerdict<rest::PrivacySettings>(R"({"online":"friends"})"),
             "invalid_field: field 'online' must be one of: everyone contacts nobody");
}

void TestFrameCodec::enumerationValueWithAnEmbeddedNulIsRefused() {
    QCOMPARE(clientVerdict(R"({"type":"ack","message_id":5,"status":"read\u0000x"})"),
             "invalid_field: field 'status' must be one of: sent delivered read");
}

void TestFrameCodec::typingStateOutsideStartAndStopIsRefused() {
    QCOMPARE(clientVerdict(R"({"type":"typing","chat_id":"dm:1:2","state":"pause"})"),
             "invalid_field: field 'state' must be one of: start stop");
}

void TestFrameCodec::ackOfMessageZeroIsRefused() {
    QCOMPARE(clientVerdict(R"({"type":"ack","message_id":0,"status":"delivered"})"),
             "invalid_field: field 'message_id' must be positive");
}

void TestFrameCodec::messageWithEmptyEnvelopesIsRefused() {
    QCOMPARE(clientVerdict(sendFrame("c1", "[]")),
             "invalid_field: field 'envelopes' must hold at least one envelope (or send 'content' to a group)");
}

void TestFrameCodec::messageWithMoreEnvelopesThanTheLimitIsRefused() {
    const auto envelopesFor = [](std::size_t count) {
        std::string out = "[";
        for (std::size_t i = 1; i <= count; ++i) out += (i > 1 ? "," : "") + envelope(i + 1, 1);
        return out + "]";
    };
    QCOMPARE(clientVerdict(sendFrame("c1", envelopesFor(limits::kMaxEnvelopes))), "accepted");
    QCOMPARE(clientVerdict(sendFrame("c1", envelopesFor(limits::kMaxEnvelopes + 1))),
             "invalid_field: field 'envelopes' holds more than 1024");
}

void TestFrameCodec::envelopeAddressingIdZeroIsRefused() {
    QCOMPARE(clientVerdict(sendFrame("c1", "[" + envelope(0, 1) + "]")),
             "invalid_field: field 'envelopes[0]' must address a user and device (ids start at 1)");
    QCOMPARE(clientVerdict(sendFrame("c1", "[" + envelope(2, 1) + "," + envelope(2, 0) + "]")),
             "invalid_field: field 'envelopes[1]' must address a user and device (ids start at 1)");
}

void TestFrameCodec::twoEnvelopesForTheSameDeviceAreRefused() {
    QCOMPARE(clientVerdict(sendFrame("c1", "[" + envelope(2, 1) + "," + envelope(1, 2) + "," + envelope(2, 1, "Zm9v") + "]")),
             "invalid_field: field 'envelopes[2]' addresses a device twice");
}

void TestFrameCodec::envelopeContentThatIsNotCanonicalBase64IsRefused_data() {
    QTest::addColumn<QByteArray>("content");
    QTest::newRow("empty") << QByteArray("");
    QTest::newRow("not base64") << QByteArray("not base64!");
    QTest::newRow("unpadded") << QByteArray("aGk");
    QTest::newRow("non-zero trailing bits") << QByteArray("aGl=");
    QTest::newRow("url-safe alphabet") << QByteArray("-_-_");
    QTest::newRow("escaped newline") << QByteArray("aGk=\\n");
    QTest::newRow("padding inside") << QByteArray("aG=k");
}

void TestFrameCodec::envelopeContentThatIsNotCanonicalBase64IsRefused() {
    QFETCH(QByteArray, content);
    QCOMPARE(clientVerdict(sendFrame("c1", "[" + envelope(2, 1, content.toStdString()) + "]")),
             "invalid_field: field 'envelopes[0].content' must be non-empty base64");
}

void TestFrameCodec::clientMsgIdOverSixtyFourBytesIsRefused() {
    const std::string env = "[" + envelope(2, 1) + "]";
    QCOMPARE(clientVerdict(sendFrame(std::string(64, 'c'), env)), "accepted");
    QCOMPARE(clientVerdict(sendFrame(std::string(65, 'c'), env)),
             "invalid_field: field 'client_msg_id' is longer than 64 bytes");
    // The limit counts bytes: 22 three-byte characters are 66 bytes.
    std::string euros;
    for (int i = 0; i < 22; ++i) euros += "\xE2\x82\xAC";
    QCOMPARE(clientVerdict(sendFrame(euros, env)), "invalid_field: field 'client_msg_id' is longer than 64 bytes");
}

void TestFrameCodec::emptyIdentifiersAreRefused() {
    QCOMPARE(clientVerdict(sendFrame("", "[" + envelope(2, 1) + "]")),
             "invalid_field: field 'client_msg_id' must not be empty");
    QCOMPARE(clientVerdict(R"({"type":"typing","chat_id":"","state":"stop"})"),
             "invalid_field: field 'chat_id' must not be empty");
}

void TestFrameCodec::chatIdOverTheLimitIsRefused() {
    const std::string longId = "dm:" + std::string(limits::kMaxChatIdBytes - 2, '1');
    QCOMPARE(clientVerdict(R"({"type":"typing","chat_id":")" + longId + R"(","state":"start"})"),
             "invalid_field: field 'chat_id' is longer than 64 bytes");
}

void TestFrameCodec::invalidUtf8InTheJsonTextIsRefusedAsMalformedJson() {
    for (const std::string_view bad : {"\xC3\x28", "\xC0\x80", "\xED\xA0\x80", "\xF0\x9F\x98"}) {
        const std::string text = R"({"type":"typing","chat_id":")" + std::string(bad) + R"(","state":"start"})";
        QVERIFY2(clientVerdict(text).startsWith("malformed_json: invalid JSON"), qPrintable(clientVerdict(text)));
    }
    QVERIFY(clientVerdict(R"({"type":"typing","chat_id":"\ud800","state":"start"})").startsWith("malformed_json"));
    QVERIFY(bodyVerdict<rest::ProfileUpdate>("{\"display_name\":\"\xFF\"}").startsWith("malformed_json"));
}

void TestFrameCodec::invalidUtf8ReachingValidationIsRefusedNamingTheField() {
    SendMessage send{"dm:1:\xC3", "c1", {{2, 1, "aGk="}}, std::nullopt};
    QCOMPARE(describe(*validate(send)), "invalid_field: field 'chat_id' is not valid UTF-8");
    send = SendMessage{"dm:1:2", "c\xED\xA0\x80", {{2, 1, "aGk="}}, std::nullopt};
    QCOMPARE(describe(*validate(send)), "invalid_field: field 'client_msg_id' is not valid UTF-8");
    const rest::ProfileUpdate update{std::nullopt, std::string("\xC0\xAF")};
    QCOMPARE(describe(*validate(update)), "invalid_field: field 'status_text' is not valid UTF-8");
}

void TestFrameCodec::frameOverTheSizeLimitIsRefusedAsPayloadTooLarge() {
    // Pad one envelope's content so the whole frame is exactly the limit, then one byte more.
    const std::string empty = sendFrame("c1", "[" + envelope(2, 1, "") + "]");
    const std::size_t room = (limits::kMaxFrameBytes - empty.size()) / 4 * 4;
    std::string atLimit = sendFrame("c1", "[" + envelope(2, 1, std::string(room, 'A')) + "]");
    atLimit.insert(atLimit.size() - 1, std::string(limits::kMaxFrameBytes - atLimit.size(), ' '));
    QCOMPARE(atLimit.size(), limits::kMaxFrameBytes);
    QCOMPARE(clientVerdict(atLimit), "accepted");
    atLimit.insert(atLimit.size() - 1, " ");
    QCOMPARE(clientVerdict(atLimit), "payload_too_large: frame exceeds 262144 bytes");
    QCOMPARE(serverVerdict(atLimit), "payload_too_large: frame exceeds 262144 bytes");
}

void TestFrameCodec::nestingDeeperThanTheLimitIsRefused() {
    // The frame object itself is one level: an extra field nested to the limit is accepted.
    const auto nested = [](std::size_t arrays) {
        return R"({"type":"ping","extra":)" + std::string(arrays, '[') + std::string(arrays, ']') + "}";
    };
    QCOMPARE(clientVerdict(nested(limits::kMaxJsonDepth - 1)), "accepted");
    QCOMPARE(clientVerdict(nested(limits::kMaxJsonDepth)), "malformed_json: invalid JSON: too deep");
    QCOMPARE(bodyVerdict<rest::Health>(R"({"status":"ok","protocol_version":1,"x":)" + std::string(40, '[') +
                                       std::string(40, ']') + "}"),
             "malformed_json: invalid JSON: too deep");
}

void TestFrameCodec::refIsTheFrameIdElseTheClientMsgId() {
    QCOMPARE(refOf(R"({"type":"ack","id":"req-7","message_id":5,"status":"read"})"), "req-7");
    QCOMPARE(refOf(sendFrame("c-42", "[" + envelope(2, 1) + "]")), "c-42");
    QCOMPARE(refOf(R"({"type":"message","id":"req-8","client_msg_id":"c-42"})"), "req-8");
    QCOMPARE(refOf(R"({"type":"message","id":8,"client_msg_id":"c-42"})"), "c-42");
    QCOMPARE(refOf(R"({"type":"ping"})"), "");
}

void TestFrameCodec::refIsKeptWhenTheFrameIsRefused() {
    QCOMPARE(refOf(R"({"type":"ack","id":"req-9","message_id":5,"status":"sent"})"), "req-9");
    QCOMPARE(refOf(R"({"type":"no_such_type","id":"req-10"})"), "req-10");
    QCOMPARE(refOf(sendFrame("c-43", "[]")), "c-43");
    QCOMPARE(refOf(R"({"id":"req-11"})"), "req-11");
    QCOMPARE(refOf(R"({"type":"ping","id":"req-12")"), "");
}

void TestFrameCodec::refOfAnOverlongClientMsgIdIsCutAtACharacterBoundary() {
    QCOMPARE(refOf(sendFrame(std::string(100, 'r'), "[]")), QString(64, 'r'));
    // 63 ASCII bytes then a 3-byte euro sign: byte 64 falls inside the euro, so it is left out.
    const QString ref = refOf(sendFrame(std::string(63, 'r') + "\xE2\x82\xAC" + "tail", "[]"));
    QCOMPARE(ref, QString(63, 'r'));
    QVERIFY(isValidUtf8(ref.toStdString()));
}

void TestFrameCodec::frameWithAnOverlongIdIsRefusedAndItsRefIsCut() {
    const auto ping = [](const std::string& id) { return R"({"type":"ping","id":")" + id + "\"}"; };
    QCOMPARE(clientVerdict(ping(std::string(limits::kMaxRequestIdBytes, 'i'))), "accepted");
    QCOMPARE(refOf(ping(std::string(limits::kMaxRequestIdBytes, 'i'))), QString(64, 'i'));
    // An id of 200 KiB (the frame limit is 256 KiB) would be echoed in full otherwise.
    const std::string huge(200 * 1024, 'i');
    QCOMPARE(clientVerdict(ping(huge)), "invalid_field: field 'id' is longer than 64 bytes");
    QCOMPARE(refOf(ping(huge)), QString(64, 'i'));
    // It wins over other faults of the frame, and is cut at a character boundary.
    QCOMPARE(clientVerdict(R"({"type":"nope","id":")" + huge + "\"}"),
             "invalid_field: field 'id' is longer than 64 bytes");
    const QString ref = refOf(ping(std::string(63, 'r') + "\xE2\x82\xAC"));
    QCOMPARE(ref, QString(63, 'r'));
}

void TestFrameCodec::unknownTypeIsQuotedOnlyInPart() {
    const std::string type(100 * 1024, 't');
    QCOMPARE(clientVerdict(R"({"type":")" + type + "\"}"),
             QStringLiteral("unknown_type: unknown frame type '%1...'").arg(QString(32, 't')));
    QCOMPARE(clientVerdict(R"({"type":")" + std::string(32, 't') + "\"}"),
             QStringLiteral("unknown_type: unknown frame type '%1'").arg(QString(32, 't')));
}

void TestFrameCodec::restBodiesWithInvalidPhonesAreRefusedNamingTheField() {
    const QString expected = "invalid_field: field 'phone' must be an E.164 number like +4915112345678";
    QCOMPARE(bodyVerdict<rest::RegisterRequest>(R"({"phone":"015112345678"})"), expected);
    QCOMPARE(bodyVerdict<rest::VerifyRequest>(R"({"phone":"+49 151","code":"123456"})"), expected);
    QCOMPARE(bodyVerdict<rest::ContactsLookupRequest>(R"({"phones":["+4915112345678","12345"]})"),
             "invalid_field: field 'phones[1]' must be an E.164 number like +4915112345678");
}

void TestFrameCodec::restBodiesOverTheirLimitsAreRefused() {
    const auto quoted = [](const std::string& s) { return "\"" + s + "\""; };
    QCOMPARE(bodyVerdict<rest::ProfileUpdate>(R"({"display_name":)" + quoted(std::string(100, 'n')) + "}"), "accepted");
    QCOMPARE(bodyVerdict<rest::ProfileUpdate>(R"({"display_name":)" + quoted(std::string(101, 'n')) + "}"),
             "invalid_field: field 'display_name' is longer than 100 bytes");
    QCOMPARE(bodyVerdict<rest::ProfileUpdate>(R"({"status_text":)" + quoted(std::string(300, 's')) + "}"), "accepted");
    QCOMPARE(bodyVerdict<rest::ProfileUpdate>(R"({"status_text":)" + quoted(std::string(301, 's')) + "}"),
             "invalid_field: field 'status_text' is longer than 300 bytes");
    QCOMPARE(bodyVerdict<rest::VerifyRequest>(R"({"phone":"+4915112345678","code":"1","device_name":)" +
                                              quoted(std::string(101, 'd')) + "}"),
             "invalid_field: field 'device_name' is longer than 100 bytes");
    QCOMPARE(bodyVerdict<rest::VerifyRequest>(R"({"phone":"+4915112345678","code":""})"),
             "invalid_field: field 'code' must not be empty");
    QCOMPARE(bodyVerdict<rest::VerifyRequest>(R"({"phone":"+4915112345678","code":)" + quoted(std::string(33, '1')) + "}"),
             "invalid_field: field 'code' is longer than 32 bytes");

    std::string phones = "[";
    for (std::size_t i = 0; i <= limits::kMaxLookupPhones; ++i) phones += (i ? "," : "") + quoted("+4915112345678");
    QCOMPARE(bodyVerdict<rest::ContactsLookupRequest>(R"({"phones":)" + phones + "]}"),
             "invalid_field: field 'phones' holds more than 1000");
    std::string ids = "[";
    for (std::size_t i = 0; i <= limits::kMaxContactsPerRequest; ++i) ids += (i ? "," : "") + std::to_string(i + 2);
    QCOMPARE(bodyVerdict<rest::ContactsAddRequest>(R"({"user_ids":)" + ids + "]}"),
             "invalid_field: field 'user_ids' holds more than 1000");
}

void TestFrameCodec::restBodyThatIsNotAnObjectIsRefusedAsMalformedJson() {
    QCOMPARE(bodyVerdict<rest::ContactsAddRequest>("[2,3]"), "malformed_json: expected a JSON object");
    QVERIFY(bodyVerdict<rest::RegisterRequest>("phone=+4915112345678").startsWith("malformed_json: invalid JSON"));
}
