// One test device of one Natter user: REST helpers (register/verify, any request with the
// Bearer token) and a WebSocket with a FIFO of received frames. JSON is built and read with
// QJsonDocument, independently of the server's codec. Every wait is bounded.
#pragma once

#include <QByteArray>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QList>
#include <QNetworkAccessManager>
#include <QObject>
#include <QSet>
#include <QString>
#include <QUrl>
#include <QWebSocket>

#include <functional>
#include <memory>
#include <optional>

namespace natter::test {

class NatterdProcess;

inline constexpr int kDefaultTimeoutMs = 5000;
inline const QString kFixedCode = QStringLiteral("123456"); // natterd runs with --verification fixed:123456

// The answer to one HTTP request. status 0: no HTTP answer (network error or timeout).
struct HttpResult {
    int status = 0;
    QByteArray body;
    QJsonDocument json; // parsed body when it is JSON
    QString networkError;

    QJsonObject object() const { return json.object(); }
    QJsonArray array() const { return json.array(); }
    QString errorCode() const { return object().value(QStringLiteral("code")).toString(); }
    // "HTTP 400 {...}" for failure messages.
    QString describe() const;
};

// One device of one user, the unit messages are addressed to.
struct DeviceAddr {
    qint64 userId = 0;
    qint64 deviceId = 0;
    friend bool operator==(const DeviceAddr&, const DeviceAddr&) = default;
};

using FramePredicate = std::function<bool(const QJsonObject&)>;

class TestClient : public QObject {
    Q_OBJECT
public:
    // The client follows `server` across restarts (its port is read for every request).
    explicit TestClient(const NatterdProcess& server, QObject* parent = nullptr);
    ~TestClient() override;

    // ---- accounts ----------------------------------------------------------------------
    HttpResult registerPhone(const QString& phone);
    HttpResult verify(const QString& phone, const QString& code, const QString& deviceName = {});
    // register + verify with the fixed code, remembering the credentials; then, if a name is
    // given, PUT /api/profile display_name. False (with lastError()) on any failure.
    bool signUp(const QString& phone, const QString& displayName = {});
    // Links this client as a new device of the number's account, from its newest verified device
    // (POST /api/devices/link-code there, POST /api/devices/link here), as a user links a laptop.
    bool addDevice(const QString& phone, const QString& deviceName = {});
    // Acts as the same device as `other` (same credentials), e.g. for a second connection.
    void adoptCredentials(const TestClient& other);
    // Takes the credentials of a VerifyResponse body (POST /api/verify or /api/devices/link).
    // False (with lastError()) when a field is missing.
    bool useVerifyResponse(const QJsonObject& verifyResponse, const QString& phone = {});

    qint64 userId() const { return m_userId; }
    qint64 deviceId() const { return m_deviceId; }
    DeviceAddr address() const { return {m_userId, m_deviceId}; }
    QString phone() const { return m_phone; }
    QString deviceSecret() const { return m_deviceSecret; }
    QString accessToken() const { return m_accessToken; }
    void setAccessToken(const QString& token) { m_accessToken = token; }
    bool newAccount() const { return m_newAccount; }
    QString lastError() const { return m_lastError; }

    // ---- REST ----------------------------------------------------------------------------
    // JSON request with the Bearer token (when one is set). path starts with "/".
    HttpResult request(const QByteArray& method, const QString& path, const QJsonDocument& body = {},
                       int timeoutMs = 10000);
    HttpResult request(const QByteArray& method, const QString& path, const QJsonObject& body,
                       int timeoutMs = 10000);
    // Arbitrary bytes as body; withAuth=false sends no Authorization header.
    HttpResult rawRequest(const QByteArray& method, const QString& path, const QByteArray& body,
                          bool withAuth = true, int timeoutMs = 10000);
    // Active devices of a user via GET /api/users/{id}/devices (empty on failure).
    QList<DeviceAddr> devicesOf(qint64 userId);
    // Adds users to the contacts as a client does: looks their numbers up, then PUT /api/contacts.
    // False (with lastError()) on any failure.
    bool addContacts(const QList<const TestClient*>& contacts);

