// Encrypted media against a real natterd: streaming upload and byte-identical download, Range
// requests (206/416), the size limit while streaming, tokens, delete rights, retention, restart
// and TLS. Blobs are random bytes: the server must never care what they are.
#include "natterd_process.h"
#include "server_world.h"
#include "test_client.h"

#include <QDirIterator>
#include <QEventLoop>
#include <QNetworkReply>
#include <QRandomGenerator>
#include <QTcpSocket>
#include <QTest>
#include <QTimer>

using namespace natter::test;

namespace {

constexpr int kMiB = 1024 * 1024;

QByteArray randomBlob(int size) {
    QByteArray out(size, Qt::Uninitialized);
    QRandomGenerator::global()->fillRange(reinterpret_cast<quint32*>(out.data()), size / 4);
    for (int i = size - size % 4; i < size; ++i) out[i] = static_cast<char>(QRandomGenerator::global()->bounded(256));
    return out;
}

// One HTTP answer with its headers (names lower-case).
struct Reply {
    int status = 0;
    QByteArray body;
    QHash<QByteArray, QByteArray> headers;
    QString error;
    QJsonObject json() const { return QJsonDocument::fromJson(body).object(); }
    QString code() const { return json().value("code").toString(); }
    QString describe() const {
        return QStringLiteral("HTTP %1 %2 %3").arg(status).arg(QString::fromUtf8(body.left(300)), error);
    }
};

// HTTP with arbitrary headers (Range, forged Authorization) over QNetworkAccessManager.
class Http {
public:
    explicit Http(const NatterdProcess& server) : m_server(server) {}

    Reply send(const QByteArray& method, const QString& path, const QByteArray& body = {},
               const QList<QPair<QByteArray, QByteArray>>& headers = {}, int timeoutMs = 60000) {
        QNetworkRequest req(QUrl(m_server.baseUrl().toString() + path));
        req.setAttribute(QNetworkRequest::Http2AllowedAttribute, false);
        req.setTransferTimeout(timeoutMs);
        for (const auto& [name, value] : headers) req.setRawHeader(name, value);
        if (!body.isEmpty()) req.setHeader(QNetworkRequest::ContentTypeHeader, "application/octet-stream");
        QNetworkReply* reply = m_nam.sendCustomRequest(req, method, body);
        QObject::connect(reply, &QNetworkReply::sslErrors, reply,
                         [reply](const QList<QSslError>&) { reply->ignoreSslErrors(); });
        QEventLoop loop;
        QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
        QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
        if (!reply->isFinished()) loop.exec();
        Reply out;
        if (!reply->isFinished()) {
            reply->abort();
            out.error = QStringLiteral("timeout");
        }
        out.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        out.body = reply->readAll();
        for (const auto& [name, value] : reply->rawHeaderPairs()) out.headers.insert(name.toLower(), value);
        if (reply->error() != QNetworkReply::NoError) out.error = reply->errorString();
        reply->deleteLater();
        return out;
    }

    static QList<QPair<QByteArray, QByteArray>> bearer(const QString& token, const QByteArray& range = {}) {
        QList<QPair<QByteArray, QByteArray>> h{{"Authorization", "Bearer " + token.toUtf8()}};
        if (!range.isEmpty()) h.append({"Range", range});
        return h;
    }
    Reply upload(const QString& token, const QByteArray& data) {
        return send("POST", "/api/media", data, bearer(token));
    }
    Reply download(const QString& token, const QString& id, const QByteArray& range = {}) {
        return send("GET", "/api/media/" + id, {}, bearer(token, range));
    }

private:
    const NatterdProcess& m_server;
    QNetworkAccessManager m_nam;
};

// Regular files under <data-dir>/media, relative to it.
// Files under a media directory (relative paths), except the sweepers' lock file.
QStringList filesIn(const QString& root) {
    QStringList out;
    QDirIterator it(root, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString name = it.next().mid(root.size() + 1);
        if (name != "sweep.lock") out << name;
    }
    return out;
}

QStringList mediaFiles(const NatterdProcess& server) { return filesIn(server.dataDir() + "/media"); }

// Reads an HTTP response head from a raw socket: the status (0 on timeout) and the head text.
int readStatus(QTcpSocket& socket, QByteArray& head, int timeoutMs = 10000) {
    QElapsedTimer timer;
    timer.start();
    while (!head.contains("\r\n\r\n") && timer.elapsed() < timeoutMs) {
        if (socket.bytesAvailable() == 0 && !socket.waitForReadyRead(200)) continue;
        head += socket.readAll();
    }
    if (!head.startsWith("HTTP/1.1 ")) return 0;
    return head.mid(9, 3).toInt();
}

} // namespace

