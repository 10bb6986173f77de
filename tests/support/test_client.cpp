#include "test_client.h"

#include "natterd_process.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QEventLoop>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QTimer>
#include <QUrlQuery>

namespace natter::test {

namespace {
// Runs the event loop until `obj` emits `signal` or the deadline passes.
template <class Obj, class Signal>
void waitSignal(Obj* obj, Signal signal, int timeoutMs) {
    if (timeoutMs <= 0) return;
    QEventLoop loop;
    QTimer timer;
    timer.setSingleShot(true);
    QObject::connect(&timer, &QTimer::timeout, &loop, &QEventLoop::quit);
    QObject::connect(obj, signal, &loop, &QEventLoop::quit);
    timer.start(timeoutMs);
    loop.exec();
}

int remaining(const QDeadlineTimer& d) { return int(std::max<qint64>(0, d.remainingTime())); }
} // namespace

QString HttpResult::describe() const {
    if (status == 0) return QStringLiteral("no HTTP response (%1)").arg(networkError);
    return QStringLiteral("HTTP %1 %2").arg(status).arg(QString::fromUtf8(body.left(2000)));
}

namespace {
// The newest verified device of each number on each server: addDevice links new devices from
// it, as a user does (verifying the number again would start the account over).
struct KnownDevice {
    qint64 userId = 0;
    qint64 deviceId = 0;
    QString secret;
};
QHash<QString, KnownDevice>& verifiedDevices() {
    static QHash<QString, KnownDevice> devices;
    return devices;
}
} // namespace

TestClient::TestClient(const NatterdProcess& server, QObject* parent) : QObject(parent), m_server(server) {}

TestClient::~TestClient() {
    if (m_ws) {
        m_ws->disconnect(this);
        m_ws->abort();
    }
}

// ---- accounts ------------------------------------------------------------------------------

HttpResult TestClient::registerPhone(const QString& phone) {
    return doRequest("POST", QStringLiteral("/api/register"),
                     QJsonDocument(QJsonObject{{"phone", phone}}).toJson(QJsonDocument::Compact), true, false,
                     10000);
}

HttpResult TestClient::verify(const QString& phone, const QString& code, const QString& deviceName) {
    QJsonObject body{{"phone", phone}, {"code", code}};
    if (!deviceName.isEmpty()) body.insert("device_name", deviceName);
    return doRequest("POST", QStringLiteral("/api/verify"), QJsonDocument(body).toJson(QJsonDocument::Compact),
                     true, false, 10000);
}

bool TestClient::registerAndVerify(const QString& phone, const QString& deviceName) {
    const HttpResult reg = registerPhone(phone);
    if (reg.status != 200) {
        m_lastError = QStringLiteral("register %1: %2").arg(phone, reg.describe());
        return false;
    }
    const HttpResult ver = verify(phone, kFixedCode, deviceName);
    if (ver.status != 200) {
        m_lastError = QStringLiteral("verify %1: %2").arg(phone, ver.describe());
        return false;
    }
    if (!useVerifyResponse(ver.object(), phone)) {
        m_lastError = QStringLiteral("verify %1: incomplete response %2").arg(phone, ver.describe());
        return false;
    }
    verifiedDevices().insert(m_server.baseUrl().toString() + phone, {m_userId, m_deviceId, m_deviceSecret});
    return true;
}

bool TestClient::signUp(const QString& phone, const QString& displayName) {
    if (!registerAndVerify(phone, QStringLiteral("test device"))) return false;
    if (!displayName.isEmpty()) {
        const HttpResult put = request("PUT", "/api/profile", QJsonObject{{"display_name", displayName}});
        if (put.status != 200) {
            m_lastError = QStringLiteral("PUT /api/profile: %1").arg(put.describe());
            return false;
        }
    }
    return true;
}


bool TestClient::addDevice(const QString& phone, const QString& deviceName) {
    const QString key = m_server.baseUrl().toString() + phone;
    const auto known = verifiedDevices().constFind(key);
    if (known == verifiedDevices().constEnd()) {
        m_lastError = QStringLiteral("addDevice %1: no device of this number signed up on this server").arg(phone);
        return false;
    }
    TestClient existing(m_server);
    existing.m_userId = known->userId;
    existing.m_deviceId = known->deviceId;
    existing.m_deviceSecret = known->secret;
    const HttpResult token = existing.rawRequest(
        "POST", "/api/token",
        QJsonDocument(QJsonObject{{"user_id", known->userId}, {"device_id", known->deviceId}, {"device_secret", known->secret}})
            .toJson(QJsonDocument::Compact),
        false);
    if (token.status != 200) {
        m_lastError = QStringLiteral("addDevice %1: token: %2").arg(phone, token.describe());
        return false;
    }
    existing.m_accessToken = token.object().value("access_token").toString();
    const HttpResult code = existing.request("POST", "/api/devices/link-code", QJsonObject{{"provision", "AA=="}});
    if (code.status != 200) {
        m_lastError = QStringLiteral("addDevice %1: link-code: %2").arg(phone, code.describe());
        return false;
    }
    const QJsonObject link{{"code", code.object().value("code")},
                           {"device_name", deviceName.isEmpty() ? QStringLiteral("second device") : deviceName}};
    const HttpResult linked =
        rawRequest("POST", "/api/devices/link", QJsonDocument(link).toJson(QJsonDocument::Compact), false);
    if (linked.status != 200) {
        m_lastError = QStringLiteral("addDevice %1: link: %2").arg(phone, linked.describe());
        return false;
    }
    return useVerifyResponse(linked.object(), phone);
}

void TestClient::adoptCredentials(const TestClient& other) {
    m_userId = other.m_userId;
    m_deviceId = other.m_deviceId;
    m_phone = other.m_phone;
    m_deviceSecret = other.m_deviceSecret;
    m_accessToken = other.m_accessToken;
    m_newAccount = false;
}

bool TestClient::useVerifyResponse(const QJsonObject& o, const QString& phone) {
    m_userId = intField(o, "user_id");
    m_deviceId = intField(o, "device_id");
    m_deviceSecret = o.value("device_secret").toString();
    m_accessToken = o.value("access_token").toString();
    m_newAccount = o.value("new_account").toBool();
    if (!phone.isEmpty()) m_phone = phone;
    if (m_userId <= 0 || m_deviceId <= 0 || m_accessToken.isEmpty() || m_deviceSecret.isEmpty()) {
        m_lastError = QStringLiteral("incomplete verify response %1").arg(compact(o));
        return false;
    }
    return true;
}

// ---- REST ----------------------------------------------------------------------------------

HttpResult TestClient::request(const QByteArray& method, const QString& path, const QJsonDocument& body,
                               int timeoutMs) {
    const QByteArray bytes = body.isNull() ? QByteArray() : body.toJson(QJsonDocument::Compact);
    return doRequest(method, path, bytes, !body.isNull(), true, timeoutMs);
}

HttpResult TestClient::request(const QByteArray& method, const QString& path, const QJsonObject& body,
                               int timeoutMs) {
    return request(method, path, QJsonDocument(body), timeoutMs);
}

HttpResult TestClient::rawRequest(const QByteArray& method, const QString& path, const QByteArray& body,
                                  bool withAuth, int timeoutMs) {
    return doRequest(method, path, body, true, withAuth, timeoutMs);
}

HttpResult TestClient::doRequest(const QByteArray& method, const QString& path, const QByteArray& body, bool json,
                                 bool withAuth, int timeoutMs) {
    HttpResult result;
    QNetworkRequest req(QUrl(m_server.baseUrl().toString() + path));
    req.setAttribute(QNetworkRequest::Http2AllowedAttribute, false);
    req.setTransferTimeout(timeoutMs);
    if (json) req.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    if (withAuth && !m_accessToken.isEmpty())
        req.setRawHeader("Authorization", "Bearer " + m_accessToken.toUtf8());
    QNetworkReply* reply = m_nam.sendCustomRequest(req, method, body);
#ifndef QT_NO_SSL
    connect(reply, &QNetworkReply::sslErrors, reply, [reply](const QList<QSslError>&) { reply->ignoreSslErrors(); });
#endif
    if (!reply->isFinished()) waitSignal(reply, &QNetworkReply::finished, timeoutMs);
    if (!reply->isFinished()) {
        reply->abort();
        result.networkError = QStringLiteral("timeout after %1 ms").arg(timeoutMs);
        reply->deleteLater();
        return result;
    }
    result.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    result.body = reply->readAll();
    if (reply->error() != QNetworkReply::NoError) result.networkError = reply->errorString();
    QJsonParseError err{};
    const QJsonDocument doc = QJsonDocument::fromJson(result.body, &err);
    if (err.error == QJsonParseError::NoError) result.json = doc;
    reply->deleteLater();
    return result;
}

bool TestClient::addContacts(const QList<const TestClient*>& contacts) {
    QJsonArray phones, ids;
    for (const TestClient* c : contacts) {
        phones.append(c->phone());
        ids.append(c->userId());
    }
    const HttpResult found = request("POST", "/api/contacts/lookup", QJsonObject{{"phones", phones}});
    if (found.status != 200) {
        m_lastError = QStringLiteral("POST /api/contacts/lookup: %1").arg(found.describe());
        return false;
    }
    const HttpResult added = request("PUT", "/api/contacts", QJsonObject{{"user_ids", ids}});
    if (added.status != 200) {
        m_lastError = QStringLiteral("PUT /api/contacts: %1").arg(added.describe());
        return false;
    }
    return true;
}

QList<DeviceAddr> TestClient::devicesOf(qint64 userId) {
    QList<DeviceAddr> out;
    const HttpResult r = request("GET", QStringLiteral("/api/users/%1/devices").arg(userId));
    if (r.status != 200) {
        m_lastError = QStringLiteral("GET devices of %1: %2").arg(userId).arg(r.describe());
        return out;
    }
    for (const QJsonValue& d : r.object().value("devices").toArray())
        out.append({userId, d.toObject().value("device_id").toInteger()});
    return out;
}

// ---- WebSocket ---------------------------------------------------------------------------

bool TestClient::connectWs(int timeoutMs, Auth auth) {
    const QUrl url = startWs(auth);
    QWebSocket* ws = m_ws.get();
    QDeadlineTimer deadline(timeoutMs);
    while (!m_connected && ws->state() != QAbstractSocket::UnconnectedState && !deadline.hasExpired()) {
        QEventLoop loop;
        QTimer timer;
        timer.setSingleShot(true);
        connect(&timer, &QTimer::timeout, &loop, &QEventLoop::quit);
        connect(ws, &QWebSocket::stateChanged, &loop, &QEventLoop::quit);
        connect(ws, &QWebSocket::connected, &loop, &QEventLoop::quit);
        timer.start(std::max(1, remaining(deadline)));
        loop.exec();
    }
    if (!m_connected) {
        m_lastError = QStringLiteral("WebSocket to %1 not connected: %2").arg(url.toString(), ws->errorString());
        ws->abort();
        return false;
    }
    return true;
}

QUrl TestClient::startWs(Auth auth) {
    if (m_ws) {
        m_ws->disconnect(this);
        m_ws->abort();
        m_ws.release()->deleteLater();
    }
    m_frames.clear();
    m_closeCode = -1;
    m_closeReason.clear();
    m_connected = false;
    m_ws = std::make_unique<QWebSocket>();
    QWebSocket* ws = m_ws.get();
    connect(ws, &QWebSocket::textMessageReceived, this, &TestClient::onTextMessage);
    connect(ws, &QWebSocket::binaryMessageReceived, this, [this](const QByteArray& data) {
        m_frames.append(QJsonObject{{"type", "<binary>"}, {"size", data.size()}});
    });
    connect(ws, &QWebSocket::connected, this, [this] { m_connected = true; });
    connect(ws, &QWebSocket::disconnected, this, [this, ws] {
        m_connected = false;
        m_closeCode = int(ws->closeCode());
        m_closeReason = ws->closeReason();
    });
    connect(ws, qOverload<QAbstractSocket::SocketError>(&QWebSocket::error), this,
            [this, ws](QAbstractSocket::SocketError) { m_lastError = ws->errorString(); });
#ifndef QT_NO_SSL
    connect(ws, &QWebSocket::sslErrors, ws, [ws](const QList<QSslError>&) { ws->ignoreSslErrors(); });
#endif

    QUrl url = m_server.wsUrl();
    QNetworkRequest req;
    if (auth == Auth::Query) {
        QUrlQuery q;
        q.addQueryItem("access_token", m_accessToken);
        url.setQuery(q);
    } else if (!m_accessToken.isEmpty()) {
        req.setRawHeader("Authorization", "Bearer " + m_accessToken.toUtf8());
    }
    req.setUrl(url);
    ws->open(req);
    return url;
}

bool TestClient::openSession(int timeoutMs) {
    if (!connectWs(timeoutMs)) return false;
    if (!waitFor("welcome", {}, timeoutMs)) {
        m_lastError = QStringLiteral("no welcome; pending: %1").arg(describePending());
        return false;
    }
    if (!waitFor("sync_complete", {}, timeoutMs)) {
        m_lastError = QStringLiteral("no sync_complete; pending: %1").arg(describePending());
        return false;
    }
    return true;
}

bool TestClient::openSessions(const QList<TestClient*>& clients, int timeoutMs, QString* error) {
    QDeadlineTimer deadline(timeoutMs);
    // Open every socket first (connectWs with no wait), so the handshakes run in parallel.
    for (TestClient* c : clients) c->startWs(Auth::Header);
    QList<TestClient*> waiting = clients;
    QList<TestClient*> welcomed;
    while (!waiting.isEmpty()) {
        for (qsizetype i = waiting.size() - 1; i >= 0; --i) {
            TestClient* c = waiting.at(i);
            if (!c->m_ws) continue;
            if (!welcomed.contains(c) && c->takeMatching("welcome", {}, nullptr)) welcomed.append(c);
            if (welcomed.contains(c) && c->takeMatching("sync_complete", {}, nullptr)) waiting.removeAt(i);
        }
        if (waiting.isEmpty()) break;
        if (deadline.hasExpired()) {
            TestClient* c = waiting.first();
            if (error)
                *error = QStringLiteral("%1 of %2 sessions not ready; user %3 device %4: %5 %6; pending: %7")
                             .arg(waiting.size())
                             .arg(clients.size())
                             .arg(c->m_userId)
                             .arg(c->m_deviceId)
                             .arg(c->m_connected ? "connected" : "not connected")
                             .arg(welcomed.contains(c) ? "welcomed" : "no welcome")
                             .arg(c->describePending());
            return false;
        }
        QEventLoop loop;
        QTimer timer;
        timer.setSingleShot(true);
        connect(&timer, &QTimer::timeout, &loop, &QEventLoop::quit);
        timer.start(std::clamp(remaining(deadline), 1, 20));
        loop.exec();
    }
    return true;
}

QList<qint64> TestClient::Sync::seqs() const {
    QList<qint64> out;
    for (const QJsonObject& f : queued)
        if (f.value("type").toString() == QLatin1String("message")) out << intField(f, "seq");
    return out;
}

TestClient::Sync TestClient::readSync(bool ackMessages, int timeoutMs) {
    Sync sync;
    QDeadlineTimer deadline(timeoutMs);
    bool sawWelcome = false;
    while (true) {
        QJsonObject f;
        bool got = false;
        for (qsizetype i = 0; i < m_frames.size(); ++i) {
            const QString t = m_frames.at(i).value("type").toString();
            if (t == QLatin1String("presence") || t == QLatin1String("typing") || t == QLatin1String("prekeys_low"))
                continue;
            f = m_frames.takeAt(i);
            got = true;
            break;
        }
        if (!got) {
            if (deadline.hasExpired() || !m_ws || !m_connected) {
                sync.error = QStringLiteral("%1 after %2 queued frames; pending: %3")
                                 .arg(sawWelcome ? "no sync_complete" : "no welcome")
                                 .arg(sync.queued.size())
                                 .arg(describePending());
                break;
            }
            waitSignal(m_ws.get(), &QWebSocket::textMessageReceived, std::max(1, remaining(deadline)));
            continue;
        }
        const QString type = f.value("type").toString();
        if (!sawWelcome) {
            if (type != QLatin1String("welcome")) {
                sync.error = QStringLiteral("first frame is not welcome: %1").arg(compact(f));
                break;
            }
            sawWelcome = true;
            sync.welcome = f;
            continue;
        }
        if (type == QLatin1String("sync_complete")) {
            sync.syncComplete = f;
            sync.ok = true;
            break;
        }
        if (type == QLatin1String("message") || type == QLatin1String("receipt") ||
            type == QLatin1String("group_event") || type == QLatin1String("identity_changed")) {
            sync.queued.append(f);
            if (ackMessages && (type == QLatin1String("message") || type == QLatin1String("group_event")))
                ackDelivered(intField(f, "message_id"));
            continue;
        }
        sync.error = QStringLiteral("unexpected frame during sync: %1").arg(compact(f));
        break;
    }
    return sync;
}

bool TestClient::isConnected() const { return m_ws && m_connected; }

void TestClient::closeWs(int timeoutMs) {
    if (!m_ws || !m_connected) return;
    m_ws->close(QWebSocketProtocol::CloseCodeNormal);
    waitDisconnected(timeoutMs);
    if (m_connected) m_ws->abort();
}

void TestClient::abortWs() {
    if (!m_ws) return;
    m_ws->abort();
    m_connected = false;
}

bool TestClient::waitDisconnected(int timeoutMs) {
    if (!m_ws) return true;
    QDeadlineTimer deadline(timeoutMs);
    while (m_connected && !deadline.hasExpired()) waitSignal(m_ws.get(), &QWebSocket::disconnected, remaining(deadline));
    return !m_connected;
}

void TestClient::send(const QJsonObject& frame) { sendText(QString::fromUtf8(QJsonDocument(frame).toJson(QJsonDocument::Compact))); }

void TestClient::sendText(const QString& text) {
    if (m_ws) m_ws->sendTextMessage(text);
}

void TestClient::sendBinary(const QByteArray& data) {
    if (m_ws) m_ws->sendBinaryMessage(data);
}

void TestClient::onTextMessage(const QString& text) {
    QJsonParseError err{};
    const QJsonDocument doc = QJsonDocument::fromJson(text.toUtf8(), &err);
    if (err.error != QJsonParseError::NoError || !doc.isObject())
        m_frames.append(QJsonObject{{"type", "<unparseable>"}, {"raw", text.left(2000)}});
    else
        m_frames.append(doc.object());
}

bool TestClient::takeMatching(const QString& type, const FramePredicate& pred, QJsonObject* out) {
    for (qsizetype i = 0; i < m_frames.size(); ++i) {
        const QJsonObject& f = m_frames.at(i);
        if (f.value("type").toString() != type) continue;
        if (pred && !pred(f)) continue;
        if (out) *out = f;
        m_frames.removeAt(i);
        return true;
    }
    return false;
}

std::optional<QJsonObject> TestClient::waitFor(const QString& type, const FramePredicate& pred, int timeoutMs) {
    QDeadlineTimer deadline(timeoutMs);
    QJsonObject found;
    while (true) {
        if (takeMatching(type, pred, &found)) return found;
        if (deadline.hasExpired() || !m_ws) return std::nullopt;
        if (!m_connected) {
            // Frames may still be queued in the socket: give them one pass, then stop waiting.
            QCoreApplication::processEvents();
            if (takeMatching(type, pred, &found)) return found;
            return std::nullopt;
        }
        QEventLoop loop;
        QTimer timer;
        timer.setSingleShot(true);
        connect(&timer, &QTimer::timeout, &loop, &QEventLoop::quit);
        connect(m_ws.get(), &QWebSocket::textMessageReceived, &loop, &QEventLoop::quit, Qt::QueuedConnection);
        connect(m_ws.get(), &QWebSocket::binaryMessageReceived, &loop, &QEventLoop::quit, Qt::QueuedConnection);
        connect(m_ws.get(), &QWebSocket::disconnected, &loop, &QEventLoop::quit, Qt::QueuedConnection);
        timer.start(std::max(1, remaining(deadline)));
        loop.exec();
    }
}

std::optional<QList<QJsonObject>> TestClient::waitForCount(const QString& type, int count, int timeoutMs,
                                                           const FramePredicate& pred) {
    QDeadlineTimer deadline(timeoutMs);
    QList<QJsonObject> out;
    while (out.size() < count) {
        auto f = waitFor(type, pred, remaining(deadline));
        if (!f) {
            // Put back what was taken so a failure message can show everything.
            for (qsizetype i = out.size() - 1; i >= 0; --i) m_frames.prepend(out.at(i));
            return std::nullopt;
        }
        out.append(*f);
    }
    return out;
}

bool TestClient::expectNo(const QString& type, int ms, const FramePredicate& pred) {
    QDeadlineTimer deadline(ms);
    while (!deadline.hasExpired()) {
        for (const QJsonObject& f : m_frames)
            if (f.value("type").toString() == type && (!pred || pred(f))) return false;
        if (!m_ws) return true;
        QEventLoop loop;
        QTimer timer;
        timer.setSingleShot(true);
        connect(&timer, &QTimer::timeout, &loop, &QEventLoop::quit);
        connect(m_ws.get(), &QWebSocket::textMessageReceived, &loop, &QEventLoop::quit, Qt::QueuedConnection);
        timer.start(std::max(1, remaining(deadline)));
        loop.exec();
    }
    for (const QJsonObject& f : m_frames)
        if (f.value("type").toString() == type && (!pred || pred(f))) return false;
    return true;
}

std::optional<QJsonObject> TestClient::next(int timeoutMs) {
    QDeadlineTimer deadline(timeoutMs);
    while (m_frames.isEmpty() && !deadline.hasExpired() && m_ws && m_connected) {
        waitSignal(m_ws.get(), &QWebSocket::textMessageReceived, remaining(deadline));
    }
    if (m_frames.isEmpty()) QCoreApplication::processEvents();
    if (m_frames.isEmpty()) return std::nullopt;
    return m_frames.takeFirst();
}

QString TestClient::describePending() const {
    QStringList parts;
    for (qsizetype i = 0; i < m_frames.size() && i < 20; ++i) parts << compact(m_frames.at(i));
    if (m_frames.size() > 20) parts << QStringLiteral("... (%1 frames in all)").arg(m_frames.size());
    QString s = QStringLiteral("[%1]").arg(parts.join(", "));
    if (m_ws && !m_connected && m_closeCode >= 0) s += QStringLiteral(" (closed with %1 '%2')").arg(m_closeCode).arg(m_closeReason);
    return s;
}

// ---- protocol helpers ---------------------------------------------------------------------

QString TestClient::directChatId(qint64 a, qint64 b) {
    return QStringLiteral("dm:%1:%2").arg(std::min(a, b)).arg(std::max(a, b));
}

QList<DeviceAddr> TestClient::recipientsFor(qint64 peerUserId) {
    QList<DeviceAddr> out = devicesOf(peerUserId);
    for (const DeviceAddr& own : devicesOf(m_userId))
        if (own.deviceId != m_deviceId) out.append(own);
    return out;
}

QJsonArray TestClient::envelopes(const QList<DeviceAddr>& to, const QByteArray& plain) {
    return envelopes(to, [&plain](DeviceAddr) { return plain; });
}

QJsonArray TestClient::envelopes(const QList<DeviceAddr>& to, const std::function<QByteArray(DeviceAddr)>& contentFor) {
    QJsonArray out;
    for (const DeviceAddr& a : to)
        out.append(QJsonObject{{"user_id", a.userId}, {"device_id", a.deviceId}, {"content", b64(contentFor(a))}});
    return out;
}

QJsonObject TestClient::messageFrame(const QString& chatId, const QString& clientMsgId, const QJsonArray& envelopes) {
    return QJsonObject{{"type", "message"}, {"chat_id", chatId}, {"client_msg_id", clientMsgId}, {"envelopes", envelopes}};
}

QJsonObject TestClient::groupMessageFrame(const QString& chatId, const QString& clientMsgId, const QByteArray& plain) {
    return QJsonObject{{"type", "message"}, {"chat_id", chatId}, {"client_msg_id", clientMsgId}, {"content", b64(plain)}};
}

std::optional<QJsonObject> TestClient::sendToGroup(const QString& chatId, const QString& clientMsgId,
                                                   const QByteArray& plain, int timeoutMs) {
    send(groupMessageFrame(chatId, clientMsgId, plain));
    return waitForSendResult(clientMsgId, timeoutMs);
}

HttpResult TestClient::createGroup(const QByteArray& name, const QList<qint64>& participants) {
    QJsonArray ids;
    for (qint64 id : participants) ids.append(id);
    return request("POST", QStringLiteral("/api/groups"), QJsonObject{{"name", b64(name)}, {"participants", ids}}, 30000);
}

std::optional<QJsonObject> TestClient::sendTo(const TestClient& peer, const QString& clientMsgId,
                                              const QByteArray& plain, int timeoutMs) {
    send(messageFrame(chatWith(peer), clientMsgId, envelopes(recipientsFor(peer.userId()), plain)));
    return waitForSendResult(clientMsgId, timeoutMs);
}

std::optional<QJsonObject> TestClient::waitForSendResult(const QString& clientMsgId, int timeoutMs) {
    QDeadlineTimer deadline(timeoutMs);
    while (true) {
        QJsonObject f;
        if (takeMatching("ack", [&](const QJsonObject& o) { return o.value("client_msg_id").toString() == clientMsgId; }, &f))
            return f;
        if (takeMatching("error", [&](const QJsonObject& o) { return o.value("ref").toString() == clientMsgId; }, &f))
            return f;
        if (deadline.hasExpired() || !m_ws || !m_connected) return std::nullopt;
        waitSignal(m_ws.get(), &QWebSocket::textMessageReceived, std::max(1, remaining(deadline)));
    }
}

void TestClient::ack(qint64 messageId, const QString& status) {
    send(QJsonObject{{"type", "ack"}, {"message_id", messageId}, {"status", status}});
}

void TestClient::eventAck(qint64 eventId) { send(QJsonObject{{"type", "event_ack"}, {"event_id", eventId}}); }

void TestClient::receiptAck(qint64 receiptId) { send(QJsonObject{{"type", "receipt_ack"}, {"receipt_id", receiptId}}); }

void TestClient::ping() { send(QJsonObject{{"type", "ping"}}); }

bool TestClient::pingPong(int timeoutMs) {
    while (takeMatching("pong", {}, nullptr)) {
    } // stale pongs must not answer this ping
    ping();
    return waitFor("pong", {}, timeoutMs).has_value();
}

bool TestClient::quietAfterPingPong(const QString& type, const FramePredicate& pred, int settleMs) {
    if (!pingPong()) {
        m_lastError = QStringLiteral("no pong; pending: %1").arg(describePending());
        return false;
    }
    return expectNo(type, settleMs, pred);
}

} // namespace natter::test
