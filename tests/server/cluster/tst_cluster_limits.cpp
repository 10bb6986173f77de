// Limits that hold for all nodes of a cluster together, not once per node: phone-number lookups
// per account and per address, one-time pre-keys per requester, REST calls per account and the
// media quota (which also counts media stored before Redis restarted, and frees a deletion made
// through another node). Two real natterd nodes on one PostgreSQL and one redis-server.
#include "cluster_fixture.h"
#include "test_client.h"

#include <QFile>
#include <QJsonArray>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

using namespace natter::test;

namespace {

HttpResult lookUp(TestClient& who, int from, int count) {
    QJsonArray phones;
    for (int i = 0; i < count; ++i) phones.append(phoneNumber(from + i));
    return who.request("POST", "/api/contacts/lookup", QJsonObject{{"phones", phones}});
}

// The same account (same device and token) talking to another node.
std::unique_ptr<TestClient> onNode(NatterdProcess& node, const TestClient& account) {
    auto client = std::make_unique<TestClient>(node);
    client->adoptCredentials(account);
    return client;
}

QJsonObject keysWithOneTimeKeys(int count) {
    QJsonArray otks;
    for (int id = 1; id <= count; ++id)
        otks.append(QJsonObject{{"key_id", id}, {"public_key", b64("otk-" + QByteArray::number(id))}});
    return {{"registration_id", 4242},
            {"identity_key", b64("identity")},
            {"signed_prekey", QJsonObject{{"key_id", 7}, {"public_key", b64("spk")}, {"signature", b64("sig")}}},
            {"one_time_prekeys", otks}};
}
bool bundleHasOneTimeKey(const HttpResult& r) {
    return r.object().value("devices").toArray().at(0).toObject().contains("one_time_prekey");
}

HttpResult upload(TestClient& who, int size) {
    QByteArray body(size, Qt::Uninitialized);
    for (char& c : body) c = static_cast<char>(QRandomGenerator::global()->bounded(256));
    return who.rawRequest("POST", "/api/media", body);
}

// Writes natterd's config file and sends SIGHUP; true once the node logged that it took `taken`.
bool reloadWith(NatterdProcess& node, const QString& config, const QByteArray& text, const QByteArray& taken) {
    QFile f(config);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate) || f.write(text) != text.size()) return false;
    f.close();
    if (::kill(pid_t(node.pid()), SIGHUP) != 0) return false;
    return QTest::qWaitFor([&] { return node.standardError().contains("SIGHUP: reloaded " + taken); }, 10000);
}

bool redisUpOn(TestClient& c, const QString& node) {
    const HttpResult m = c.rawRequest("GET", "/metrics", {}, false);
    return m.body.contains(QStringLiteral("natterd_redis_up{node=\"%1\"} 1").arg(node).toUtf8());
}

} // namespace

class TstClusterLimits : public QObject {
    Q_OBJECT
private slots:
    void phoneNumberLookupsPerAccountAndPerAddressHoldForAllNodesTogether();
    void oneTimePreKeysPerRequesterHoldForAllNodesTogether();
    void restCallsPerAccountHoldForAllNodesTogether();
    void theMediaQuotaHoldsForAllNodesTogetherAndSurvivesARedisRestart();
    void mediaGoneFromTheSharedDirectoryNoLongerCounts();
    void whileRedisIsDownEachNodesOwnLimitsApplyAndNobodyIsShutOut();
    void aLookupBudgetLoweredBySighupCountsWhatAllNodesLookedUp();
};

void TstClusterLimits::phoneNumberLookupsPerAccountAndPerAddressHoldForAllNodesTogether() {
    Cluster cluster;
    NATTER_CLUSTER(cluster, 2, {"--lookups-per-account", "4", "--lookups-per-address", "6"});
    TestClient ann(cluster.node(0)), bob(cluster.node(1));
    NATTER_SIGNUP(ann, phoneNumber(1), "Ann");
    NATTER_SIGNUP(bob, phoneNumber(2), "Bob");
    const auto annElsewhere = onNode(cluster.node(1), ann);

    NATTER_HTTP(lookUp(ann, 100, 2), 200);
    NATTER_HTTP(lookUp(*annElsewhere, 200, 2), 200);        // Ann's 4 are spent, 2 on each node
    NATTER_REFUSED(lookUp(*annElsewhere, 300, 1), 429, "rate_limited");
    NATTER_REFUSED(lookUp(ann, 300, 1), 429, "rate_limited");
    // Bob shares the address (127.0.0.1): 2 of its 6 are left, whichever node he asks.
    NATTER_HTTP(lookUp(bob, 400, 2), 200);
    const auto bobElsewhere = onNode(cluster.node(0), bob);
    const HttpResult over = lookUp(*bobElsewhere, 500, 1);
    NATTER_REFUSED(over, 429, "rate_limited");
    QVERIFY2(!over.object().contains("registered"), qPrintable(over.describe()));
}