    // ---- WebSocket -----------------------------------------------------------------------
    enum class Auth { Header, Query };
    // Opens /ws (replacing any previous socket) and waits until connected; clears the frame FIFO.
    bool connectWs(int timeoutMs = kDefaultTimeoutMs, Auth auth = Auth::Header);
    // connectWs, then waits for welcome and sync_complete (no offline queue expected).
    bool openSession(int timeoutMs = kDefaultTimeoutMs);
    // openSession for many clients at once: all sockets are opened together, then each one's
    // welcome and sync_complete are awaited (bounded overall). False with *error naming a client.
    static bool openSessions(const QList<TestClient*>& clients, int timeoutMs, QString* error);

    // What one sync (welcome .. sync_complete) brought, in arrival order.
    struct Sync {
        bool ok = false;           // welcome came first and sync_complete arrived in time
        QString error;             // why not
        QJsonObject welcome;
        // message, receipt, group_event and identity_changed frames between welcome and sync_complete
        QList<QJsonObject> queued;
        QJsonObject syncComplete;
        QList<qint64> seqs() const; // seq of each queued message frame
    };
    // After connectWs: reads frames in arrival order up to sync_complete. Presence, typing and
    // prekeys_low frames are left in the FIFO. With ackMessages, every message and group_event is
    // acked "delivered" as it arrives (needed when the queue exceeds the sync window); receipts
    // and identity_changed events are never confirmed here.
    Sync readSync(bool ackMessages, int timeoutMs = 30000);
    bool isConnected() const;
    void closeWs(int timeoutMs = kDefaultTimeoutMs); // normal close (1000), waits for the disconnect
    void abortWs();                                   // drops the TCP connection without a close frame
    bool waitDisconnected(int timeoutMs = kDefaultTimeoutMs);
    int closeCode() const { return m_closeCode; } // -1 until disconnected
    QString closeReason() const { return m_closeReason; }

    void send(const QJsonObject& frame);
    void sendText(const QString& text);
    void sendBinary(const QByteArray& data);

    // Removes and returns the first received frame of `type` that matches `pred` (waiting up to timeoutMs).
    std::optional<QJsonObject> waitFor(const QString& type, const FramePredicate& pred = {},
                                       int timeoutMs = kDefaultTimeoutMs);
    // Removes and returns the first `count` frames of `type` (in arrival order) or nullopt on timeout.
    std::optional<QList<QJsonObject>> waitForCount(const QString& type, int count,
                                                   int timeoutMs = kDefaultTimeoutMs,
                                                   const FramePredicate& pred = {});
    // True if no frame of `type` matching `pred` is queued or arrives within ms.
    bool expectNo(const QString& type, int ms, const FramePredicate& pred = {});
    // Removes and returns the next frame of any type (or nullopt on timeout).
    std::optional<QJsonObject> next(int timeoutMs = kDefaultTimeoutMs);
    // Frames received and not yet taken, in arrival order.
    const QList<QJsonObject>& pending() const { return m_frames; }
    void clearFrames() { m_frames.clear(); }
    QString describePending() const;

