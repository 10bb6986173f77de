// Typed REST client for natterd (/api/...) over QNetworkAccessManager: bodies are the
// protocol's structs, failures are ClientError values (server code kept), and the access
// token is refreshed with the device credential before it expires or after a 401. A
// device_revoked answer is reported once (deviceRevoked) and ends authenticated calls.
#pragma once

#include "client/core/result.h"
#include "protocol/error.h"
#include "protocol/json_codec.h"
#include "protocol/rest.h"
#include "protocol/types.h"

#include <QByteArray>
#include <QDateTime>
#include <QObject>
#include <QUrl>

#include <boost/json.hpp>

#include <functional>
#include <memory>
#include <optional>
#include <vector>

class QIODevice;
class QNetworkAccessManager;
class QNetworkReply;
class QNetworkRequest;

namespace natter::client::net {

enum class HttpMethod { Get, Post, Put, Delete };

class ApiClient : public QObject {
    Q_OBJECT
public:
    template <class T>
    using Callback = std::function<void(Expected<T>)>;
    using RawCallback = std::function<void(Expected<QByteArray>)>;
    using ProgressCallback = std::function<void(qint64 done, qint64 total)>;

    explicit ApiClient(QUrl server, QObject* parent = nullptr);
    ~ApiClient() override; // pending requests are aborted; their callbacks are not called

    QUrl server() const { return m_server; }
    // Points later requests at another address of the server (e.g. it moved); requests
    // already under way finish against the old one.
    void setServer(QUrl server) { m_server = std::move(server); }
    // ws(s)://host:port/ws for the current server.
    QUrl webSocketUrl() const;

    // Enables token refresh (POST /api/token) with this device credential.
    void setCredentials(protocol::UserId userId, protocol::DeviceId deviceId, QByteArray deviceSecret);
    void setAccessToken(QString token, int expiresInSeconds);
    QString accessToken() const { return m_token; }
    // Calls back with a token valid for at least another minute (refreshing when needed).
    void ensureFreshToken(Callback<QString> done);
    // Forgets the token's expiry so the next ensureFreshToken refreshes it (e.g. after the
    // server refused it on a WebSocket upgrade).
    void invalidateAccessToken();
    // Forgets the device credential, the token and a revocation: the profile starts over as a
    // new device (register or link again).
    void clearCredentials();

    // Why the server revoked this device; nullopt while it did not. Once revoked, every call
    // that needs a token fails at once (ErrorKind::Revoked) without going to the server.
    std::optional<protocol::RevocationReason> revoked() const { return m_revoked; }
    // Records a revocation learnt elsewhere (the WebSocket closed with 1008, or the profile
    // remembers it); announce: emit deviceRevoked (once, like a device_revoked answer does).
    void setRevoked(protocol::RevocationReason reason, bool announce);
    // The error calls of a revoked device fail with.
    static ClientError revokedError(protocol::RevocationReason reason);

    // JSON request/response with protocol structs. Resp may be boost::json::value for bodies
    // without a struct (e.g. 204 answers give an empty object).
    template <class Resp, class Req>
    void call(HttpMethod method, const QString& path, const Req& body, Callback<Resp> done);
    template <class Resp>
    void call(HttpMethod method, const QString& path, Callback<Resp> done);

    // POST /api/media with the (already encrypted) bytes of source, size bytes long.
    void uploadMedia(std::shared_ptr<QIODevice> source, qint64 size, ProgressCallback progress,
                     Callback<protocol::rest::MediaUploaded> done);
    // GET /api/media/{id} streamed into sink; done carries the byte count.
    void downloadMedia(const QString& mediaId, std::shared_ptr<QIODevice> sink, ProgressCallback progress,
                       Callback<qint64> done);

signals:
    // The server revoked this device (a device_revoked answer, or setRevoked): emitted once.
    void deviceRevoked(natter::protocol::RevocationReason reason);

private:
    // The ClientError for a non-2xx reply; a device_revoked answer also marks this client revoked.
    ClientError failure(QNetworkReply* reply, const QByteArray& body);
    // Sends one request (authenticated when a token is set), retrying once after a 401 with
    // a refreshed token. The callback gets the body of a 2xx answer or the decoded error.
    void send(HttpMethod method, const QString& path, QByteArray body, bool authenticated, RawCallback done);

    // One attempt of send(); retried says whether the 401 retry was already spent.
    void issue(HttpMethod method, const QString& path, QByteArray body, bool authenticated, bool retried,
               RawCallback done);
    // POST /api/token now (joining a refresh already under way).
    void refreshToken(Callback<QString> done);
    bool canRefresh() const { return m_userId != 0 && !m_deviceSecret.isEmpty(); }
    QNetworkRequest makeRequest(const QString& path, bool authenticated) const;

    template <class Resp>
    static Expected<Resp> decodeBody(const Expected<QByteArray>& raw);

    QUrl m_server;
    QNetworkAccessManager* m_network = nullptr; // child
    QString m_token;
    QDateTime m_tokenExpiry;
    protocol::UserId m_userId = 0;
    protocol::DeviceId m_deviceId = 0;
    QByteArray m_deviceSecret;
    std::optional<protocol::RevocationReason> m_revoked;
    std::vector<Callback<QString>> m_refreshWaiters; // non-empty while POST /api/token is under way
    std::shared_ptr<bool> m_alive; // callbacks check it so none runs after destruction
};

template <class Resp>
Expected<Resp> ApiClient::decodeBody(const Expected<QByteArray>& raw) {
    if (!raw) return raw.error();
    if constexpr (std::is_same_v<Resp, boost::json::value>) {
        if (raw->isEmpty()) return boost::json::value(boost::json::object());
        boost::system::error_code ec;
        auto v = boost::json::parse(std::string_view(raw->constData(), raw->size()), ec);
        if (ec) return makeClientError(ErrorKind::Server, QStringLiteral("server sent malformed JSON"));
        return v;
    } else {
        boost::system::error_code ec;
        auto v = boost::json::parse(std::string_view(raw->constData(), raw->size()), ec);
        if (ec) return makeClientError(ErrorKind::Server, QStringLiteral("server sent malformed JSON"));
        Resp out{};
        if (auto err = protocol::json_codec::decode(v, out, std::string()))
            return makeClientError(ErrorKind::Server,
                                   QStringLiteral("unexpected server answer: %1").arg(QString::fromStdString(err->message)));
        return out;
    }
}

template <class Resp, class Req>
void ApiClient::call(HttpMethod method, const QString& path, const Req& body, Callback<Resp> done) {
    const std::string text = boost::json::serialize(protocol::json_codec::encode(body));
    send(method, path, QByteArray(text.data(), qsizetype(text.size())), true,
         [done = std::move(done)](Expected<QByteArray> raw) { done(decodeBody<Resp>(raw)); });
}

template <class Resp>
void ApiClient::call(HttpMethod method, const QString& path, Callback<Resp> done) {
    send(method, path, QByteArray(), true,
         [done = std::move(done)](Expected<QByteArray> raw) { done(decodeBody<Resp>(raw)); });
}

} // namespace natter::client::net
