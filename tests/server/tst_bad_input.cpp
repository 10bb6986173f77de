// Hostile and broken input: every bad frame gets the right error and changes nothing;
// WebSocket-level violations close the connection; REST rejects bad requests; rate limits.
#include "natterd_process.h"
#include "raw_websocket.h"
#include "server_world.h"
#include "test_client.h"

#include <QSet>
#include <QTest>

#include <memory>

using namespace natter::test;

class TstBadInput : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void init();
    void cleanup();

    void badFrameGetsErrorAndChangesNothing_data();
    void badFrameGetsErrorAndChangesNothing();
    void invalidUtf8TextFrameClosesWith1007();
    void frameOverOneMebibyteClosesWith1009();
    void malformedJsonBodyIsRejected();
    void restBodyOver64KiBIsRejectedWith413();
    void unknownPathIsNotFoundAndWrongMethodNotAllowed();
    void missingOrWrongAuthorizationIsUnauthorized();
    void messageBurstOverRateLimitDeliversExactlyTheAckedOnes();

private:
    std::unique_ptr<NatterdProcess> m_server;
    std::unique_ptr<TestClient> m_a, m_b, m_c;
    int m_sentinel = 0;
};

void TstBadInput::initTestCase() {
    m_server = std::make_unique<NatterdProcess>();
    NATTER_START(*m_server);
    m_a = std::make_unique<TestClient>(*m_server);
    m_b = std::make_unique<TestClient>(*m_server);
    m_c = std::make_unique<TestClient>(*m_server);
    NATTER_SIGNUP(*m_a, phoneNumber(1), "Ann");
    NATTER_SIGNUP(*m_b, phoneNumber(2), "Bob");
    NATTER_SIGNUP(*m_c, phoneNumber(3), "Cid");
    NATTER_SESSION(*m_a);
    NATTER_SESSION(*m_b);
}

void TstBadInput::init() {
    if (!m_a) QSKIP("no server");
    // A previous failure may have closed a connection: every row starts from open ones.
    for (TestClient* c : {m_a.get(), m_b.get()})
        if (!c->isConnected()) {
            QVERIFY2(c->connectWs(), qPrintable(c->lastError()));
            QVERIFY(c->readSync(true).ok);
        }
    m_a->clearFrames();
    m_b->clearFrames();
}

void TstBadInput::cleanup() {
    if (m_server) m_server->printStderrIfTestFailed();
}