    // ---- protocol helpers ------------------------------------------------------------------
    static QString directChatId(qint64 a, qint64 b);
    QString chatWith(const TestClient& peer) const { return directChatId(m_userId, peer.userId()); }
    // Every device a message to `peerUserId` must be addressed to: the peer's devices and this
    // user's other devices (via REST).
    QList<DeviceAddr> recipientsFor(qint64 peerUserId);
    // One envelope per address, each with base64(plain).
    static QJsonArray envelopes(const QList<DeviceAddr>& to, const QByteArray& plain);
    // One envelope per address with content base64(contentFor(addr)).
    static QJsonArray envelopes(const QList<DeviceAddr>& to, const std::function<QByteArray(DeviceAddr)>& contentFor);
    static QJsonObject messageFrame(const QString& chatId, const QString& clientMsgId, const QJsonArray& envelopes);
    // A group message: one base64(plain) content for every member, no envelopes.
    static QJsonObject groupMessageFrame(const QString& chatId, const QString& clientMsgId, const QByteArray& plain);
    // Sends a group message and waits for the sent ack or the error frame with that ref.
    std::optional<QJsonObject> sendToGroup(const QString& chatId, const QString& clientMsgId, const QByteArray& plain,
                                           int timeoutMs = kDefaultTimeoutMs);
    // POST /api/groups with name base64(name) and these participants (the caller becomes admin).
    HttpResult createGroup(const QByteArray& name, const QList<qint64>& participants);
    // "/api/groups/<chatId>" (the ':' left as is; natterd also accepts "%3A").
    static QString groupPath(const QString& chatId) { return QStringLiteral("/api/groups/") + chatId; }
    // "/api/chats/<chatId>/messages<query>", query e.g. "?before=71&limit=20".
    static QString historyPath(const QString& chatId, const QString& query = {}) {
        return QStringLiteral("/api/chats/%1/messages%2").arg(chatId, query);
    }
    void eventAck(qint64 eventId);
    // Sends `plain` to every device of `peer` (and own other devices) and waits for the answer:
    // the sent ack, or an error frame whose ref is clientMsgId. nullopt on timeout.
    std::optional<QJsonObject> sendTo(const TestClient& peer, const QString& clientMsgId, const QByteArray& plain,
                                      int timeoutMs = kDefaultTimeoutMs);
    // Waits for the answer to a send already made: the ack or an error with that ref.
    std::optional<QJsonObject> waitForSendResult(const QString& clientMsgId, int timeoutMs = kDefaultTimeoutMs);
    void ack(qint64 messageId, const QString& status);
    void ackDelivered(qint64 messageId) { ack(messageId, QStringLiteral("delivered")); }
    void ackRead(qint64 messageId) { ack(messageId, QStringLiteral("read")); }
    void receiptAck(qint64 receiptId);
    void ping();
    // Sends a ping and waits for a pong: the connection is alive and the server answers.
    bool pingPong(int timeoutMs = kDefaultTimeoutMs);
    // For "nothing arrives" checks: a ping round trip (everything the server queued for this
    // socket before it is in the FIFO by then), then expectNo(type, settleMs, pred).
    bool quietAfterPingPong(const QString& type, const FramePredicate& pred = {}, int settleMs = 200);

private:
    // Replaces any socket with a new one and starts opening it; returns the URL.
    QUrl startWs(Auth auth);
    void onTextMessage(const QString& text);
    bool takeMatching(const QString& type, const FramePredicate& pred, QJsonObject* out);
    HttpResult doRequest(const QByteArray& method, const QString& path, const QByteArray& body,
                         bool json, bool withAuth, int timeoutMs);
    bool registerAndVerify(const QString& phone, const QString& deviceName);

    const NatterdProcess& m_server;
    QNetworkAccessManager m_nam;
    std::unique_ptr<QWebSocket> m_ws;
    QList<QJsonObject> m_frames;
    int m_closeCode = -1;
    QString m_closeReason;
    bool m_connected = false;

    qint64 m_userId = 0;
    qint64 m_deviceId = 0;
    QString m_phone;
    QString m_deviceSecret;
    QString m_accessToken;
    bool m_newAccount = false;
    QString m_lastError;
};

// Numeric field of a frame or body as an integer (JSON numbers arrive as doubles).
inline qint64 intField(const QJsonObject& o, const QString& key) { return o.value(key).toInteger(-1); }
inline QString compact(const QJsonObject& o) {
    return QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact));
}
inline QString b64(const QByteArray& plain) { return QString::fromLatin1(plain.toBase64()); }
// Frame predicates for waitFor.
inline FramePredicate byMessageId(qint64 id) {
    return [id](const QJsonObject& f) { return f.value("message_id").toInteger() == id; };
}
inline FramePredicate byStatus(const QString& status) {
    return [status](const QJsonObject& f) { return f.value("status").toString() == status; };
}
inline FramePredicate byClientMsgId(const QString& cmid) {
    return [cmid](const QJsonObject& f) { return f.value("client_msg_id").toString() == cmid; };
}
// group_event frames of one chat and kind ("created", "added", ...).
inline FramePredicate groupEvent(const QString& chatId, const QString& kind) {
    return [chatId, kind](const QJsonObject& f) {
        return f.value("chat_id").toString() == chatId && f.value("event").toString() == kind;
    };
}
// Frames (message, typing, ...) of one chat.
inline FramePredicate inChat(const QString& chatId) {
    return [chatId](const QJsonObject& f) { return f.value("chat_id").toString() == chatId; };
}
// A JSON array of ids as a set.
inline QSet<qint64> idSet(const QJsonArray& arr) {
    QSet<qint64> out;
    for (const QJsonValue& v : arr) out.insert(v.toInteger());
    return out;
}
// A JSON array of DeviceAddress objects ({user_id, device_id}) as a set of (user, device).
inline QSet<QPair<qint64, qint64>> addressSet(const QJsonArray& arr) {
    QSet<QPair<qint64, qint64>> out;
    for (const QJsonValue& v : arr)
        out.insert({v.toObject().value("user_id").toInteger(), v.toObject().value("device_id").toInteger()});
    return out;
}
// from, from+1, ..., to
inline QList<qint64> range(qint64 from, qint64 to) {
    QList<qint64> out;
    for (qint64 i = from; i <= to; ++i) out << i;
    return out;
}

} // namespace natter::test

