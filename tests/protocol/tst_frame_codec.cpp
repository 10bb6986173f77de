// tst_frame_codec round trips: every frame and REST body serialises and parses back to equal
// fields, absent optionals stay absent, and the error code table is stable.
#include "tst_frame_codec.h"

#include "field_compare.h"
#include "protocol_catalog.h"
#include "samples.h"

#include <QTest>

#include <functional>
#include <utility>

using namespace natter::protocol;
using namespace natter::protocol::test;
namespace json = boost::json;

namespace {

using Case = std::pair<std::string, std::function<QString()>>;

// Empty when no value in the JSON is null (absent optionals must be omitted, not null).
QString nullsIn(const json::value& v, const std::string& path) {
    if (v.is_null()) return QString::fromStdString("'" + path + "' is serialised as null");
    if (v.is_object())
        for (const auto& [key, item] : v.get_object())
            if (auto why = nullsIn(item, path.empty() ? std::string(key) : path + "." + std::string(key)); !why.isEmpty())
                return why;
    if (v.is_array())
        for (std::size_t i = 0; i < v.get_array().size(); ++i)
            if (auto why = nullsIn(v.get_array()[i], path + "[" + std::to_string(i) + "]"); !why.isEmpty()) return why;
    return {};
}

// Empty when every top-level optional of `value` is a key in `obj` exactly when it holds a value.
template <class T>
QString optionalKeysMatch(const T& value, const json::object& obj) {
    QString why;
    boost::mp11::mp_for_each<boost::describe::describe_members<T, boost::describe::mod_public>>([&](auto d) {
        using Member = std::remove_cvref_t<decltype(value.*d.pointer)>;
        if constexpr (json_codec::IsOptional<Member>::value) {
            if (why.isEmpty() && (value.*d.pointer).has_value() != obj.contains(d.name))
                why = QStringLiteral("optional '%1' is %2 but its key is %3")
                          .arg(QString::fromUtf8(d.name), (value.*d.pointer) ? u"set" : u"unset",
                               obj.contains(d.name) ? u"written" : u"missing");
        }
    });
    return why;
}

// Checks the serialised text of `value` and that `parsed` (what came back) equals it.
template <class T>
QString compareRoundTrip(const T& value, const std::string& text, const Result<T>& parsed) {
    const json::value doc = json::parse(text);
    if (auto why = nullsIn(doc, ""); !why.isEmpty()) return why;
    if (auto why = optionalKeysMatch(value, doc.as_object()); !why.isEmpty()) return why;
    if (!parsed) return QStringLiteral("refused %1: %2").arg(QString::fromStdString(text), describe(parsed.error()));
    if (const auto diff = firstDifference(value, *parsed); !diff.empty())
        return QString::fromStdString("field " + diff + " after a round trip of " + text);
    return {};
}

// The parsed frame of alternative Frame, or an error naming what came back instead.
template <class Frame, class Variant>
Result<Frame> alternative(const Result<Variant>& parsed, const std::string& text) {
    if (!parsed) return parsed.error();
    if (!std::holds_alternative<Frame>(*parsed))
        return makeError(ErrorCode::Internal, "parsed as another frame type: " + text);
    return std::get<Frame>(*parsed);
}

template <class Frame>
QString typeKeyMatches(const std::string& text) {
    const auto doc = json::parse(text); // keep the document alive while `type` points into it
    const auto* type = doc.as_object().if_contains("type");
    if (!type || !type->is_string() || type->get_string() != Frame::kType)
        return QString::fromStdString("\"type\" is not \"" + std::string(Frame::kType) + "\" in " + text);
    return {};
}

// One row per sample of every type in List, each running `check` on its sample.
template <class List, class Check>
std::vector<Case> casesOf(Check check) {
    std::vector<Case> out;
    boost::mp11::mp_for_each<boost::mp11::mp_transform<std::type_identity, List>>([&](auto id) {
        using T = typename decltype(id)::type;
        const auto all = samples<T>();
        for (std::size_t i = 0; i < all.size(); ++i)
            out.emplace_back(unqualifiedName<T>() + " sample " + std::to_string(i + 1),
                             [check, sample = all[i]] { return check(sample); });
    });
    return out;
}

const std::vector<Case>& clientCases() {
    static const auto cases = casesOf<ClientFrame>([](const auto& frame) {
        using Frame = std::remove_cvref_t<decltype(frame)>;
        const std::string text = serializeFrame(frame);
        if (auto why = typeKeyMatches<Frame>(text); !why.isEmpty()) return why;
        std::string ref;
        return compareRoundTrip(frame, text, alternative<Frame>(parseClientFrame(text, ref), text));
    });
    return cases;
}

const std::vector<Case>& serverCases() {
    static const auto cases = casesOf<ServerFrame>([](const auto& frame) {
        using Frame = std::remove_cvref_t<decltype(frame)>;
        const std::string text = serializeFrame(frame);
        if (auto why = typeKeyMatches<Frame>(text); !why.isEmpty()) return why;
        return compareRoundTrip(frame, text, alternative<Frame>(parseServerFrame(text), text));
    });
    return cases;
}

const std::vector<Case>& restCases() {
    static const auto cases = casesOf<RestBodies>([](const auto& body) {
        using Body = std::remove_cvref_t<decltype(body)>;
        const std::string text = serializeBody(body);
        return compareRoundTrip(body, text, parseBody<Body>(text));
    });
    return cases;
}

void addRows(const std::vector<Case>& cases) {
    QTest::addColumn<int>("index");
    for (std::size_t i = 0; i < cases.size(); ++i) QTest::newRow(cases[i].first.c_str()) << static_cast<int>(i);
}

void runRow(const std::vector<Case>& cases) {
    QFETCH(int, index);
    const QString why = cases.at(static_cast<std::size_t>(index)).second();
    QVERIFY2(why.isEmpty(), qPrintable(why));
}

} // namespace

