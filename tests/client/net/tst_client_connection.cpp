// Connection against a real natterd: welcome and sync, reconnecting by itself after the
// server restarts (with a refreshed token), replacement, revocation and the heartbeat.
#include "net_test_support.h"

#include "client/net/connection.h"
#include "natterd_process.h"
#include "test_client.h"

#include <QSignalSpy>
#include <QTest>

#include <csignal>
#include <sys/types.h>

using namespace natter::client;
using namespace natter::client::net;
using namespace natter::client::net::testing;
using namespace natter::protocol::rest;
using namespace natter::test;

namespace {

constexpr int kTimeoutMs = 15000;

// Records what one Connection signalled.
struct Recorder {
    explicit Recorder(Connection& c) {
        QObject::connect(&c, &Connection::connected, [this](const natter::protocol::Welcome& w) { welcomes << w; });
        QObject::connect(&c, &Connection::syncCompleted, [this](quint64) { ++syncs; });
        QObject::connect(&c, &Connection::disconnected, [this](const QString&, int) { ++drops; });
        QObject::connect(&c, &Connection::replaced, [this] { ++replaced; });
        QObject::connect(&c, &Connection::unauthorized, [this](const QString&) { ++unauthorized; });
        QObject::connect(&c, &Connection::revoked, [this](natter::protocol::RevocationReason r) { revoked << r; });
        QObject::connect(&c, &Connection::stateChanged, [this](Connection::State s) {
            if (s == Connection::State::Connecting) ++attempts;
        });
        QObject::connect(&c, &Connection::frameReceived, [this](const natter::protocol::ServerFrame& f) {
            if (const auto* m = std::get_if<natter::protocol::MessageDelivery>(&f)) messages << *m;
        });
    }
    QList<natter::protocol::Welcome> welcomes;
    QList<natter::protocol::MessageDelivery> messages;
    QList<natter::protocol::RevocationReason> revoked;
    int syncs = 0, drops = 0, replaced = 0, unauthorized = 0, attempts = 0;
};

Connection::Backoff fastBackoff() {
    return {std::chrono::milliseconds(100), std::chrono::milliseconds(400), 0.2};
}

} // namespace

class TstClientConnection : public QObject {
    Q_OBJECT
private slots:
    void connectionGetsWelcomeAndSyncCompleteAndGoesOnline();
    void afterTheServerRestartsItReconnectsByItselfAndReceivesWhatWasSentMeanwhile();
    void anExpiredTokenIsRefreshedForTheReconnect();
    void aSecondConnectionOfTheSameDeviceReplacesTheFirstWhichStaysOffline();
    void anUnlinkedDeviceIsToldItWasUnlinkedAndDoesNotReconnect();
    void anUnlinkedDeviceStartingAgainLearnsItWasUnlinkedFromTheTokenRefresh();
    void theHeartbeatKeepsAnIdleConnectionOpenPastThePresenceTimeout();
    void aServerThatFallsSilentIsDroppedAndReconnectedWhenItAnswersAgain();
};

void TstClientConnection::connectionGetsWelcomeAndSyncCompleteAndGoesOnline() {
    NatterdProcess server;
    NATTER_START(server);
    ApiClient api(server.baseUrl());
    const auto me = signUp(api, phoneNumber(10));
    NATTER_OK(me);
    Connection conn(api);
    Recorder rec(conn);
    conn.start();
    QTRY_COMPARE_WITH_TIMEOUT(conn.state(), Connection::State::Online, kTimeoutMs);
    QCOMPARE(rec.welcomes.size(), 1);
    QCOMPARE(rec.welcomes.front().user_id, me->user_id);
    QCOMPARE(rec.welcomes.front().device_id, me->device_id);
    QCOMPARE(rec.syncs, 1);
    QVERIFY(conn.isConnected());
    QVERIFY(conn.send(natter::protocol::Ping{}));

    conn.stop();
    QCOMPARE(conn.state(), Connection::State::Offline);
    QVERIFY(!conn.send(natter::protocol::Ping{}));
    QVERIFY(!conn.isRunning()); // no reconnect is scheduled: nothing will try again
    QCOMPARE(rec.attempts, 1);
    QCOMPARE(rec.drops, 0);
}