void TstClusterLimits::oneTimePreKeysPerRequesterHoldForAllNodesTogether() {
    Cluster cluster;
    NATTER_CLUSTER(cluster, 2, {"--prekeys-per-requester", "2"});
    TestClient ann(cluster.node(0)), bob(cluster.node(0));
    NATTER_SIGNUP(ann, phoneNumber(1), "Ann");
    NATTER_SIGNUP(bob, phoneNumber(2), "Bob");
    NATTER_HTTP(ann.request("PUT", "/api/keys", keysWithOneTimeKeys(20)), 200);
    const auto bobElsewhere = onNode(cluster.node(1), bob);
    const QString path = QStringLiteral("/api/users/%1/keys").arg(ann.userId());

    int withKey = 0, without = 0;
    for (int i = 0; i < 6; ++i) {
        const HttpResult r = (i % 2 ? *bobElsewhere : bob).request("GET", path);
        NATTER_HTTP(r, 200);
        ++(bundleHasOneTimeKey(r) ? withKey : without);
    }
    // Per node Bob would take 2 + 2; together he takes 2, and the bundles still come without one.
    QCOMPARE(withKey, 2);
    QCOMPARE(without, 4);
    // Another requester has a share of its own.
    TestClient cid(cluster.node(1));
    NATTER_SIGNUP(cid, phoneNumber(3), "Cid");
    QVERIFY(bundleHasOneTimeKey(cid.request("GET", path)));
}

void TstClusterLimits::restCallsPerAccountHoldForAllNodesTogether() {
    Cluster cluster;
    NATTER_CLUSTER(cluster, 2, {"--account-request-rate", "0.01", "--account-request-burst", "6"});
    TestClient phone(cluster.node(0)), other(cluster.node(1));
    NATTER_SIGNUP(phone, phoneNumber(1), QString()); // no display name: sign-up makes no authenticated call
    NATTER_SIGNUP(other, phoneNumber(2), QString());
    const auto elsewhere = onNode(cluster.node(1), phone);

    int allowed = 0, refused = 0;
    for (int i = 0; i < 12; ++i) {
        const HttpResult r = (i % 2 ? *elsewhere : phone).request("GET", "/api/profile");
        if (r.status == 200) ++allowed;
        else if (r.status == 429 && r.errorCode() == "rate_limited") ++refused;
    }
    // Per node that would be 6 + 6 = all 12; together it is the burst of 6.
    QCOMPARE(allowed, 6);
    QCOMPARE(refused, 6);
    NATTER_HTTP(other.request("GET", "/api/profile"), 200); // another account is not affected
}

void TstClusterLimits::theMediaQuotaHoldsForAllNodesTogetherAndSurvivesARedisRestart() {
    Cluster cluster;
    NATTER_CLUSTER(cluster, 2, {"--media-quota", "10000"});
    TestClient ann(cluster.node(0));
    NATTER_SIGNUP(ann, phoneNumber(1), "Ann");
    const auto annElsewhere = onNode(cluster.node(1), ann);

    const HttpResult first = upload(ann, 6000);
    NATTER_HTTP(first, 200);
    NATTER_REFUSED(upload(*annElsewhere, 6000), 413, "payload_too_large"); // 12000 together
    NATTER_HTTP(upload(*annElsewhere, 3000), 200);
    // Deleted through node 1, the room is free on node 0 too.
    const QString id = first.object().value("media_id").toString();
    NATTER_HTTP(annElsewhere->request("DELETE", "/api/media/" + id), 204);
    NATTER_HTTP(upload(ann, 6000), 200);

    // Redis keeps nothing: after a restart one node counts the stored media in again.
    cluster.redis().kill9();
    QVERIFY2(cluster.redis().start(), qPrintable(cluster.redis().errorString()));
    QTRY_VERIFY_WITH_TIMEOUT(redisUpOn(ann, "n0") && redisUpOn(*annElsewhere, "n1"), 15000);
    QTRY_VERIFY_WITH_TIMEOUT(cluster.node(0).standardError().count("media quota: node") +
                                     cluster.node(1).standardError().count("media quota: node") >= 2,
                             15000);
    NATTER_REFUSED(upload(*annElsewhere, 2000), 413, "payload_too_large"); // 9000 stored
    NATTER_HTTP(upload(ann, 1000), 200);
}