class TstMedia : public QObject {
    Q_OBJECT
private slots:
    void uploadThenDownloadIsByteIdentical();
    void rangeRequestsReturnExactlyThoseBytes_data();
    void rangeRequestsReturnExactlyThoseBytes();
    void twoRangesResumeADownload();
    void unsatisfiableRangeIs416();
    void otherRangeFormsServeTheWholeFile_data();
    void otherRangeFormsServeTheWholeFile();
    void unknownMalformedAndEmptyAreRefused();
    void uploadOverTheLimitIs413AndLeavesNothing();
    void chunkedUploadOverTheLimitIs413MidStream();
    void missingOrForgedTokenIs401_data();
    void missingOrForgedTokenIs401();
    void unauthorizedUploadIsRefusedBeforeItsBody();
    void expectContinueGetsTheBodySent();
    void slowUploadDoesNotBlockOtherRequests();
    void onlyTheUploaderDeletes();
    void mediaExpiresAfterRetention();
    void uploadSurvivesRestart();
    void mediaWorksOverTls();
    void mediaDirElsewhereHoldsTheUploads();
};

void TstMedia::uploadThenDownloadIsByteIdentical() {
    ServerWorld world;
    NATTER_WORLD(world, {"Ann", "Bob"}, ServerWorld::Sessions::None);
    TestClient &a = world.user("Ann"), &b = world.user("Bob");
    Http http(world.server());
    const QByteArray blob = randomBlob(3 * kMiB + 123);

    const qint64 before = QDateTime::currentMSecsSinceEpoch();
    const Reply up = http.upload(a.accessToken(), blob);
    QVERIFY2(up.status == 200, qPrintable(up.describe()));
    const QString id = up.json().value("media_id").toString();
    QCOMPARE(id.size(), qsizetype(43));
    QVERIFY(QRegularExpression("^[A-Za-z0-9_-]{43}$").match(id).hasMatch());
    QCOMPARE(intField(up.json(), "size"), qint64(blob.size()));
    const qint64 expiresAt = intField(up.json(), "expires_at");
    const qint64 thirtyDays = 30LL * 24 * 3600 * 1000;
    QVERIFY2(expiresAt >= before + thirtyDays && expiresAt <= QDateTime::currentMSecsSinceEpoch() + thirtyDays,
             qPrintable(up.describe()));

    // Any authenticated user holding the id can read it: the id is the capability.
    const Reply down = http.download(b.accessToken(), id);
    QVERIFY2(down.status == 200, qPrintable(down.describe()));
    QCOMPARE(down.body.size(), blob.size());
    QVERIFY(down.body == blob);
    QCOMPARE(down.headers.value("content-type"), QByteArray("application/octet-stream"));
    QCOMPARE(down.headers.value("accept-ranges"), QByteArray("bytes"));
    QCOMPARE(down.headers.value("content-length").toLongLong(), qint64(blob.size()));
    QVERIFY(!down.headers.contains("content-range"));

    // Two uploads of the same bytes are two objects.
    const Reply again = http.upload(a.accessToken(), blob);
    QCOMPARE(again.status, 200);
    QVERIFY(again.json().value("media_id").toString() != id);
}