void TstClientConnection::afterTheServerRestartsItReconnectsByItselfAndReceivesWhatWasSentMeanwhile() {
    NatterdProcess server;
    NATTER_START(server);
    TestClient alice(server);
    NATTER_SIGNUP(alice, phoneNumber(11), "Alice");
    ApiClient api(server.baseUrl());
    const auto bob = signUp(api, phoneNumber(12));
    NATTER_OK(bob);
    Connection conn(api);
    conn.setBackoff(fastBackoff());
    Recorder rec(conn);
    conn.start();
    QTRY_COMPARE_WITH_TIMEOUT(conn.state(), Connection::State::Online, kTimeoutMs);

    server.kill9();
    QTRY_VERIFY_WITH_TIMEOUT(rec.drops >= 1, kTimeoutMs);
    QVERIFY(server.restart());
    // Until the client learns the new port it keeps failing; meanwhile Alice sends.
    NATTER_SESSION(alice);
    const QString chat = TestClient::directChatId(alice.userId(), qint64(bob->user_id));
    alice.send(TestClient::messageFrame(chat, "while-away",
                                        TestClient::envelopes(alice.recipientsFor(qint64(bob->user_id)), "hello bob")));
    NATTER_ACKED(alice.waitForSendResult("while-away"), alice);
    QCOMPARE(rec.welcomes.size(), 1);

    api.setServer(server.baseUrl());
    QTRY_COMPARE_WITH_TIMEOUT(rec.welcomes.size(), 2, kTimeoutMs);
    QTRY_COMPARE_WITH_TIMEOUT(conn.state(), Connection::State::Online, kTimeoutMs);
    QCOMPARE(rec.messages.size(), 1);
    QCOMPARE(rec.messages.front().client_msg_id, std::string("while-away"));
    QCOMPARE(rec.messages.front().content, natter::test::b64("hello bob").toStdString());
    QCOMPARE(rec.unauthorized, 0);
}

void TstClientConnection::anExpiredTokenIsRefreshedForTheReconnect() {
    NatterdProcess server({"--access-token-ttl", "60"});
    server.useAdjustableClock(); // tokens expire when the test moves natterd's clock, not while it waits
    NATTER_START(server);
    ApiClient api(server.baseUrl());
    NATTER_OK(signUp(api, phoneNumber(13)));
    Connection conn(api);
    conn.setBackoff(fastBackoff());
    Recorder rec(conn);
    conn.start();
    QTRY_COMPARE_WITH_TIMEOUT(conn.state(), Connection::State::Online, kTimeoutMs);
    const QString used = api.accessToken();

    server.kill9();
    QTRY_VERIFY_WITH_TIMEOUT(rec.drops >= 1, kTimeoutMs);
    QVERIFY(server.restart());
    QVERIFY(server.advanceClock(std::chrono::seconds(62))); // every token issued so far has expired
    api.setAccessToken(used, 3600); // the client believes it valid: the upgrade is refused with 401
    api.setServer(server.baseUrl());
    QTRY_COMPARE_WITH_TIMEOUT(rec.welcomes.size(), 2, kTimeoutMs);
    QTRY_COMPARE_WITH_TIMEOUT(conn.state(), Connection::State::Online, kTimeoutMs);
    QVERIFY(api.accessToken() != used);
    QCOMPARE(rec.unauthorized, 0);
}

void TstClientConnection::aSecondConnectionOfTheSameDeviceReplacesTheFirstWhichStaysOffline() {
    NatterdProcess server;
    NATTER_START(server);
    ApiClient api(server.baseUrl());
    NATTER_OK(signUp(api, phoneNumber(14)));
    Connection first(api), second(api);
    first.setBackoff(fastBackoff());
    second.setBackoff(fastBackoff());
    Recorder one(first), two(second);
    first.start();
    QTRY_COMPARE_WITH_TIMEOUT(first.state(), Connection::State::Online, kTimeoutMs);
    second.start();
    QTRY_COMPARE_WITH_TIMEOUT(one.replaced, 1, kTimeoutMs);
    QTRY_COMPARE_WITH_TIMEOUT(second.state(), Connection::State::Online, kTimeoutMs);
    QCOMPARE(first.state(), Connection::State::Offline);

    QVERIFY(!first.isRunning()); // no reconnect is scheduled: the replaced connection stays down
    QCOMPARE(one.attempts, 1);
    QCOMPARE(one.welcomes.size(), 1);
    QCOMPARE(first.state(), Connection::State::Offline);
    QCOMPARE(second.state(), Connection::State::Online);
    QCOMPARE(two.replaced, 0);
}

void TstClientConnection::anUnlinkedDeviceIsToldItWasUnlinkedAndDoesNotReconnect() {
    NatterdProcess server;
    NATTER_START(server);
    TestClient phone(server);
    NATTER_SIGNUP(phone, phoneNumber(15), "Ann");
    const natter::test::HttpResult code = phone.request("POST", "/api/devices/link-code", QJsonObject{{"provision", "AA=="}});
    NATTER_HTTP(code, 200);
    ApiClient api(server.baseUrl());
    const auto linked = await<VerifyResponse>([&](auto done) {
        api.call<VerifyResponse>(HttpMethod::Post, "/api/devices/link",
                                 LinkRequest{code.object().value("code").toString().toStdString(), std::string("laptop")},
                                 done);
    });
    NATTER_OK(linked);
    api.setCredentials(linked->user_id, linked->device_id, QByteArray::fromStdString(linked->device_secret));
    api.setAccessToken(QString::fromStdString(linked->access_token), linked->expires_in);

    Connection conn(api);
    conn.setBackoff(fastBackoff());
    Recorder rec(conn);
    conn.start();
    QTRY_COMPARE_WITH_TIMEOUT(conn.state(), Connection::State::Online, kTimeoutMs);

    QSignalSpy announced(&api, &ApiClient::deviceRevoked);
    NATTER_HTTP(phone.request("DELETE", QStringLiteral("/api/devices/%1").arg(linked->device_id)), 204);
    QTRY_COMPARE_WITH_TIMEOUT(rec.revoked.size(), 1, kTimeoutMs);
    QVERIFY(rec.revoked.front() == natter::protocol::RevocationReason::unlinked); // the close reason
    QCOMPARE(conn.state(), Connection::State::Offline);
    QCOMPARE(announced.count(), 1); // REST calls learn it too
    QVERIFY(api.revoked() == natter::protocol::RevocationReason::unlinked);
    QVERIFY(!conn.isRunning()); // no reconnect is scheduled
    QCOMPARE(rec.attempts, 1);
    QCOMPARE(rec.revoked.size(), 1);
    QCOMPARE(rec.unauthorized, 0);
    QCOMPARE(conn.state(), Connection::State::Offline);
}

