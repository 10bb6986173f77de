// One connection cannot pin the server's memory (issue 18): what natterd echoes from a frame
// is bounded (a long "id" is refused, its ref cut to 64 bytes), a WebSocket whose peer leaves
// more than --max-outbound-bytes unread is closed as a slow consumer (4002), and queued
// messages wait on the server while a client is not reading instead of filling that budget.
#include "natterd_process.h"
#include "raw_websocket.h"
#include "server_metrics.h"
#include "test_client.h"

#include <QJsonDocument>
#include <QTest>

using namespace natter::test;

namespace {

constexpr qsizetype kMaxRefBytes = 64;     // docs/protocol.md: the echoed "ref" is at most 64 bytes
constexpr qsizetype kSmallAnswer = 512;    // an error frame with a bounded ref and message fits easily
constexpr int kHugeIdBytes = 200 * 1024;   // under the 256 KiB frame limit, so the frame is parsed

// A frame natterd refuses (an unknown type) carrying a `bytes`-long "id" that starts with `tag`.
QByteArray hugeIdFrame(const QByteArray& tag, int bytes) {
    return R"({"type":"no_such_type","id":")" + tag + QByteArray(bytes - tag.size(), 'x') + "\"}";
}

// Opens /ws for `client`'s device on a raw socket and reads up to sync_complete.
bool openRaw(RawWebSocket& raw, const NatterdProcess& server, const TestClient& client) {
    if (raw.open(server.wsUrl(), client.accessToken()) != 101) return false;
    while (const auto f = raw.readMessage())
        if (f->payload.contains("\"sync_complete\"")) return true;
    return false;
}

// The next error frame on `raw` (other frames are skipped), or an empty object.
QJsonObject nextError(RawWebSocket& raw, QByteArray* payload) {
    while (const auto f = raw.readMessage()) {
        const QJsonObject frame = QJsonDocument::fromJson(f->payload).object();
        if (frame.value("type") == "error") {
            *payload = f->payload;
            return frame;
        }
    }
    return {};
}

} // namespace

class TstOutboundLimits : public QObject {
    Q_OBJECT
private slots:
    void answerToAFrameWithAHugeIdIsSmall();
    void unreadAnswersToHugeIdsDoNotPinServerMemory();
    void clientThatDoesNotReadItsAnswersIsClosedAtTheByteCap();
    void queuedMessagesWaitWhileTheClientIsNotReading();
    void outboundCapIsAnOptionAndChecked();
};

void TstOutboundLimits::answerToAFrameWithAHugeIdIsSmall() {
    NatterdProcess server({"--message-rate", "1"}); // a burst of 2: the third frame is answered rate_limited
    NATTER_START(server);
    TestClient a(server);
    NATTER_SIGNUP(a, phoneNumber(1), "Ann");
    RawWebSocket raw;
    QVERIFY(openRaw(raw, server, a));

    for (int i = 1; i <= 3; ++i) QVERIFY(raw.sendFrame(RawWebSocket::Text, hugeIdFrame("req-" + QByteArray::number(i) + "-", kHugeIdBytes)));
    for (int i = 1; i <= 3; ++i) {
        QByteArray payload;
        const QJsonObject error = nextError(raw, &payload);
        QVERIFY2(!error.isEmpty(), "no error frame");
        QVERIFY2(payload.size() <= kSmallAnswer, qPrintable(QStringLiteral("a %1-byte answer").arg(payload.size())));
        const QString ref = error.value("ref").toString();
        QVERIFY2(ref.toUtf8().size() <= kMaxRefBytes, qPrintable(QStringLiteral("a %1-byte ref").arg(ref.size())));
        QVERIFY2(ref.startsWith(QStringLiteral("req-%1-").arg(i)), qPrintable(ref.left(80)));
        QCOMPARE(error.value("code").toString(), i < 3 ? QStringLiteral("invalid_field") : QStringLiteral("rate_limited"));
        if (i < 3) QCOMPARE(error.value("message").toString(), QStringLiteral("field 'id' is longer than 64 bytes"));
    }
}

void TstOutboundLimits::unreadAnswersToHugeIdsDoNotPinServerMemory() {
    // The issue's attack: error frames echoing huge ids, never read. Without bounds natterd kept
    // every answer (about 200 MiB here).
    NatterdProcess server;
    NATTER_START(server);
    TestClient a(server);
    NATTER_SIGNUP(a, phoneNumber(1), "Ann");
    RawWebSocket raw;
    QVERIFY(openRaw(raw, server, a));
    raw.stopReading();

    constexpr int kFrames = 1000;
    const double errorsBefore = metricValue(a, "natterd_errors_total");
    const qint64 rssBefore = residentBytes(server.pid());
    QVERIFY(errorsBefore >= 0 && rssBefore > 0);
    for (int i = 0; i < kFrames; ++i)
        QVERIFY2(raw.sendFrame(RawWebSocket::Text, hugeIdFrame("flood-" + QByteArray::number(i) + "-", kHugeIdBytes)),
                 qPrintable(QStringLiteral("frame %1 could not be sent").arg(i)));
    QTRY_VERIFY_WITH_TIMEOUT(metricValue(a, "natterd_errors_total") >= errorsBefore + kFrames, 20000);

    const qint64 grew = peakResidentBytes(server.pid()) - rssBefore;
    QVERIFY2(grew < 64 * 1024 * 1024, qPrintable(QStringLiteral("natterd grew by %1 MiB").arg(grew / (1024 * 1024))));
    // Every answer is there for the client that reads again, each one small.
    for (int i = 0; i < kFrames; ++i) {
        QByteArray payload;
        const QJsonObject error = nextError(raw, &payload);
        QVERIFY2(!error.isEmpty(), qPrintable(QStringLiteral("answer %1 missing").arg(i)));
        QVERIFY2(payload.size() <= kSmallAnswer, qPrintable(QStringLiteral("a %1-byte answer").arg(payload.size())));
    }
}

