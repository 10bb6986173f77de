// ApiClient against a real natterd: typed calls, server errors with their codes, network
// failures, transparent token refresh, and streamed media upload/download.
#include "net_test_support.h"

#include "natterd_process.h"
#include "test_client.h"

#include <QRandomGenerator>
#include <QTcpServer>
#include <QTemporaryFile>
#include <QTest>

using namespace natter::client;
using namespace natter::client::net;
using namespace natter::client::net::testing;
using namespace natter::protocol::rest;
using natter::test::NatterdProcess;

class TstClientApi : public QObject {
    Q_OBJECT
private slots:
    void registerAndVerifyGiveCredentialsAndATypedGetReadsTheProfile();
    void aWrongVerificationCodeArrivesAsServerErrorVerificationFailed();
    void aBadPhoneNumberArrivesAsServerErrorInvalidField();
    void anUnreachableServerArrivesAsNetworkError();
    void anExpiredAccessTokenIsRefreshedBeforeTheRequest();
    void aTokenTheServerRefusesIsRefreshedOnceAndTheRequestRetried();
    void mediaUploadThenDownloadStreamsIdenticalBytesWithProgressToTheTotal();
    void callbacksNeverRunAfterTheClientIsDestroyed();
};

void TstClientApi::registerAndVerifyGiveCredentialsAndATypedGetReadsTheProfile() {
    NatterdProcess server;
    NATTER_START(server);
    ApiClient api(server.baseUrl());
    const auto verified = signUp(api, phoneNumber(1));
    NATTER_OK(verified);
    QVERIFY(verified->new_account);
    QCOMPARE(verified->device_id, 1u);

    const auto profile = await<Profile>([&](auto done) { api.call<Profile>(HttpMethod::Get, "/api/profile", done); });
    NATTER_OK(profile);
    QCOMPARE(profile->user_id, verified->user_id);
    QCOMPARE(profile->phone.value_or(""), phoneNumber(1).toStdString());

    const auto updated = await<Profile>([&](auto done) {
        api.call<Profile>(HttpMethod::Put, "/api/profile", ProfileUpdate{std::string("Ann"), std::nullopt}, done);
    });
    NATTER_OK(updated);
    QCOMPARE(updated->display_name, std::string("Ann"));

    const auto devices = await<DeviceList>([&](auto done) { api.call<DeviceList>(HttpMethod::Get, "/api/devices", done); });
    NATTER_OK(devices);
    QCOMPARE(devices->devices.size(), size_t(1));
    QCOMPARE(devices->devices.front().name, std::string("laptop"));

    const auto removed = await<boost::json::value>([&](auto done) {
        api.call<boost::json::value>(HttpMethod::Delete, "/api/push", done);
    });
    NATTER_OK(removed);
    QVERIFY(removed->is_object());
}

void TstClientApi::aWrongVerificationCodeArrivesAsServerErrorVerificationFailed() {
    NatterdProcess server;
    NATTER_START(server);
    ApiClient api(server.baseUrl());
    const auto registered = await<RegisterResponse>([&](auto done) {
        api.call<RegisterResponse>(HttpMethod::Post, "/api/register", RegisterRequest{phoneNumber(2).toStdString()}, done);
    });
    NATTER_OK(registered);
    const auto verified = await<VerifyResponse>([&](auto done) {
        api.call<VerifyResponse>(HttpMethod::Post, "/api/verify",
                                 VerifyRequest{phoneNumber(2).toStdString(), "000000", std::nullopt}, done);
    });
    QVERIFY(!verified);
    NATTER_KIND(verified.error(), ErrorKind::Server);
    QCOMPARE(verified.error().serverCode, QStringLiteral("verification_failed"));
    QCOMPARE(verified.error().httpStatus, 403);
}

void TstClientApi::aBadPhoneNumberArrivesAsServerErrorInvalidField() {
    NatterdProcess server;
    NATTER_START(server);
    ApiClient api(server.baseUrl());
    const auto registered = await<RegisterResponse>([&](auto done) {
        api.call<RegisterResponse>(HttpMethod::Post, "/api/register", RegisterRequest{"0151 123"}, done);
    });
    QVERIFY(!registered);
    NATTER_KIND(registered.error(), ErrorKind::Server);
    QCOMPARE(registered.error().serverCode, QStringLiteral("invalid_field"));
    QCOMPARE(registered.error().httpStatus, 400);

    const auto unknown = await<Profile>([&](auto done) { api.call<Profile>(HttpMethod::Get, "/api/users/1", done); });
    QVERIFY(!unknown);
    QCOMPARE(unknown.error().serverCode, QStringLiteral("unauthorized"));
    QCOMPARE(unknown.error().httpStatus, 401);
}

void TstClientApi::anUnreachableServerArrivesAsNetworkError() {
    QTcpServer probe; // a port that was free a moment ago and has nobody listening now
    QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
    const quint16 port = probe.serverPort();
    probe.close();

    ApiClient api(QUrl(QStringLiteral("http://127.0.0.1:%1").arg(port)));
    const auto health = await<Health>([&](auto done) { api.call<Health>(HttpMethod::Get, "/healthz", done); });
    QVERIFY(!health);
    NATTER_KIND(health.error(), ErrorKind::Network);
    QCOMPARE(health.error().httpStatus, 0);
}

