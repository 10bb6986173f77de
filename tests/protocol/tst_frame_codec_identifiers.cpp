// tst_frame_codec identifier rules: E.164 phone numbers, 1:1 chat ids, canonical base64 and
// strict UTF-8, the checks every client applies before sending.
#include "tst_frame_codec.h"

#include "protocol/base64.h"
#include "protocol/identifiers.h"

#include <QRandomGenerator>
#include <QTest>

#include <limits>

using namespace natter::protocol;
using namespace natter::protocol::test;

void TestFrameCodec::isE164FollowsTheNumberingPlan_data() {
    QTest::addColumn<QByteArray>("phone");
    QTest::addColumn<bool>("valid");
    QTest::newRow("german mobile") << QByteArray("+4915112345678") << true;
    QTest::newRow("us number") << QByteArray("+14155550100") << true;
    QTest::newRow("shortest: 7 digits") << QByteArray("+1234567") << true;
    QTest::newRow("longest: 15 digits") << QByteArray("+123456789012345") << true;
    QTest::newRow("empty") << QByteArray("") << false;
    QTest::newRow("plus only") << QByteArray("+") << false;
    QTest::newRow("no plus") << QByteArray("4915112345678") << false;
    QTest::newRow("national trunk prefix") << QByteArray("015112345678") << false;
    QTest::newRow("international 00 prefix") << QByteArray("004915112345678") << false;
    QTest::newRow("country code starting with 0") << QByteArray("+0123456789") << false;
    QTest::newRow("6 digits") << QByteArray("+123456") << false;
    QTest::newRow("16 digits") << QByteArray("+1234567890123456") << false;
    QTest::newRow("spaces") << QByteArray("+49 151 12345678") << false;
    QTest::newRow("dashes") << QByteArray("+49-151-12345678") << false;
    QTest::newRow("double plus") << QByteArray("++4915112345678") << false;
    QTest::newRow("letter") << QByteArray("+4915112345a78") << false;
    QTest::newRow("trailing newline") << QByteArray("+4915112345678\n") << false;
    QTest::newRow("fullwidth digits") << QByteArray("+\xEF\xBC\x94\xEF\xBC\x99\xEF\xBC\x91\xEF\xBC\x95") << false;
}

void TestFrameCodec::isE164FollowsTheNumberingPlan() {
    QFETCH(QByteArray, phone);
    QFETCH(bool, valid);
    QCOMPARE(isE164(phone.toStdString()), valid);
}

void TestFrameCodec::directChatIdIsTheSameFromBothSides() {
    QCOMPARE(QString::fromStdString(directChatId(1, 2)), "dm:1:2");
    QCOMPARE(QString::fromStdString(directChatId(2, 1)), "dm:1:2");
    QCOMPARE(QString::fromStdString(directChatId(10, 9)), "dm:9:10");
    constexpr UserId max = std::numeric_limits<UserId>::max();
    QCOMPARE(QString::fromStdString(directChatId(max, 3)), "dm:3:18446744073709551615");
    QCOMPARE(directChatId(max, 3), directChatId(3, max));
}

void TestFrameCodec::directChatIdParsesBackToItsParticipants() {
    constexpr UserId max = std::numeric_limits<UserId>::max();
    for (const auto& [a, b] : {std::pair<UserId, UserId>{1, 2}, {2, 1}, {9, 10}, {max, 1}, {max - 1, max}}) {
        const auto parsed = parseDirectChatId(directChatId(a, b));
        QVERIFY(parsed.has_value());
        QCOMPARE(parsed->first, std::min(a, b));
        QCOMPARE(parsed->second, std::max(a, b));
    }
}

