// tst_protocol_document: docs/protocol.md stays true to the code. Every ```json example must
// carry a marker and parse with the protocol library as the marker says, every frame type
// and REST body must have an example, and the error and limit tables must match the headers.
#include "protocol_catalog.h"

#include "protocol/frame_codec.h"
#include "protocol/limits.h"

#include <QFile>
#include <QRegularExpression>
#include <QTest>

#include <functional>
#include <map>
#include <set>

using namespace natter::protocol;
using namespace natter::protocol::test;

namespace {

// One fenced JSON example: where it starts, the marker comment before it, and its text.
struct Example {
    int line = 0;       // 1-based line of the opening fence
    QString marker;     // e.g. "frame: client", "body: VerifyRequest"; empty when there is none
    std::string json;
};

struct Document {
    QString text;
    std::vector<Example> examples;
};

// Opening fences whose info string starts with "json" (any case) are examples; other fenced
// blocks (mermaid, http, text) are skipped whole, so JSON-looking text inside them is ignored.
Document load() {
    Document doc;
    QFile file(QStringLiteral(NATTER_PROTOCOL_DOC));
    if (!file.open(QIODevice::ReadOnly)) return doc;
    doc.text = QString::fromUtf8(file.readAll());
    const QStringList lines = doc.text.split('\n');
    static const QRegularExpression markerRe(QStringLiteral(R"(^<!--\s*(frame|body):\s*(\S+)\s*-->$)"));
    QString lastNonBlank;
    for (qsizetype i = 0; i < lines.size(); ++i) {
        const QString line = lines[i].trimmed();
        if (!line.startsWith(QLatin1String("```"))) {
            if (!line.isEmpty()) lastNonBlank = line;
            continue;
        }
        const bool isJson = line.mid(3).trimmed().startsWith(QLatin1String("json"), Qt::CaseInsensitive);
        Example example;
        example.line = static_cast<int>(i + 1);
        if (const auto m = markerRe.match(lastNonBlank); m.hasMatch())
            example.marker = m.captured(1) + ": " + m.captured(2);
        QString body;
        for (++i; i < lines.size() && !lines[i].trimmed().startsWith(QLatin1String("```")); ++i) body += lines[i] + '\n';
        if (isJson) {
            example.json = body.toStdString();
            doc.examples.push_back(std::move(example));
        }
        lastNonBlank.clear();
    }
    return doc;
}

const Document& document() {
    static const Document doc = load();
    return doc;
}

QString fromStd(std::string_view text) { return QString::fromUtf8(text.data(), static_cast<qsizetype>(text.size())); }

// "accepted", or "code: message".
template <class T>
QString verdictOf(const Result<T>& r) {
    return r ? QStringLiteral("accepted") : fromStd(toString(r.error().code)) + ": " + QString::fromStdString(r.error().message);
}

// REST struct name -> "accepted" or "code: message" for a body of that struct.
const std::map<QString, std::function<QString(std::string_view)>>& bodyParsers() {
    static const auto parsers = [] {
        std::map<QString, std::function<QString(std::string_view)>> out;
        boost::mp11::mp_for_each<boost::mp11::mp_transform<std::type_identity, RestBodies>>([&](auto id) {
            using Body = typename decltype(id)::type;
            out[QString::fromStdString(unqualifiedName<Body>())] = [](std::string_view text) {
                return verdictOf(parseBody<Body>(text));
            };
        });
        return out;
    }();
    return parsers;
}

// Names ("kType (Struct)") of the alternatives of Variant that no example of `marker` parses to.
template <class Variant, class Parse>
QStringList uncoveredFrames(const QString& marker, Parse parse) {
    std::set<std::size_t> seen;
    for (const auto& example : document().examples)
        if (example.marker == marker)
            if (const auto frame = parse(example.json); frame) seen.insert(frame->index());
    QStringList missing;
    boost::mp11::mp_for_each<boost::mp11::mp_iota_c<std::variant_size_v<Variant>>>([&](auto I) {
        using Frame = std::variant_alternative_t<I, Variant>;
        if (!seen.contains(I))
            missing << fromStd(Frame::kType) + " (" + QString::fromStdString(unqualifiedName<Frame>()) + ")";
    });
    return missing;
}

} // namespace

class TestProtocolDocument : public QObject {
    Q_OBJECT

private slots:
    void documentHasJsonExamples() {
        QVERIFY2(!document().text.isEmpty(), "cannot read " NATTER_PROTOCOL_DOC);
        QVERIFY(document().examples.size() >= 35);
    }

    void everyJsonExampleCarriesAMarker() {
        QStringList unmarked;
        for (const auto& example : document().examples)
            if (example.marker.isEmpty()) unmarked << QString::number(example.line);
        QVERIFY2(unmarked.isEmpty(),
                 qPrintable("```json blocks without <!-- frame: client|server --> or <!-- body: Name --> at lines " +
                            unmarked.join(", ")));
    }

