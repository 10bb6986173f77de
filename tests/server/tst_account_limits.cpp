// What one account can cost the server (issue 12): authenticated REST calls are rate limited
// per account, and the queue of a device that does not come back expires after the queue
// retention instead of growing with every message forever.
#include "natterd_process.h"
#include "server_metrics.h"
#include "server_world.h"
#include "test_client.h"

#include <QTest>

using namespace natter::test;

class TstAccountLimits : public QObject {
    Q_OBJECT
private slots:
    void restCallsBeyondTheAccountRateAreRefusedForThatAccountOnly();
    void queueOfADeviceThatStaysAwayExpiresAfterTheRetention();
    void limitsArePublishedInConfig();
};

void TstAccountLimits::restCallsBeyondTheAccountRateAreRefusedForThatAccountOnly() {
    NatterdProcess server({"--account-request-rate", "1", "--account-request-burst", "5"});
    NATTER_START(server);
    TestClient phone(server), laptop(server), bob(server);
    NATTER_SIGNUP(phone, phoneNumber(1), QString()); // no display name: sign-up makes no authenticated call
    QVERIFY2(laptop.addDevice(phoneNumber(1)), qPrintable(laptop.lastError()));
    NATTER_SIGNUP(bob, phoneNumber(2), QString());

    int allowed = 0;
    HttpResult refused;
    for (int i = 0; i < 20 && refused.status == 0; ++i) {
        HttpResult r = (i % 2 ? laptop : phone).request("GET", "/api/profile");
        if (r.status == 200) ++allowed;
        else refused = r;
    }
    NATTER_REFUSED(refused, 429, "rate_limited");
    // The burst of 5 shared by both devices, one call of it spent on the link code for the laptop.
    QVERIFY2(allowed >= 4 && allowed <= 6, qPrintable(QString::number(allowed)));
    QVERIFY2(refused.body.contains("this account"), refused.body.constData());
    NATTER_HTTP(bob.request("GET", "/api/profile"), 200); // another account is not affected
    NATTER_HTTP(phone.request("GET", "/healthz"), 200);   // nor are unauthenticated calls
    NATTER_HTTP(phone.request("GET", "/api/config"), 200);
    // One call per second refills: the account gets through again, without waiting a fixed time.
    bool through = false; // each try costs a token: once one got through, stop asking
    QTRY_VERIFY_WITH_TIMEOUT(through || (through = phone.request("GET", "/api/profile").status == 200), 5000);
}

void TstAccountLimits::queueOfADeviceThatStaysAwayExpiresAfterTheRetention() {
    ServerWorld world({"--queue-retention", "3"});
    NATTER_WORLD(world, {"Ann", "Bob", "Cid"}, ServerWorld::Sessions::None);
    TestClient &a = world.user("Ann"), &away = world.user("Bob"), &back = world.user("Cid");
    TestClient scraper(world.server());
    NATTER_SESSION(a);
    NATTER_ACKED(a.sendTo(away, "to-away", "for a device that never connects"), a);
    NATTER_ACKED(a.sendTo(back, "to-back", "for a device that connects but does not ack"), a);
    // `back` connects after its message was queued (it is delivered, not acknowledged): it has
    // come back since, so its entry stays however old it gets.
    QVERIFY2(back.connectWs(), qPrintable(back.lastError()));
    const auto first = back.readSync(false);
    QVERIFY2(first.ok && first.queued.size() == 1, qPrintable(first.error));
    back.closeWs();

    QTRY_VERIFY_WITH_TIMEOUT(metricValue(scraper, "natterd_queue_entries_expired_total") >= 1, 15000);
    QCOMPARE(metricValue(scraper, "natterd_queue_entries_expired_total"), 1.0);
    QVERIFY2(away.connectWs(), qPrintable(away.lastError()));
    const auto expired = away.readSync(false);
    QVERIFY2(expired.ok, qPrintable(expired.error));
    QVERIFY2(expired.queued.isEmpty(), qPrintable(compact(expired.queued.value(0))));
    QVERIFY2(back.connectWs(), qPrintable(back.lastError()));
    const auto kept = back.readSync(false);
    QVERIFY2(kept.ok && kept.queued.size() == 1, qPrintable(kept.error));
    QCOMPARE(kept.queued.first().value("client_msg_id").toString(), QStringLiteral("to-back"));
    QVERIFY2(world.server().standardError().contains("queue expiry: deleted 1 entries"), world.server().standardError().constData());
}

void TstAccountLimits::limitsArePublishedInConfig() {
    NatterdProcess server({"--max-devices", "4", "--account-request-rate", "20", "--account-request-burst", "100",
                           "--queue-retention", "86400"});
    NATTER_START(server);
    const QJsonObject config = TestClient(server).request("GET", "/api/config").object();
    QCOMPARE(intField(config, "max_devices"), 4);
    QCOMPARE(config.value("account_request_rate").toDouble(), 20.0);
    QCOMPARE(config.value("account_request_burst").toDouble(), 100.0);
    QCOMPARE(intField(config, "queue_retention_s"), 86400);

    const ProcessOutcome help = NatterdProcess::runOnce({"--help"});
    for (const char* flag : {"--max-devices", "--max-link-codes", "--account-request-rate", "--account-request-burst",
                             "--queue-retention"})
        QVERIFY2(help.standardOutput.contains(flag), flag);
    for (const QStringList& bad : {QStringList{"--max-devices", "0"}, QStringList{"--account-request-rate", "0"},
                                   QStringList{"--queue-retention", "0"}}) {
        const ProcessOutcome out = NatterdProcess::runOnce(bad);
        QVERIFY(out.finished);
        QCOMPARE(out.exitCode, 2);
        QVERIFY2(out.standardError.contains(bad.first().toUtf8()), out.standardError.constData());
    }
}

QTEST_GUILESS_MAIN(TstAccountLimits)
#include "tst_account_limits.moc"
