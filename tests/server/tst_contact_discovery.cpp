// Phone numbers against harvesting, against a real natterd: a number is only shown to a caller
// who sent that number in a lookup, contacts can only be users found that way, and lookups are
// limited in numbers (not calls) per account and per client address.
#include "http_from.h"
#include "natterd_process.h"
#include "server_world.h"
#include "test_client.h"

#include <QTest>

using namespace natter::test;

namespace {

HttpResult lookUp(TestClient& who, const QStringList& phones) {
    return who.request("POST", "/api/contacts/lookup", QJsonObject{{"phones", QJsonArray::fromStringList(phones)}});
}

QStringList numbers(int from, int count) {
    QStringList out;
    for (int i = 0; i < count; ++i) out << phoneNumber(from + i);
    return out;
}

} // namespace

class TstContactDiscovery : public QObject {
    Q_OBJECT
private slots:
    void addingAUserWhoseNumberWasNeverLookedUpIsRefused();
    void phoneIsShownOnlyToWhoLookedUpThatNumber();
    void lookupBeyondTheAccountLimitIsRateLimited();
    void lookupBeyondTheAddressLimitIsRateLimited();
};

void TstContactDiscovery::addingAUserWhoseNumberWasNeverLookedUpIsRefused() {
    ServerWorld world;
    NATTER_WORLD(world, {"Mallory", "Bob", "Cid"}, ServerWorld::Sessions::None);
    TestClient &mallory = world.user("Mallory"), &bob = world.user("Bob"), &cid = world.user("Cid");

    const HttpResult put =
        mallory.request("PUT", "/api/contacts", QJsonObject{{"user_ids", QJsonArray{bob.userId(), cid.userId()}}});
    NATTER_REFUSED(put, 404, "not_found");
    QVERIFY2(!put.body.contains(phoneNumber(2).toUtf8()), qPrintable(put.describe()));
    const HttpResult list = mallory.request("GET", "/api/contacts");
    NATTER_HTTP(list, 200);
    QCOMPARE(list.object().value("contacts").toArray().size(), 0);
    for (const TestClient* target : {&bob, &cid}) {
        const HttpResult profile = mallory.request("GET", QStringLiteral("/api/users/%1").arg(target->userId()));
        NATTER_HTTP(profile, 200);
        QVERIFY2(!profile.object().contains("phone"), qPrintable(profile.describe()));
    }
}

void TstContactDiscovery::phoneIsShownOnlyToWhoLookedUpThatNumber() {
    ServerWorld world;
    NATTER_WORLD(world, {"Ann", "Bob", "Cid"}, ServerWorld::Sessions::None);
    TestClient &ann = world.user("Ann"), &bob = world.user("Bob"), &cid = world.user("Cid");
    const QString bobsProfile = QStringLiteral("/api/users/%1").arg(bob.userId());

    NATTER_HTTP(lookUp(ann, {phoneNumber(2)}), 200);
    QCOMPARE(ann.request("GET", bobsProfile).object().value("phone").toString(), phoneNumber(2));
    QVERIFY(!cid.request("GET", bobsProfile).object().contains("phone"));
    // Bob did not look Ann up: knowing each other is not symmetric.
    QVERIFY(!bob.request("GET", QStringLiteral("/api/users/%1").arg(ann.userId())).object().contains("phone"));

    const HttpResult added = ann.request("PUT", "/api/contacts", QJsonObject{{"user_ids", QJsonArray{bob.userId()}}});
    NATTER_HTTP(added, 200);
    const QJsonArray contacts = ann.request("GET", "/api/contacts").object().value("contacts").toArray();
    QCOMPARE(contacts.size(), 1);
    QCOMPARE(contacts.at(0).toObject().value("phone").toString(), phoneNumber(2));
    // Cid cannot add Bob, whom Ann added, without looking him up himself.
    NATTER_REFUSED(cid.request("PUT", "/api/contacts", QJsonObject{{"user_ids", QJsonArray{bob.userId()}}}), 404,
                   "not_found");
}

void TstContactDiscovery::lookupBeyondTheAccountLimitIsRateLimited() {
    ServerWorld world({"--lookups-per-account", "5"});
    NATTER_WORLD(world, {"Ann", "Bob"}, ServerWorld::Sessions::None);
    TestClient &ann = world.user("Ann"), &bob = world.user("Bob");

    // Numbers count, not calls; a repeated number counts once.
    NATTER_HTTP(lookUp(ann, numbers(100, 3) << phoneNumber(100)), 200);
    const HttpResult over = lookUp(ann, numbers(200, 3));
    NATTER_REFUSED(over, 429, "rate_limited");
    QVERIFY2(!over.object().contains("registered"), qPrintable(over.describe()));
    NATTER_HTTP(lookUp(ann, numbers(300, 2)), 200);
    NATTER_REFUSED(lookUp(ann, {phoneNumber(2)}), 429, "rate_limited");
    // Another account (same address) has its own budget.
    const HttpResult bobs = lookUp(bob, numbers(400, 4) << phoneNumber(1));
    NATTER_HTTP(bobs, 200);
    QCOMPARE(bobs.object().value("registered").toArray().size(), 1);
    QCOMPARE(intField(TestClient(world.server()).request("GET", "/api/config").object(), "lookups_per_day"), 5);
}

void TstContactDiscovery::lookupBeyondTheAddressLimitIsRateLimited() {
    ServerWorld world({"--lookups-per-address", "4"});
    NATTER_WORLD(world, {"Ann", "Bob", "Cid"}, ServerWorld::Sessions::None);
    TestClient &ann = world.user("Ann"), &bob = world.user("Bob"), &cid = world.user("Cid");

    NATTER_HTTP(lookUp(ann, numbers(100, 3)), 200);
    // Bob shares Ann's address (127.0.0.1): one number is left for both of them.
    NATTER_REFUSED(lookUp(bob, numbers(200, 2)), 429, "rate_limited");
    NATTER_HTTP(lookUp(bob, numbers(200, 1)), 200);
    // Cid, from another address, is not affected.
    const HttpResult fromElsewhere = httpFrom(world.server(), QStringLiteral("127.0.0.2"), "POST", "/api/contacts/lookup",
                                              QJsonObject{{"phones", QJsonArray::fromStringList(numbers(300, 4))}},
                                              cid.accessToken());
    NATTER_HTTP(fromElsewhere, 200);
}

QTEST_GUILESS_MAIN(TstContactDiscovery)
#include "tst_contact_discovery.moc"