void TestFrameCodec::parseDirectChatIdRejectsMalformedIds_data() {
    QTest::addColumn<QByteArray>("chatId");
    QTest::newRow("higher id first") << QByteArray("dm:2:1");
    QTest::newRow("leading zero") << QByteArray("dm:01:2");
    QTest::newRow("one id") << QByteArray("dm:1");
    QTest::newRow("other prefix") << QByteArray("x:1:2");
    QTest::newRow("upper-case prefix") << QByteArray("DM:1:2");
    QTest::newRow("chat with oneself") << QByteArray("dm:1:1");
    QTest::newRow("user zero") << QByteArray("dm:0:2");
    QTest::newRow("empty first id") << QByteArray("dm::2");
    QTest::newRow("empty second id") << QByteArray("dm:1:");
    QTest::newRow("three ids") << QByteArray("dm:1:2:3");
    QTest::newRow("negative id") << QByteArray("dm:-1:2");
    QTest::newRow("plus sign") << QByteArray("dm:+1:2");
    QTest::newRow("beyond 64 bits") << QByteArray("dm:1:18446744073709551616");
    QTest::newRow("leading space") << QByteArray(" dm:1:2");
    QTest::newRow("trailing space") << QByteArray("dm:1:2 ");
    QTest::newRow("prefix only") << QByteArray("dm:");
    QTest::newRow("empty") << QByteArray("");
}

void TestFrameCodec::parseDirectChatIdRejectsMalformedIds() {
    QFETCH(QByteArray, chatId);
    QVERIFY(!parseDirectChatId(chatId.toStdString()).has_value());
}

void TestFrameCodec::base64MatchesTheRfc4648Vectors() {
    const std::pair<std::string_view, std::string_view> vectors[] = {
        {"", ""},         {"f", "Zg=="},         {"fo", "Zm8="},         {"foo", "Zm9v"},
        {"foob", "Zm9vYg=="}, {"fooba", "Zm9vYmE="}, {"foobar", "Zm9vYmFy"},
    };
    for (const auto& [plain, encoded] : vectors) {
        QCOMPARE(fromView(base64::encode(plain)), fromView(encoded));
        const auto decoded = base64::decode(encoded);
        QVERIFY(decoded.has_value());
        QCOMPARE(fromView(*decoded), fromView(plain));
        QVERIFY(base64::isValid(encoded));
    }
}

void TestFrameCodec::base64RoundTripsBinaryData() {
    std::string every;
    for (int i = 0; i < 256; ++i) every.push_back(static_cast<char>(i));
    QRandomGenerator random(20241128);
    std::vector<std::string> inputs{every, std::string(3, '\0'), std::string(1, '\xFF')};
    for (std::size_t length = 0; length < 70; ++length) {
        std::string bytes(length, '\0');
        for (auto& b : bytes) b = static_cast<char>(random.bounded(256));
        inputs.push_back(std::move(bytes));
    }
    for (const auto& bytes : inputs) {
        const std::string encoded = base64::encode(bytes);
        QCOMPARE(encoded.size(), (bytes.size() + 2) / 3 * 4);
        const auto decoded = base64::decode(encoded);
        QVERIFY2(decoded.has_value(), encoded.c_str());
        QVERIFY2(*decoded == bytes, encoded.c_str());
    }
}

void TestFrameCodec::base64RejectsNonCanonicalInput_data() {
    QTest::addColumn<QByteArray>("text");
    QTest::newRow("missing padding") << QByteArray("Zg");
    QTest::newRow("short padding") << QByteArray("Zg=");
    QTest::newRow("non-zero bits before ==") << QByteArray("Zh==");
    QTest::newRow("non-zero bits before =") << QByteArray("Zm9=");
    QTest::newRow("three padding characters") << QByteArray("Z===");
    QTest::newRow("padding only") << QByteArray("====");
    QTest::newRow("padding in the middle") << QByteArray("Zg==Zg==");
    QTest::newRow("padding inside a quantum") << QByteArray("Zm=v");
    QTest::newRow("url-safe minus") << QByteArray("Zm9-");
    QTest::newRow("url-safe underscore") << QByteArray("Zm9_");
    QTest::newRow("trailing newline") << QByteArray("Zm9vYmFy\n");
    QTest::newRow("line break inside") << QByteArray("Zm9v\nYmFy");
    QTest::newRow("trailing spaces") << QByteArray("Zm9v    ");
    QTest::newRow("leading spaces") << QByteArray("    Zm9v");
    QTest::newRow("NUL byte") << QByteArray("Zm9", 3).append('\0');
    QTest::newRow("non-ASCII") << QByteArray("Zm9\xC3\xA9");
}