    void everyJsonExampleParsesAsItsMarkerSays_data() {
        QTest::addColumn<int>("index");
        const auto& examples = document().examples;
        for (std::size_t i = 0; i < examples.size(); ++i)
            QTest::addRow("line %d (%s)", examples[i].line,
                         examples[i].marker.isEmpty() ? "no marker" : qPrintable(examples[i].marker)) << static_cast<int>(i);
    }

    void everyJsonExampleParsesAsItsMarkerSays() {
        QFETCH(int, index);
        const Example& example = document().examples.at(static_cast<std::size_t>(index));
        QString verdict;
        if (example.marker == QLatin1String("frame: client")) {
            std::string ref;
            verdict = verdictOf(parseClientFrame(example.json, ref));
        } else if (example.marker == QLatin1String("frame: server")) {
            verdict = verdictOf(parseServerFrame(example.json));
        } else if (example.marker.startsWith(QLatin1String("body: "))) {
            const QString name = example.marker.mid(6);
            const auto parser = bodyParsers().find(name);
            QVERIFY2(parser != bodyParsers().end(), qPrintable("no REST struct named " + name + " in rest.h"));
            verdict = parser->second(example.json);
        } else {
            QFAIL("the example has no marker comment");
        }
        QVERIFY2(verdict == QLatin1String("accepted"), qPrintable(verdict + "\n" + QString::fromStdString(example.json)));
    }

    void everyClientFrameTypeHasAnExample() {
        const QStringList missing = uncoveredFrames<ClientFrame>(QStringLiteral("frame: client"), [](const std::string& t) {
            std::string ref;
            return parseClientFrame(t, ref);
        });
        QVERIFY2(missing.isEmpty(), qPrintable("no client frame example for " + missing.join(", ")));
    }

    void everyServerFrameTypeHasAnExample() {
        const QStringList missing = uncoveredFrames<ServerFrame>(
            QStringLiteral("frame: server"), [](const std::string& t) { return parseServerFrame(t); });
        QVERIFY2(missing.isEmpty(), qPrintable("no server frame example for " + missing.join(", ")));
    }

    void everyRestBodyHasAnExample() {
        std::set<QString> marked;
        for (const auto& example : document().examples)
            if (example.marker.startsWith(QLatin1String("body: "))) marked.insert(example.marker.mid(6));
        QStringList missing;
        for (const auto& [name, parse] : bodyParsers())
            if (!marked.contains(name)) missing << name;
        QVERIFY2(missing.isEmpty(), qPrintable("no <!-- body: Name --> example for " + missing.join(", ")));
    }

    void everyErrorCodeIsDocumentedWithItsHttpStatus() {
        QStringList missing;
        for (int i = 0; i <= static_cast<int>(ErrorCode::Internal); ++i) {
            const auto code = static_cast<ErrorCode>(i);
            const QString row = QStringLiteral(R"(\|\s*`%1`\s*\|\s*%2\s*\|)")
                                    .arg(fromStd(toString(code)), QString::number(httpStatus(code)));
            if (!document().text.contains(QRegularExpression(row)))
                missing << fromStd(toString(code)) + " " + QString::number(httpStatus(code));
        }
        QVERIFY2(missing.isEmpty(), qPrintable("error table rows missing or wrong: " + missing.join(", ")));
    }

    void everyLimitIsDocumentedWithItsValue() {
        const std::pair<const char*, std::size_t> table[] = {
            {"kMaxFrameBytes", limits::kMaxFrameBytes},
            {"kMaxRestBodyBytes", limits::kMaxRestBodyBytes},
            {"kMaxJsonDepth", limits::kMaxJsonDepth},
            {"kMaxClientMsgIdBytes", limits::kMaxClientMsgIdBytes},
            {"kMaxRequestIdBytes", limits::kMaxRequestIdBytes},
            {"kMaxChatIdBytes", limits::kMaxChatIdBytes},
            {"kMaxEnvelopes", limits::kMaxEnvelopes},
            {"kMaxDisplayNameBytes", limits::kMaxDisplayNameBytes},
            {"kMaxStatusTextBytes", limits::kMaxStatusTextBytes},
            {"kMaxDeviceNameBytes", limits::kMaxDeviceNameBytes},
            {"kMaxLookupPhones", limits::kMaxLookupPhones},
            {"kMaxContactsPerRequest", limits::kMaxContactsPerRequest},
        };
        QStringList missing;
        for (const auto& [name, value] : table) {
            const QString row = QStringLiteral(R"(\|\s*`%1`\s*\|\s*%2\b)").arg(name, QString::number(value));
            if (!document().text.contains(QRegularExpression(row))) missing << QString(name) + " = " + QString::number(value);
        }
        QVERIFY2(missing.isEmpty(), qPrintable("limit table rows missing or wrong: " + missing.join(", ")));
    }
};

QTEST_APPLESS_MAIN(TestProtocolDocument)
#include "tst_protocol_document.moc"
