// Media storage limits against a real natterd: the bytes of live media one account keeps
// stored, counting neither deleted nor expired uploads, also after a restart, and the uploads
// one account may have in progress at once.
#include "natterd_process.h"
#include "server_world.h"
#include "test_client.h"

#include <QDeadlineTimer>
#include <QDirIterator>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QTcpSocket>
#include <QTest>

using namespace natter::test;

namespace {

QByteArray blob(int size) {
    QByteArray out(size, Qt::Uninitialized);
    for (char& c : out) c = static_cast<char>(QRandomGenerator::global()->bounded(256));
    return out;
}

HttpResult upload(TestClient& who, int size) { return who.rawRequest("POST", "/api/media", blob(size)); }

// Regular files under <data-dir>/media, relative to it (uploads in progress are under tmp/).
QStringList mediaFiles(const NatterdProcess& server) {
    QStringList out;
    const QString root = server.dataDir() + "/media";
    QDirIterator it(root, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext()) out << it.next().mid(root.size() + 1);
    return out;
}
qsizetype uploadsInProgress(const NatterdProcess& server) {
    return mediaFiles(server).filter(QRegularExpression("^tmp/")).size();
}

// An upload whose headers and first bytes are sent, the rest held back.
class SlowUpload {
public:
    SlowUpload(const NatterdProcess& server, const QString& token, int size) : m_body(blob(size)) {
        m_socket.connectToHost("127.0.0.1", server.port());
        m_socket.waitForConnected(5000);
        m_socket.write("POST /api/media HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token.toUtf8() +
                       "\r\nContent-Length: " + QByteArray::number(m_body.size()) + "\r\n\r\n" + m_body.left(100));
        m_socket.waitForBytesWritten(5000);
    }
    // Sends the rest and returns the answer's status (0 on timeout).
    int finish(int timeoutMs = 10000) {
        m_socket.write(m_body.mid(100));
        QByteArray head;
        QDeadlineTimer deadline(timeoutMs);
        while (!head.contains("\r\n\r\n") && !deadline.hasExpired())
            if (m_socket.bytesAvailable() > 0 || m_socket.waitForReadyRead(200)) head += m_socket.readAll();
        return head.startsWith("HTTP/1.1 ") ? head.mid(9, 3).toInt() : 0;
    }
    void abort() { m_socket.abort(); }

private:
    QByteArray m_body;
    QTcpSocket m_socket;
};

} // namespace

class TstMediaQuota : public QObject {
    Q_OBJECT
private slots:
    void uploadBeyondTheAccountQuotaIsRefused();
    void expiredMediaNoLongerCountsTowardsTheQuota();
    void quotaIsPublishedAndSurvivesARestart();
    void concurrentUploadsBeyondTheLimitAreRefused();
};

void TstMediaQuota::uploadBeyondTheAccountQuotaIsRefused() {
    ServerWorld world({"--media-quota", "10000"});
    NATTER_WORLD(world, {"Ann", "Bob"}, ServerWorld::Sessions::None);
    TestClient &ann = world.user("Ann"), &bob = world.user("Bob");

    const HttpResult first = upload(ann, 6000);
    NATTER_HTTP(first, 200);
    const QStringList stored = mediaFiles(world.server());
    const HttpResult second = upload(ann, 6000);
    NATTER_REFUSED(second, 413, "payload_too_large");
    QVERIFY2(second.object().value("message").toString().contains("quota"), qPrintable(second.describe()));
    QCOMPARE(mediaFiles(world.server()), stored);
    NATTER_HTTP(upload(ann, 4000), 200); // exactly what is left
    NATTER_REFUSED(upload(ann, 1), 413, "payload_too_large");
    // The quota is per account, and deleted media no longer counts.
    NATTER_HTTP(upload(bob, 6000), 200);
    const QString id = first.object().value("media_id").toString();
    NATTER_HTTP(ann.request("DELETE", "/api/media/" + id), 204);
    NATTER_HTTP(upload(ann, 6000), 200);
}

void TstMediaQuota::expiredMediaNoLongerCountsTowardsTheQuota() {
    ServerWorld world({"--media-quota", "10000", "--media-retention", "3"});
    NATTER_WORLD(world, {"Ann"}, ServerWorld::Sessions::None);
    TestClient& ann = world.user("Ann");
    NATTER_HTTP(upload(ann, 6000), 200);
    NATTER_REFUSED(upload(ann, 6000), 413, "payload_too_large");
    // QTRY evaluates its condition once more after success: upload only until one is stored.
    bool stored = false;
    QTRY_VERIFY_WITH_TIMEOUT(stored || (stored = upload(ann, 6000).status == 200), 15000);
}

void TstMediaQuota::quotaIsPublishedAndSurvivesARestart() {
    ServerWorld world({"--media-quota", "10000", "--media-concurrent-uploads", "3"});
    NATTER_WORLD(world, {"Ann"}, ServerWorld::Sessions::None);
    TestClient& ann = world.user("Ann");
    const QJsonObject config = ann.request("GET", "/api/config").object();
    QCOMPARE(intField(config, "media_quota_bytes"), 10000);
    QCOMPARE(intField(config, "media_concurrent_uploads"), 3);
    NATTER_HTTP(upload(ann, 6000), 200);
    QVERIFY2(world.server().restart(), qPrintable(world.server().errorString()));
    NATTER_REFUSED(upload(ann, 6000), 413, "payload_too_large");
}

void TstMediaQuota::concurrentUploadsBeyondTheLimitAreRefused() {
    ServerWorld world({"--media-concurrent-uploads", "2"});
    NATTER_WORLD(world, {"Ann", "Bob"}, ServerWorld::Sessions::None);
    TestClient &ann = world.user("Ann"), &bob = world.user("Bob");
    NatterdProcess& server = world.server();
    SlowUpload one(server, ann.accessToken(), 50000), two(server, ann.accessToken(), 50000);
    QTRY_COMPARE_WITH_TIMEOUT(uploadsInProgress(server), qsizetype(2), 5000);

    const HttpResult third = upload(ann, 1000);
    NATTER_REFUSED(third, 429, "rate_limited");
    QVERIFY2(third.object().value("message").toString().contains("in progress"), qPrintable(third.describe()));
    NATTER_HTTP(upload(bob, 1000), 200); // per account
    // A finished upload frees its place at once, an abandoned one as soon as natterd notices.
    QCOMPARE(one.finish(), 200);
    NATTER_HTTP(upload(ann, 1000), 200);
    SlowUpload three(server, ann.accessToken(), 50000);
    QTRY_COMPARE_WITH_TIMEOUT(uploadsInProgress(server), qsizetype(2), 5000);
    NATTER_REFUSED(upload(ann, 1000), 429, "rate_limited");
    two.abort();
    bool stored = false;
    QTRY_VERIFY_WITH_TIMEOUT(stored || (stored = upload(ann, 1000).status == 200), 10000);
}

QTEST_GUILESS_MAIN(TstMediaQuota)
#include "tst_media_quota.moc"