void TstBadInput::badFrameGetsErrorAndChangesNothing_data() {
    QTest::addColumn<QString>("frame"); // %CHAT%, %B%, %ENV% (valid envelopes for B), %CMID% are filled in
    QTest::addColumn<bool>("binary");
    QTest::addColumn<QString>("code");
    const QString msg = QStringLiteral(R"({"type":"message","chat_id":"%CHAT%","client_msg_id":"%CMID%","envelopes":%1})");
    QTest::newRow("malformed JSON") << R"({"type":"message","chat_id":)" << false << "malformed_json";
    QTest::newRow("JSON array") << R"([{"type":"ping"}])" << false << "malformed_json";
    QTest::newRow("JSON string") << R"("ping")" << false << "malformed_json";
    QTest::newRow("empty text") << "" << false << "malformed_json";
    QTest::newRow("nested 40 deep") << (R"({"type":"ping","x":)" + QString(40, '[') + QString(40, ']') + "}") << false << "malformed_json";
    QTest::newRow("missing type") << R"({"chat_id":"%CHAT%","client_msg_id":"%CMID%","envelopes":%ENV%})" << false << "invalid_field";
    QTest::newRow("type not a string") << R"({"type":7})" << false << "invalid_field";
    QTest::newRow("unknown type") << R"({"type":"launch","chat_id":"%CHAT%"})" << false << "unknown_type";
    QTest::newRow("server frame type from client") << R"({"type":"welcome"})" << false << "unknown_type";
    QTest::newRow("missing chat_id") << R"({"type":"message","client_msg_id":"%CMID%","envelopes":%ENV%})" << false << "invalid_field";
    QTest::newRow("chat_id as number") << R"({"type":"message","chat_id":12,"client_msg_id":"%CMID%","envelopes":%ENV%})" << false << "invalid_field";
    QTest::newRow("envelopes not an array") << msg.arg(R"({"user_id":%B%,"device_id":1,"content":"aGk="})") << false << "invalid_field";
    QTest::newRow("envelopes empty") << msg.arg("[]") << false << "invalid_field";
    QTest::newRow("content not base64") << msg.arg(R"([{"user_id":%B%,"device_id":1,"content":"not base64!"}])") << false << "invalid_field";
    QTest::newRow("content empty") << msg.arg(R"([{"user_id":%B%,"device_id":1,"content":""}])") << false << "invalid_field";
    QTest::newRow("device id 0") << msg.arg(R"([{"user_id":%B%,"device_id":0,"content":"aGk="}])") << false << "invalid_field";
    QTest::newRow("same device twice") << msg.arg(R"([{"user_id":%B%,"device_id":1,"content":"aGk="},{"user_id":%B%,"device_id":1,"content":"aGk="}])") << false << "invalid_field";
    QTest::newRow("client_msg_id too long") << QStringLiteral(R"({"type":"message","chat_id":"%CHAT%","client_msg_id":"%1","envelopes":%ENV%})").arg(QString(65, 'k')) << false << "invalid_field";
    QTest::newRow("client_msg_id empty") << R"({"type":"message","chat_id":"%CHAT%","client_msg_id":"","envelopes":%ENV%})" << false << "invalid_field";
    QTest::newRow("ack with status sent") << R"({"type":"ack","message_id":1,"status":"sent"})" << false << "invalid_field";
    QTest::newRow("ack with status bogus") << R"({"type":"ack","message_id":1,"status":"seen"})" << false << "invalid_field";
    QTest::newRow("ack with message_id -1") << R"({"type":"ack","message_id":-1,"status":"delivered"})" << false << "invalid_field";
    QTest::newRow("ack with message_id string") << R"({"type":"ack","message_id":"1","status":"delivered"})" << false << "invalid_field";
    QTest::newRow("receipt_ack without id") << R"({"type":"receipt_ack"})" << false << "invalid_field";
    QTest::newRow("typing with bad state") << R"({"type":"typing","chat_id":"%CHAT%","state":"dancing"})" << false << "invalid_field";
    QTest::newRow("binary frame") << R"({"type":"ping"})" << true << "invalid_field";
    // A valid message whose only fault is its size (over 256 KiB, under the 1 MiB hard limit).
    QTest::newRow("300 KiB frame") << msg.arg(QStringLiteral(R"([{"user_id":%B%,"device_id":1,"content":"%1"}])").arg(QString(300 * 1024, 'A'))) << false << "payload_too_large";
}

void TstBadInput::badFrameGetsErrorAndChangesNothing() {
    QFETCH(QString, frame);
    QFETCH(bool, binary);
    QFETCH(QString, code);
    TestClient& a = *m_a;
    TestClient& b = *m_b;
    const QString cmid = QStringLiteral("bad-%1").arg(QTest::currentDataTag());
    frame.replace("%CHAT%", a.chatWith(b))
        .replace("%ENV%", QStringLiteral(R"([{"user_id":%B%,"device_id":1,"content":"aGk="}])"))
        .replace("%B%", QString::number(b.userId()))
        .replace("%CMID%", cmid);

    if (binary)
        a.sendBinary(frame.toUtf8());
    else
        a.sendText(frame);
    NATTER_TAKE(err, a, "error");
    QCOMPARE(err.value("code").toString(), code);
    QVERIFY2(!err.value("message").toString().isEmpty(), qPrintable(compact(err)));
    QVERIFY2(a.pingPong(), qPrintable(QStringLiteral("connection not usable after the error: close code %1").arg(a.closeCode())));
    QVERIFY2(a.expectNo("ack", 0), qPrintable("the bad frame was acked: " + a.describePending()));

    // Nothing reached B: the next message B gets is this row's sentinel.
    const QString sentinel = QStringLiteral("sentinel-%1").arg(++m_sentinel);
    const auto ok = a.sendTo(b, sentinel, "ok");
    QVERIFY2(ok && ok->value("type") == "ack", qPrintable(ok ? compact(*ok) : a.describePending()));
    NATTER_TAKE(m, b, "message");
    QVERIFY2(m.value("client_msg_id").toString() == sentinel, qPrintable("delivered despite the error: " + compact(m).left(300)));
    b.ackDelivered(intField(m, "message_id"));
}