void TstMedia::rangeRequestsReturnExactlyThoseBytes_data() {
    const qint64 size = 2 * kMiB + 17;
    QTest::addColumn<QByteArray>("range");
    QTest::addColumn<qint64>("first");
    QTest::addColumn<qint64>("last");
    QTest::newRow("first part") << QByteArray("bytes=0-99999") << qint64(0) << qint64(99999);
    QTest::newRow("middle") << QByteArray("bytes=1000000-1048575") << qint64(1000000) << qint64(1048575);
    QTest::newRow("one byte") << QByteArray("bytes=5-5") << qint64(5) << qint64(5);
    QTest::newRow("suffix -n") << QByteArray("bytes=-4096") << size - 4096 << size - 1;
    QTest::newRow("suffix longer than file") << QByteArray("bytes=-99999999") << qint64(0) << size - 1;
    QTest::newRow("open-ended a-") << QByteArray("bytes=1500000-") << qint64(1500000) << size - 1;
    QTest::newRow("last byte a-") << QByteArray("bytes=") + QByteArray::number(size - 1) + "-" << size - 1 << size - 1;
    QTest::newRow("end past the file") << QByteArray("bytes=2097000-99999999999") << qint64(2097000) << size - 1;
}

void TstMedia::rangeRequestsReturnExactlyThoseBytes() {
    QFETCH(QByteArray, range);
    QFETCH(qint64, first);
    QFETCH(qint64, last);
    ServerWorld world;
    NATTER_WORLD(world, {"Ann"}, ServerWorld::Sessions::None);
    TestClient& a = world.user("Ann");
    Http http(world.server());
    const QByteArray blob = randomBlob(2 * kMiB + 17);
    const Reply up = http.upload(a.accessToken(), blob);
    QVERIFY2(up.status == 200, qPrintable(up.describe()));
    const QString id = up.json().value("media_id").toString();

    const Reply part = http.download(a.accessToken(), id, range);
    QVERIFY2(part.status == 206, qPrintable(part.describe()));
    QCOMPARE(part.headers.value("content-range"),
             QByteArray("bytes ") + QByteArray::number(first) + "-" + QByteArray::number(last) + "/" +
                 QByteArray::number(blob.size()));
    QCOMPARE(part.headers.value("content-length").toLongLong(), last - first + 1);
    QCOMPARE(qint64(part.body.size()), last - first + 1);
    QVERIFY(part.body == blob.mid(first, last - first + 1));
}

void TstMedia::twoRangesResumeADownload() {
    ServerWorld world;
    NATTER_WORLD(world, {"Ann"}, ServerWorld::Sessions::None);
    TestClient& a = world.user("Ann");
    Http http(world.server());
    const QByteArray blob = randomBlob(4 * kMiB + 5);
    const QString id = http.upload(a.accessToken(), blob).json().value("media_id").toString();
    QVERIFY(!id.isEmpty());

    // The connection broke after 1234567 bytes: the client asks for the rest.
    const Reply head = http.download(a.accessToken(), id, "bytes=0-1234566");
    const Reply tail = http.download(a.accessToken(), id, "bytes=1234567-");
    QCOMPARE(head.status, 206);
    QCOMPARE(tail.status, 206);
    QCOMPARE(head.body.size() + tail.body.size(), blob.size());
    QVERIFY(head.body + tail.body == blob);
}

void TstMedia::unsatisfiableRangeIs416() {
    ServerWorld world;
    NATTER_WORLD(world, {"Ann"}, ServerWorld::Sessions::None);
    TestClient& a = world.user("Ann");
    Http http(world.server());
    const QByteArray blob = randomBlob(1000);
    const QString id = http.upload(a.accessToken(), blob).json().value("media_id").toString();
    QVERIFY(!id.isEmpty());
    const QByteArray ranges[] = {"bytes=1000-", "bytes=1000-2000", "bytes=5000-6000", "bytes=-0",
                                 "bytes=99999999999999999999999-"};
    for (const QByteArray& range : ranges) {
        const Reply r = http.download(a.accessToken(), id, range);
        QVERIFY2(r.status == 416, qPrintable(QString::fromLatin1(range) + ": " + r.describe()));
        QCOMPARE(r.headers.value("content-range"), QByteArray("bytes */1000"));
        QCOMPARE(r.code(), QStringLiteral("range_not_satisfiable"));
    }
    // The connection stays usable and the file intact.
    QVERIFY(http.download(a.accessToken(), id, "bytes=999-").body == blob.right(1));
}

void TstMedia::otherRangeFormsServeTheWholeFile_data() {
    QTest::addColumn<QByteArray>("range");
    QTest::newRow("several ranges") << QByteArray("bytes=0-9,20-29");
    QTest::newRow("other unit") << QByteArray("items=0-9");
    QTest::newRow("last before first") << QByteArray("bytes=9-0");
    QTest::newRow("not a number") << QByteArray("bytes=a-b");
    QTest::newRow("no dash") << QByteArray("bytes=10");
}