void TestFrameCodec::base64RejectsNonCanonicalInput() {
    QFETCH(QByteArray, text);
    const std::string input(text.constData(), static_cast<std::size_t>(text.size()));
    QVERIFY(!base64::decode(input).has_value());
    QVERIFY(!base64::isValid(input));
}

void TestFrameCodec::utf8AcceptsWellFormedText_data() {
    QTest::addColumn<QByteArray>("text");
    QTest::newRow("empty") << QByteArray("");
    QTest::newRow("ascii") << QByteArray("hello, world");
    QTest::newRow("NUL") << QByteArray("a\0b", 3);
    QTest::newRow("2-byte: e acute") << QByteArray("caf\xC3\xA9");
    QTest::newRow("2-byte: U+0080") << QByteArray("\xC2\x80");
    QTest::newRow("3-byte: euro") << QByteArray("\xE2\x82\xAC");
    QTest::newRow("3-byte: U+0800") << QByteArray("\xE0\xA0\x80");
    QTest::newRow("3-byte: U+D7FF before surrogates") << QByteArray("\xED\x9F\xBF");
    QTest::newRow("3-byte: U+E000 after surrogates") << QByteArray("\xEE\x80\x80");
    QTest::newRow("3-byte: U+FFFF") << QByteArray("\xEF\xBF\xBF");
    QTest::newRow("4-byte: emoji") << QByteArray("\xF0\x9F\x98\x80");
    QTest::newRow("4-byte: U+10FFFF") << QByteArray("\xF4\x8F\xBF\xBF");
}

void TestFrameCodec::utf8AcceptsWellFormedText() {
    QFETCH(QByteArray, text);
    QVERIFY(isValidUtf8(std::string_view(text.constData(), static_cast<std::size_t>(text.size()))));
}

void TestFrameCodec::utf8RejectsMalformedSequences_data() {
    QTest::addColumn<QByteArray>("text");
    QTest::newRow("overlong NUL (C0 80)") << QByteArray("\xC0\x80");
    QTest::newRow("overlong slash (C0 AF)") << QByteArray("\xC0\xAF");
    QTest::newRow("overlong 2-byte (C1 BF)") << QByteArray("\xC1\xBF");
    QTest::newRow("overlong 3-byte (E0 80 80)") << QByteArray("\xE0\x80\x80");
    QTest::newRow("overlong 3-byte U+07FF") << QByteArray("\xE0\x9F\xBF");
    QTest::newRow("overlong 4-byte U+FFFF") << QByteArray("\xF0\x8F\xBF\xBF");
    QTest::newRow("high surrogate U+D800") << QByteArray("\xED\xA0\x80");
    QTest::newRow("low surrogate U+DFFF") << QByteArray("\xED\xBF\xBF");
    QTest::newRow("surrogate pair encoded separately") << QByteArray("\xED\xA0\xBD\xED\xB8\x80");
    QTest::newRow("beyond U+10FFFF") << QByteArray("\xF4\x90\x80\x80");
    QTest::newRow("F5 lead byte") << QByteArray("\xF5\x80\x80\x80");
    QTest::newRow("5-byte form") << QByteArray("\xF8\x88\x80\x80\x80");
    QTest::newRow("FE") << QByteArray("\xFE");
    QTest::newRow("FF") << QByteArray("\xFF");
    QTest::newRow("lone continuation") << QByteArray("a\x80z");
    QTest::newRow("truncated 2-byte at end") << QByteArray("ab\xC3");
    QTest::newRow("truncated 3-byte at end") << QByteArray("\xE2\x82");
    QTest::newRow("truncated 4-byte at end") << QByteArray("\xF0\x9F\x98");
    QTest::newRow("truncated 3-byte mid-text") << QByteArray("\xE2\x82z");
    QTest::newRow("missing continuation") << QByteArray("\xE2\x28\xA1");
}

void TestFrameCodec::utf8RejectsMalformedSequences() {
    QFETCH(QByteArray, text);
    QVERIFY(!isValidUtf8(std::string_view(text.constData(), static_cast<std::size_t>(text.size()))));
}