void TstClientApi::anExpiredAccessTokenIsRefreshedBeforeTheRequest() {
    NatterdProcess server({"--access-token-ttl", "1"});
    NATTER_START(server);
    ApiClient api(server.baseUrl());
    NATTER_OK(signUp(api, phoneNumber(3)));
    const QString first = api.accessToken();
    QTest::qWait(2100); // the first token has expired now

    const auto profile = await<Profile>([&](auto done) { api.call<Profile>(HttpMethod::Get, "/api/profile", done); });
    NATTER_OK(profile);
    QVERIFY(api.accessToken() != first);

    const auto token = await<QString>([&](auto done) { api.ensureFreshToken(done); });
    NATTER_OK(token);
    QCOMPARE(*token, api.accessToken());
}

void TstClientApi::aTokenTheServerRefusesIsRefreshedOnceAndTheRequestRetried() {
    NatterdProcess server({"--access-token-ttl", "60"});
    server.useAdjustableClock();
    NATTER_START(server);
    ApiClient api(server.baseUrl());
    NATTER_OK(signUp(api, phoneNumber(4)));
    const QString stale = api.accessToken();
    // natterd's clock passes the token's 60 s; the refreshed one is good for 60 s from there
    // (with a 1 s lifetime and waiting, a loaded machine saw the refreshed one expire too).
    QVERIFY(server.advanceClock(std::chrono::seconds(62)));
    api.setAccessToken(stale, 3600); // the client believes it, the server will answer 401

    const auto profile = await<Profile>([&](auto done) { api.call<Profile>(HttpMethod::Get, "/api/profile", done); });
    NATTER_OK(profile);
    QVERIFY(api.accessToken() != stale);

    api.setCredentials(profile->user_id, 1, "not-the-secret");
    api.setAccessToken(stale, 3600);
    const auto refused = await<Profile>([&](auto done) { api.call<Profile>(HttpMethod::Get, "/api/profile", done); });
    QVERIFY(!refused);
    NATTER_KIND(refused.error(), ErrorKind::Server);
    QCOMPARE(refused.error().serverCode, QStringLiteral("unauthorized"));
}

void TstClientApi::mediaUploadThenDownloadStreamsIdenticalBytesWithProgressToTheTotal() {
    NatterdProcess server;
    NATTER_START(server);
    ApiClient api(server.baseUrl());
    NATTER_OK(signUp(api, phoneNumber(5)));

    constexpr qint64 kSize = 3 * 1024 * 1024 + 123;
    auto source = std::make_shared<QTemporaryFile>();
    QVERIFY(source->open());
    QByteArray block(64 * 1024, Qt::Uninitialized);
    for (qint64 written = 0; written < kSize;) {
        QRandomGenerator::global()->fillRange(reinterpret_cast<quint32*>(block.data()), block.size() / 4);
        const qint64 n = std::min<qint64>(block.size(), kSize - written);
        QCOMPARE(source->write(block.constData(), n), n);
        written += n;
    }
    QVERIFY(source->flush());

    qint64 lastUp = -1, upTotal = -1;
    const auto uploaded = await<MediaUploaded>([&](auto done) {
        api.uploadMedia(source, kSize, [&](qint64 sent, qint64 total) { lastUp = sent, upTotal = total; }, done);
    }, 60000);
    NATTER_OK(uploaded);
    QCOMPARE(qint64(uploaded->size), kSize);
    QCOMPARE(upTotal, kSize);
    QCOMPARE(lastUp, kSize);

    auto sink = std::make_shared<QTemporaryFile>();
    QVERIFY(sink->open());
    qint64 lastDown = -1, downTotal = -1;
    const auto downloaded = await<qint64>([&](auto done) {
        api.downloadMedia(QString::fromStdString(uploaded->media_id), sink,
                          [&](qint64 received, qint64 total) { lastDown = received, downTotal = total; }, done);
    }, 60000);
    NATTER_OK(downloaded);
    QCOMPARE(*downloaded, kSize);
    QCOMPARE(downTotal, kSize);
    QCOMPARE(lastDown, kSize);

    QVERIFY(source->seek(0) && sink->seek(0));
    QCOMPARE(sink->size(), kSize);
    while (!source->atEnd()) QVERIFY(source->read(1 << 20) == sink->read(1 << 20));

    const auto missing = await<qint64>([&](auto done) {
        api.downloadMedia(QStringLiteral("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"), sink, {}, done);
    });
    QVERIFY(!missing);
    QCOMPARE(missing.error().serverCode, QStringLiteral("not_found"));
}

void TstClientApi::callbacksNeverRunAfterTheClientIsDestroyed() {
    NatterdProcess server;
    NATTER_START(server);
    bool called = false;
    {
        ApiClient api(server.baseUrl());
        api.call<Health>(HttpMethod::Get, "/healthz", [&](Expected<Health>) { called = true; });
    }
    QTest::qWait(300);
    QVERIFY(!called);

    auto api = std::make_unique<ApiClient>(server.baseUrl());
    bool answered = false;
    api->call<Health>(HttpMethod::Get, "/healthz", [&](Expected<Health> h) { answered = bool(h); });
    QTRY_VERIFY_WITH_TIMEOUT(answered, 10000);
}

QTEST_GUILESS_MAIN(TstClientApi)
#include "tst_client_api.moc"