void TstMedia::otherRangeFormsServeTheWholeFile() {
    QFETCH(QByteArray, range);
    ServerWorld world;
    NATTER_WORLD(world, {"Ann"}, ServerWorld::Sessions::None);
    TestClient& a = world.user("Ann");
    Http http(world.server());
    const QByteArray blob = randomBlob(70000);
    const QString id = http.upload(a.accessToken(), blob).json().value("media_id").toString();
    const Reply r = http.download(a.accessToken(), id, range);
    QVERIFY2(r.status == 200, qPrintable(r.describe()));
    QVERIFY(!r.headers.contains("content-range"));
    QVERIFY(r.body == blob);
}

void TstMedia::unknownMalformedAndEmptyAreRefused() {
    ServerWorld world;
    NATTER_WORLD(world, {"Ann"}, ServerWorld::Sessions::None);
    TestClient& a = world.user("Ann");
    NatterdProcess& server = world.server();
    Http http(server);
    const QString token = a.accessToken();
    const QString unknown = QString(43, 'A');
    for (const QString& id : {unknown, QStringLiteral("short"), QStringLiteral("..%2F..%2Fjwt.key"),
                              QString(43, 'A') + "=", QStringLiteral("%2E%2E")}) {
        const Reply r = http.download(token, id);
        QVERIFY2(r.status == 404, qPrintable(id + ": " + r.describe()));
        QCOMPARE(r.code(), QStringLiteral("not_found"));
    }
    QCOMPARE(http.send("GET", "/api/media/" + unknown + "/x", {}, Http::bearer(token)).status, 404);
    QCOMPARE(http.send("DELETE", "/api/media/" + unknown, {}, Http::bearer(token)).status, 404);
    QCOMPARE(http.send("PUT", "/api/media/" + unknown, "x", Http::bearer(token)).status, 405);
    QCOMPARE(http.send("GET", "/api/media", {}, Http::bearer(token)).status, 405);

    const Reply empty = http.upload(token, {});
    QVERIFY2(empty.status == 400, qPrintable(empty.describe()));
    QCOMPARE(empty.code(), QStringLiteral("invalid_field"));
    QVERIFY2(mediaFiles(server).isEmpty(), qPrintable(mediaFiles(server).join(", ")));
}

void TstMedia::uploadOverTheLimitIs413AndLeavesNothing() {
    ServerWorld world({"--media-max-bytes", "1048576"});
    NATTER_WORLD(world, {"Ann"}, ServerWorld::Sessions::None);
    TestClient& a = world.user("Ann");
    NatterdProcess& server = world.server();
    Http http(server);

    const Reply big = http.upload(a.accessToken(), randomBlob(2 * kMiB));
    QVERIFY2(big.status == 413, qPrintable(big.describe()));
    QCOMPARE(big.code(), QStringLiteral("payload_too_large"));
    QVERIFY2(mediaFiles(server).isEmpty(), qPrintable(mediaFiles(server).join(", ")));
    QCOMPARE(QDir(server.dataDir() + "/media").entryList(QDir::AllEntries | QDir::NoDotAndDotDot),
             (QStringList{"sweep.lock", "tmp"}));

    // Exactly the limit is fine, and REST keeps its own, smaller limit.
    const QByteArray atLimit = randomBlob(kMiB);
    const Reply ok = http.upload(a.accessToken(), atLimit);
    QVERIFY2(ok.status == 200, qPrintable(ok.describe()));
    QVERIFY(http.download(a.accessToken(), ok.json().value("media_id").toString()).body == atLimit);
    QCOMPARE(a.rawRequest("PUT", "/api/profile", QByteArray(100 * 1024, ' ')).status, 413);
}