void TstClientConnection::anUnlinkedDeviceStartingAgainLearnsItWasUnlinkedFromTheTokenRefresh() {
    NatterdProcess server;
    NATTER_START(server);
    TestClient phone(server);
    NATTER_SIGNUP(phone, phoneNumber(16), "Ann");
    const natter::test::HttpResult code = phone.request("POST", "/api/devices/link-code", QJsonObject{{"provision", "AA=="}});
    NATTER_HTTP(code, 200);
    ApiClient api(server.baseUrl());
    const auto laptop = await<VerifyResponse>([&](auto done) {
        api.call<VerifyResponse>(HttpMethod::Post, "/api/devices/link",
                                 LinkRequest{code.object().value("code").toString().toStdString(), std::string("laptop")},
                                 done);
    });
    NATTER_OK(laptop);
    QCOMPARE(laptop->device_id, 2u);
    api.setCredentials(laptop->user_id, laptop->device_id, QByteArray::fromStdString(laptop->device_secret));
    api.setAccessToken(QString::fromStdString(laptop->access_token), laptop->expires_in);
    NATTER_HTTP(phone.request("DELETE", "/api/devices/2"), 204);

    Connection conn(api); // its token has not expired, but the server refuses it
    conn.setBackoff(fastBackoff());
    Recorder rec(conn);
    conn.start();
    QTRY_COMPARE_WITH_TIMEOUT(rec.revoked.size(), 1, kTimeoutMs);
    QVERIFY(rec.revoked.front() == natter::protocol::RevocationReason::unlinked);
    QVERIFY(!conn.isRunning()); // no reconnect is scheduled
    QVERIFY2(rec.attempts <= 2, qPrintable(QString::number(rec.attempts)));
    QCOMPARE(rec.revoked.size(), 1);
    QCOMPARE(rec.unauthorized, 0);
    QCOMPARE(rec.welcomes.size(), 0);
    QCOMPARE(conn.state(), Connection::State::Offline);
}

void TstClientConnection::theHeartbeatKeepsAnIdleConnectionOpenPastThePresenceTimeout() {
    NatterdProcess server({"--heartbeat-interval", "1", "--presence-timeout", "3"});
    NATTER_START(server);
    ApiClient api(server.baseUrl());
    NATTER_OK(signUp(api, phoneNumber(17)));
    Connection conn(api);
    Recorder rec(conn);
    conn.start();
    QTRY_COMPARE_WITH_TIMEOUT(conn.state(), Connection::State::Online, kTimeoutMs);
    QCOMPARE(rec.welcomes.front().heartbeat_interval_s, 1);

    QTest::qWait(5000); // longer than the presence timeout, with nothing to say
    QCOMPARE(conn.state(), Connection::State::Online);
    QCOMPARE(rec.drops, 0);
    QCOMPARE(rec.welcomes.size(), 1);
    QCOMPARE(rec.attempts, 1);
}

void TstClientConnection::aServerThatFallsSilentIsDroppedAndReconnectedWhenItAnswersAgain() {
    NatterdProcess server({"--heartbeat-interval", "1", "--presence-timeout", "30"});
    NATTER_START(server);
    ApiClient api(server.baseUrl());
    NATTER_OK(signUp(api, phoneNumber(18)));
    Connection conn(api);
    conn.setBackoff(fastBackoff());
    Recorder rec(conn);
    conn.start();
    QTRY_COMPARE_WITH_TIMEOUT(conn.state(), Connection::State::Online, kTimeoutMs);

    // A stopped process keeps its sockets open but answers nothing, not even pongs.
    QCOMPARE(::kill(pid_t(server.pid()), SIGSTOP), 0);
    QTRY_VERIFY_WITH_TIMEOUT(rec.drops >= 1, kTimeoutMs);
    QCOMPARE(::kill(pid_t(server.pid()), SIGCONT), 0);
    QTRY_COMPARE_WITH_TIMEOUT(rec.welcomes.size(), 2, kTimeoutMs + 30000);
    QTRY_COMPARE_WITH_TIMEOUT(conn.state(), Connection::State::Online, kTimeoutMs);
}

QTEST_GUILESS_MAIN(TstClientConnection)
#include "tst_client_connection.moc"
