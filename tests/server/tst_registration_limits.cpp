// Verification codes against abuse, against a real natterd: code requests are limited per
// client address and server-wide, and nothing one address does (asking for codes for a number,
// guessing them) stops the number's owner at another address from getting and using a code.
// Other client addresses are other loopback addresses (127.0.0.2, ...), see http_from.h.
#include "http_from.h"
#include "natterd_process.h"
#include "test_client.h"

#include <QRegularExpression>
#include <QTest>

using namespace natter::test;

namespace {

const QString kAttacker = QStringLiteral("127.0.0.2");

HttpResult requestCode(const NatterdProcess& server, const QString& from, const QString& phone) {
    return httpFrom(server, from, "POST", "/api/register", QJsonObject{{"phone", phone}});
}

HttpResult tryCode(const NatterdProcess& server, const QString& from, const QString& phone, const QString& code) {
    return httpFrom(server, from, "POST", "/api/verify", QJsonObject{{"phone", phone}, {"code", code}});
}

// The codes the log provider wrote for `phone`, oldest first.
QStringList loggedCodes(const NatterdProcess& server, const QString& phone) {
    QStringList out;
    const QRegularExpression line("verification code for " + QRegularExpression::escape(phone) + "[^:]*: (\\d+)");
    for (auto it = line.globalMatch(QString::fromUtf8(server.standardError())); it.hasNext();)
        out << it.next().captured(1);
    return out;
}

} // namespace

class TstRegistrationLimits : public QObject {
    Q_OBJECT
private slots:
    void codeRequestsAreLimitedPerClientAddress();
    void codeRequestsAreLimitedServerWide();
    void anotherAddressCannotLockTheOwnerOutOfTheirNumber();
    void aValidCodeIsSentAgainNotReplacedWhenSomeoneElseAsks();
    void wrongCodesCountPerAddressAndAskingAgainStartsOver();
};

void TstRegistrationLimits::codeRequestsAreLimitedPerClientAddress() {
    NatterdProcess server({"--codes-per-address", "3"});
    NATTER_START(server);
    for (int i = 0; i < 3; ++i) NATTER_HTTP(requestCode(server, kAttacker, phoneNumber(10 + i)), 200);
    const HttpResult fourth = requestCode(server, kAttacker, phoneNumber(13));
    NATTER_REFUSED(fourth, 429, "rate_limited");
    QVERIFY2(fourth.object().value("message").toString().contains("address"), qPrintable(fourth.describe()));
    // Another client address is not affected, and can sign up as usual.
    TestClient owner(server);
    NATTER_SIGNUP(owner, phoneNumber(13), "Ann");
}

void TstRegistrationLimits::codeRequestsAreLimitedServerWide() {
    NatterdProcess server({"--codes-global", "3"});
    NATTER_START(server);
    for (int i = 0; i < 3; ++i)
        NATTER_HTTP(requestCode(server, QStringLiteral("127.0.0.%1").arg(2 + i), phoneNumber(20 + i)), 200);
    NATTER_REFUSED(requestCode(server, QStringLiteral("127.0.0.9"), phoneNumber(30)), 429, "rate_limited");
    NATTER_REFUSED(requestCode(server, QStringLiteral("127.0.0.1"), phoneNumber(31)), 429, "rate_limited");
}

void TstRegistrationLimits::anotherAddressCannotLockTheOwnerOutOfTheirNumber() {
    NatterdProcess server;
    NATTER_START(server);
    const QString victim = phoneNumber(1);
    // The attacker asks for the victim's codes until refused, and guesses wrong again and again.
    for (int i = 0; i < 5; ++i) NATTER_HTTP(requestCode(server, kAttacker, victim), 200);
    NATTER_REFUSED(requestCode(server, kAttacker, victim), 429, "rate_limited");
    for (int i = 0; i < 8; ++i)
        NATTER_REFUSED(tryCode(server, kAttacker, victim, QStringLiteral("00000%1").arg(i)), 403, "verification_failed");
    // The owner, at another address, still gets a code and verifies with it.
    TestClient owner(server);
    NATTER_HTTP(owner.registerPhone(victim), 200);
    const HttpResult verified = owner.verify(victim, kFixedCode, "phone");
    NATTER_HTTP(verified, 200);
    QCOMPARE(verified.object().value("new_account").toBool(), true);
}

void TstRegistrationLimits::aValidCodeIsSentAgainNotReplacedWhenSomeoneElseAsks() {
    NatterdProcess server({"--verification", "log"});
    NATTER_START(server);
    const QString phone = phoneNumber(2);
    TestClient owner(server);
    NATTER_HTTP(owner.registerPhone(phone), 200);
    QTRY_VERIFY_WITH_TIMEOUT(loggedCodes(server, phone).size() == 1, 5000);
    const QString code = loggedCodes(server, phone).front();

    const HttpResult again = requestCode(server, kAttacker, phone);
    NATTER_HTTP(again, 200);
    QVERIFY2(intField(again.object(), "expires_in") <= 600, qPrintable(again.describe()));
    // The number receives the same code once more; the one it already has still works.
    QTRY_VERIFY_WITH_TIMEOUT(loggedCodes(server, phone).size() == 2, 5000);
    QCOMPARE(loggedCodes(server, phone), (QStringList{code, code}));
    NATTER_HTTP(owner.verify(phone, code, "phone"), 200);
}

void TstRegistrationLimits::wrongCodesCountPerAddressAndAskingAgainStartsOver() {
    NatterdProcess server;
    NATTER_START(server);
    const QString phone = phoneNumber(3);
    NATTER_HTTP(requestCode(server, kAttacker, phone), 200);
    for (int i = 0; i < 5; ++i)
        NATTER_REFUSED(tryCode(server, kAttacker, phone, QStringLiteral("99999%1").arg(i)), 403, "verification_failed");
    // Five wrong codes from that address: it cannot even try the right one now ...
    const HttpResult blocked = tryCode(server, kAttacker, phone, kFixedCode);
    NATTER_REFUSED(blocked, 403, "verification_failed");
    QVERIFY2(blocked.object().value("message").toString().contains("request the code again"),
             qPrintable(blocked.describe()));
    // ... until it asks for the code again.
    NATTER_HTTP(requestCode(server, kAttacker, phone), 200);
    NATTER_HTTP(tryCode(server, kAttacker, phone, kFixedCode), 200);
}

QTEST_GUILESS_MAIN(TstRegistrationLimits)
#include "tst_registration_limits.moc"