void TstMedia::chunkedUploadOverTheLimitIs413MidStream() {
    ServerWorld world({"--media-max-bytes", "1048576"});
    NATTER_WORLD(world, {"Ann"}, ServerWorld::Sessions::None);
    TestClient& a = world.user("Ann");
    NatterdProcess& server = world.server();

    // No Content-Length: the server can only find out while the body streams in.
    QTcpSocket socket;
    socket.connectToHost("127.0.0.1", server.port());
    QVERIFY(socket.waitForConnected(5000));
    socket.write("POST /api/media HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + a.accessToken().toUtf8() +
                 "\r\nTransfer-Encoding: chunked\r\n\r\n");
    const QByteArray chunk = randomBlob(64 * 1024);
    QByteArray head;
    for (int sent = 0; sent < 2 * kMiB && socket.state() == QAbstractSocket::ConnectedState; sent += chunk.size()) {
        socket.write(QByteArray::number(chunk.size(), 16) + "\r\n" + chunk + "\r\n");
        socket.waitForBytesWritten(2000);
        head += socket.readAll();
    }
    socket.write("0\r\n\r\n");
    socket.waitForBytesWritten(2000);
    const int status = readStatus(socket, head);
    QVERIFY2(status == 413, head.constData());
    QVERIFY(head.contains("payload_too_large"));
    QTRY_VERIFY2_WITH_TIMEOUT(mediaFiles(server).isEmpty(), qPrintable(mediaFiles(server).join(", ")), 5000);
    Http http(server);
    QCOMPARE(http.upload(a.accessToken(), randomBlob(1000)).status, 200); // the server is fine
}

void TstMedia::missingOrForgedTokenIs401_data() {
    QTest::addColumn<QString>("authorization");
    QTest::newRow("none") << QString();
    QTest::newRow("garbage") << QStringLiteral("Bearer not-a-token");
    QTest::newRow("forged signature") << QStringLiteral("FORGE");
}

void TstMedia::missingOrForgedTokenIs401() {
    QFETCH(QString, authorization);
    ServerWorld world;
    NATTER_WORLD(world, {"Ann"}, ServerWorld::Sessions::None);
    TestClient& a = world.user("Ann");
    Http http(world.server());
    const QString id = http.upload(a.accessToken(), randomBlob(5000)).json().value("media_id").toString();
    QVERIFY(!id.isEmpty());
    if (authorization == "FORGE") {
        QByteArray token = a.accessToken().toUtf8();
        token[token.size() - 2] = token[token.size() - 2] == 'A' ? 'B' : 'A';
        authorization = "Bearer " + QString::fromUtf8(token);
    }
    QList<QPair<QByteArray, QByteArray>> headers;
    if (!authorization.isEmpty()) headers.append({"Authorization", authorization.toUtf8()});

    const Reply up = http.send("POST", "/api/media", randomBlob(300000), headers);
    QVERIFY2(up.status == 401, qPrintable(up.describe()));
    QCOMPARE(up.code(), QStringLiteral("unauthorized"));
    const Reply down = http.send("GET", "/api/media/" + id, {}, headers);
    QVERIFY2(down.status == 401, qPrintable(down.describe()));
    QCOMPARE(down.code(), QStringLiteral("unauthorized"));
    QCOMPARE(http.send("DELETE", "/api/media/" + id, {}, headers).status, 401);
    QCOMPARE(mediaFiles(world.server()).size(), qsizetype(2)); // the one blob and its sidecar; no upload left behind
}

void TstMedia::unauthorizedUploadIsRefusedBeforeItsBody() {
    NatterdProcess server;
    NATTER_START(server);
    QTcpSocket socket;
    socket.connectToHost("127.0.0.1", server.port());
    QVERIFY(socket.waitForConnected(5000));
    // 50 MiB announced, nothing sent: the answer comes from the headers alone.
    socket.write("POST /api/media HTTP/1.1\r\nHost: x\r\nContent-Length: 52428800\r\n\r\n");
    QByteArray head;
    QCOMPARE(readStatus(socket, head), 401);
    QVERIFY(head.contains("Connection: close") || head.contains("connection: close"));
    QVERIFY2(mediaFiles(server).isEmpty(), qPrintable(mediaFiles(server).join(", ")));
}