void TstOutboundLimits::clientThatDoesNotReadItsAnswersIsClosedAtTheByteCap() {
    NatterdProcess server; // the default cap, 4 MiB
    NATTER_START(server);
    TestClient a(server), b(server);
    NATTER_SIGNUP(a, phoneNumber(1), "Ann");
    NATTER_SIGNUP(b, phoneNumber(2), "Bob");
    RawWebSocket raw; // Ann's device, reading nothing
    QVERIFY(openRaw(raw, server, a));
    raw.stopReading();

    // Each message addresses 1,024 devices that are not in the chat: its device_mismatch answer
    // lists them all (about 31 KiB). 600 of them are 19 MiB, well past the cap and the kernel's buffers.
    QList<DeviceAddr> strangers;
    for (qint64 user = 1000; user < 1000 + 1024; ++user) strangers << DeviceAddr{user, 1};
    const QJsonArray envelopes = TestClient::envelopes(strangers, "hi");
    constexpr int kFrames = 600;
    int sent = 0;
    for (; sent < kFrames; ++sent) {
        const QJsonObject frame = TestClient::messageFrame(a.chatWith(b), QStringLiteral("m-%1").arg(sent), envelopes);
        if (!raw.sendFrame(RawWebSocket::Text, QJsonDocument(frame).toJson(QJsonDocument::Compact))) break; // closed
    }
    QTRY_COMPARE_WITH_TIMEOUT(metricValue(b, "natterd_slow_consumers_closed_total"), 1.0, 10000);
    QCOMPARE(raw.waitForClose(10000), 4002);
    const QByteArray log = server.standardError();
    QVERIFY2(log.contains(QStringLiteral("device %1.%2 closed as a slow consumer").arg(a.userId()).arg(a.deviceId()).toUtf8()),
             log.right(2000).constData());
    QVERIFY2(sent > 100, qPrintable(QString::number(sent))); // not closed for its first few answers
    QVERIFY2(a.openSession(), qPrintable(a.lastError()));       // and welcome again
}

void TstOutboundLimits::queuedMessagesWaitWhileTheClientIsNotReading() {
    NatterdProcess server; // the default cap, 4 MiB: messages wait from 2 MiB unread on
    NATTER_START(server);
    TestClient a(server), b(server);
    NATTER_SIGNUP(a, phoneNumber(1), "Ann");
    NATTER_SIGNUP(b, phoneNumber(2), "Bob");
    NATTER_SESSION(a);
    RawWebSocket bob; // Bob's device, connected but not reading for now
    QVERIFY(openRaw(bob, server, b));
    bob.stopReading();

    // 96 messages of 200 KiB (base64) each: 19 MiB, far more than the cap.
    constexpr int kMessages = 96;
    const QByteArray plain(150 * 1024, 'm');
    const QJsonArray envelopes = TestClient::envelopes(a.recipientsFor(b.userId()), plain);
    for (int i = 0; i < kMessages; ++i)
        a.send(TestClient::messageFrame(a.chatWith(b), QStringLiteral("big-%1").arg(i), envelopes));
    for (int i = 0; i < kMessages; ++i) NATTER_ACKED(a.waitForSendResult(QStringLiteral("big-%1").arg(i), 10000), a);
    // Every message was offered to Bob's connection by now (natterd acks before it delivers).
    QCOMPARE(metricValue(a, "natterd_slow_consumers_closed_total"), 0.0);

    // Bob reads again and gets every message, in order, on the same connection.
    for (int i = 0; i < kMessages; ++i) {
        std::optional<RawWebSocket::Frame> f;
        QJsonObject message;
        while ((f = bob.readMessage(10000))) {
            message = QJsonDocument::fromJson(f->payload).object();
            if (message.value("type") == "message" || f->opcode == RawWebSocket::Close) break;
        }
        QVERIFY2(f && f->opcode == RawWebSocket::Text,
                 qPrintable(QStringLiteral("message %1 did not come (%2)").arg(i).arg(f ? "closed" : "timeout")));
        QCOMPARE(message.value("client_msg_id").toString(), QStringLiteral("big-%1").arg(i));
    }
    QCOMPARE(metricValue(a, "natterd_slow_consumers_closed_total"), 0.0);
    QVERIFY2(!server.standardError().contains(plain.toBase64().left(64)), "message content in the log");
}

void TstOutboundLimits::outboundCapIsAnOptionAndChecked() {
    const ProcessOutcome help = NatterdProcess::runOnce({"--help"});
    QVERIFY2(help.standardOutput.contains("--max-outbound-bytes"), help.standardOutput.constData());
    const ProcessOutcome tooSmall = NatterdProcess::runOnce({"--max-outbound-bytes", "1000"});
    QVERIFY(tooSmall.finished);
    QCOMPARE(tooSmall.exitCode, 2);
    QVERIFY2(tooSmall.standardError.contains("--max-outbound-bytes must be at least 1048576"),
             tooSmall.standardError.constData());
}

QTEST_GUILESS_MAIN(TstOutboundLimits)
#include "tst_outbound_limits.moc"
