// Accounts, credentials, profile and contacts against a real natterd.
#include "natterd_process.h"
#include "raw_websocket.h"
#include "server_world.h"
#include "test_client.h"

#include <QMessageAuthenticationCode>
#include <QTest>

using namespace natter::test;

namespace {

QByteArray b64url(const QByteArray& in) {
    return in.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}
QByteArray unb64url(const QByteArray& in) {
    return QByteArray::fromBase64(in, QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}

// The real token with one claim changed (an id raised by one, or an extra claim) and the
// original signature kept.
QString tamperedPayload(const QString& token) {
    const QList<QByteArray> parts = token.toLatin1().split('.');
    if (parts.size() != 3) return token + "x";
    QJsonObject claims = QJsonDocument::fromJson(unb64url(parts[1])).object();
    bool changed = false;
    for (const QString& key : {QStringLiteral("sub"), QStringLiteral("uid"), QStringLiteral("user_id")}) {
        if (!claims.contains(key)) continue;
        const QJsonValue v = claims.value(key);
        claims.insert(key, v.isString() ? QJsonValue(v.toString() + "1") : QJsonValue(v.toInteger() + 1));
        changed = true;
    }
    if (!changed) claims.insert("admin", true);
    return QString::fromLatin1(parts[0] + "." + b64url(QJsonDocument(claims).toJson(QJsonDocument::Compact)) + "." + parts[2]);
}

// The real header and claims, signed HS256 with a key the server does not have.
QString signedWithWrongKey(const QString& token) {
    const QList<QByteArray> parts = token.toLatin1().split('.');
    if (parts.size() != 3) return token + "x";
    const QByteArray input = parts[0] + "." + parts[1];
    const QByteArray sig = QMessageAuthenticationCode::hash(input, "not-the-server-key", QCryptographicHash::Sha256);
    return QString::fromLatin1(input + "." + b64url(sig));
}

// The real claims with {"alg":"none"} and no signature.
QString algNone(const QString& token) {
    const QList<QByteArray> parts = token.toLatin1().split('.');
    if (parts.size() != 3) return token + "x";
    return QString::fromLatin1(b64url(R"({"alg":"none","typ":"JWT"})") + "." + parts[1] + ".");
}

} // namespace

class TstAccounts : public QObject {
    Q_OBJECT
private slots:
    void registerAndVerifyCreateAccountWithFirstDevice();
    void tokenEndpointTradesDeviceSecretForWorkingToken();
    void tokenWithWrongSecretIsUnauthorized();
    void invalidPhoneNumberIsRejected_data();
    void invalidPhoneNumberIsRejected();
    void registerIsRateLimitedPerPhone();
    void wrongCodeIsRejected();
    void fiveWrongCodesInvalidateTheCode();
    void codeIsSingleUse();
    void linkedSecondDeviceJoinsTheSameUserWithItsOwnSecret();
    void forgedTokenIsUnauthorizedOnRestAndWebSocket_data();
    void forgedTokenIsUnauthorizedOnRestAndWebSocket();
    void expiredTokenIsUnauthorizedOnRestAndWebSocket();
    void webSocketWelcomesDeviceAuthenticatedByHeaderOrQuery();
    void profileShowsOwnPhoneAndKeepsUnchangedFields();
    void tooLongProfileFieldsAreRejectedAndProfileUnchanged();
    void otherUsersProfileShowsPhoneOnlyAfterALookupOfIt();
    void contactsLookupListsOnlyRegisteredNumbers();
    void contactsCanBeAddedListedAndDeleted();
    void addingUnknownContactFailsAndChangesNothing();
    void healthzReportsOkAndProtocolVersion();
    void deviceListOfUnknownUserIsNotFound();
};

void TstAccounts::registerAndVerifyCreateAccountWithFirstDevice() {
    NatterdProcess server;
    NATTER_START(server);
    TestClient c(server);
    const QString phone = phoneNumber(1);

    const HttpResult reg = c.registerPhone(phone);
    QVERIFY2(reg.status == 200, qPrintable(reg.describe()));
    QCOMPARE(reg.object().value("status").toString(), QStringLiteral("code_sent"));
    QCOMPARE(intField(reg.object(), "expires_in"), 600);

    const HttpResult ver = c.verify(phone, kFixedCode, "phone");
    QVERIFY2(ver.status == 200, qPrintable(ver.describe()));
    const QJsonObject v = ver.object();
    QVERIFY2(intField(v, "user_id") > 0, qPrintable(ver.describe()));
    QCOMPARE(intField(v, "device_id"), 1);
    QVERIFY(!v.value("device_secret").toString().isEmpty());
    QVERIFY(!v.value("access_token").toString().isEmpty());
    QVERIFY(intField(v, "expires_in") > 0);
    QCOMPARE(v.value("new_account").toBool(), true);

    c.setAccessToken(v.value("access_token").toString());
    const HttpResult profile = c.request("GET", "/api/profile");
    QVERIFY2(profile.status == 200, qPrintable(profile.describe()));
    QCOMPARE(intField(profile.object(), "user_id"), intField(v, "user_id"));
    QCOMPARE(profile.object().value("phone").toString(), phone);
}

void TstAccounts::tokenEndpointTradesDeviceSecretForWorkingToken() {
    ServerWorld world;
    NATTER_WORLD(world, {"Ann"}, ServerWorld::Sessions::None);
    TestClient& c = world.user("Ann");

    TestClient other(world.server()); // no token of its own
    const HttpResult tok = other.request("POST", "/api/token",
                                         QJsonObject{{"user_id", c.userId()}, {"device_id", c.deviceId()},
                                                     {"device_secret", c.deviceSecret()}});
    QVERIFY2(tok.status == 200, qPrintable(tok.describe()));
    const QString fresh = tok.object().value("access_token").toString();
    QVERIFY(!fresh.isEmpty());
    QVERIFY(intField(tok.object(), "expires_in") > 0);

    other.setAccessToken(fresh);
    const HttpResult profile = other.request("GET", "/api/profile");
    QVERIFY2(profile.status == 200, qPrintable(profile.describe()));
    QCOMPARE(intField(profile.object(), "user_id"), c.userId());
}

void TstAccounts::tokenWithWrongSecretIsUnauthorized() {
    ServerWorld world;
    NATTER_WORLD(world, {"Ann"}, ServerWorld::Sessions::None);
    TestClient& c = world.user("Ann");
    const HttpResult tok = c.request("POST", "/api/token",
                                     QJsonObject{{"user_id", c.userId()}, {"device_id", c.deviceId()},
                                                 {"device_secret", c.deviceSecret() + "x"}});
    QVERIFY2(tok.status == 401, qPrintable(tok.describe()));
    QCOMPARE(tok.errorCode(), QStringLiteral("unauthorized"));
    QVERIFY(!tok.object().contains("access_token"));
}

void TstAccounts::invalidPhoneNumberIsRejected_data() {
    QTest::addColumn<QJsonValue>("phone");
    QTest::newRow("no plus") << QJsonValue("4915112345678");
    QTest::newRow("leading zero") << QJsonValue("+04915112345");
    QTest::newRow("too short") << QJsonValue("+123456");
    QTest::newRow("too long") << QJsonValue("+1234567890123456");
    QTest::newRow("spaces") << QJsonValue("+49 151 1234567");
    QTest::newRow("letters") << QJsonValue("+49151abc4567");
    QTest::newRow("empty") << QJsonValue("");
    QTest::newRow("number not string") << QJsonValue(4915112345678.0);
}

void TstAccounts::invalidPhoneNumberIsRejected() {
    QFETCH(QJsonValue, phone);
    NatterdProcess server;
    NATTER_START(server);
    TestClient c(server);
    const HttpResult r = c.request("POST", "/api/register", QJsonObject{{"phone", phone}});
    QVERIFY2(r.status == 400, qPrintable(r.describe()));
    QCOMPARE(r.errorCode(), QStringLiteral("invalid_field"));
}

void TstAccounts::registerIsRateLimitedPerPhone() {
    NatterdProcess server;
    NATTER_START(server);
    TestClient c(server);
    for (int i = 0; i < 5; ++i) {
        const HttpResult r = c.registerPhone(phoneNumber(1));
        QVERIFY2(r.status == 200, qPrintable(QStringLiteral("request %1: %2").arg(i + 1).arg(r.describe())));
    }
    const HttpResult sixth = c.registerPhone(phoneNumber(1));
    QVERIFY2(sixth.status == 429, qPrintable(sixth.describe()));
    QCOMPARE(sixth.errorCode(), QStringLiteral("rate_limited"));
    // The limit is per phone: another number is unaffected.
    const HttpResult other = c.registerPhone(phoneNumber(2));
    QVERIFY2(other.status == 200, qPrintable(other.describe()));
}

void TstAccounts::wrongCodeIsRejected() {
    NatterdProcess server;
    NATTER_START(server);
    TestClient c(server);
    QCOMPARE(c.registerPhone(phoneNumber(1)).status, 200);
    const HttpResult r = c.verify(phoneNumber(1), "654321");
    QVERIFY2(r.status == 403, qPrintable(r.describe()));
    QCOMPARE(r.errorCode(), QStringLiteral("verification_failed"));
    QVERIFY(!r.object().contains("access_token"));
}

void TstAccounts::fiveWrongCodesInvalidateTheCode() {
    NatterdProcess server;
    NATTER_START(server);
    TestClient c(server);
    const QString phone = phoneNumber(1);
    QCOMPARE(c.registerPhone(phone).status, 200);
    for (int i = 0; i < 5; ++i) {
        const HttpResult r = c.verify(phone, QStringLiteral("00000%1").arg(i));
        QVERIFY2(r.status == 403, qPrintable(QStringLiteral("wrong code %1: %2").arg(i + 1).arg(r.describe())));
        QCOMPARE(r.errorCode(), QStringLiteral("verification_failed"));
    }
    const HttpResult right = c.verify(phone, kFixedCode);
    QVERIFY2(right.status == 403, qPrintable(QStringLiteral("right code after 5 wrong ones: %1").arg(right.describe())));
    QCOMPARE(right.errorCode(), QStringLiteral("verification_failed"));

    // Asking for a new code starts over (as a user who mistyped would expect).
    QCOMPARE(c.registerPhone(phone).status, 200);
    const HttpResult fresh = c.verify(phone, kFixedCode);
    QVERIFY2(fresh.status == 200, qPrintable(fresh.describe()));
}

void TstAccounts::codeIsSingleUse() {
    NatterdProcess server;
    NATTER_START(server);
    TestClient c(server);
    QCOMPARE(c.registerPhone(phoneNumber(1)).status, 200);
    const HttpResult first = c.verify(phoneNumber(1), kFixedCode);
    QVERIFY2(first.status == 200, qPrintable(first.describe()));
    const HttpResult again = c.verify(phoneNumber(1), kFixedCode);
    QVERIFY2(again.status == 403, qPrintable(again.describe()));
    QCOMPARE(again.errorCode(), QStringLiteral("verification_failed"));
}

void TstAccounts::linkedSecondDeviceJoinsTheSameUserWithItsOwnSecret() {
    ServerWorld world;
    NATTER_WORLD(world, {"Ann"}, ServerWorld::Sessions::None);
    TestClient& phone1 = world.user("Ann");
    TestClient laptop(world.server());
    QVERIFY(phone1.newAccount());
    QVERIFY2(laptop.addDevice(phoneNumber(1), "laptop"), qPrintable(laptop.lastError()));
    QCOMPARE(laptop.userId(), phone1.userId());
    QCOMPARE(laptop.deviceId(), 2);
    QVERIFY(!laptop.newAccount());
    QVERIFY(laptop.deviceSecret() != phone1.deviceSecret());

    const HttpResult list = phone1.request("GET", QStringLiteral("/api/users/%1/devices").arg(phone1.userId()));
    QVERIFY2(list.status == 200, qPrintable(list.describe()));
    QCOMPARE(intField(list.object(), "user_id"), phone1.userId());
    const QJsonArray devices = list.object().value("devices").toArray();
    QCOMPARE(devices.size(), 2);
    QCOMPARE(intField(devices.at(0).toObject(), "device_id"), 1);
    QCOMPARE(intField(devices.at(1).toObject(), "device_id"), 2);
    QCOMPARE(devices.at(1).toObject().value("name").toString(), QStringLiteral("laptop"));
    QVERIFY(intField(devices.at(1).toObject(), "created_at") > 0);

    // Both devices are usable and are the same user.
    const HttpResult profile = laptop.request("GET", "/api/profile");
    QVERIFY2(profile.status == 200, qPrintable(profile.describe()));
    QCOMPARE(profile.object().value("display_name").toString(), QStringLiteral("Ann"));
}

void TstAccounts::forgedTokenIsUnauthorizedOnRestAndWebSocket_data() {
    QTest::addColumn<int>("kind");
    QTest::newRow("tampered claims, original signature") << 0;
    QTest::newRow("signed with another key") << 1;
    QTest::newRow("alg none") << 2;
    QTest::newRow("garbage") << 3;
}

void TstAccounts::forgedTokenIsUnauthorizedOnRestAndWebSocket() {
    QFETCH(int, kind);
    ServerWorld world;
    NATTER_WORLD(world, {"Ann"}, ServerWorld::Sessions::None);
    TestClient& real = world.user("Ann");
    NatterdProcess& server = world.server();
    TestClient bob(server); // a second user the tampered id may point at
    NATTER_SIGNUP(bob, phoneNumber(2), "Bob");
    const QString token = real.accessToken();
    const QString forged = kind == 0 ? tamperedPayload(token)
                         : kind == 1 ? signedWithWrongKey(token)
                         : kind == 2 ? algNone(token)
                                     : QStringLiteral("not.a.jwt");
    QVERIFY(forged != token);

    TestClient attacker(server);
    attacker.setAccessToken(forged);
    const HttpResult r = attacker.request("GET", "/api/profile");
    QVERIFY2(r.status == 401, qPrintable(r.describe()));
    QCOMPARE(r.errorCode(), QStringLiteral("unauthorized"));

    RawWebSocket raw;
    QCOMPARE(raw.open(server.wsUrl(), forged), 401);
    QVERIFY(!attacker.connectWs());
    // Control: the genuine token works on both.
    QCOMPARE(real.request("GET", "/api/profile").status, 200);
    RawWebSocket genuine;
    QCOMPARE(genuine.open(server.wsUrl(), token), 101);
}

void TstAccounts::expiredTokenIsUnauthorizedOnRestAndWebSocket() {
    NatterdProcess server({"--access-token-ttl", "60"});
    server.useAdjustableClock();
    NATTER_START(server);
    TestClient c(server);
    QCOMPARE(c.registerPhone(phoneNumber(1)).status, 200);
    const HttpResult ver = c.verify(phoneNumber(1), kFixedCode);
    QVERIFY2(ver.status == 200, qPrintable(ver.describe()));
    QCOMPARE(intField(ver.object(), "expires_in"), 60);
    c.setAccessToken(ver.object().value("access_token").toString());
    QCOMPARE(c.request("GET", "/api/profile").status, 200); // control: valid until natterd's clock moves

    QVERIFY(server.advanceClock(std::chrono::seconds(62))); // past the token's 60 s (JWT times have 1 s resolution)

    const HttpResult r = c.request("GET", "/api/profile");
    QVERIFY2(r.status == 401, qPrintable(r.describe()));
    QCOMPARE(r.errorCode(), QStringLiteral("unauthorized"));
    RawWebSocket raw;
    QCOMPARE(raw.open(server.wsUrl(), c.accessToken()), 401);
    QVERIFY(!c.connectWs());

    // The device secret still gets a new token.
    const HttpResult tok = c.request("POST", "/api/token",
                                     QJsonObject{{"user_id", intField(ver.object(), "user_id")},
                                                 {"device_id", intField(ver.object(), "device_id")},
                                                 {"device_secret", ver.object().value("device_secret")}});
    QVERIFY2(tok.status == 200, qPrintable(tok.describe()));
    QCOMPARE(intField(tok.object(), "expires_in"), 60);
}

void TstAccounts::webSocketWelcomesDeviceAuthenticatedByHeaderOrQuery() {
    ServerWorld world;
    NATTER_WORLD(world, {"Ann"}, ServerWorld::Sessions::None);
    TestClient& phone = world.user("Ann");
    TestClient laptop(world.server());
    QVERIFY2(laptop.addDevice(phoneNumber(1)), qPrintable(laptop.lastError()));

    QVERIFY2(phone.connectWs(kDefaultTimeoutMs, TestClient::Auth::Header), qPrintable(phone.lastError()));
    NATTER_TAKE(w1, phone, "welcome");
    QCOMPARE(intField(w1, "protocol_version"), 1);
    QCOMPARE(intField(w1, "user_id"), phone.userId());
    QCOMPARE(intField(w1, "device_id"), 1);
    QVERIFY(qAbs(intField(w1, "server_time") - QDateTime::currentMSecsSinceEpoch()) < 60000);
    QVERIFY(intField(w1, "heartbeat_interval_s") > 0);

    QVERIFY2(laptop.connectWs(kDefaultTimeoutMs, TestClient::Auth::Query), qPrintable(laptop.lastError()));
    NATTER_TAKE(w2, laptop, "welcome");
    QCOMPARE(intField(w2, "user_id"), phone.userId());
    QCOMPARE(intField(w2, "device_id"), 2);

    RawWebSocket noToken;
    QCOMPARE(noToken.open(world.server().wsUrl(), QString()), 401);
}

void TstAccounts::profileShowsOwnPhoneAndKeepsUnchangedFields() {
    ServerWorld world;
    NATTER_WORLD(world, {"Ann"}, ServerWorld::Sessions::None);
    TestClient& c = world.user("Ann");

    const HttpResult get = c.request("GET", "/api/profile");
    QVERIFY2(get.status == 200, qPrintable(get.describe()));
    QCOMPARE(get.object().value("display_name").toString(), QStringLiteral("Ann"));
    QCOMPARE(get.object().value("status_text").toString(), QString());
    QCOMPARE(get.object().value("phone").toString(), phoneNumber(1));

    const QString about = QStringLiteral("Hey there! I am using Natter ✓");
    const HttpResult put = c.request("PUT", "/api/profile", QJsonObject{{"status_text", about}});
    QVERIFY2(put.status == 200, qPrintable(put.describe()));
    QCOMPARE(put.object().value("status_text").toString(), about);
    QCOMPARE(put.object().value("display_name").toString(), QStringLiteral("Ann"));

    const HttpResult rename = c.request("PUT", "/api/profile", QJsonObject{{"display_name", "Ann B."}});
    QVERIFY2(rename.status == 200, qPrintable(rename.describe()));
    const HttpResult again = c.request("GET", "/api/profile");
    QCOMPARE(again.object().value("display_name").toString(), QStringLiteral("Ann B."));
    QCOMPARE(again.object().value("status_text").toString(), about);
}

void TstAccounts::tooLongProfileFieldsAreRejectedAndProfileUnchanged() {
    ServerWorld world;
    NATTER_WORLD(world, {"Ann"}, ServerWorld::Sessions::None);
    TestClient& c = world.user("Ann");

    const QList<QJsonObject> tooLong{
        QJsonObject{{"display_name", QString(101, 'n')}},
        QJsonObject{{"display_name", QString(51, QChar(0x00E9))}}, // 102 bytes of UTF-8 in 51 characters
        QJsonObject{{"status_text", QString(301, 's')}},
        QJsonObject{{"display_name", "Valid"}, {"status_text", QString(301, 's')}}, // all or nothing
    };
    for (const QJsonObject& body : tooLong) {
        const HttpResult r = c.request("PUT", "/api/profile", body);
        QVERIFY2(r.status == 400, qPrintable(compact(body).left(80) + " -> " + r.describe()));
        QCOMPARE(r.errorCode(), QStringLiteral("invalid_field"));
    }
    const HttpResult get = c.request("GET", "/api/profile");
    QCOMPARE(get.object().value("display_name").toString(), QStringLiteral("Ann"));
    QCOMPARE(get.object().value("status_text").toString(), QString());

    // Exactly at the limits is fine.
    const HttpResult atLimit = c.request("PUT", "/api/profile",
                                         QJsonObject{{"display_name", QString(100, 'n')}, {"status_text", QString(300, 's')}});
    QVERIFY2(atLimit.status == 200, qPrintable(atLimit.describe()));
}

void TstAccounts::otherUsersProfileShowsPhoneOnlyAfterALookupOfIt() {
    ServerWorld world;
    NATTER_WORLD(world, {"Ann", "Bob"}, ServerWorld::Sessions::None);
    TestClient &a = world.user("Ann"), &b = world.user("Bob");

    const QString path = QStringLiteral("/api/users/%1").arg(b.userId());
    const HttpResult stranger = a.request("GET", path);
    QVERIFY2(stranger.status == 200, qPrintable(stranger.describe()));
    QCOMPARE(intField(stranger.object(), "user_id"), b.userId());
    QCOMPARE(stranger.object().value("display_name").toString(), QStringLiteral("Bob"));
    QVERIFY2(!stranger.object().contains("phone"), qPrintable(stranger.describe()));

    QVERIFY2(a.addContacts({&b}), qPrintable(a.lastError()));
    const HttpResult contact = a.request("GET", path);
    QCOMPARE(contact.object().value("phone").toString(), phoneNumber(2));

    const HttpResult unknown = a.request("GET", QStringLiteral("/api/users/%1").arg(b.userId() + 1000));
    QVERIFY2(unknown.status == 404, qPrintable(unknown.describe()));
    QCOMPARE(unknown.errorCode(), QStringLiteral("not_found"));
}

void TstAccounts::contactsLookupListsOnlyRegisteredNumbers() {
    ServerWorld world;
    NATTER_WORLD(world, {"Ann", "Bob", "Cid"}, ServerWorld::Sessions::None);
    TestClient &a = world.user("Ann"), &b = world.user("Bob"), &c = world.user("Cid");

    const HttpResult r = a.request("POST", "/api/contacts/lookup",
                                   QJsonObject{{"phones", QJsonArray{phoneNumber(2), phoneNumber(99), phoneNumber(3)}}});
    QVERIFY2(r.status == 200, qPrintable(r.describe()));
    const QJsonArray registered = r.object().value("registered").toArray();
    QCOMPARE(registered.size(), 2);
    QMap<QString, QJsonObject> byPhone;
    for (const QJsonValue& v : registered) byPhone.insert(v.toObject().value("phone").toString(), v.toObject());
    QVERIFY(!byPhone.contains(phoneNumber(99)));
    QCOMPARE(intField(byPhone.value(phoneNumber(2)), "user_id"), b.userId());
    QCOMPARE(byPhone.value(phoneNumber(2)).value("display_name").toString(), QStringLiteral("Bob"));
    QCOMPARE(intField(byPhone.value(phoneNumber(3)), "user_id"), c.userId());

    const HttpResult bad = a.request("POST", "/api/contacts/lookup", QJsonObject{{"phones", QJsonArray{"12"}}});
    QVERIFY2(bad.status == 400, qPrintable(bad.describe()));
    QCOMPARE(bad.errorCode(), QStringLiteral("invalid_field"));
}

void TstAccounts::contactsCanBeAddedListedAndDeleted() {
    ServerWorld world;
    NATTER_WORLD(world, {"Ann", "Bob", "Cid"}, ServerWorld::Sessions::None);
    TestClient &a = world.user("Ann"), &b = world.user("Bob"), &c = world.user("Cid");
    const auto ids = [](const HttpResult& r) {
        QList<qint64> out;
        for (const QJsonValue& v : r.object().value("contacts").toArray()) out << v.toObject().value("user_id").toInteger();
        std::sort(out.begin(), out.end());
        return out;
    };

    NATTER_HTTP(a.request("POST", "/api/contacts/lookup", QJsonObject{{"phones", QJsonArray{b.phone(), c.phone()}}}), 200);
    const HttpResult put = a.request("PUT", "/api/contacts", QJsonObject{{"user_ids", QJsonArray{b.userId(), c.userId()}}});
    QVERIFY2(put.status == 200, qPrintable(put.describe()));
    QCOMPARE(ids(put), (QList<qint64>{b.userId(), c.userId()}));
    const HttpResult list = a.request("GET", "/api/contacts");
    QVERIFY2(list.status == 200, qPrintable(list.describe()));
    QCOMPARE(ids(list), (QList<qint64>{b.userId(), c.userId()}));
    for (const QJsonValue& v : list.object().value("contacts").toArray())
        if (v.toObject().value("user_id").toInteger() == b.userId()) {
            QCOMPARE(v.toObject().value("phone").toString(), phoneNumber(2));
            QCOMPARE(v.toObject().value("display_name").toString(), QStringLiteral("Bob"));
        }

    const HttpResult del = a.request("DELETE", QStringLiteral("/api/contacts/%1").arg(b.userId()));
    QVERIFY2(del.status == 204, qPrintable(del.describe()));
    QCOMPARE(ids(a.request("GET", "/api/contacts")), (QList<qint64>{c.userId()}));
    // Contacts are per user: B's list is untouched by A's.
    QCOMPARE(ids(b.request("GET", "/api/contacts")), QList<qint64>{});
}

void TstAccounts::addingUnknownContactFailsAndChangesNothing() {
    ServerWorld world;
    NATTER_WORLD(world, {"Ann", "Bob", "Cid"}, ServerWorld::Sessions::None);
    TestClient &a = world.user("Ann"), &b = world.user("Bob"), &c = world.user("Cid");
    QVERIFY2(a.addContacts({&b, &c}), qPrintable(a.lastError()));
    NATTER_HTTP(a.request("DELETE", QStringLiteral("/api/contacts/%1").arg(b.userId())), 204);

    const qint64 unknown = c.userId() + 1000;
    const HttpResult r = a.request("PUT", "/api/contacts", QJsonObject{{"user_ids", QJsonArray{b.userId(), unknown}}});
    QVERIFY2(r.status == 404, qPrintable(r.describe()));
    QCOMPARE(r.errorCode(), QStringLiteral("not_found"));

    const QJsonArray contacts = a.request("GET", "/api/contacts").object().value("contacts").toArray();
    QCOMPARE(contacts.size(), 1);
    QCOMPARE(intField(contacts.at(0).toObject(), "user_id"), c.userId());
}

void TstAccounts::healthzReportsOkAndProtocolVersion() {
    NatterdProcess server;
    NATTER_START(server);
    TestClient anonymous(server);
    const HttpResult r = anonymous.request("GET", "/healthz");
    QVERIFY2(r.status == 200, qPrintable(r.describe()));
    QCOMPARE(r.object().value("status").toString(), QStringLiteral("ok"));
    QCOMPARE(intField(r.object(), "protocol_version"), 1);
}

void TstAccounts::deviceListOfUnknownUserIsNotFound() {
    ServerWorld world;
    NATTER_WORLD(world, {"Ann"}, ServerWorld::Sessions::None);
    TestClient& a = world.user("Ann");
    const HttpResult r = a.request("GET", QStringLiteral("/api/users/%1/devices").arg(a.userId() + 1000));
    QVERIFY2(r.status == 404, qPrintable(r.describe()));
    QCOMPARE(r.errorCode(), QStringLiteral("not_found"));
}

QTEST_GUILESS_MAIN(TstAccounts)
#include "tst_accounts.moc"