void TstMedia::expectContinueGetsTheBodySent() {
    ServerWorld world;
    NATTER_WORLD(world, {"Ann"}, ServerWorld::Sessions::None);
    TestClient& a = world.user("Ann");
    QTcpSocket socket;
    socket.connectToHost("127.0.0.1", world.server().port());
    QVERIFY(socket.waitForConnected(5000));
    const QByteArray blob = randomBlob(200000);
    socket.write("POST /api/media HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + a.accessToken().toUtf8() +
                 "\r\nExpect: 100-continue\r\nContent-Length: " + QByteArray::number(blob.size()) + "\r\n\r\n");
    QByteArray interim;
    QCOMPARE(readStatus(socket, interim), 100);
    socket.write(blob);
    QByteArray head = interim.mid(interim.indexOf("\r\n\r\n") + 4);
    QCOMPARE(readStatus(socket, head), 200);
}

void TstMedia::slowUploadDoesNotBlockOtherRequests() {
    ServerWorld world;
    NATTER_WORLD(world, {"Ann"}, ServerWorld::Sessions::None);
    TestClient& a = world.user("Ann");
    NatterdProcess& server = world.server();
    const QByteArray blob = randomBlob(2 * kMiB);
    QTcpSocket socket;
    socket.connectToHost("127.0.0.1", server.port());
    QVERIFY(socket.waitForConnected(5000));
    socket.write("POST /api/media HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + a.accessToken().toUtf8() +
                 "\r\nContent-Length: " + QByteArray::number(blob.size()) + "\r\n\r\n" + blob.left(kMiB));
    QVERIFY(socket.waitForBytesWritten(5000));
    // Half the body is in, the rest is late: the server still answers everyone else.
    QCOMPARE(a.request("GET", "/api/profile").status, 200);
    QCOMPARE(a.request("GET", "/healthz").status, 200);
    QCOMPARE(mediaFiles(server).size(), qsizetype(1)); // the upload in tmp/
    socket.write(blob.mid(kMiB));
    QByteArray head;
    QCOMPARE(readStatus(socket, head), 200);
    QVERIFY(mediaFiles(server).filter(QRegularExpression("^tmp/")).isEmpty());
}

void TstMedia::onlyTheUploaderDeletes() {
    ServerWorld world;
    NATTER_WORLD(world, {"Ann", "Bob"}, ServerWorld::Sessions::None);
    TestClient &a = world.user("Ann"), &b = world.user("Bob");
    NatterdProcess& server = world.server();
    Http http(server);
    const QString id = http.upload(a.accessToken(), randomBlob(10000)).json().value("media_id").toString();
    QVERIFY(!id.isEmpty());

    const Reply theirs = http.send("DELETE", "/api/media/" + id, {}, Http::bearer(b.accessToken()));
    QVERIFY2(theirs.status == 403, qPrintable(theirs.describe()));
    QCOMPARE(theirs.code(), QStringLiteral("forbidden"));
    QCOMPARE(http.download(b.accessToken(), id).status, 200);

    const Reply own = http.send("DELETE", "/api/media/" + id, {}, Http::bearer(a.accessToken()));
    QVERIFY2(own.status == 204, qPrintable(own.describe()));
    QCOMPARE(http.download(a.accessToken(), id).status, 404);
    QCOMPARE(http.download(b.accessToken(), id).status, 404);
    QCOMPARE(http.send("DELETE", "/api/media/" + id, {}, Http::bearer(a.accessToken())).status, 404);
    QVERIFY2(mediaFiles(server).isEmpty(), qPrintable(mediaFiles(server).join(", ")));
}

void TstMedia::mediaExpiresAfterRetention() {
    ServerWorld world({"--media-retention", "2"});
    NATTER_WORLD(world, {"Ann"}, ServerWorld::Sessions::None);
    TestClient& a = world.user("Ann");
    NatterdProcess& server = world.server();
    Http http(server);
    const qint64 before = QDateTime::currentMSecsSinceEpoch();
    const Reply up = http.upload(a.accessToken(), randomBlob(50000));
    QVERIFY2(up.status == 200, qPrintable(up.describe()));
    const QString id = up.json().value("media_id").toString();
    QVERIFY(intField(up.json(), "expires_at") >= before + 2000);
    QVERIFY(intField(up.json(), "expires_at") <= QDateTime::currentMSecsSinceEpoch() + 2000);
    QCOMPARE(http.download(a.accessToken(), id).status, 200);

    // Retention 2 s, sweeps every 0.5 s: gone from the API and from the disk within a few seconds.
    QTRY_COMPARE_WITH_TIMEOUT(http.download(a.accessToken(), id).status, 404, 10000);
    QTRY_VERIFY2_WITH_TIMEOUT(mediaFiles(server).isEmpty(), qPrintable(mediaFiles(server).join(", ")), 10000);
    QVERIFY(QDateTime::currentMSecsSinceEpoch() - before >= 2000);
}