void TestFrameCodec::everyClientFrameSurvivesARoundTrip_data() { addRows(clientCases()); }
void TestFrameCodec::everyClientFrameSurvivesARoundTrip() { runRow(clientCases()); }
void TestFrameCodec::everyServerFrameSurvivesARoundTrip_data() { addRows(serverCases()); }
void TestFrameCodec::everyServerFrameSurvivesARoundTrip() { runRow(serverCases()); }
void TestFrameCodec::everyRestBodySurvivesARoundTrip_data() { addRows(restCases()); }
void TestFrameCodec::everyRestBodySurvivesARoundTrip() { runRow(restCases()); }

void TestFrameCodec::nullOptionalFieldIsReadAsAbsent() {
    const auto frame = parseServerFrame(R"({"type":"presence","user_id":2,"status":"offline","last_seen":null})");
    QVERIFY(frame);
    QVERIFY(!std::get<PresenceEvent>(*frame).last_seen.has_value());

    const auto body = parseBody<rest::ProfileUpdate>(R"({"display_name":null,"status_text":"hi"})");
    QVERIFY(body);
    QVERIFY(!body->display_name.has_value());
    QCOMPARE(QString::fromStdString(body->status_text.value_or("")), "hi");
}

void TestFrameCodec::unknownFieldsAreIgnored() {
    std::string ref;
    const auto frame = parseClientFrame(R"({"type":"ping","id":"p1","future":{"nested":[1,2,3]}})", ref);
    QVERIFY(frame);
    QVERIFY(std::holds_alternative<Ping>(*frame));
    QCOMPARE(bodyVerdict<rest::RegisterRequest>(R"({"phone":"+4915112345678","locale":"de"})"), "accepted");
}

void TestFrameCodec::ackTypeMeansAClientAckOrAServerSentAckByDirection() {
    const std::string clientAck = R"({"type":"ack","message_id":5,"status":"read"})";
    std::string ref;
    const auto asClient = parseClientFrame(clientAck, ref);
    QVERIFY(asClient && std::holds_alternative<AckMessage>(*asClient));
    QCOMPARE(serverVerdict(clientAck), "invalid_field: missing field 'client_msg_id'");

    const std::string sentAck = serializeFrame(samples<SentAck>().front());
    const auto asServer = parseServerFrame(sentAck);
    QVERIFY(asServer && std::holds_alternative<SentAck>(*asServer));
    QCOMPARE(clientVerdict(sentAck), "invalid_field: field 'status' must be one of: delivered read");
}

void TestFrameCodec::everyErrorCodeHasAStableWireNameAndHttpStatus() {
    struct Row {
        ErrorCode code;
        std::string_view name;
        unsigned http;
    };
    const Row table[] = {
        {ErrorCode::MalformedJson, "malformed_json", 400},  {ErrorCode::UnknownType, "unknown_type", 400},
        {ErrorCode::InvalidField, "invalid_field", 400},    {ErrorCode::PayloadTooLarge, "payload_too_large", 413},
        {ErrorCode::Unauthorized, "unauthorized", 401},     {ErrorCode::Forbidden, "forbidden", 403},
        {ErrorCode::NotFound, "not_found", 404},            {ErrorCode::MethodNotAllowed, "method_not_allowed", 405},
        {ErrorCode::DeviceMismatch, "device_mismatch", 409}, {ErrorCode::RateLimited, "rate_limited", 429},
        {ErrorCode::VerificationFailed, "verification_failed", 403}, {ErrorCode::Conflict, "conflict", 409},
        {ErrorCode::RangeNotSatisfiable, "range_not_satisfiable", 416}, {ErrorCode::DeviceRevoked, "device_revoked", 401},
        {ErrorCode::Internal, "internal", 500},
    };
    QCOMPARE(std::size(table), static_cast<std::size_t>(ErrorCode::Internal) + 1);
    for (const auto& row : table) {
        QCOMPARE(fromView(toString(row.code)), fromView(row.name));
        QCOMPARE(httpStatus(row.code), row.http);
        ErrorCode back = ErrorCode::Internal;
        QVERIFY(fromString(row.name, back));
        QVERIFY(back == row.code);
    }
}

void TestFrameCodec::unknownErrorCodeNameIsNotRecognised() {
    ErrorCode out = ErrorCode::Conflict;
    QVERIFY(!fromString("no_such_code", out));
    QVERIFY(!fromString("", out));
    QVERIFY(!fromString("Invalid_Field", out));
    QVERIFY(out == ErrorCode::Conflict);
}

QTEST_APPLESS_MAIN(TestFrameCodec)