void TstBadInput::invalidUtf8TextFrameClosesWith1007() {
    RawWebSocket raw;
    QCOMPARE(raw.open(m_server->wsUrl(), m_c->accessToken()), 101);
    const auto welcome = raw.readFrame();
    QVERIFY2(welcome && welcome->opcode == RawWebSocket::Text && welcome->payload.contains("\"welcome\""), "no welcome on the raw socket");
    QVERIFY(raw.sendFrame(RawWebSocket::Text, QByteArray("{\"type\":\"ping\",\"x\":\"\xC3\x28\xFF\"}")));
    QCOMPARE(raw.waitForClose(5000), 1007);
}

void TstBadInput::frameOverOneMebibyteClosesWith1009() {
    RawWebSocket raw;
    QCOMPARE(raw.open(m_server->wsUrl(), m_c->accessToken()), 101);
    QByteArray big = R"({"type":"ping","pad":")";
    big += QByteArray(2 * 1024 * 1024, 'A');
    big += "\"}";
    raw.sendFrame(RawWebSocket::Text, big); // the server may close before reading it all
    QCOMPARE(raw.waitForClose(10000), 1009);
}

void TstBadInput::malformedJsonBodyIsRejected() {
    for (const QByteArray& body : {QByteArray("{\"phones\":["), QByteArray("[\"+4915100000001\"]"), QByteArray("phones=1")}) {
        const HttpResult r = m_a->rawRequest("POST", "/api/contacts/lookup", body);
        QVERIFY2(r.status == 400, qPrintable(body + " -> " + r.describe()));
        QCOMPARE(r.errorCode(), QStringLiteral("malformed_json"));
    }
    const HttpResult reg = m_a->rawRequest("POST", "/api/register", "{\"phone\":", false);
    QVERIFY2(reg.status == 400, qPrintable(reg.describe()));
    QCOMPARE(reg.errorCode(), QStringLiteral("malformed_json"));
}

void TstBadInput::restBodyOver64KiBIsRejectedWith413() {
    QJsonArray phones;
    for (int i = 0; phones.size() < 5000; ++i) phones.append(phoneNumber(100000 + i)); // ~ 90 KiB
    const QByteArray body = QJsonDocument(QJsonObject{{"phones", phones}}).toJson(QJsonDocument::Compact);
    QVERIFY(body.size() > 64 * 1024);
    const HttpResult r = m_a->rawRequest("POST", "/api/contacts/lookup", body);
    QVERIFY2(r.status == 413, qPrintable(r.describe()));
    if (!r.body.isEmpty()) QCOMPARE(r.errorCode(), QStringLiteral("payload_too_large"));
    const HttpResult put = m_a->rawRequest("PUT", "/api/profile", "{\"status_text\":\"" + QByteArray(70 * 1024, 'x') + "\"}");
    QVERIFY2(put.status == 413, qPrintable(put.describe()));
    // The server is fine afterwards.
    QCOMPARE(m_a->request("GET", "/api/profile").status, 200);
}