void TstMedia::uploadSurvivesRestart() {
    ServerWorld world;
    NATTER_WORLD(world, {"Ann"}, ServerWorld::Sessions::None);
    TestClient& a = world.user("Ann");
    NatterdProcess& server = world.server();
    Http http(server);
    const QByteArray blob = randomBlob(kMiB + 3);
    const Reply up = http.upload(a.accessToken(), blob);
    QVERIFY2(up.status == 200, qPrintable(up.describe()));
    const QString id = up.json().value("media_id").toString();

    server.kill9(); // acknowledged means on disk
    QVERIFY2(server.restart(), qPrintable(server.errorString()));
    const Reply down = http.download(a.accessToken(), id);
    QVERIFY2(down.status == 200, qPrintable(down.describe()));
    QVERIFY(down.body == blob);
    QCOMPARE(server.terminate(), 0);
    QVERIFY2(server.restart(), qPrintable(server.errorString()));
    QVERIFY(http.download(a.accessToken(), id, "bytes=-3").body == blob.right(3));
}

void TstMedia::mediaWorksOverTls() {
    QTemporaryDir certDir;
    const QString cert = certDir.filePath("c.pem"), key = certDir.filePath("k.pem");
    QProcess openssl;
    openssl.start("openssl", {"req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=localhost", "-days", "1",
                              "-keyout", key, "-out", cert});
    QVERIFY2(openssl.waitForFinished(60000), "openssl did not finish");
    QVERIFY2(openssl.exitCode() == 0, openssl.readAllStandardError().constData());
    ServerWorld world({"--tls-cert", cert, "--tls-key", key, "--media-max-bytes", "2097152"});
    NATTER_WORLD(world, {"Ann"}, ServerWorld::Sessions::None);
    QVERIFY(world.server().isTls());
    TestClient& a = world.user("Ann");
    Http http(world.server());
    const QByteArray blob = randomBlob(2 * kMiB);
    const Reply up = http.upload(a.accessToken(), blob);
    QVERIFY2(up.status == 200, qPrintable(up.describe()));
    const QString id = up.json().value("media_id").toString();
    QVERIFY(http.download(a.accessToken(), id).body == blob);
    const Reply part = http.download(a.accessToken(), id, "bytes=1000-1999");
    QCOMPARE(part.status, 206);
    QVERIFY(part.body == blob.mid(1000, 1000));
    QCOMPARE(http.upload(a.accessToken(), blob + "x").status, 413);
}

QTEST_GUILESS_MAIN(TstMedia)
#include "tst_media.moc"

// --media-dir puts uploads where the nodes of a cluster share them, not in the data dir.
void TstMedia::mediaDirElsewhereHoldsTheUploads() {
    QTemporaryDir shared;
    const QString mediaDir = shared.filePath("media");
    ServerWorld world({"--media-dir", mediaDir});
    NATTER_WORLD(world, {"Ann"}, ServerWorld::Sessions::None);
    TestClient& a = world.user("Ann");
    NatterdProcess& server = world.server();
    Http http(server);
    const QByteArray blob = randomBlob(5000);
    const QString id = http.upload(a.accessToken(), blob).json().value("media_id").toString();
    QVERIFY(!id.isEmpty());
    QVERIFY2(filesIn(mediaDir).contains(id.left(2) + "/" + id), qPrintable(filesIn(mediaDir).join(", ")));
    QVERIFY2(mediaFiles(server).isEmpty(), qPrintable(mediaFiles(server).join(", ")));
    QVERIFY(QFileInfo::exists(mediaDir + "/sweep.lock"));
    QCOMPARE(QFileInfo(mediaDir).permissions() & (QFile::ReadOther | QFile::ReadGroup), QFile::Permissions());

    QVERIFY2(server.restart(), qPrintable(server.errorString()));
    const Reply again = http.download(a.accessToken(), id);
    QCOMPARE(again.status, 200);
    QCOMPARE(again.body, blob);
}