// ---- QtTest shorthands for the integration suites ------------------------------------------
// A distinct valid E.164 number per n.
inline QString phoneNumber(int n) { return QStringLiteral("+4915%1").arg(n, 8, 10, QLatin1Char('0')); }

#define NATTER_START(server) QVERIFY2((server).start(), qPrintable((server).errorString()))
#define NATTER_SIGNUP(client, phone, name) QVERIFY2((client).signUp((phone), (name)), qPrintable((client).lastError()))
#define NATTER_SESSION(client) QVERIFY2((client).openSession(), qPrintable((client).lastError()))
// Takes the first frame of a type (optionally matching a predicate) into `var`, or fails with what did arrive.
#define NATTER_TAKE(var, client, ...)                                                                       \
    const auto var##_opt = (client).waitFor(__VA_ARGS__);                                                    \
    QVERIFY2(var##_opt.has_value(), qPrintable(QStringLiteral("expected %1; pending: %2")                    \
                                                   .arg(QStringLiteral(#__VA_ARGS__), (client).describePending()))); \
    const QJsonObject var = *var##_opt
// Each of these evaluates its arguments once (they are often the request itself).
// An HTTP result with exactly this status.
#define NATTER_HTTP(result, expectedStatus)                                                   \
    do {                                                                                       \
        const natter::test::HttpResult& http_ = (result);                                      \
        QVERIFY2(http_.status == (expectedStatus), qPrintable(http_.describe()));              \
    } while (0)
// An HTTP error with this status and error body code.
#define NATTER_REFUSED(result, expectedStatus, expectedCode)                                               \
    do {                                                                                                    \
        const natter::test::HttpResult& refused_ = (result);                                                \
        QVERIFY2(refused_.status == (expectedStatus) && refused_.errorCode() == QLatin1String(expectedCode), \
                 qPrintable(refused_.describe()));                                                          \
    } while (0)
// A send result (std::optional<QJsonObject>) that is the sent ack.
#define NATTER_ACKED(res, client)                                                                          \
    do {                                                                                                    \
        const std::optional<QJsonObject>& acked_ = (res);                                                   \
        QVERIFY2(acked_ && acked_->value("type") == "ack",                                                  \
                 qPrintable(acked_ ? compact(*acked_) : (client).describePending()));                      \
    } while (0)
// A send result that is an error frame with this code.
#define NATTER_SEND_REFUSED(res, client, expectedCode)                                                      \
    do {                                                                                                    \
        const std::optional<QJsonObject>& sendRefused_ = (res);                                             \
        QVERIFY2(sendRefused_ && sendRefused_->value("type") == "error" &&                                  \
                     sendRefused_->value("code") == QLatin1String(expectedCode),                            \
                 qPrintable(sendRefused_ ? compact(*sendRefused_) : (client).describePending()));          \
    } while (0)
// Creates a group as `admin` (participants: a braced list of user ids) and declares
// QString chatVar with its chat id.
#define NATTER_GROUP(chatVar, admin, name, ...)                                                \
    QString chatVar;                                                                            \
    do {                                                                                        \
        const natter::test::HttpResult group_ = (admin).createGroup((name), __VA_ARGS__);       \
        QVERIFY2(group_.status == 200, qPrintable("create group: " + group_.describe()));       \
        chatVar = group_.object().value("chat_id").toString();                                  \
    } while (0)
// Nothing of this type (optionally: matching a predicate) arrives at the client (quietAfterPingPong).
#define NATTER_QUIET(client, ...) \
    QVERIFY2((client).quietAfterPingPong(__VA_ARGS__), qPrintable((client).describePending()))