void TstBadInput::unknownPathIsNotFoundAndWrongMethodNotAllowed() {
    const HttpResult unknown = m_a->request("GET", "/api/no-such-thing");
    QVERIFY2(unknown.status == 404, qPrintable(unknown.describe()));
    QCOMPARE(unknown.errorCode(), QStringLiteral("not_found"));
    QCOMPARE(m_a->request("GET", "/definitely/not/here").status, 404);
    const HttpResult wrongMethod = m_a->request("DELETE", "/api/profile");
    QVERIFY2(wrongMethod.status == 405, qPrintable(wrongMethod.describe()));
    const HttpResult getRegister = m_a->request("GET", "/api/register");
    QVERIFY2(getRegister.status == 405, qPrintable(getRegister.describe()));
}

void TstBadInput::missingOrWrongAuthorizationIsUnauthorized() {
    const HttpResult none = m_a->rawRequest("GET", "/api/profile", {}, false);
    QVERIFY2(none.status == 401, qPrintable(none.describe()));
    QCOMPARE(none.errorCode(), QStringLiteral("unauthorized"));
    for (const char* path : {"/api/contacts", "/api/settings/privacy"}) {
        const HttpResult r = m_a->rawRequest("GET", path, {}, false);
        QVERIFY2(r.status == 401, qPrintable(QString(path) + " -> " + r.describe()));
    }
    const HttpResult ws = m_a->rawRequest("GET", "/api/users/1/devices", {}, false);
    QVERIFY2(ws.status == 401, qPrintable(ws.describe()));
}

void TstBadInput::messageBurstOverRateLimitDeliversExactlyTheAckedOnes() {
    ServerWorld world({"--message-rate", "5"});
    NATTER_WORLD(world, {"Ann", "Bob"});
    TestClient &a = world.user("Ann"), &b = world.user("Bob");
    const auto to = a.recipientsFor(b.userId());
    constexpr int kBurst = 20;
    for (int i = 0; i < kBurst; ++i)
        a.send(TestClient::messageFrame(a.chatWith(b), QStringLiteral("r%1").arg(i), TestClient::envelopes(to, "burst " + QByteArray::number(i))));

    QSet<QString> acked;
    QList<qint64> seqs;
    int limited = 0;
    for (int i = 0; i < kBurst; ++i) {
        const QString cmid = QStringLiteral("r%1").arg(i);
        const auto res = a.waitForSendResult(cmid, 10000);
        QVERIFY2(res, qPrintable(cmid + " got no answer; pending: " + a.describePending()));
        if (res->value("type") == "ack") {
            acked.insert(cmid);
            seqs << intField(*res, "seq");
        } else {
            QCOMPARE(res->value("code").toString(), QStringLiteral("rate_limited"));
            ++limited;
        }
    }
    QVERIFY2(limited > 0, "20 messages at once passed a limit of 5 per second");
    QVERIFY2(!acked.isEmpty(), "every message was refused");
    QVERIFY2(acked.size() <= 10, qPrintable(QStringLiteral("%1 of 20 accepted at 5/s").arg(acked.size())));
    std::sort(seqs.begin(), seqs.end());
    QList<qint64> expectedSeqs;
    for (int i = 1; i <= acked.size(); ++i) expectedSeqs << i;
    QCOMPARE(seqs, expectedSeqs); // refused ones took no seq

    const auto got = b.waitForCount("message", int(acked.size()), 10000);
    QVERIFY2(got, qPrintable(b.describePending()));
    QSet<QString> delivered;
    for (const QJsonObject& m : *got) delivered.insert(m.value("client_msg_id").toString());
    QCOMPARE(delivered, acked);
    QVERIFY2(b.expectNo("message", 1000), qPrintable("a refused message was delivered: " + b.describePending()));
}

QTEST_GUILESS_MAIN(TstBadInput)
#include "tst_bad_input.moc"