// The ledger in Redis can hold media the blob store no longer has (deleted while a node was
// seeding it): before refusing, a node checks the account's entries against the directory.
void TstClusterLimits::mediaGoneFromTheSharedDirectoryNoLongerCounts() {
    Cluster cluster;
    NATTER_CLUSTER(cluster, 2, {"--media-quota", "10000"});
    TestClient ann(cluster.node(0));
    NATTER_SIGNUP(ann, phoneNumber(1), "Ann");
    const auto annElsewhere = onNode(cluster.node(1), ann);
    const HttpResult first = upload(ann, 6000);
    NATTER_HTTP(first, 200);
    const QString id = first.object().value("media_id").toString();
    const QString shard = cluster.mediaDir() + "/" + id.left(2) + "/";
    QVERIFY(QFile::remove(shard + id));
    QVERIFY(QFile::remove(shard + id + ".json"));
    NATTER_HTTP(upload(*annElsewhere, 6000), 200);
    NATTER_REFUSED(upload(ann, 6000), 413, "payload_too_large"); // what is stored still counts
}

// Redis down fails open to each node's own limits, never closed for everyone.
void TstClusterLimits::whileRedisIsDownEachNodesOwnLimitsApplyAndNobodyIsShutOut() {
    Cluster cluster;
    NATTER_CLUSTER(cluster, 2, {"--lookups-per-account", "4", "--media-quota", "10000"});
    TestClient ann(cluster.node(0));
    NATTER_SIGNUP(ann, phoneNumber(1), "Ann");
    const auto annElsewhere = onNode(cluster.node(1), ann);
    cluster.redis().kill9();
    QTRY_VERIFY_WITH_TIMEOUT(!redisUpOn(ann, "n0") && !redisUpOn(*annElsewhere, "n1"), 15000);

    NATTER_HTTP(lookUp(ann, 100, 4), 200);
    NATTER_REFUSED(lookUp(ann, 200, 1), 429, "rate_limited"); // node 0's own budget
    NATTER_HTTP(lookUp(*annElsewhere, 300, 4), 200);           // node 1 has its own
    NATTER_HTTP(upload(ann, 6000), 200);
    NATTER_HTTP(upload(*annElsewhere, 6000), 200);
    NATTER_REFUSED(upload(ann, 6000), 413, "payload_too_large");
    NATTER_HTTP(ann.request("GET", QStringLiteral("/api/users/%1/keys").arg(ann.userId())), 200);
}

// A budget lowered while serving counts what was spent on every node, as one natterd counts
// what was spent today: a lowered budget never lets anyone take more than it allows.
void TstClusterLimits::aLookupBudgetLoweredBySighupCountsWhatAllNodesLookedUp() {
    QTemporaryDir dir;
    const QString config = dir.filePath("natterd.conf");
    QFile f(config);
    QVERIFY(f.open(QIODevice::WriteOnly) && f.write("lookups-per-account = 10\n") > 0);
    f.close();
    Cluster cluster;
    NATTER_CLUSTER(cluster, 2, {"--config", config});
    TestClient ann(cluster.node(0));
    NATTER_SIGNUP(ann, phoneNumber(1), "Ann");
    const auto annElsewhere = onNode(cluster.node(1), ann);
    NATTER_HTTP(lookUp(ann, 100, 2), 200);
    NATTER_HTTP(lookUp(*annElsewhere, 200, 1), 200); // 3 of 10 spent, on two nodes

    for (int i = 0; i < 2; ++i)
        QVERIFY(reloadWith(cluster.node(i), config, "lookups-per-account = 4\n", "lookups-per-account 4"));
    NATTER_REFUSED(lookUp(*annElsewhere, 300, 2), 429, "rate_limited"); // 3 + 2 > 4
    NATTER_HTTP(lookUp(ann, 400, 1), 200);                              // the one left
    NATTER_REFUSED(lookUp(*annElsewhere, 500, 1), 429, "rate_limited");

    for (int i = 0; i < 2; ++i)
        QVERIFY(reloadWith(cluster.node(i), config, "lookups-per-account = 6\n", "lookups-per-account 6"));
    NATTER_HTTP(lookUp(*annElsewhere, 600, 2), 200); // a raised budget gives the difference at once
    NATTER_REFUSED(lookUp(ann, 700, 1), 429, "rate_limited");
}

QTEST_GUILESS_MAIN(TstClusterLimits)
#include "tst_cluster_limits.moc"
